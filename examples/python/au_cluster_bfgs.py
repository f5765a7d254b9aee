"""Relax an Au cluster with ASE's BFGS on an nnswift gold model.

    python examples/python/au_cluster_bfgs.py [N]      # N = 2..5 (default 5)
Starts from the lowest-energy AuN configuration of the training data (1000 K EAM MD,
examples/gold/data/AuN.xyz) and relaxes it to the network's nearest minimum.
"""

import sys

import numpy as np
from ase.io import read
from ase.optimize import BFGS

from common import REPO, gold_model_path
from nnswift.ase import NNSwiftCalculator

n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
frames = read(REPO / "examples" / "gold" / "data" / f"Au{n}.xyz", index=":")
lowest = min(frames, key=lambda a: a.get_potential_energy())
e_data = lowest.get_potential_energy()
atoms = lowest.copy()           # positions only: a free cluster
atoms.pbc = False
atoms.calc = NNSwiftCalculator(gold_model_path())
e0 = atoms.get_potential_energy()
BFGS(atoms, trajectory="au-cluster-bfgs.traj").run(fmax=1e-4)
d = atoms.get_all_distances()[np.triu_indices(n, 1)]
print(f"Au{n}: lowest training configuration E_EAM {e_data:.5f} eV, E_NN {e0:.5f} eV; "
      f"BFGS minimum E_NN {atoms.get_potential_energy():.5f} eV, max force {np.abs(atoms.get_forces()).max():.1e} eV/A, "
      f"shortest bond {d.min():.3f} A")
atoms.write("au-cluster-min.xyz")
print("minimum written to au-cluster-min.xyz (trajectory au-cluster-bfgs.traj)")
