#!/usr/bin/env python3
"""Convert a LAMMPS custom dump (id type x y z fx fy fz c_pea) to extended XYZ.

The total potential energy of a frame is the sum of the per-atom energies (exact for EAM).
Writes energy (eV), forces (eV/Angstrom), Lattice and pbc for an orthorhombic box.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from structure_io import lammps_dump_frames  # noqa: E402  (examples/structure_io.py)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dump")
    p.add_argument("--element", default="Au")
    p.add_argument("--box", type=float, default=None)
    p.add_argument("--skip", type=int, default=0, help="drop the first N frames (initial geometry)")
    p.add_argument("--drop-fragmented", type=float, default=None, metavar="R",
                   help="drop frames whose cluster is not connected at distance R (evaporation)")
    p.add_argument("--tag", action="append", default=[], help="extra key=value for the info line")
    a = p.parse_args()
    out = sys.stdout
    dropped = 0
    for n, (step, cell, _, rows) in enumerate(lammps_dump_frames(a.dump)):
        if n < a.skip:
            continue
        lx, ly, lz = cell[0][0], cell[1][1], cell[2][2]  # orthorhombic box edges
        if a.drop_fragmented is not None and not connected(rows, (lx, ly, lz), a.drop_fragmented):
            dropped += 1
            continue
        tags = "".join(" " + t for t in a.tag)
        energy = sum(float(r["c_pea"]) for r in rows)
        out.write(f"{len(rows)}\n")
        out.write(f'Lattice="{lx:.6f} 0 0 0 {ly:.6f} 0 0 0 {lz:.6f}" Properties=species:S:1:pos:R:3:forces:R:3 '
                  f'energy={energy:.10f} pbc="T T T" step={step}{tags}\n')
        for r in rows:
            out.write(f'{a.element} {float(r["x"]):.10f} {float(r["y"]):.10f} {float(r["z"]):.10f} '
                      f'{float(r["fx"]):.10f} {float(r["fy"]):.10f} {float(r["fz"]):.10f}\n')
    if dropped:
        print(f"{a.dump}: dropped {dropped} fragmented frames", file=sys.stderr)


def connected(rows, box, radius):
    """True when the atoms form one cluster (minimum-image distances <= radius)."""
    pos = [(float(r["x"]), float(r["y"]), float(r["z"])) for r in rows]
    seen, stack = {0}, [0]
    while stack:
        i = stack.pop()
        for j in range(len(pos)):
            if j in seen:
                continue
            d2 = 0.0
            for k in range(3):
                d = pos[i][k] - pos[j][k]
                d -= box[k] * round(d / box[k])
                d2 += d * d
            if d2 <= radius * radius:
                seen.add(j)
                stack.append(j)
    return len(seen) == len(pos)


if __name__ == "__main__":
    main()
