#!/bin/sh
# Launcher installed as bin/nnswift and bin/nnswift-forcecheck of a portable install tree
# (scripts/build.sh --portable): runs the same program from libexec/nnswift/ISA/, built for
#   x86-64-v3  where the CPU has every x86-64-v3 feature (AVX, AVX2, BMI1, BMI2, F16C, FMA, LZCNT,
#              MOVBE, XSAVE: the set the dynamic loader checks for lib/glibc-hwcaps/x86-64-v3/)
#   baseline   otherwise.
# NNSWIFT_ISA=baseline|x86-64-v3 forces one (x86-64-v3 only where the CPU has it: otherwise the
# program would die of an illegal instruction). `nnswift build-info` prints the ISA in use.
here=$(dirname "$(readlink -f "$0")")
variants="$here/../libexec/nnswift"
has_v3() {
  [ -x "$variants/x86-64-v3/nnswift" ] || return 1
  flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null) || return 1
  for f in avx avx2 bmi1 bmi2 f16c fma abm movbe xsave; do   # abm: LZCNT in /proc/cpuinfo
    case " ${flags#*:} " in *" $f "*) ;; *) return 1 ;; esac
  done
}
case "${NNSWIFT_ISA:-}" in
  "") if has_v3; then isa=x86-64-v3; else isa=baseline; fi ;;
  baseline) isa=baseline ;;
  x86-64-v3)
    if ! has_v3; then
      echo "nnswift: NNSWIFT_ISA=x86-64-v3, but this CPU lacks x86-64-v3 features (or $variants/x86-64-v3 is missing)" >&2
      exit 2
    fi
    isa=x86-64-v3 ;;
  *) echo "nnswift: NNSWIFT_ISA=$NNSWIFT_ISA: expected baseline or x86-64-v3" >&2; exit 2 ;;
esac
exec "$variants/$isa/$(basename "$(readlink -f "$0")")" "$@"
