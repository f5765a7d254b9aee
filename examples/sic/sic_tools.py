#!/usr/bin/env python3
"""Helpers of examples/sic/workflow.sh (standard library only).

  sic_tools.py check-data A,B FILE...        data sanity checks (elements A and B): PASS/FAIL lines
  sic_tools.py baseline TRAIN HELDOUT        RMSE of trivial predictors on HELDOUT (see below)
  sic_tools.py stress-rmse PRED REF          RMSE of the stress components (eV/Angstrom^3)
  sic_tools.py summary FILE                  cells per variant and temperature (markdown)
  sic_tools.py per-variant PRED REF          held-out RMSE per variant and temperature (markdown)
  sic_tools.py compare A B                   largest differences of energy per atom, force and
                                             stress between two predictions of the same cells;
                                             exit 1 above 1e-9 (eV/atom, eV/A, eV/A^3)
"""
import math
import os
import re
import sys
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import structure_io  # noqa: E402  (examples/structure_io.py)


def read_xyz(path):
    """Frames of an extended XYZ file: (info dict, species list, positions, forces or None)."""
    return [(f.info, f.species, f.positions, f.forces) for f in structure_io.read_extxyz(path)]


def stress_of(info):
    return [float(v) for v in info["stress"].split()] if "stress" in info else None


def check_data(elements, paths):
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        print(("PASS " if ok else "FAIL ") + what)
        passed += ok
        failed += not ok

    for path in paths:
        frames = read_xyz(path)
        check(len(frames) > 0, f"{path}: {len(frames)} configurations")
        complete = all("energy" in i and "lattice" in i and f is not None and stress_of(i) is not None
                       and len(stress_of(i)) == 9 for i, _, _, f in frames)
        check(complete, f"{path}: every cell has energy, Lattice, forces and a 9-component stress")
        sizes = Counter(len(s) for _, s, _, _ in frames)
        check(all(63 <= n <= 216 for n in sizes), f"{path}: cells of 63-216 atoms ({dict(sorted(sizes.items()))})")
        check(all(set(s) == set(elements) for _, s, _, _ in frames), f"{path}: every cell has {' and '.join(elements)}")
        # The reference's forces are translation invariant: the net force of a cell vanishes (up to the
        # dump's 1e-10 rounding per component).
        worst = max(math.sqrt(sum(sum(f[a][k] for a in range(len(f))) ** 2 for k in range(3)))
                    for _, _, _, f in frames)
        check(worst < 1e-6, f"{path}: net force per cell <= {worst:.1e} eV/A (< 1e-6)")
        finite = all(math.isfinite(float(i["energy"])) and all(math.isfinite(v) for row in f for v in row)
                     for i, _, _, f in frames)
        check(finite, f"{path}: energies and forces finite")
        # Stress sign (ASE: stress = -virial/volume, positive under tension): the 5 % compressed
        # crystal at the lowest temperature pushes outwards (mean normal stress < 0), the 5 %
        # stretched one pulls.
        t_low = min((float(i["t"]) for i, _, _, _ in frames if i.get("variant") == "strain-5"), default=float("nan"))

        def mean_normal(variant):
            v = [sum(stress_of(i)[k] for k in (0, 4, 8)) / 3 for i, _, _, _ in frames
                 if i.get("variant") == variant and float(i.get("t", "nan")) == t_low]
            return sum(v) / len(v) if v else float("nan")
        lo, hi = mean_normal("strain-5"), mean_normal("strain+5")
        check(lo < 0 < hi, f"{path}: mean normal stress at {t_low:g} K: strain-5 {lo:.4f} < 0 < strain+5 {hi:.4f} eV/A^3")
    print(f"data: {passed} passed, {failed} failed")
    return failed == 0


