#!/usr/bin/env python3
"""Close contacts for the repulsive wall: in every frame of a LAMMPS custom dump (orthogonal
box, columns id type x y z ...), one atom and its nearest neighbour of a given type are moved
symmetrically along their bond to a distance below the shortest ones the liquid's MD reaches.
Frame k uses the pair of LAMMPS types 1-1, 1-2, 2-2 (k mod 3) and the distance f * D with f
uniform in [0.75, 0.95] and D from --distances (SiC: 1.9, 1.5, 1.25 Angstrom, about the 4500 K
liquid's shortest Si-Si, Si-C, C-C contacts). Writes a dump with columns id type x y z, same
steps, for LAMMPS `rerun` (the reference's energies, forces and virial of the moved
configurations). Standard library only.

  close_pairs.py IN.dump OUT.dump --seed N --distances D11,D12,D22
"""
import argparse
import math
import random

PAIR_TYPES = ((1, 1), (1, 2), (2, 2))   # LAMMPS types of the pair moved in frames k = 0, 1, 2 (mod 3)


def frames(path):
    lines = open(path).read().splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].startswith("ITEM: TIMESTEP"):
            i += 1
            continue
        n = int(lines[i + 3])
        yield lines[i:i + 9], lines[i + 9:i + 9 + n]
        i += 9 + n


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dump")
    p.add_argument("out")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--distances", required=True, help="D of the pairs 1-1, 1-2, 2-2 (Angstrom), comma-separated")
    a = p.parse_args()
    dists = [float(d) for d in a.distances.split(",")]
    if len(dists) != 3 or not all(d > 0 for d in dists):
        raise SystemExit(f"close_pairs.py: --distances needs three positive distances, got {a.distances!r}")
    rng = random.Random(a.seed)
    with open(a.out, "w") as out:
        for k, (head, rows) in enumerate(frames(a.dump)):
            if "xy" in head[4]:
                raise SystemExit(f"{a.dump}: triclinic box; close_pairs.py handles orthogonal boxes")
            box = [tuple(map(float, head[5 + d].split()[:2])) for d in range(3)]
            length = [hi - lo for lo, hi in box]
            cols = head[8].split()[2:]
            ix, it = cols.index("x"), cols.index("type")
            atoms = [(r.split()[0], int(r.split()[it]), [float(v) for v in r.split()[ix:ix + 3]]) for r in rows]
            (ti, tj), dref = PAIR_TYPES[k % 3], dists[k % 3]
            i = rng.choice([n for n, at in enumerate(atoms) if at[1] == ti])

            def vec(n):   # minimum-image vector from atom i to atom n
                return [(atoms[n][2][d] - atoms[i][2][d]) - length[d] * round((atoms[n][2][d] - atoms[i][2][d]) / length[d])
                        for d in range(3)]
            j = min((n for n, at in enumerate(atoms) if at[1] == tj and n != i), key=lambda n: math.dist(vec(n), (0, 0, 0)))
            v = vec(j)
            r = math.dist(v, (0, 0, 0))
            shift = 0.5 * (r - rng.uniform(0.75, 0.95) * dref) / r
            for d in range(3):
                atoms[i][2][d] += shift * v[d]
                atoms[j][2][d] -= shift * v[d]
            out.write("\n".join(head[:8]) + "\nITEM: ATOMS id type x y z\n")
            for aid, t, x in atoms:
                out.write(f"{aid} {t} {x[0]:.10f} {x[1]:.10f} {x[2]:.10f}\n")


if __name__ == "__main__":
    main()
