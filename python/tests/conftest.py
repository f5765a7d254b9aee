"""Shared fixtures: the nnswift CLI (the independent reference), a small gold model trained from the
committed Au2-Au5 data, and the n2p2 water potential of ../shared (tests skip without it)."""

import json
import os
import re
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from nnswift_pytest import run_command, write_stage_summary  # noqa: E402

WATER = Path(os.environ.get("NNSWIFT_WATER", REPO.parent / "shared" / "conformance" / "n2p2-H2O_RPBE-D3"))
GOLD_DATA = REPO / "examples" / "gold" / "data"


def cli_path():
    """The nnswift command-line tool: NNSWIFT_CLI, else build/bin/nnswift (scripts/build.sh)."""
    return Path(os.environ.get("NNSWIFT_CLI", REPO / "build" / "bin" / "nnswift"))


def run_cli(*args, check=True):
    cli = cli_path()
    if not cli.is_file():
        pytest.skip(f"{cli} not found (run scripts/build.sh or set NNSWIFT_CLI)")
    return run_command([cli, *args], 0 if check else None, timeout=None)


def write_extxyz(path, frames):
    """Extended XYZ with shortest round-trip floats (repr), so the CLI reads exactly these numbers.
    frames: list of (symbols, positions, cell or None, pbc)."""
    with open(path, "w") as f:
        for symbols, positions, cell, pbc in frames:
            f.write(f"{len(symbols)}\n")
            head = ""
            if cell is not None:
                head += 'Lattice="' + " ".join(repr(float(v)) for v in np.asarray(cell).ravel()) + '" '
            head += "Properties=species:S:1:pos:R:3 pbc=\"" + " ".join("T" if p else "F" for p in pbc) + '"'
            f.write(head + "\n")
            for s, r in zip(symbols, np.asarray(positions)):
                f.write(f"{s} {float(r[0])!r} {float(r[1])!r} {float(r[2])!r}\n")


def _comment_value(comment, key):
    m = re.search(rf'(?:^|\s){key}=("([^"]*)"|(\S+))', comment)
    if not m:
        return None
    return m.group(2) if m.group(2) is not None else m.group(3)


def read_extxyz(path):
    """Frames of an extended XYZ file written by nnswift (species, pos, forces columns) as dicts:
    symbols, positions, forces, cell, pbc, energy, stress (3x3). Every number parsed by float()."""
    frames = []
    lines = Path(path).read_text().splitlines()
    k = 0
    while k < len(lines):
        if not lines[k].strip():
            k += 1
            continue
        n = int(lines[k])
        comment = lines[k + 1]
        props = _comment_value(comment, "Properties").split(":")
        names = props[0::3]
        widths = [int(w) for w in props[2::3]]
        columns = {}
        start = 0
        for name, w in zip(names, widths):
            columns[name] = (start, start + w)
            start += w
        rows = [lines[k + 2 + i].split() for i in range(n)]
        a, b = columns["pos"]
        frame = {"symbols": [r[columns["species"][0]] for r in rows],
                 "positions": np.array([[float(v) for v in r[a:b]] for r in rows])}
        if "forces" in columns:
            a, b = columns["forces"]
            frame["forces"] = np.array([[float(v) for v in r[a:b]] for r in rows])
        lattice = _comment_value(comment, "Lattice")
        frame["cell"] = None if lattice is None else np.array([float(v) for v in lattice.split()]).reshape(3, 3)
        pbc = _comment_value(comment, "pbc")
        frame["pbc"] = [v == "T" for v in pbc.split()] if pbc else [False] * 3
        energy = _comment_value(comment, "energy")
        frame["energy"] = None if energy is None else float(energy)
        stress = _comment_value(comment, "stress")
        frame["stress"] = None if stress is None else np.array([float(v) for v in stress.split()]).reshape(3, 3)
        frames.append(frame)
        k += 2 + n
    return frames


# A small 10-10 network with the radial-angular preset on the committed EAM data (Au2-Au5 clusters
# and 32-atom fcc cells, examples/gold/data): a smooth gold potential with an fcc minimum near the
# EAM lattice constant (the tests check consistency with the CLI, finite differences and ASE, not
# accuracy). Trained once per test session: ~15 s of CPU.
GOLD_TRAINING = {
    "validationFraction": 0.1,
    "outlierSigma": 2,
    "architecture": "10t-10t",
    "symmetryFunctions": {"preset": "radial-angular", "cutoff": 6.0, "rmin": 2.0},
    "scaling": "scalesigma",
    "optimizer": {"name": "lbfgs", "learningRate": 0.5},
    "epochs": 150,
    "forceWeight": 0.1,
    "seed": 1,
}


@pytest.fixture(scope="session")
def gold_model_path(tmp_path_factory):
    given = os.environ.get("NNSWIFT_GOLD_MODEL")
    if given:
        return Path(given)
    d = tmp_path_factory.mktemp("gold")
    config = dict(GOLD_TRAINING, data=[str(GOLD_DATA / f"Au{n}.xyz") for n in (2, 3, 4, 5)] + [str(GOLD_DATA / "fcc32.xyz")],
                  output=str(d / "gold-model.json"), log=str(d / "training.csv"))
    (d / "train.json").write_text(json.dumps(config, indent=1))
    run_cli("train", d / "train.json", "--quiet")
    return d / "gold-model.json"


@pytest.fixture(scope="session")
def gold_model(gold_model_path):
    import nnswift
    return nnswift.Model.load(gold_model_path)


@pytest.fixture(scope="session")
def water_dir():
    if not (WATER / "input.nn").is_file():
        pytest.skip(f"n2p2 water potential not found at {WATER} (the shared conformance data)")
    return WATER


@pytest.fixture(scope="session")
def water_json(water_dir, tmp_path_factory):
    """The water potential as a native model that records its units (Bohr, Hartree)."""
    path = tmp_path_factory.mktemp("water") / "water.json"
    run_cli("convert", water_dir, path, "--length-unit", "bohr", "--energy-unit", "hartree")
    return path


def fcc_gold(repeat=2, a=4.08, rattle=0.05, seed=1, strain=None):
    """Bulk fcc gold (conventional cubic cells), rattled; returns an ase.Atoms."""
    from ase.build import bulk
    atoms = bulk("Au", "fcc", a=a, cubic=True).repeat(repeat)
    if strain is not None:
        atoms.set_cell(np.asarray(atoms.cell) @ (np.eye(3) + strain), scale_atoms=True)
    atoms.rattle(rattle, seed=seed)
    return atoms


def pytest_terminal_summary(terminalreporter):
    """A plain 'python: N passed, M failed, K skipped' line for scripts/test.sh's stage summary."""
    write_stage_summary(terminalreporter, "python")
