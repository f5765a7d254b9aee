# Shared shell functions of the gold workflows (sourced by demo.sh and table3.sh).
# Needs: $here (examples/gold), $repo; sets LMP, LMP_NNSWIFT, NNSWIFT, FORCECHECK, EAM.

die() { echo "ERROR [$step]: $*" >&2; exit 1; }
step="setup"
# begin STEP TITLE: names the current step (for errors) and prints its header with the seconds
# elapsed since the start (NNSWIFT_DEMO_ELAPSED: seconds already spent by a calling script).
T0=$(( SECONDS - ${NNSWIFT_DEMO_ELAPSED:-0} ))
begin() { step="$1"; echo "== [$(( SECONDS - T0 )) s] $2 =="; }
trap 'rc=$?; if [ $rc -ne 0 ]; then echo "FAILED in step: $step (exit $rc)" >&2; fi' EXIT

LMP="${LMP:-$(command -v lmp || true)}"
EAM="${EAM:-/usr/share/lammps/potentials/Au_u3.eam}"
NNSWIFT="${NNSWIFT:-$repo/build/bin/nnswift}"
FORCECHECK="${FORCECHECK:-$repo/build/bin/nnswift-forcecheck}"
LMP_NNSWIFT="${LMP_NNSWIFT:-$repo/lammps-plugin/build/debian/lmp_nnswift}"
MPIRUN=(mpirun --allow-run-as-root --oversubscribe)
TOOLS="$here/gold_tools.py"

ensure_tools() { # [--lammps-driver]
  [[ -n "$LMP" ]] || die "LAMMPS (lmp) not found: bash scripts/install-deps.sh (apt: lammps lammps-data)"
  [[ -f "$EAM" ]] || die "missing $EAM: apt-get install -y lammps-data"
  if [[ ! -x "$NNSWIFT" || ! -x "$FORCECHECK" ]]; then
    echo "building nnswift (scripts/build.sh) ..."
    bash "$repo/scripts/build.sh" || die "scripts/build.sh failed"
  fi
  if [[ "${1:-}" == "--lammps-driver" && ! -x "$LMP_NNSWIFT" ]]; then
    echo "[$(( SECONDS - T0 )) s] building the LAMMPS driver (lammps-plugin/build.sh --debian-only; about a minute) ..."
    bash "$repo/lammps-plugin/build.sh" --debian-only >/dev/null || die "lammps-plugin/build.sh failed"
    echo "[$(( SECONDS - T0 )) s] built $LMP_NNSWIFT"
  fi
}

# lmp_run DIR NAME: runs DIR/in.NAME with Debian's lmp (EAM), log DIR/log.NAME.
lmp_run() {
  (cd "$1" && "$LMP" -in "in.$2" -log "log.$2" -screen none) || { tail -5 "$1/log.$2" >&2; die "LAMMPS failed on $1/in.$2"; }
}

eam_header() { # box
  cat <<IN
units metal
atom_style atomic
boundary p p p
region box block 0 $1 0 $1 0 $1
create_box 1 box
mass 1 196.96657
IN
}

# eam_point XYZ [FRAME]: EAM energy (eV) of a free cluster (frame 0 of XYZ by default), LAMMPS run 0.
eam_point() {
  local d; d=$(mktemp -d)
  { eam_header 30; python3 "$TOOLS" xyz-to-lammps "$1" --frame "${2:-0}" --center 15
    echo "pair_style eam"; echo "pair_coeff 1 1 $EAM"
    echo "run 0"; echo 'print "EAM_ENERGY $(pe:%.10f)"'; } > "$d/in.point"
  lmp_run "$d" point
  sed -n 's/^EAM_ENERGY //p' "$d/log.point" | tail -1
  rm -rf "$d"
}

# eam_minimize XYZ OUT.xyz: LAMMPS minimize (EAM, CG, ftol 1e-10) from frame 0 of XYZ; prints E.
eam_minimize() {
  local d; d=$(mktemp -d)
  { eam_header 30; python3 "$TOOLS" xyz-to-lammps "$1" --center 15
    echo "pair_style eam"; echo "pair_coeff 1 1 $EAM"; echo "min_style cg"
    echo "minimize 0 1e-10 20000 200000"; echo 'print "EAM_ENERGY $(pe:%.10f)"'
    echo "write_dump all xyz $d/min.xyz modify sort id"; } > "$d/in.min"
  lmp_run "$d" min
  local e; e=$(sed -n 's/^EAM_ENERGY //p' "$d/log.min" | tail -1)
  python3 "$TOOLS" lmp-dump-to-xyz "$d/min.xyz" "$2" --energy "$e"
  echo "$e"
  rm -rf "$d"
}

# eam_random_minima N COUNT QUENCH SEED OUT.xyz: best EAM minimum of COUNT random compact starts,
# each followed by QUENCH cycles of 1000 K MD + minimize; prints "E hits total".
eam_random_minima() {
  local d; d=$(mktemp -d)
  python3 "$TOOLS" eam-random-input "$1" --eam "$EAM" --count "$2" --quench "$3" --seed "$4" --dir "$d" > "$d/in.random"
  lmp_run "$d" random
  local best; best=$(grep '^MIN ' "$d/log.random" | sort -k4 -g | sed -n 1p)   # sed reads everything: no SIGPIPE under pipefail
  [[ -n "$best" ]] || die "no minima from $d/in.random"
  local k q e; read -r _ k q e <<< "$best"
  python3 "$TOOLS" lmp-dump-to-xyz "$d/min_${k}_${q}.xyz" "$5" --energy "$e"
  local total hits
  total=$(grep -c '^MIN ' "$d/log.random")
  hits=$(awk -v e="$e" '/^MIN /{ if ($4 - e < 1e-4) n++ } END { print n + 0 }' "$d/log.random")
  echo "$e $hits $total"
  rm -rf "$d"
}
