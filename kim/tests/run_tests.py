#!/usr/bin/env python3
"""Tests of the nnswift KIM model driver (called by kim/run-tests.sh, which installs the driver
and models into a sandbox KIM collection and sets the environment):

  KIM_API_CONFIGURATION_FILE  sandbox collection configuration
  NNSWIFT_KIM_LIB             libnnswift.so (independent reference values through its C API)
  NNSWIFT_KIM_LMP             Debian's stock lmp (KIM package)
  NNSWIFT_KIM_LMP_NNSWIFT     lmp_nnswift (pair_style nnswift), for the pressure comparison
  NNSWIFT_KIM_UNIT_FACTOR     helper printing KIM's unit conversion factors
  NNSWIFT_KIM_WATER           n2p2 water potential directory ("" when ../shared is absent)
  NNSWIFT_KIM_BUILD           scratch folder for test models

Prints one line per test and closes with "kim: N passed, N failed, N skipped".
"""
import ctypes
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
LIB = os.environ["NNSWIFT_KIM_LIB"]
LMP = os.environ.get("NNSWIFT_KIM_LMP", "lmp")
LMP_NNSWIFT = os.environ.get("NNSWIFT_KIM_LMP_NNSWIFT", "")
UNIT_FACTOR = os.environ["NNSWIFT_KIM_UNIT_FACTOR"]
WATER = os.environ.get("NNSWIFT_KIM_WATER", "")
sys.path.insert(0, os.path.join(REPO, "examples"))
from structure_io import last_dump_values, read_water_reference  # noqa: E402  (examples/structure_io.py)
BUILD = os.environ["NNSWIFT_KIM_BUILD"]
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe"]

GOLD = "NNSwift_GoldClusters_Au__MO_000000000001_000"
GOLD_JSON = os.path.join(REPO, "kim/models", GOLD, "gold-model.json")
WATER_MODEL = "NNSwift_n2p2_H2O_RPBE_D3_HO__MO_000000000002_000"
# The water model's settings (kim/models/make-water-model.sh): model units per Angstrom and eV
# per model energy unit, the factors n2p2 made its reference values with.
BOHR_PER_ANGSTROM = 1.8897261328
EV_PER_HARTREE = 27.211383858491185
NKTV2P = {"metal": 1.6021765e6, "real": 68568.415}  # LAMMPS: pressure units per energy/volume

WORK = tempfile.mkdtemp(prefix="nnswift-kim-test-")
counts = {"passed": 0, "failed": 0, "skipped": 0}


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def test(name, fn, skip=None):
    if skip:
        counts["skipped"] += 1
        print(f"SKIP {name}: {skip}", flush=True)
        return
    try:
        detail = fn()
        counts["passed"] += 1
        print(f"PASS {name}" + (f": {detail}" if detail else ""), flush=True)
    except Exception as e:  # a test's own failure or an unexpected error: both fail the test
        counts["failed"] += 1
        print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)


# ---- independent reference: the nnswift C API on the whole system ----

lib = ctypes.CDLL(LIB)
lib.nnswift_last_error.restype = ctypes.c_char_p
dp = ctypes.POINTER(ctypes.c_double)
ip = ctypes.POINTER(ctypes.c_int32)


