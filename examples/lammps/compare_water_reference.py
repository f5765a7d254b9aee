#!/usr/bin/env python3
"""Compare water-forces.dump (from in.water-forces) with the n2p2 reference values.

  python3 compare_water_reference.py [DUMP] [REFERENCE] [ENERGY]
ENERGY: the value printed as "ENERGY ..." by in.water-forces (else read from log.lammps).
"""
import re
import sys

dump = sys.argv[1] if len(sys.argv) > 1 else "water-forces.dump"
ref = sys.argv[2] if len(sys.argv) > 2 else "../../../shared/conformance/n2p2-H2O_RPBE-D3/liquid8640.n2p2-reference.txt"
energy = float(sys.argv[3]) if len(sys.argv) > 3 else None
if energy is None:
    try:
        m = re.findall(r"^ENERGY (\S+)", open("log.lammps").read(), re.M)
        energy = float(m[-1]) if m else None
    except OSError:
        pass

eref, fref = None, {}
for line in open(ref):
    t = line.split()
    if not t or t[0].startswith("#"):
        continue
    if t[0] == "energy":
        eref = float(t[1])
    else:
        fref[int(t[0])] = [float(x) for x in t[2:5]]

lines = open(dump).read().splitlines()
start = max(i for i, l in enumerate(lines) if l.startswith("ITEM: ATOMS"))
f = {int(t[0]): [float(x) for x in t[2:5]] for t in (l.split() for l in lines[start + 1:]) if len(t) >= 5}

n = len(fref)
dmax = max(abs(a - b) for i in fref for a, b in zip(f[i], fref[i]))
rms = (sum((a - b) ** 2 for i in fref for a, b in zip(f[i], fref[i])) / (3 * n)) ** 0.5
print(f"atoms {n}; force difference max {dmax:.3e} eV/A, rms {rms:.3e} eV/A")
if energy is not None and eref is not None:
    print(f"energy {energy:.10f} eV, reference {eref:.10f} eV, difference {energy - eref:.3e} eV "
          f"({(energy - eref) / n * 1000:.3e} meV/atom)")
