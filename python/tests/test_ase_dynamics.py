"""The calculator driving ASE: NVE energy conservation (dt^2), BFGS against `nnswift minimize`,
cell relaxation with a filter, Langevin and FIRE, and ase.io round trips."""

import numpy as np

from nnswift.ase import NNSwiftCalculator
from conftest import GOLD_DATA, fcc_gold, read_extxyz, run_cli, write_extxyz


def nve_fluctuation(model, dt_fs, duration_fs):
    """RMS deviation of the total energy (eV/atom) from its mean over an NVE run of bulk gold."""
    from ase import units
    from ase.md import velocitydistribution
    from ase.md.verlet import VelocityVerlet
    # ASE >= 3.29 renamed MaxwellBoltzmannDistribution to thermalize_momenta
    thermalize = getattr(velocitydistribution, "thermalize_momenta", None) or velocitydistribution.MaxwellBoltzmannDistribution
    atoms = fcc_gold(repeat=2, rattle=0.0)
    atoms.calc = NNSwiftCalculator(model)
    thermalize(atoms, temperature_K=300, rng=np.random.default_rng(7))
    md = VelocityVerlet(atoms, timestep=dt_fs * units.fs)
    energies = []
    md.attach(lambda: energies.append(atoms.get_total_energy()), interval=1)
    md.run(int(round(duration_fs / dt_fs)))
    e = np.array(energies) / len(atoms)
    return np.sqrt(np.mean((e - e.mean()) ** 2))


def test_nve_energy_fluctuation_scales_with_dt_squared(gold_model):
    small = nve_fluctuation(gold_model, 1.0, 200.0)
    large = nve_fluctuation(gold_model, 2.0, 200.0)
    print(f"NVE fluctuation: dt=1 fs {small:.3e}, dt=2 fs {large:.3e} eV/atom, ratio {large / small:.3f}")
    assert 3.5 < large / small < 4.5, (small, large)


def test_bfgs_reaches_the_minimum_of_nnswift_minimize(gold_model, gold_model_path, tmp_path):
    from ase import Atoms
    from ase.optimize import BFGS
    start = read_extxyz(GOLD_DATA / "Au5.xyz")[0]
    src = tmp_path / "au5-start.xyz"
    write_extxyz(src, [(start["symbols"], start["positions"], None, [False] * 3)])
    run_cli("minimize", gold_model_path, src, "--fmax", "1e-6", "--steps", "5000", "--quiet", "-o", tmp_path / "min.xyz")
    e_cli = read_extxyz(tmp_path / "min.xyz")[0]["energy"]
    atoms = Atoms(start["symbols"], positions=start["positions"])
    atoms.calc = NNSwiftCalculator(gold_model)
    assert BFGS(atoms, logfile=None).run(fmax=1e-5, steps=2000)
    print(f"Au5 minimum: nnswift minimize {e_cli:.9f} eV, ASE BFGS {atoms.get_potential_energy():.9f} eV")
    assert abs(atoms.get_potential_energy() - e_cli) < 1e-6


def test_cell_relaxation_with_a_filter(gold_model):
    from ase.filters import FrechetCellFilter
    from ase.optimize import BFGS
    atoms = fcc_gold(repeat=1, rattle=0.02, seed=5, strain=0.03 * np.eye(3))
    atoms.calc = NNSwiftCalculator(gold_model)
    e0 = atoms.get_potential_energy()
    assert BFGS(FrechetCellFilter(atoms), logfile=None).run(fmax=1e-4, steps=500)
    assert atoms.get_potential_energy() < e0
    # converged: stress x volume (the filter's cell "force") and atomic forces below fmax
    assert np.abs(atoms.get_stress()).max() * atoms.get_volume() < 1e-4 * len(atoms)
    assert np.abs(atoms.get_forces()).max() < 1e-4


def test_fire_relaxes_a_cluster(gold_model):
    from ase import Atoms
    from ase.optimize import FIRE
    start = read_extxyz(GOLD_DATA / "Au4.xyz")[0]
    atoms = Atoms(start["symbols"], positions=start["positions"])
    atoms.calc = NNSwiftCalculator(gold_model)
    e0 = atoms.get_potential_energy()
    assert FIRE(atoms, logfile=None).run(fmax=1e-4, steps=3000)
    assert atoms.get_potential_energy() < e0 and np.abs(atoms.get_forces()).max() < 1e-4


def test_langevin_runs(gold_model):
    from ase import units
    from ase.md.langevin import Langevin
    atoms = fcc_gold(repeat=2, rattle=0.0)
    atoms.calc = NNSwiftCalculator(gold_model)
    md = Langevin(atoms, timestep=4 * units.fs, temperature_K=500, friction=0.05 / units.fs, fixcm=False, rng=np.random.default_rng(3))
    md.run(40)
    assert 0 < atoms.get_temperature() < 2000 and np.isfinite(atoms.get_potential_energy())


def test_ase_io_roundtrip(gold_model, tmp_path):
    from ase.io import read, write
    atoms = fcc_gold(repeat=1, seed=6)
    atoms.calc = NNSwiftCalculator(gold_model)
    e, f = atoms.get_potential_energy(), atoms.get_forces()
    write(tmp_path / "a.extxyz", atoms)
    back = read(tmp_path / "a.extxyz")
    assert back.get_potential_energy() == e
    np.testing.assert_allclose(back.get_forces(), f, rtol=0, atol=1e-8)      # ase.io writes forces rounded
    back.calc = NNSwiftCalculator(gold_model)
    np.testing.assert_allclose(back.get_potential_energy(), e, rtol=1e-6)   # positions written rounded


def test_2d_cell_slab(gold_model):
    # An ASE 2D cell (zero c vector, pbc along a and b only) gives the same energy as the same slab
    # in a 3D cell with vacuum.
    from ase.build import fcc111
    slab = fcc111("Au", size=(2, 2, 3), a=4.08, vacuum=None, periodic=False)
    slab.pbc = [True, True, False]
    slab.cell[2] = 0
    assert slab.cell.rank == 2
    slab.calc = NNSwiftCalculator(gold_model)
    e2d = slab.get_potential_energy()
    boxed = slab.copy()
    boxed.cell[2] = [0, 0, 40.0]
    boxed.calc = NNSwiftCalculator(gold_model)
    np.testing.assert_allclose(e2d, boxed.get_potential_energy(), rtol=1e-13)