def c_compute(path, symbols, positions, cell, pbc, to_model_length=1.0, to_ev=1.0):
    """Energy (eV), forces (eV/A) and ASE-convention stress (eV/A^3, Voigt xx yy zz yz xz xy)."""
    model = ctypes.c_void_p()
    check(lib.nnswift_model_load(path.encode(), ctypes.byref(model)) == 0, lib.nnswift_last_error())
    try:
        index = ctypes.c_int32()
        species = []
        for s in symbols:
            check(lib.nnswift_model_element_index(model, s.encode(), ctypes.byref(index)) == 0, s)
            species.append(index.value)
        n = len(symbols)
        pos = np.ascontiguousarray(positions, dtype=float).ravel() * to_model_length
        sp = np.array(species, dtype=np.int32)
        c = None if cell is None else np.ascontiguousarray(cell, dtype=float).ravel() * to_model_length
        p = None if pbc is None else np.array([int(b) for b in pbc], dtype=np.int32)
        e = ctypes.c_double()
        f = np.zeros(3 * n)
        w = np.zeros(9)
        rc = lib.nnswift_compute(model, n, pos.ctypes.data_as(dp), sp.ctypes.data_as(ip),
                                 None if c is None else c.ctypes.data_as(dp),
                                 None if p is None else p.ctypes.data_as(ip),
                                 ctypes.byref(e), f.ctypes.data_as(dp), w.ctypes.data_as(dp), None, None)
        check(rc == 0, lib.nnswift_last_error())
    finally:
        lib.nnswift_model_free(model)
    energy = e.value * to_ev
    forces = f.reshape(n, 3) * (to_ev * to_model_length)
    stress = None
    if cell is not None:
        W = w.reshape(3, 3) * to_ev
        vol = abs(np.linalg.det(np.asarray(cell, dtype=float)))
        # stress = (1/V) dE/d(strain) = -W/V with W = sum_i r_i (x) F_i
        stress = -np.array([W[0, 0], W[1, 1], W[2, 2], W[1, 2], W[0, 2], W[0, 1]]) / vol
    return energy, forces, stress


def kim_factor(kind, frm, to):
    out = subprocess.run([UNIT_FACTOR, kind, frm, to], capture_output=True, text=True, check=True)
    return float(out.stdout)


# ---- LAMMPS ----

def lammps(inp, name, ranks=1, exe=None, expect_ok=True):
    d = os.path.join(WORK, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "in.lmp"), "w") as f:
        f.write(inp)
    cmd = ([exe or LMP] if ranks == 1 else MPIRUN + ["-np", str(ranks), exe or LMP]) + ["-in", "in.lmp", "-log", "log.lammps"]
    r = subprocess.run(cmd, cwd=d, capture_output=True, text=True, timeout=600)
    out = r.stdout + r.stderr
    if expect_ok and r.returncode != 0:
        raise Fail(f"{name}: LAMMPS exit {r.returncode}:\n" + "\n".join(out.splitlines()[-15:]))
    results = {}
    for m in re.finditer(r"^RESULT (\S+) (\S+)$", out, re.M):
        results[m.group(1)] = float(m.group(2))
    return r.returncode, out, results, d


def water_input(units, pair_lines, data):
    return f"""{pair_lines[0]}
boundary p p p
atom_style atomic
read_data {data}
{pair_lines[1]}
compute pea all pe/atom
compute sa all stress/atom NULL virial
thermo_style custom step pe press
thermo_modify format float %.17g
dump f all custom 1 forces.dump id type fx fy fz c_pea c_sa[1] c_sa[2] c_sa[3] c_sa[4] c_sa[5] c_sa[6]
dump_modify f sort id format float %.17g
run 0
print "RESULT pe $(pe:%.17g)"
print "RESULT press $(press:%.17g)"
"""


def kim_lines(model, units, species):
    return (f"kim init {model} {units}", f"kim interactions {species}")


def water_reference():
    return read_water_reference(os.path.join(WATER, "liquid8640.n2p2-reference.txt"))


def max_force_diff(a, b, scale=1.0):
    return max(abs(x * scale - y) for i in b for x, y in zip(a[i], b[i]))


water_runs = {}


def water_run0(ranks):
    def run():
        data = os.path.join(WATER, "liquid8640.lmp-data")
        _, _, res, d = lammps(water_input("metal", kim_lines(WATER_MODEL, "metal", "H O"), data), f"water-kim-np{ranks}", ranks)
        eref, fref = water_reference()
        f = last_dump_values(os.path.join(d, "forces.dump"))
        check(len(f) == len(fref), f"{len(f)} atoms in the dump, {len(fref)} in the reference")
        de = abs(res["pe"] - eref) / abs(eref)
        df = max_force_diff(f, fref)
        check(de < 1e-10, f"energy {res['pe']!r} vs reference {eref!r}: relative {de:.2e}")
        check(df < 1e-7, f"largest force difference {df:.2e} eV/A")
        res["dir"] = d
        water_runs[ranks] = res
        return f"energy rel. diff {de:.1e}, max force diff {df:.1e} eV/A, press {res['press']:.6f} bar"
    return run


