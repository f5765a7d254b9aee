"""NVE molecular dynamics of liquid water (1080 atoms, n2p2 RPBE-D3 potential) with ASE.

    python examples/python/water_nve.py [STEPS]        # default 100 steps of 0.5 fs
The potential is in Bohr/Hartree; the calculator converts to eV/Angstrom.
"""

import sys
import time

from ase import units
from ase.md import velocitydistribution
from ase.md.verlet import VelocityVerlet
import numpy as np

import nnswift
from common import WATER, read_n2p2, water_model
from nnswift.ase import NNSwiftCalculator

# ASE >= 3.29 renamed MaxwellBoltzmannDistribution to thermalize_momenta
thermalize = getattr(velocitydistribution, "thermalize_momenta", None) or velocitydistribution.MaxwellBoltzmannDistribution
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 100
atoms = read_n2p2(WATER / "liquid1080.input.data", nnswift.unit_factor("bohr", "angstrom"))
atoms.calc = NNSwiftCalculator(water_model())
thermalize(atoms, temperature_K=300, rng=np.random.default_rng(1))
md = VelocityVerlet(atoms, timestep=0.5 * units.fs)
energies = []
md.attach(lambda: energies.append(atoms.get_total_energy()), interval=1)
t = time.perf_counter()
md.run(steps)
t = time.perf_counter() - t
e = np.array(energies) / len(atoms)
print(f"{len(atoms)} atoms, {steps} steps of 0.5 fs in {t:.1f} s ({t / steps * 1e3:.0f} ms/step); "
      f"T = {atoms.get_temperature():.0f} K")
print(f"total energy per atom: first {e[0]:.6f} eV, last {e[-1]:.6f} eV, RMS fluctuation {e.std():.2e} eV, "
      f"max |E - E0| {np.abs(e - e[0]).max():.2e} eV")
