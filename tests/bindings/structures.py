#!/usr/bin/env python3
"""Test structures for scripts/test-bindings.sh, written as simple XYZ files.

  structures.py INPUT.DATA OUTDIR

OUTDIR/periodic.xyz: the first structure of an n2p2 input.data file with its cell (coordinates
copied as text, so every reader sees the same doubles).
OUTDIR/cluster.xyz: a cell-less cluster of 4 water molecules (12 atoms) cut from it: the first
O-H-H molecule and the 3 molecules whose O is nearest (minimum image), unwrapped around the
first O.
"""
import sys

lattice, atoms = [], []
for line in open(sys.argv[1]):
    f = line.split()
    if not f:
        continue
    if f[0] == "end":
        break
    if f[0] == "lattice":
        lattice.append(f[1:4])
    elif f[0] == "atom":
        atoms.append((f[4], f[1], f[2], f[3]))
out = sys.argv[2]
with open(out + "/periodic.xyz", "w") as o:
    o.write("%d\n" % len(atoms))
    o.write('Lattice="%s" Properties=species:S:1:pos:R:3 pbc="T T T"\n' % " ".join(x for v in lattice for x in v))
    for a in atoms:
        o.write(" ".join(a) + "\n")

cell = [[float(x) for x in v] for v in lattice]
assert all(cell[i][j] == 0 for i in range(3) for j in range(3) if i != j), "orthorhombic cell expected"
box = [cell[i][i] for i in range(3)]
pos = [[float(x) for x in a[1:]] for a in atoms]
els = [a[0] for a in atoms]


def image(r, center):
    return [r[k] - box[k] * round((r[k] - center[k]) / box[k]) for k in range(3)]


oxygens = [i for i, e in enumerate(els) if e == "O" and els[i + 1:i + 3] == ["H", "H"]]
center = pos[oxygens[0]]
near = sorted(oxygens[1:], key=lambda i: sum((a - b) ** 2 for a, b in zip(image(pos[i], center), center)))[:3]
picked = [j for i in [oxygens[0]] + near for j in (i, i + 1, i + 2)]
with open(out + "/cluster.xyz", "w") as o:
    o.write("%d\n4 water molecules cut from %s\n" % (len(picked), sys.argv[1]))
    for j in picked:
        r = image(pos[j], center)
        o.write("%s %.12f %.12f %.12f\n" % (els[j], r[0], r[1], r[2]))