def water_pressure_vs_pair_style():
    data = os.path.join(WATER, "liquid8640.lmp-data")
    lines = ("units metal", f"pair_style nnswift cflength {BOHR_PER_ANGSTROM} cfenergy 0.0367493254\n"
             f"pair_coeff * * {WATER} H O")
    _, _, res, d = lammps(water_input("metal", lines, data), "water-pair-nnswift", 1, exe=LMP_NNSWIFT)
    kim = water_runs.get(1)
    check(kim is not None, "the 1-rank KIM run did not succeed")
    # per-atom energy and virial (partialParticleEnergy, partialParticleVirial: sign and order)
    ref = last_dump_values(os.path.join(d, "forces.dump"), slice(5, 12))
    got = last_dump_values(os.path.join(kim["dir"], "forces.dump"), slice(5, 12))
    for col, what in ((0, "pe/atom"), (1, "stress/atom xx"), (4, "stress/atom xy"), (6, "stress/atom yz")):
        scale = max(abs(v[col]) for v in ref.values())
        diff = max(abs(got[i][col] - ref[i][col]) for i in ref) / scale
        check(diff < 1e-10, f"{what} differs by {diff:.1e} relative")
    dp_ = abs(kim["press"] - res["press"]) / abs(res["press"])
    de = abs(kim["pe"] - res["pe"]) / abs(res["pe"])
    check(dp_ < 1e-10, f"pressure KIM {kim['press']!r} vs pair_style nnswift {res['press']!r} (rel {dp_:.1e})")
    check(de < 1e-12, f"energy KIM {kim['pe']!r} vs pair_style nnswift {res['pe']!r} (rel {de:.1e})")
    if 2 in water_runs:
        d2 = abs(water_runs[2]["press"] - res["press"]) / abs(res["press"])
        check(d2 < 1e-10, f"2-rank KIM pressure {water_runs[2]['press']!r} (rel {d2:.1e})")
    return (f"pressure {kim['press']:.10f} vs {res['press']:.10f} bar (rel {dp_:.1e}), energy rel {de:.1e}, "
            "per-atom energy and virial agree")


# ---- gold in LAMMPS ----

def au5_atoms_file():
    path = os.path.join(WORK, "au5-atoms.lmp")
    if not os.path.exists(path):
        out = subprocess.run([sys.executable, os.path.join(REPO, "examples/gold/gold_tools.py"), "xyz-to-lammps",
                              os.path.join(REPO, "examples/gold/data/Au5.xyz"), "--frame", "0", "--center", "10"],
                             capture_output=True, text=True, check=True).stdout
        open(path, "w").write(out)
    return path


def gold_input(units, body):
    return f"""kim init {GOLD} {units}
boundary p p p
atom_style atomic
region box block 0 20 0 20 0 20
create_box 1 box
include {au5_atoms_file()}
mass 1 196.96657
kim interactions Au
{body}
"""


def gold_nve_dt2():
    fluct = {}
    for dt, steps, every in ((0.001, 2000, 10), (0.002, 1000, 5)):
        body = f"""velocity all create 600 12345 mom yes rot yes dist gaussian
timestep {dt}
fix nve all nve
thermo {every}
thermo_style custom step time temp pe ke etotal
thermo_modify format float %.15g
run {steps}"""
        _, _, _, d = lammps(gold_input("metal", body), f"gold-nve-{dt}", 2)
        out = subprocess.run([sys.executable, os.path.join(REPO, "examples/gold/nve_energy.py"),
                              os.path.join(d, "log.lammps"), "--natoms", "5", "--dt", str(dt)],
                             capture_output=True, text=True, check=True).stdout.split()
        fluct[dt] = float(out[2])
    ratio = fluct[0.002] / fluct[0.001]
    check(3.5 < ratio < 4.5, f"RMS fluctuation {fluct[0.001]:.3e} (1 fs) and {fluct[0.002]:.3e} (2 fs) eV/atom: ratio {ratio:.2f}, not ~4")
    return f"Au5, 2 ranks, 2 ps: RMS fluctuation {fluct[0.001]:.2e} (1 fs), {fluct[0.002]:.2e} (2 fs) eV/atom, ratio {ratio:.2f}"


