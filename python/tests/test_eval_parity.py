"""Model.compute and the ASE calculator against `nnswift eval` (the CLI's own path, no C API):
energies and forces bit for bit; stress to a few rounding steps of the -W/V division."""

import numpy as np
import pytest

import nnswift
from nnswift.ase import NNSwiftCalculator
from conftest import GOLD_DATA, fcc_gold, read_extxyz, run_cli, write_extxyz


BOHR_HARTREE_FILES = ("--structure-length-unit", "bohr", "--structure-energy-unit", "hartree")


def eval_frames(model_path, structures, tmp_path, *unit_args):
    # eval's output in the model's own units (recorded in the file), full precision
    out = tmp_path / "eval-out.xyz"
    run_cli("eval", model_path, structures, *unit_args, "--write-model-units", "-o", out)
    return read_extxyz(out)


def assert_stress_close(ours, theirs):
    # eval divides by the volume as the core computes it; the calculator does the same arithmetic,
    # so this is bit for bit on the cells used here; allow two rounding steps for other cells.
    scale = np.abs(theirs).max()
    assert np.abs(ours - theirs).max() <= 4e-16 * scale


def check_model(model, frames):
    for f in frames:
        pbc = f["pbc"] if f["cell"] is not None else None
        r = model.compute(f["positions"], f["symbols"], cell=f["cell"], pbc=pbc)
        assert r.energy == f["energy"]                     # bit for bit
        assert np.array_equal(r.forces, f["forces"])
        assert r.atom_energies.shape == (len(f["symbols"]),)
        assert r.atom_virials.shape == (len(f["symbols"]), 3, 3)
        if f["stress"] is not None:
            volume = abs(np.linalg.det(f["cell"]))
            np.testing.assert_allclose(-r.virial / volume, f["stress"], rtol=0, atol=1e-14 * np.abs(f["stress"]).max())


def test_gold_model_bit_for_bit(gold_model, gold_model_path, tmp_path):
    # Au5 frames of the committed data (20 A periodic box) and a rattled fcc cell, both through eval.
    bulk = fcc_gold(repeat=2)
    src = tmp_path / "bulk.xyz"
    write_extxyz(src, [(bulk.get_chemical_symbols(), bulk.positions, np.asarray(bulk.cell), [True] * 3)])
    frames = eval_frames(gold_model_path, src, tmp_path)
    check_model(gold_model, frames)
    frames = eval_frames(gold_model_path, GOLD_DATA / "Au5.xyz", tmp_path)[:10]
    check_model(gold_model, frames)


def test_gold_calculator_bit_for_bit(gold_model, gold_model_path, tmp_path):
    from ase import Atoms
    calc = NNSwiftCalculator(gold_model)
    assert (calc.length_factor, calc.energy_factor) == (1.0, 1.0)   # eV/Angstrom model
    bulk = fcc_gold(repeat=2, seed=3)
    cluster = read_extxyz(GOLD_DATA / "Au4.xyz")[7]
    frames = [(bulk.get_chemical_symbols(), bulk.positions, np.asarray(bulk.cell), [True] * 3),
              (cluster["symbols"], cluster["positions"], None, [False] * 3)]
    src = tmp_path / "gold.xyz"
    write_extxyz(src, frames)
    for (symbols, positions, cell, pbc), ref in zip(frames, eval_frames(gold_model_path, src, tmp_path)):
        atoms = Atoms(symbols, positions=positions, cell=cell, pbc=pbc)
        atoms.calc = calc
        assert atoms.get_potential_energy() == ref["energy"]
        assert np.array_equal(atoms.get_forces(), ref["forces"])
        if ref["stress"] is not None:
            s = ref["stress"]
            assert_stress_close(atoms.get_stress(), np.array([s[0, 0], s[1, 1], s[2, 2], s[1, 2], s[0, 2], s[0, 1]]))
            np.testing.assert_allclose(atoms.get_stresses().sum(axis=0), atoms.get_stress(),
                                       rtol=0, atol=1e-13 * np.abs(s).max())


def test_water_model_bit_for_bit(water_dir, tmp_path):
    # The n2p2 directory in its own units (Bohr, Hartree), all 20 train20 structures.
    model = nnswift.Model.load(water_dir)
    assert set(model.elements) == {"H", "O"}
    frames = eval_frames(water_dir, water_dir / "train20.input.data", tmp_path,
                         "--length-unit", "bohr", "--energy-unit", "hartree", *BOHR_HARTREE_FILES)
    assert len(frames) == 20
    check_model(model, frames)


def test_water_calculator_bit_for_bit(water_json, tmp_path):
    # The calculator in eV/Angstrom on a Bohr/Hartree model: the geometry it hands the library
    # (Angstrom x length factor), evaluated by eval in Bohr, times the unit factors must be
    # exactly what ASE gets.
    from ase import Atoms
    calc = NNSwiftCalculator(nnswift.Model.load(water_json))
    f_len, f_e = calc.length_factor, calc.energy_factor
    # DESIGN.md's factors (1 Angstrom = 1.8897261328 Bohr, 1 eV = 0.0367493254 Hartree).
    np.testing.assert_allclose(f_len, 1.8897261328, rtol=1e-13)
    np.testing.assert_allclose(f_e, 1 / 0.0367493254, rtol=1e-13)
    bohr = read_extxyz(tmp_path_eval(water_json, tmp_path))[:5]
    atoms_list = [Atoms(f["symbols"], positions=f["positions"] / f_len, cell=f["cell"] / f_len, pbc=f["pbc"])
                  for f in bohr]
    src = tmp_path / "water-bohr.xyz"
    write_extxyz(src, [(a.get_chemical_symbols(), a.positions * f_len, np.asarray(a.cell) * f_len, a.pbc)
                       for a in atoms_list])
    force_factor = f_e / nnswift.unit_factor("bohr", "angstrom")
    for atoms, ref in zip(atoms_list, eval_frames(water_json, src, tmp_path, *BOHR_HARTREE_FILES)):
        atoms.calc = calc
        assert atoms.get_potential_energy() == ref["energy"] * f_e
        assert np.array_equal(atoms.get_forces(), ref["forces"] * force_factor)
        s = ref["stress"] * (f_e / nnswift.unit_factor("bohr", "angstrom") ** 3)
        np.testing.assert_allclose(atoms.get_stress(), [s[0, 0], s[1, 1], s[2, 2], s[1, 2], s[0, 2], s[0, 1]],
                                   rtol=0, atol=1e-14 * np.abs(s).max())


def tmp_path_eval(water_json, tmp_path):
    """train20 (Bohr) through eval: the structures with eval's energies and forces."""
    from conftest import WATER
    out = tmp_path / "train20.xyz"
    run_cli("eval", water_json, WATER / "train20.input.data", *BOHR_HARTREE_FILES, "--write-model-units", "-o", out)
    return out
