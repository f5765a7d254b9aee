"""Forces and stress of the ASE calculator against central finite differences of its energy."""

import numpy as np
import pytest

from nnswift.ase import NNSwiftCalculator
from conftest import GOLD_DATA, fcc_gold, read_extxyz


def finite_difference_forces(atoms, h):
    f = np.zeros((len(atoms), 3))
    x0 = atoms.positions.copy()
    for i in range(len(atoms)):
        for a in range(3):
            e = []
            for s in (h, -h):
                x = x0.copy()
                x[i, a] += s
                atoms.positions = x
                e.append(atoms.get_potential_energy())
            f[i, a] = -(e[0] - e[1]) / (2 * h)
    atoms.positions = x0
    return f


def finite_difference_stress(atoms, h):
    """(1/V) dE/d(eps) for symmetric strains eps, cell and atoms deformed together (Voigt order)."""
    cell0 = np.asarray(atoms.cell).copy()
    x0 = atoms.positions.copy()
    volume = atoms.get_volume()
    out = []
    for i, j in [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)]:
        e = []
        for s in (h, -h):
            eps = np.zeros((3, 3))
            eps[i, j] += s / 2 if i != j else s
            eps[j, i] += s / 2 if i != j else 0
            deform = np.eye(3) + eps
            atoms.set_cell(cell0 @ deform, scale_atoms=False)
            atoms.positions = x0 @ deform
            e.append(atoms.get_potential_energy())
        out.append((e[0] - e[1]) / (2 * h) / volume)
    atoms.set_cell(cell0)
    atoms.positions = x0
    return np.array(out)


def relative_error(analytic, numeric):
    return np.abs(analytic - numeric).max() / np.abs(analytic).max()


def test_forces_bulk_gold(gold_model):
    atoms = fcc_gold(repeat=1, rattle=0.1, seed=2)          # 4 atoms, cell smaller than 2 cutoffs
    atoms.calc = NNSwiftCalculator(gold_model)
    forces = atoms.get_forces()
    assert relative_error(forces, finite_difference_forces(atoms, 1e-4)) < 1e-6


def test_forces_cluster(gold_model):
    f = read_extxyz(GOLD_DATA / "Au5.xyz")[3]
    from ase import Atoms
    atoms = Atoms(f["symbols"], positions=f["positions"])    # free cluster
    atoms.calc = NNSwiftCalculator(gold_model)
    forces = atoms.get_forces()
    assert relative_error(forces, finite_difference_forces(atoms, 1e-4)) < 1e-6


def test_stress_triclinic_gold(gold_model):
    strain = np.array([[0.02, 0.01, -0.015], [0.0, -0.01, 0.02], [0.01, 0.0, 0.03]])
    atoms = fcc_gold(repeat=1, rattle=0.1, seed=4, strain=strain)
    atoms.calc = NNSwiftCalculator(gold_model)
    stress = atoms.get_stress()
    assert relative_error(stress, finite_difference_stress(atoms, 1e-5)) < 1e-6
    np.testing.assert_allclose(atoms.get_stresses().sum(axis=0), stress, rtol=0, atol=1e-12 * np.abs(stress).max())


def test_water_forces_and_stress(water_json):
    # One water molecule's worth of coordinates is enough to exercise the unit conversion
    # (Bohr/Hartree model, eV/Angstrom calculator): a small periodic box of 2 molecules.
    from ase import Atoms
    atoms = Atoms("OH2OH2", positions=[[0.0, 0.0, 0.0], [0.96, 0.0, 0.0], [-0.24, 0.93, 0.0],
                                       [2.9, 0.2, 0.1], [3.4, 0.9, 0.5], [3.2, -0.7, 0.3]],
                  cell=[[5.4, 0.2, 0.0], [0.0, 5.1, 0.3], [0.1, 0.0, 5.6]], pbc=True)
    atoms.calc = NNSwiftCalculator(water_json)
    assert relative_error(atoms.get_forces(), finite_difference_forces(atoms, 1e-4)) < 1e-6
    assert relative_error(atoms.get_stress(), finite_difference_stress(atoms, 1e-5)) < 1e-6
