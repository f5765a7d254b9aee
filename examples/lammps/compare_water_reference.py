#!/usr/bin/env python3
"""Compare water-forces.dump (from in.water-forces) with the n2p2 reference values.

  python3 compare_water_reference.py [DUMP] [REFERENCE] [ENERGY]
ENERGY: the value printed as "ENERGY ..." by in.water-forces (else read from log.lammps).
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from structure_io import last_dump_values, read_water_reference  # noqa: E402  (examples/structure_io.py)

dump = sys.argv[1] if len(sys.argv) > 1 else "water-forces.dump"
ref = sys.argv[2] if len(sys.argv) > 2 else "../../../shared/conformance/n2p2-H2O_RPBE-D3/liquid8640.n2p2-reference.txt"
energy = float(sys.argv[3]) if len(sys.argv) > 3 else None
if energy is None:
    try:
        m = re.findall(r"^ENERGY (\S+)", open("log.lammps").read(), re.M)
        energy = float(m[-1]) if m else None
    except OSError:
        pass

eref, fref = read_water_reference(ref)
f = last_dump_values(dump)  # id -> fx fy fz

n = len(fref)
dmax = max(abs(a - b) for i in fref for a, b in zip(f[i], fref[i]))
rms = (sum((a - b) ** 2 for i in fref for a, b in zip(f[i], fref[i])) / (3 * n)) ** 0.5
print(f"atoms {n}; force difference max {dmax:.3e} eV/A, rms {rms:.3e} eV/A")
if energy is not None and eref is not None:
    print(f"energy {energy:.10f} eV, reference {eref:.10f} eV, difference {energy - eref:.3e} eV "
          f"({(energy - eref) / n * 1000:.3e} meV/atom)")
