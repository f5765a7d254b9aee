#!/usr/bin/env python3
"""Total-energy conservation of an NVE run from a LAMMPS log.

Reads the thermo table whose header has `Step` and `TotEng` (and `Time` or a --dt), and prints
`natoms drift_per_atom_per_ps rms_fluct_per_atom max_dev_per_atom` (eV): drift = slope of a
least-squares line through E_tot(t); fluctuation = RMS of E_tot about that line; max_dev =
largest |E_tot(t) - E_tot(0)|.

  nve_energy.py LOG --natoms N --dt DT_PS
"""
import argparse


def main():
    p = argparse.ArgumentParser()
    p.add_argument("log")
    p.add_argument("--natoms", type=int, required=True)
    p.add_argument("--dt", type=float, required=True, help="time step (ps)")
    a = p.parse_args()
    rows, cols, hdr = [], None, None
    for line in open(a.log):
        w = line.split()
        if w and w[0] == "Step" and "TotEng" in w:
            cols = w
            hdr = w
            rows = []
            continue
        if cols and w and len(w) == len(cols):
            try:
                rows.append([float(x) for x in w])
            except ValueError:
                cols = None
        elif cols and w and w[0] == "Loop":
            cols = None
    if not rows:
        raise SystemExit(f"{a.log}: no thermo rows with TotEng")
    s, e = hdr.index("Step"), hdr.index("TotEng")
    t = [r[s] * a.dt for r in rows]
    E = [r[e] for r in rows]
    n = len(t)
    tm, Em = sum(t) / n, sum(E) / n
    sxx = sum((x - tm) ** 2 for x in t)
    slope = sum((x - tm) * (y - Em) for x, y in zip(t, E)) / sxx
    resid = [y - (Em + slope * (x - tm)) for x, y in zip(t, E)]
    rms = (sum(r * r for r in resid) / n) ** 0.5
    maxdev = max(abs(y - E[0]) for y in E)
    N = a.natoms
    print(f"{N} {slope / N:.3e} {rms / N:.3e} {maxdev / N:.3e}")


if __name__ == "__main__":
    main()