def run0_body():
    # virial pressure only: a data file's velocities mean different things in real and metal
    return """compute vir all pressure NULL virial
thermo_style custom step pe c_vir
dump f all custom 1 forces.dump id type fx fy fz
dump_modify f sort id format float %.17g
run 0
print "RESULT pe $(pe:%.17g)"
print "RESULT press $(c_vir:%.17g)"
"""


def real_vs_metal(make_input, label):
    def run():
        c = kim_factor("energy", "eV", "kcal_mol")
        res, forces = {}, {}
        for units in ("metal", "real"):
            _, _, r, d = lammps(make_input(units), f"{label}-{units}")
            res[units], forces[units] = r, last_dump_values(os.path.join(d, "forces.dump"))
        de = abs(res["real"]["pe"] - c * res["metal"]["pe"]) / abs(c * res["metal"]["pe"])
        df = max_force_diff(forces["metal"], forces["real"], c) / max(abs(x) * c for v in forces["metal"].values() for x in v)
        p_expected = res["metal"]["press"] * c * NKTV2P["real"] / NKTV2P["metal"]
        dp_ = abs(res["real"]["press"] - p_expected) / abs(p_expected)
        check(de < 1e-12, f"energy real {res['real']['pe']!r} vs {c}*metal {res['metal']['pe']!r} (rel {de:.1e})")
        check(df < 1e-12, f"forces differ by {df:.1e} relative")
        check(dp_ < 1e-10, f"pressure real {res['real']['press']!r} atm vs expected {p_expected!r} (rel {dp_:.1e})")
        return f"energy rel {de:.1e}, forces rel {df:.1e}, pressure rel {dp_:.1e} (KIM eV->kcal/mol {c})"
    return run


def gold_real_metal_input(units):
    return gold_input(units, run0_body())


def water_real_metal_input(units):
    data = os.path.join(WATER, "liquid8640.lmp-data")
    return f"""kim init {WATER_MODEL} {units}
boundary p p p
atom_style atomic
read_data {data}
kim interactions H O
{run0_body()}"""


# ---- ASE with kimpy ----

def ase_compare(model, atoms, ref_path, to_model_length, to_ev):
    from ase.calculators.kim import KIM
    atoms = atoms.copy()
    atoms.calc = KIM(model)
    e = atoms.get_potential_energy()
    f = atoms.get_forces()
    s = atoms.get_stress() if atoms.pbc.all() else None
    cell = atoms.cell.array if atoms.pbc.all() else None
    e0, f0, s0 = c_compute(ref_path, atoms.get_chemical_symbols(), atoms.positions, cell,
                           None if cell is None else [1, 1, 1], to_model_length, to_ev)
    de = abs(e - e0) / abs(e0)
    df = np.abs(f - f0).max() / np.abs(f0).max()
    check(de < 1e-12, f"energy {e!r} vs C API {e0!r} (rel {de:.1e})")
    check(df < 1e-12, f"forces rel {df:.1e}")
    msg = f"{len(atoms)} atoms: energy rel {de:.1e}, forces rel {df:.1e}"
    if s is not None:
        ds = np.abs(s - s0).max() / np.abs(s0).max()
        check(ds < 1e-12, f"stress {s} vs C API {s0} (rel {ds:.1e})")
        msg += f", stress rel {ds:.1e}"
    return msg


def ase_gold_bulk():
    from ase.build import bulk
    atoms = bulk("Au", "fcc", a=4.08, cubic=True).repeat((2, 2, 2))
    atoms.rattle(0.05, seed=3)
    atoms.set_cell(atoms.cell.array @ np.array([[1.0, 0.02, 0.0], [0.0, 1.0, 0.01], [0.0, 0.0, 1.0]]), scale_atoms=True)
    return ase_compare(GOLD, atoms, GOLD_JSON, 1.0, 1.0)


