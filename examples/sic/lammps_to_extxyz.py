#!/usr/bin/env python3
"""Joins a LAMMPS custom dump (id type x y z fx fy fz) and the per-step values of a
`fix ave/time` file (step, pe, pxx pyy pzz pxy pxz pyz of the virial-only pressure, bar) into
extended XYZ: energy (eV), forces (eV/Angstrom), stress (eV/Angstrom^3), Lattice, pbc.

Sign convention (ASE): stress = -virial / volume. LAMMPS' virial pressure is +virial / volume
(in bar, units metal), so stress = -p_virial / (bar per eV/Angstrom^3).
Triclinic boxes (xy xz yz tilts) are converted to lattice vectors a, b, c as LAMMPS defines them.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from structure_io import lammps_dump_frames  # noqa: E402  (examples/structure_io.py)

BAR_PER_EV_A3 = 1.602176634e6  # 1 eV/Angstrom^3 = 160.2176634 GPa = 1.602176634e6 bar


def values(path):
    out = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            x = line.split()
            out[int(x[0])] = list(map(float, x[1:]))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dump")
    p.add_argument("values", help="fix ave/time file: step pe pxx pyy pzz pxy pxz pyz (virial only, bar)")
    p.add_argument("--types", default="Si,C", help="element of LAMMPS type 1, 2, ...")
    p.add_argument("--skip", type=int, default=0, help="drop the first N frames")
    p.add_argument("--tag", action="append", default=[], help="extra key=value for the info line")
    a = p.parse_args()
    elements = a.types.split(",")
    vals = values(a.values)
    tags = "".join(" " + t for t in a.tag)
    written = 0
    for n, (step, cell, origin, rows) in enumerate(lammps_dump_frames(a.dump)):
        if n < a.skip:
            continue
        if step not in vals:
            sys.exit(f"{a.dump}: step {step} has no energy/virial line in {a.values}")
        pe, pxx, pyy, pzz, pxy, pxz, pyz = vals[step]
        s = [-v / BAR_PER_EV_A3 for v in (pxx, pxy, pxz, pxy, pyy, pyz, pxz, pyz, pzz)]
        lattice = " ".join(f"{x:.8f}" for v in cell for x in v)
        stress = " ".join(f"{x:.10e}" for x in s)
        out = sys.stdout
        out.write(f"{len(rows)}\n")
        out.write(f'Lattice="{lattice}" Properties=species:S:1:pos:R:3:forces:R:3 energy={pe:.10f} '
                  f'stress="{stress}" pbc="T T T" step={step}{tags}\n')
        for r in rows:
            e = elements[int(r["type"]) - 1]
            x, y, z = (float(r[k]) - o for k, o in zip(("x", "y", "z"), origin))
            out.write(f'{e} {x:.8f} {y:.8f} {z:.8f} {float(r["fx"]):.8f} {float(r["fy"]):.8f} {float(r["fz"]):.8f}\n')
        written += 1
    if written == 0:
        sys.exit(f"{a.dump}: no frames")


if __name__ == "__main__":
    main()
