#!/usr/bin/env python3
"""Compares energy and forces of a program's output with nnswift eval's extended XYZ predictions.

  compare.py PREDICTIONS.xyz KIND OUTPUT [--exact | --rtol X]

KIND is "example" (the C/Fortran water_energy output: "energy: E" then "forces:" lines
"i El fx fy fz") or "forcecheck" (nnswift-forcecheck: "energy: E" and rows
"i El fa  analytic  numeric  error"). Prints the largest relative differences; exits 1 if the
numbers are not bit-identical (--exact, the default) or differ by more than X relative.
"""
import math
import re
import sys

pred, kind, output = sys.argv[1:4]
exact = "--rtol" not in sys.argv
rtol = float(sys.argv[sys.argv.index("--rtol") + 1]) if not exact else 0.0

lines = open(pred).read().splitlines()
n = int(lines[0])
comment = lines[1]
props = re.search(r"Properties=(\S+)", comment).group(1).split(":")
col, cols = 0, {}
for name, typ, width in zip(props[0::3], props[1::3], props[2::3]):
    cols[name] = col
    col += int(width)
ref_e = float(re.search(r"\benergy=(\S+)", comment).group(1))
fc = cols["forces"]
ref_f = [[float(x) for x in l.split()[fc:fc + 3]] for l in lines[2:2 + n]]

text = open(output).read().splitlines()
energy = None
forces = [[None] * 3 for _ in range(n)]
in_forces = False
for l in text:
    f = l.split()
    if l.startswith("energy:"):
        energy = float(f[1].replace("E", "e"))
    elif kind == "example":
        if l.startswith("forces:"):
            in_forces = True
        elif in_forces and len(f) == 5 and f[0].isdigit():
            forces[int(f[0]) - 1] = [float(x.replace("E", "e")) for x in f[2:5]]
        else:
            in_forces = False
    elif kind == "forcecheck" and len(f) == 6 and f[0].isdigit() and f[2] in ("fx", "fy", "fz"):
        forces[int(f[0]) - 1]["xyz".index(f[2][1])] = float(f[3])

if energy is None or any(v is None for r in forces for v in r):
    print("compare: %s: energy or forces missing" % output)
    sys.exit(1)

scale = max(abs(v) for r in ref_f for v in r)
de = abs(energy - ref_e) / abs(ref_e)
df = max(abs(a - b) for r, s in zip(forces, ref_f) for a, b in zip(r, s)) / scale
same = energy == ref_e and all(a == b for r, s in zip(forces, ref_f) for a, b in zip(r, s))
print("compare: %s: %d atoms, energy rel diff %.2e, force max diff / max |F| %.2e, bit-identical: %s"
      % (output.split("/")[-1], n, de, df, "yes" if same else "no"))
ok = same if exact else (de <= rtol and df <= rtol)
sys.exit(0 if ok else 1)
