"""Overhead of the ASE calculator over a raw C API call, per evaluation, on the 1080-atom liquid
water of ../shared (n2p2 RPBE-D3 potential, Bohr/Hartree).

    python python/benchmarks/overhead.py [REPEATS]     # default 30 repeats of each

Raw: nnswift_compute through ctypes on prepared arrays (energy, forces, virial, atom energies:
what the calculator requests). ASE: atoms.get_forces() + get_stress() after a position change,
i.e. ASE's state check, the calculator's conversions and the same C call. Calls alternate; the median and
minimum of each are reported, in thread CPU time (robust to other load) and wall time.
"""

import ctypes
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples" / "python"))
from common import WATER, read_n2p2, water_model  # noqa: E402

import nnswift  # noqa: E402
from nnswift import _library  # noqa: E402
from nnswift.ase import NNSwiftCalculator  # noqa: E402

repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 30
model = water_model()
atoms = read_n2p2(WATER / "liquid1080.input.data", nnswift.unit_factor("bohr", "angstrom"))
calc = NNSwiftCalculator(model)
atoms.calc = calc

# The raw call on the same geometry in model units, arrays prepared once.
x = np.ascontiguousarray(atoms.positions * calc.length_factor)
cell = np.ascontiguousarray(np.asarray(atoms.cell) * calc.length_factor)
species = model.species(atoms.get_chemical_symbols())
pbc = np.ones(3, dtype=np.intc)
n = len(atoms)
energy = ctypes.c_double()
forces, virial, atom_energies = np.empty((n, 3)), np.empty(9), np.empty(n)
dp = lambda a: a.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
ip = lambda a: a.ctypes.data_as(ctypes.POINTER(ctypes.c_int))
lib = _library.lib()


def raw():
    status = lib.nnswift_compute(model._handle, n, dp(x), ip(species), dp(cell), ip(pbc), ctypes.byref(energy),
                                 dp(forces), dp(virial), dp(atom_energies), None)
    assert status == 0


def ase_call(k):
    p = atoms.positions
    p[0, 0] += 1e-9 if k % 2 == 0 else -1e-9   # a new geometry: ASE recomputes
    atoms.positions = p
    atoms.get_forces()
    atoms.get_stress()


raw(), ase_call(1)   # warm up
# Thread CPU time: the C call runs on this thread (one compute thread), and other load on the
# machine does not count; wall time is printed too.
times = {"cpu": ([], []), "wall": ([], [])}
for k in range(repeats):
    for slot, f in ((0, raw), (1, lambda: ase_call(k))):
        c, w = time.thread_time(), time.perf_counter()
        f()
        times["cpu"][slot].append(time.thread_time() - c)
        times["wall"][slot].append(time.perf_counter() - w)
for clock, (t_raw, t_ase) in times.items():
    for name, f in (("median", np.median), ("minimum", np.min)):
        r, a = f(t_raw), f(t_ase)
        print(f"{clock:4s} {name:7s}: C API {r * 1e3:8.2f} ms   ASE calculator {a * 1e3:8.2f} ms   "
              f"overhead {(a - r) / r * 100:+.2f} % ({(a - r) * 1e6:+.0f} us)")

# The calculator's own cost, measured directly: the same ASE calls with the C call replaced by a
# stored result (ASE's state check and copies, unit conversions, stress, array handling).
stored = model.compute(x, species=species, cell=cell, pbc=True, atom_virials=False)
compute = model.compute
model.compute = lambda *a, **k: stored
py = []
for k in range(repeats):
    c = time.thread_time()
    ase_call(k)
    py.append(time.thread_time() - c)
model.compute = compute
r = np.median(times["cpu"][0])
print(f"calculator without the C call: median {np.median(py) * 1e6:.0f} us = {np.median(py) / r * 100:.2f} % of the C API's "
      f"median {r * 1e3:.2f} ms")
print(f"{n} atoms, {repeats} calls each, library {nnswift.library_path()}")
