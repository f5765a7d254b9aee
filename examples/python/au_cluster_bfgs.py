"""Relax an Au cluster with ASE's BFGS on an nnswift gold model.

    python examples/python/au_cluster_bfgs.py [N]      # N atoms (default 6), random start
"""

import sys

import numpy as np
from ase import Atoms
from ase.optimize import BFGS

from common import gold_model_path
from nnswift.ase import NNSwiftCalculator

n = int(sys.argv[1]) if len(sys.argv) > 1 else 6
rng = np.random.default_rng(1)
# A compact random start: points in a sphere, kept at least 2.4 A apart.
positions = []
while len(positions) < n:
    p = rng.uniform(-1, 1, 3) * (1.6 * n ** (1 / 3))
    if all(np.linalg.norm(p - q) > 2.4 for q in positions):
        positions.append(p)
atoms = Atoms(f"Au{n}", positions=positions)
atoms.calc = NNSwiftCalculator(gold_model_path())
e0 = atoms.get_potential_energy()
BFGS(atoms, trajectory="au-cluster-bfgs.traj").run(fmax=1e-4)
d = atoms.get_all_distances()[np.triu_indices(n, 1)]
print(f"Au{n}: E {e0:.6f} -> {atoms.get_potential_energy():.6f} eV, max force "
      f"{np.abs(atoms.get_forces()).max():.1e} eV/A, nearest-neighbour distance {d.min():.3f} A")
atoms.write("au-cluster-min.xyz")
print("minimum written to au-cluster-min.xyz (trajectory au-cluster-bfgs.traj)")
