"""Helpers shared by the examples: where the models and data are."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
WATER = REPO.parent / "shared" / "conformance" / "n2p2-H2O_RPBE-D3"


def gold_model_path():
    """A trained gold model: $NNSWIFT_GOLD_MODEL, else examples/training/gold-bulk-model.json
    (Au2-Au5 clusters and fcc bulk, EAM data)."""
    path = Path(os.environ.get("NNSWIFT_GOLD_MODEL", REPO / "examples" / "training" / "gold-bulk-model.json"))
    if not path.is_file():
        sys.exit(f"{path} not found: train it first (a few minutes on 2 cores):\n"
                 f"  cd {REPO / 'examples' / 'training'} && ../../build/bin/nnswift train gold-bulk.json\n"
                 "or set NNSWIFT_GOLD_MODEL to a gold model")
    return path


def water_model():
    """The n2p2 RPBE-D3 water potential (Bohr, Hartree) of ../shared as an nnswift.Model."""
    import nnswift
    if not (WATER / "input.nn").is_file():
        sys.exit(f"{WATER} not found: the water example needs n2p2's published RPBE-D3 water potential there")
    try:
        return nnswift.Model.load(WATER, units=("bohr", "hartree"))
    except nnswift.NNSwiftError:
        # Older libnnswift without nnswift_model_load_with_units: a native copy that records the units.
        out = REPO / "build" / "water-bohr-hartree.json"
        if not out.is_file():
            subprocess.run([str(REPO / "build" / "bin" / "nnswift"), "convert", str(WATER), str(out),
                            "--length-unit", "bohr", "--energy-unit", "hartree"], check=True, stdout=subprocess.DEVNULL)
        return nnswift.Model.load(out)


def read_n2p2(path, length_factor):
    """First structure of an n2p2 input.data file as ase.Atoms, lengths multiplied by length_factor."""
    from ase import Atoms
    cell, symbols, positions = [], [], []
    for line in Path(path).read_text().splitlines():
        f = line.split()
        if not f:
            continue
        if f[0] == "lattice":
            cell.append([float(v) for v in f[1:4]])
        elif f[0] == "atom":
            positions.append([float(v) for v in f[1:4]])
            symbols.append(f[4])
        elif f[0] == "end":
            break
    return Atoms(symbols, positions=np.array(positions) * length_factor,
                 cell=np.array(cell) * length_factor if cell else None, pbc=len(cell) == 3)
