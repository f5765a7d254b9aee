"""Model properties, errors carrying the C API's message, threads, descriptors."""

import threading

import numpy as np
import pytest

import nnswift
from conftest import GOLD_DATA, fcc_gold, read_extxyz, run_cli, write_extxyz


def test_properties(gold_model):
    assert gold_model.elements == ("Au",)
    assert gold_model.cutoff == 6.0
    assert gold_model.units == ("angstrom", "eV")


def test_one_version_everywhere():
    # The library, the command line and the Python package report the same release.
    assert nnswift.library_version() == nnswift.__version__
    assert run_cli("--version").stdout.strip() == nnswift.__version__


def cli_error(*args):
    p = run_cli(*args, check=False)
    assert p.returncode != 0
    return p.stderr.strip().removeprefix("nnswift: error: ")


def test_bad_path_raises_the_library_message(tmp_path):
    missing = tmp_path / "no-such-model.json"
    with pytest.raises(nnswift.NNSwiftError) as e:
        nnswift.Model.load(missing)
    assert e.value.status == 2                                   # NNSWIFT_ERROR_IO
    assert str(missing) in e.value.message
    assert e.value.message == cli_error("info", missing)        # the same text the CLI prints


def test_unknown_symbol_and_overlapping_atoms(gold_model, gold_model_path, tmp_path):
    x = np.array([[0.0, 0, 0], [2.5, 0, 0]])
    with pytest.raises(nnswift.NNSwiftError) as e:
        gold_model.compute(x, ["Au", "Ag"])
    assert e.value.status == 4 and "Ag" in e.value.message
    src = tmp_path / "ag.xyz"
    write_extxyz(src, [(["Au", "Ag"], x, None, [False] * 3)])
    assert e.value.message in cli_error("eval", gold_model_path, src)

    overlap = np.array([[0.0, 0, 0], [0.0, 0, 1e-9]])
    with pytest.raises(nnswift.NNSwiftError) as e:
        gold_model.compute(overlap, ["Au", "Au"])
    assert e.value.status == 5 and "overlap" in e.value.message
    write_extxyz(src, [(["Au", "Au"], overlap, None, [False] * 3)])
    assert e.value.message in cli_error("eval", gold_model_path, src)

    from ase import Atoms
    from nnswift.ase import NNSwiftCalculator
    atoms = Atoms("AuCu", positions=x)
    atoms.calc = NNSwiftCalculator(gold_model)
    with pytest.raises(nnswift.NNSwiftError, match="Cu"):
        atoms.get_potential_energy()


def test_input_validation(gold_model):
    with pytest.raises(nnswift.NNSwiftError, match="shape"):
        gold_model.compute(np.zeros((2, 2)), ["Au", "Au"])
    with pytest.raises(nnswift.NNSwiftError, match="2 positions but 3"):
        gold_model.compute(np.zeros((2, 3)), ["Au"] * 3)
    with pytest.raises(nnswift.NNSwiftError) as e:   # NaN: the library's check and message
        gold_model.compute(np.array([[0.0, 0, 0], [np.nan, 0, 0]]), ["Au", "Au"])
    assert e.value.status == 1 and "atom 2" in e.value.message
    with pytest.raises(nnswift.NNSwiftError) as e:
        gold_model.compute(np.zeros((1, 3)), species=[3])
    assert e.value.status == 4
    with pytest.raises(nnswift.NNSwiftError, match="need a cell"):
        gold_model.compute(np.zeros((1, 3)), ["Au"], pbc=True)


def test_units_given_to_an_n2p2_directory(water_dir):
    m = nnswift.Model.load(water_dir, units=("Bohr", "Ha"))
    assert m.units == ("bohr", "hartree")  # the library's canonical spellings


def test_four_threads_give_identical_results(gold_model):
    structures = [fcc_gold(repeat=2, rattle=0.05, seed=s) for s in range(8)]
    serial = [gold_model.compute(a.positions, a.get_chemical_symbols(), cell=a.cell[:]) for a in structures]
    results = {}

    def work(t):
        for rep in range(3):
            for k, a in enumerate(structures):
                results[(t, rep, k)] = gold_model.compute(a.positions, a.get_chemical_symbols(), cell=a.cell[:])

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 * 3 * len(structures)
    for (t, rep, k), r in results.items():
        s = serial[k]
        assert r.energy == s.energy and np.array_equal(r.forces, s.forces) and np.array_equal(r.virial, s.virial)
        assert np.array_equal(r.atom_virials, s.atom_virials)