def baseline(train, held):
    """Trivial predictors on HELDOUT: the training set's mean energy per atom for every cell, and
    zero forces. A trained model must beat both by a wide margin."""
    t = read_xyz(train)
    mean = sum(float(i["energy"]) / len(s) for i, s, _, _ in t) / len(t)
    h = read_xyz(held)
    e = [float(i["energy"]) / len(s) - mean for i, s, _, _ in h]
    f = [v for _, _, _, fs in h for row in fs for v in row]
    print(f"{1000 * math.sqrt(sum(x * x for x in e) / len(e)):.3f} {1000 * math.sqrt(sum(x * x for x in f) / len(f)):.3f}")


def stress_rmse(pred, ref):
    p, r = read_xyz(pred), read_xyz(ref)
    if len(p) != len(r):
        sys.exit(f"stress-rmse: {pred} has {len(p)} structures, {ref} {len(r)}")
    d = [a - b for (ip, *_), (ir, *_) in zip(p, r) for a, b in zip(stress_of(ip), stress_of(ir))]
    print(f"{math.sqrt(sum(x * x for x in d) / len(d)):.6e}")


def summary(path):
    c = Counter((i.get("variant", "?"), i.get("t", "?"), len(s)) for i, s, _, _ in read_xyz(path))
    print("| variant | T (K) | atoms | cells |\n| --- | --- | --- | --- |")
    for (v, t, n), k in c.items():
        print(f"| {v} | {t} | {n} | {k} |")


def per_variant(pred, ref):
    p, r = read_xyz(pred), read_xyz(ref)
    if len(p) != len(r):
        sys.exit(f"per-variant: {pred} has {len(p)} structures, {ref} {len(r)}")
    groups = {}
    for (ip, s, _, fp), (ir, _, _, fr) in zip(p, r):
        g = groups.setdefault((ir.get("variant", "?"), ir.get("t", "?")), ([], []))
        g[0].append((float(ip["energy"]) - float(ir["energy"])) / len(s))
        g[1].extend(a - b for rp, rr in zip(fp, fr) for a, b in zip(rp, rr))
    rms = lambda v: math.sqrt(sum(x * x for x in v) / len(v))
    print("| variant | T (K) | cells | E RMSE (meV/atom) | F RMSE (meV/Å) |\n| --- | --- | --- | --- | --- |")
    for (v, t), (e, f) in groups.items():
        print(f"| {v} | {t} | {len(e)} | {1000 * rms(e):.1f} | {1000 * rms(f):.0f} |")


def compare(a, b):
    """Two predictions of the same file (e.g. a JSON model and its n2p2 export) must agree to
    rounding: the export sorts the functions differently, so sums run in another order."""
    p, q = read_xyz(a), read_xyz(b)
    if len(p) != len(q):
        print(f"{a} has {len(p)} structures, {b} {len(q)}")
        return False
    de = max(abs(float(ia["energy"]) - float(ib["energy"])) / len(s) for (ia, s, _, _), (ib, *_) in zip(p, q))
    df = max(abs(x - y) for (*_, fa), (*_, fb) in zip(p, q) for ra, rb in zip(fa, fb) for x, y in zip(ra, rb))
    ds = max(abs(x - y) for (ia, *_), (ib, *_) in zip(p, q) for x, y in zip(stress_of(ia), stress_of(ib)))
    ok = max(de, df, ds) <= 1e-9
    print(f"{len(p)} cells, max |dE| {de:.1e} eV/atom, max |dF| {df:.1e} eV/A, max |dstress| {ds:.1e} eV/A^3 (<= 1e-9)")
    return ok


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "check-data" and len(args) >= 2:
        sys.exit(0 if check_data(args[0].split(","), args[1:]) else 1)
    elif cmd == "baseline" and len(args) == 2:
        baseline(*args)
    elif cmd == "stress-rmse" and len(args) == 2:
        stress_rmse(*args)
    elif cmd == "per-variant" and len(args) == 2:
        per_variant(*args)
    elif cmd == "compare" and len(args) == 2:
        sys.exit(0 if compare(*args) else 1)
    elif cmd == "summary" and len(args) == 1:
        summary(args[0])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