def ase_gold_cluster():
    atoms = au5_cluster()
    atoms.pbc = False
    return ase_compare(GOLD, atoms, GOLD_JSON, 1.0, 1.0)


def ase_water():
    from ase.io import read
    atoms = read(os.path.join(WATER, "liquid8640.lmp-data"), format="lammps-data", atom_style="atomic",
                 Z_of_type={1: 1, 2: 8})
    atoms.pbc = True
    atoms.wrap()  # ASE's KIM padding assumes atoms inside the cell (the data file's are not)
    return ase_compare(WATER_MODEL, atoms, WATER, BOHR_PER_ANGSTROM, EV_PER_HARTREE)


# ---- errors: KIM errors, not crashes ----

def make_model(name, settings, files):
    """A portable model on the driver in the sandbox collection (kim-api-collections-management)."""
    d = os.path.join(BUILD, "test-models", name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    open(os.path.join(d, "nnswift-kim.params"), "w").write(settings)
    for fname, text in files.items():
        open(os.path.join(d, fname), "w").write(text)
    plist = " ".join(f'"{x}"' for x in ["nnswift-kim.params"] + list(files))
    open(os.path.join(d, "CMakeLists.txt"), "w").write(f"""cmake_minimum_required(VERSION 3.10)
list(APPEND CMAKE_PREFIX_PATH $ENV{{KIM_API_CMAKE_PREFIX_DIR}})
find_package(KIM-API-ITEMS 2.2 REQUIRED CONFIG)
kim_api_items_setup_before_project(ITEM_TYPE "portableModel")
project({name})
kim_api_items_setup_after_project(ITEM_TYPE "portableModel")
add_kim_api_model_library(NAME ${{PROJECT_NAME}} DRIVER_NAME "NNSwift__MD_000000000000_000" PARAMETER_FILES {plist})
""")
    r = subprocess.run(["kim-api-collections-management", "install", "--force", "user", d], capture_output=True, text=True)
    check(r.returncode == 0, r.stdout + r.stderr)


def kimpy_create(name, cwd):
    import kimpy
    old = os.getcwd()
    os.chdir(cwd)  # kim.log goes to the working directory
    try:
        return kimpy.model.create(kimpy.numbering.zeroBased, kimpy.length_unit.A, kimpy.energy_unit.eV,
                                  kimpy.charge_unit.e, kimpy.temperature_unit.K, kimpy.time_unit.ps, name)
    finally:
        os.chdir(old)


def expect_create_error(name, settings, files, log_pattern):
    def run():
        make_model(name, settings, files)
        d = os.path.join(WORK, name)
        os.makedirs(d, exist_ok=True)
        try:
            kimpy_create(name, d)
            raise Fail("kimpy.model.create succeeded")
        except RuntimeError:
            pass
        log = open(os.path.join(d, "kim.log")).read()
        check(re.search(log_pattern, log), f"kim.log has no message matching {log_pattern!r}")
        # Debian's lmp: a LAMMPS error (exit 1), not a signal
        rc, out, _, ld = lammps(f"kim init {name} metal\n", f"lmp-{name}", expect_ok=False)
        check(rc == 1 and "ERROR" in out, f"lmp exit {rc} (expected 1 with an ERROR):\n{out[-500:]}")
        check(re.search(log_pattern, open(os.path.join(ld, "kim.log")).read()), "LAMMPS's kim.log lacks the message")
        return re.search(log_pattern + ".*", log).group(0)[:150]
    return run


class KimpyCluster:
    """A KIM model through kimpy on a free cluster: every particle contributing, full neighbour
    lists of all other particles (no padding needed without periodicity)."""

    def __init__(self, model_name, cwd, coords):
        import kimpy
        self.kimpy, self.cwd = kimpy, cwd
        os.makedirs(cwd, exist_ok=True)
        accepted, self.model = kimpy_create(model_name, cwd)
        check(accepted, "requested units not accepted")
        n = len(coords)
        self.args = self.model.compute_arguments_create()
        self.n = np.array([n], dtype=np.intc)
        self.codes = np.zeros(n, dtype=np.intc)
        self.contributing = np.ones(n, dtype=np.intc)
        self.coords = np.ascontiguousarray(coords, dtype=float)
        self.energy = np.array([0.0])
        self.forces = np.zeros((n, 3))
        self.particle_energy = np.zeros(n)
        self.virial = np.zeros(6)
        self.particle_virial = np.zeros((n, 6))
        name = kimpy.compute_argument_name
        for arg, array in ((name.numberOfParticles, self.n), (name.particleSpeciesCodes, self.codes),
                           (name.particleContributing, self.contributing), (name.coordinates, self.coords),
                           (name.partialEnergy, self.energy), (name.partialForces, self.forces),
                           (name.partialParticleEnergy, self.particle_energy), (name.partialVirial, self.virial),
                           (name.partialParticleVirial, self.particle_virial)):
            self.args.set_argument_pointer(arg, array)
        neighbors = {i: np.array([j for j in range(n) if j != i], dtype=np.intc) for i in range(n)}

        def get_neigh(data, cutoffs, list_index, particle):
            return data[particle], 0
        self.args.set_callback(kimpy.compute_callback_name.GetNeighborList, get_neigh, neighbors)

    def compute(self):
        """True on success, False on a KIM error (kimpy raises RuntimeError)."""
        old = os.getcwd()
        os.chdir(self.cwd)
        try:
            self.model.compute(self.args)
            return True
        except RuntimeError:
            return False
        finally:
            os.chdir(old)


def au5_cluster():
    from ase.io import read
    return read(os.path.join(REPO, "examples/gold/data/Au5.xyz"), index=0)


def kimpy_virial():
    atoms = au5_cluster()
    k = KimpyCluster(GOLD, os.path.join(WORK, "kimpy-virial"), atoms.positions)
    check(k.compute(), "compute failed")
    e0, f0, _ = c_compute(GOLD_JSON, atoms.get_chemical_symbols(), atoms.positions, None, None)
    # independent virial of the free cluster from the C API's forces: W = sum_i r_i (x) F_i;
    # KIM's partialVirial is -W in Voigt order xx yy zz yz xz xy
    W = atoms.positions.T @ f0
    expected = -np.array([W[0, 0], W[1, 1], W[2, 2], W[1, 2], W[0, 2], W[0, 1]])
    scale = np.abs(expected).max()
    dv = np.abs(k.virial - expected).max() / scale
    dpv = np.abs(k.particle_virial.sum(axis=0) - k.virial).max() / scale
    dpe = abs(k.particle_energy.sum() - k.energy[0]) / abs(k.energy[0])
    de = abs(k.energy[0] - e0) / abs(e0)
    check(de < 1e-12, f"energy {k.energy[0]!r} vs {e0!r}")
    check(dv < 1e-10, f"partialVirial {k.virial} vs -sum r(x)F {expected} (rel {dv:.1e})")
    check(dpv < 1e-12, f"sum of partialParticleVirial differs from partialVirial by {dpv:.1e}")
    check(dpe < 1e-12, f"sum of partialParticleEnergy differs from partialEnergy by {dpe:.1e}")
    return f"virial rel {dv:.1e} vs -sum r(x)F of the C API forces; particle sums rel {dpv:.1e}, {dpe:.1e}"


def unknown_species_code():
    import kimpy
    atoms = au5_cluster()
    k = KimpyCluster(GOLD, os.path.join(WORK, "unknown-species"), atoms.positions)
    supported, _ = k.model.get_species_support_and_code(kimpy.species_name.Cu)
    check(not supported, "gold model claims Cu")
    k.codes[3] = 5  # no element of this model
    check(not k.compute(), "compute succeeded with species code 5")
    log = open(os.path.join(k.cwd, "kim.log")).read()
    check("particle 3 has species code 5" in log, "kim.log lacks the species message")
    k.codes[3] = 0  # the same model computes after the error
    check(k.compute() and math.isfinite(k.energy[0]) and k.energy[0] < 0, f"energy {k.energy[0]}")
    return "compute returned a KIM error (kim.log: 'particle 3 has species code 5; ...'); the next call works"


def water_bohr_hartree():
    """The water potential declared as Bohr/Hartree: KIM converts with its own constants."""
    from ase.calculators.kim import KIM
    from ase.io import read
    name = "NNSwift_TestWaterBohrHartree__MO_000000000097_000"
    files = {f: open(os.path.join(WATER, f)).read() for f in sorted(os.listdir(WATER))
             if f in ("input.nn", "scaling.data") or re.fullmatch(r"weights\.\d{3}\.data", f)}
    make_model(name, "model .\nlength_unit Bohr\nenergy_unit Hartree\n", files)
    atoms = read(os.path.join(WATER, "liquid8640.lmp-data"), format="lammps-data", atom_style="atomic",
                 Z_of_type={1: 1, 2: 8})[:300]
    atoms.pbc = False
    atoms.calc = KIM(name)
    e, f = atoms.get_potential_energy(), atoms.get_forces()
    to_bohr, to_ev = kim_factor("length", "A", "Bohr"), kim_factor("energy", "Hartree", "eV")
    e0, f0, _ = c_compute(WATER, atoms.get_chemical_symbols(), atoms.positions, None, None, to_bohr, to_ev)
    de = abs(e - e0) / abs(e0)
    df = np.abs(f - f0).max() / np.abs(f0).max()
    check(de < 1e-12 and df < 1e-12, f"energy rel {de:.1e}, forces rel {df:.1e}")
    return f"300-atom cluster: energy rel {de:.1e}, forces rel {df:.1e} (KIM: 1 A = {to_bohr} Bohr, 1 Ha = {to_ev} eV)"


def main():
    os.chdir(WORK)  # KIM writes kim.log into the working directory
    no_water = None if WATER and os.path.isfile(os.path.join(WATER, "input.nn")) else "../shared water potential absent"
    no_pair = no_water or (None if LMP_NNSWIFT and os.access(LMP_NNSWIFT, os.X_OK) else "lmp_nnswift not built")
    test("lammps water run 0, 1 rank, vs n2p2 reference", water_run0(1), no_water)
    test("lammps water run 0, 2 ranks, vs n2p2 reference", water_run0(2), no_water)
    test("lammps water pressure = pair_style nnswift", water_pressure_vs_pair_style, no_pair)
    test("lammps water units real vs metal", real_vs_metal(water_real_metal_input, "water"), no_water)
    test("lammps gold units real vs metal", real_vs_metal(gold_real_metal_input, "gold"))
    test("lammps gold NVE energy fluctuation ~ dt^2", gold_nve_dt2)
    test("ase kimpy gold bulk (triclinic, rattled) = C API", ase_gold_bulk)
    test("ase kimpy gold Au5 cluster (no pbc) = C API", ase_gold_cluster)
    test("ase kimpy water 8640 atoms = C API", ase_water, no_water)
    test("ase kimpy water declared Bohr/Hartree = C API with KIM's constants", water_bohr_hartree, no_water)
    test("corrupt model file: KIM error", expect_create_error(
        "NNSwift_TestCorruptModel__MO_000000000098_000", "model broken.json\n",
        {"broken.json": '{"format": "nnswift-model", "version": 1, "elements": ["Au"'}, r"nnswift: cannot load model 'broken.json'"))
    test("corrupt settings file: KIM error", expect_create_error(
        "NNSwift_TestCorruptSettings__MO_000000000099_000", "model gold.json\nlength_factor -3\n",
        {"gold.json": open(GOLD_JSON).read()}, r"nnswift-kim.params, line 2: length_factor must be a positive number"))
    test("settings give units of a model that declares them: KIM error", expect_create_error(
        "NNSwift_TestUnitsTwice__MO_000000000096_000", "model gold.json\nlength_unit A\nenergy_unit eV\n",
        {"gold.json": open(GOLD_JSON).read()}, r"nnswift: the model declares its units \(angstrom, eV\)"))
    test("unknown species code: KIM error", unknown_species_code)
    test("kimpy partialVirial = -sum r(x)F, particle energies/virials sum up", kimpy_virial)
    os.chdir(BUILD)  # late KIM log entries (objects freed at exit) land in the build folder
    shutil.rmtree(WORK, ignore_errors=True)
    print(f"kim: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