def test_errors_are_per_thread(gold_model):
    # A failing call on one thread while others succeed: each sees its own message.
    good = fcc_gold(repeat=1)
    messages, energies = [], []

    def bad():
        for _ in range(50):
            try:
                gold_model.compute(np.zeros((2, 3)), ["Au", "Au"])
            except nnswift.NNSwiftError as e:
                messages.append(e.message)

    def ok():
        for _ in range(50):
            energies.append(gold_model.compute(good.positions, good.get_chemical_symbols(), cell=good.cell[:]).energy)

    threads = [threading.Thread(target=f) for f in (bad, ok, bad, ok)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(messages) == 100 and all("overlap" in m for m in messages)
    assert len(set(energies)) == 1 and len(energies) == 100


def test_descriptors_match_the_cli(gold_model, gold_model_path, tmp_path):
    frames = read_extxyz(GOLD_DATA / "Au4.xyz")[:3]
    src = tmp_path / "au4.xyz"
    write_extxyz(src, [(f["symbols"], f["positions"], None, [False] * 3) for f in frames])
    run_cli("descriptors", gold_model_path, src, "-o", tmp_path / "G.txt")
    rows = [line.split() for line in (tmp_path / "G.txt").read_text().splitlines() if not line.startswith("#")]
    names = gold_model.descriptor_names("Au")
    assert len(names) == len(rows[0]) - 3 and len(set(names)) == len(names)
    assert names[0].startswith("G") and "rc=6" in names[0]
    for k, f in enumerate(frames):
        blocks = gold_model.descriptors(f["positions"], f["symbols"])
        assert list(blocks) == ["Au"] and blocks["Au"].names == names
        cli = np.array([[float(v) for v in r[3:]] for r in rows if r[0] == str(k + 1)])
        assert np.array_equal(blocks["Au"].values, cli)     # %.16e round-trips
        assert np.array_equal(blocks["Au"].atoms, np.arange(4))


def test_scaled_descriptors_are_the_scaling_map(water_dir):
    # Scaled values are one affine map per function (the model's scaling), the same for every atom.
    model = nnswift.Model.load(water_dir)
    x = np.array([[0.0, 0, 0], [1.8, 0, 0], [-0.5, 1.75, 0], [5.5, 0.3, 0.2], [6.4, 1.7, 0.9], [6.0, -1.3, 0.5]])
    symbols = ["O", "H", "H", "O", "H", "H"]
    raw = model.descriptors(x, symbols)
    scaled = model.descriptors(x, symbols, scaled=True)
    for el in ("H", "O"):
        g, s = raw[el].values, scaled[el].values
        assert g.shape == s.shape and g.shape[1] == len(model.descriptor_names(el))
        varying = np.abs(g[0] - g[1]) > 1e-8 * np.abs(g).max()
        slope = (s[0] - s[1])[varying] / (g[0] - g[1])[varying]
        offset = s[0][varying] - slope * g[0][varying]
        for row_g, row_s in zip(g[2:], s[2:]):
            np.testing.assert_allclose(row_s[varying], offset + slope * row_g[varying], rtol=1e-9, atol=1e-9)
        assert not np.allclose(g, s)


def test_extrapolations_match_the_domain_decomposed_entry(gold_model):
    # The count from compute() against nnswift_compute_local's (an independent C entry point that
    # has always reported it), for two gold atoms farther apart than the cutoff: every radial
    # function is 0 there, below the range of the training data, where each atom has neighbours.
    import ctypes
    from nnswift import _library
    x = np.array([[0.0, 0.0, 0.0], [gold_model.cutoff + 2.0, 0.0, 0.0]])
    r = gold_model.compute(x, ["Au"] * 2)
    lib = _library.lib()
    energy, count = ctypes.c_double(), ctypes.c_int64()
    xc = np.ascontiguousarray(x)
    sp = np.zeros(2, dtype=np.int32)
    lib.nnswift_compute_local.restype = ctypes.c_int
    status = lib.nnswift_compute_local(gold_model._handle, 2, 0, xc.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
                                       sp.ctypes.data_as(ctypes.POINTER(ctypes.c_int32)), None, None,
                                       ctypes.byref(energy), None, None, None, None, ctypes.byref(count))
    assert status == 0 and abs(energy.value - r.energy) <= 1e-12 * abs(r.energy)
    assert r.extrapolations == count.value > 0


def test_descriptors_of_an_ase_2d_cell(gold_model):
    # A slab in an ASE 2D cell (zero c row, periodic along a and b) has the descriptors of the
    # same slab in a cell with vacuum along c.
    from ase.build import fcc111
    slab = fcc111("Au", size=(2, 2, 3), a=4.08, vacuum=None, periodic=False)
    cell2d = np.asarray(slab.cell).copy()
    cell2d[2] = 0
    boxed = cell2d.copy()
    boxed[2] = [0, 0, 40.0]
    pbc = [True, True, False]
    a = gold_model.descriptors(slab.positions, slab.get_chemical_symbols(), cell=cell2d, pbc=pbc)["Au"].values
    b = gold_model.descriptors(slab.positions, slab.get_chemical_symbols(), cell=boxed, pbc=pbc)["Au"].values
    np.testing.assert_allclose(a, b, rtol=1e-13, atol=0)
