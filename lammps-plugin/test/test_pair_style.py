"""pair_style nnswift against the mock nnswift library (test/mock/nnswift_mock.c), for both
LAMMPS builds: results equal the library's own nnswift_compute, unit conversions, MPI, MD,
and an ERROR line (no crash) for each user error."""
import os
import re
import subprocess
import tempfile

import pytest

from lammps_helpers import (BOHR_PER_ANG, ENGINES, HARTREE_PER_EV, KCAL_PER_EV, LMP, MEASURE, MODELS,
                            NKTV2P, WORK, assert_forces_close, lammps, ok_run, pair_lines, read_dump,
                            reference, rel, results, structure)

DEB = LMP[("debian", False)]
debian_only = pytest.mark.skipif("debian" not in ENGINES, reason="Debian LAMMPS not selected")


@debian_only
def test_driver_uses_only_string_overloads():
    """The Debian driver must not instantiate LAMMPS's fmt-formatted templates (fmt 7 ABI)."""
    p = subprocess.run(["nm", "-C", "-u", DEB], stdout=subprocess.PIPE, text=True)
    assert p.returncode == 0, "nm failed"
    bad = [l.strip() for l in p.stdout.splitlines() if "fmt::" in l or "v7_lmp" in l or "_all(" in l
           or "fmtargs_logmesg" in l or "_warning(" in l or "_one(" in l]
    assert not bad, "formatted LAMMPS/fmt symbols referenced: " + "; ".join(bad[:3])


@debian_only
def test_driver_behaves_like_lmp():
    """lmp_nnswift: input on stdin, -var, -log, -screen, under mpirun."""
    d = tempfile.mkdtemp(prefix="stdin-", dir=WORK)
    script = structure() + pair_lines() + 'run 0\nprint "RESULT pe $(pe:%.17g) v ${myv}"\n'
    log = os.path.join(d, "log.stdin")
    cmd = ["mpirun", "--allow-run-as-root", "-np", "2", DEB, "-var", "myv", "42", "-screen", "none", "-log", log]
    p = subprocess.run(cmd, input=script, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=120)
    assert p.returncode == 0, f"rc={p.returncode}: {p.stdout[-300:]}"
    assert "RESULT" not in p.stdout, "-screen none ignored"
    r = results(open(log).read())
    assert r.get("v") == 42.0 and "pe" in r, "no result in the log file"


# (units, model, triclinic, pair_style arguments, length factor, energy factor, elements, hybrid)
REFERENCE_CASES = {
    "metal": ("metal", "mock_AB.model", False, "", 1.0, 1.0, "A B", False),
    "triclinic": ("metal", "mock_AB.model", True, "", 1.0, 1.0, "A B", False),
    "Bohr/Hartree model in units metal": ("metal", "mock_AB_bohr.model", False, "", BOHR_PER_ANG,
                                          1.0 / HARTREE_PER_EV, "A B", False),
    "Angstrom/eV model in units real": ("real", "mock_AB.model", False, "", 1.0, KCAL_PER_EV, "A B", False),
    "Bohr/Hartree model in units electron": ("electron", "mock_AB_bohr.model", False, "", 1.0, 1.0, "A B", False),
    "explicit factors, unknown units": ("metal", "mock_AB_unknown.model", False,
                                        f"length_factor {BOHR_PER_ANG} energy_factor 2.5", BOHR_PER_ANG,
                                        1 / 2.5, "A B", False),
    "n2p2 cflength/cfenergy": ("metal", "mock_AB_unknown.model", False,
                               f"cflength {BOHR_PER_ANG} cfenergy {HARTREE_PER_EV}", BOHR_PER_ANG,
                               1.0 / HARTREE_PER_EV, "A B", False),
    "explicit factors equal to the declared": ("metal", "mock_AB_bohr.model", False,
                                               f"cflength {BOHR_PER_ANG} energy_factor {HARTREE_PER_EV}",
                                               BOHR_PER_ANG, 1.0 / HARTREE_PER_EV, "A B", False),
    "NULL element (hybrid/overlay)": ("metal", "mock_AB.model", False, "", 1.0, 1.0, "A NULL", True),
}


@pytest.mark.parametrize("case", REFERENCE_CASES)
def test_run0_matches_library(engine, case):
    """run 0 energy, forces and pressure equal the library's own nnswift_compute on the same
    periodic structure; per-atom energies and virials sum to the global values."""
    units, model, tri, style_args, lfac, efac, elements, hybrid = REFERENCE_CASES[case]
    if hybrid:
        pl = (f"pair_style hybrid/overlay nnswift {style_args} zero 4.0\n"
              f"pair_coeff * * nnswift {os.path.join(MODELS, model)} {elements}\n"
              "pair_coeff * * zero\n")
    else:
        pl = pair_lines(model, elements, style_args)
    out, d = ok_run(engine, structure(units, tri=tri) + pl + "write_data data.lmp\n" + MEASURE, tag="ref")
    r = results(out)
    e, w, f = reference(os.path.join(MODELS, model), os.path.join(d, "data.lmp"), lfac, efac, elements.split())
    assert rel(r["pe"], e) < 1e-10, f"energy {r['pe']!r} != reference {e!r}"
    assert_forces_close(read_dump(os.path.join(d, "forces.dump")), f, 1e-9, "forces vs reference")
    nk = NKTV2P[units]
    for k in range(6):
        p_ref = w[k] / r["vol"] * nk
        assert abs(r[f"p{k + 1}"] - p_ref) <= 1e-8 * max(abs(p_ref), max(abs(x) for x in w) / r["vol"] * nk), \
            f"pressure component {k + 1}: {r[f'p{k + 1}']!r} != reference {p_ref!r}"
    assert rel(r["sumpe"], r["pe"]) < 1e-10, f"sum of pe/atom {r['sumpe']} != pe {r['pe']}"
    for k in range(6):
        p_from_atoms = -r[f"s{k + 1}"] / r["vol"]
        assert abs(p_from_atoms - r[f"p{k + 1}"]) <= 1e-8 * max(1.0, abs(r["p1"])), \
            f"stress/atom sum component {k + 1}: {p_from_atoms} != {r[f'p{k + 1}']}"


@pytest.mark.parametrize("tri", [False, True], ids=["orthogonal", "triclinic"])
def test_ranks_agree(engine, tri):
    """1, 2, 4 ranks: same energy, forces, pressure, per-atom energy and virial sums."""
    _, base_dir = ok_run(engine, structure(tri=tri) + "write_data data.lmp\n", tag="gen")
    runs = {}
    for np in (1, 2, 4):
        script = (f"units metal\natom_style atomic\natom_modify map array\n"
                  f"read_data {os.path.join(base_dir, 'data.lmp')}\nmass * 50.0\n" + pair_lines() + MEASURE)
        out, d = ok_run(engine, script, np=np, tag=f"np{np}")
        runs[np] = (results(out), read_dump(os.path.join(d, "forces.dump")))
    r0, f0 = runs[1]
    scale = max(abs(r0[f"p{k}"]) for k in range(1, 7))
    for np, (r, f) in runs.items():
        assert rel(r["pe"], r0["pe"]) < 1e-10, f"np={np}: pe {r['pe']!r} != {r0['pe']!r}"
        assert rel(r["sumpe"], r0["pe"]) < 1e-10, f"np={np}: sum pe/atom {r['sumpe']!r} != {r0['pe']!r}"
        assert_forces_close(f, f0, 1e-10, f"np={np}")
        for k in range(1, 7):
            assert abs(r[f"p{k}"] - r0[f"p{k}"]) <= 1e-9 * scale, f"np={np}: pressure {k} {r[f'p{k}']!r} != {r0[f'p{k}']!r}"
            assert abs(r[f"s{k}"] - r0[f"s{k}"]) <= 1e-9 * scale * r0["vol"], \
                f"np={np}: stress/atom sum {k} {r[f's{k}']!r} != {r0[f's{k}']!r}"


def test_md_migration_ranks_agree(engine):
    """100 hot MD steps (reneighboring, atom migration) agree for 1 and 4 ranks."""
    finals = {}
    for np in (1, 4):
        script = (structure() + pair_lines() +
                  "velocity all create 3000 4928459 loop geom\nneighbor 0.3 bin\ntimestep 0.002\n"
                  "neigh_modify every 1 delay 0 check yes\nfix 1 all nve\nthermo 50\nrun 100\n"
                  'print "RESULT pe $(pe:%.17g) etotal $(etotal:%.17g) press $(press:%.17g)"\n')
        out, _ = ok_run(engine, script, np=np, tag=f"md{np}")
        m = re.search(r"Neighbor list builds\s*=\s*(\d+)", out)
        assert m and int(m.group(1)) >= 3, "too few neighbor list builds to exercise migration"
        finals[np] = results(out)
    a, b = finals[1], finals[4]
    assert rel(b["pe"], a["pe"]) < 1e-8, f"np=4: pe {b['pe']!r} != {a['pe']!r}"
    assert rel(b["press"], a["press"]) < 1e-6, f"np=4: press {b['press']!r} != {a['press']!r}"


def test_md_list_follows_reneighboring(engine):
    """Hot MD keeps neighbor lists between LAMMPS's rebuilds (in LAMMPS 2021 the library's skin
    list): the energy at the last step equals that of a fresh setup (run 0) of the same atoms."""
    script = (structure() + pair_lines() +
              "velocity all create 3000 4928459 loop geom\nneighbor 0.3 bin\ntimestep 0.002\n"
              "neigh_modify every 1 delay 0 check yes\nfix 1 all nve\nthermo 20\nrun 60\n"
              'print "RESULT pe1 $(pe:%.17g)"\nrun 0\nprint "RESULT pe2 $(pe:%.17g)"\n')
    out, _ = ok_run(engine, script, np=2, tag="mdlist")
    m = re.search(r"Neighbor list builds\s*=\s*(\d+)", out)
    assert m and int(m.group(1)) >= 3, "too few neighbor list builds"
    r = results(out)
    assert rel(r["pe1"], r["pe2"]) < 1e-12, f"pe after MD {r['pe1']!r} != fresh evaluation {r['pe2']!r}"


def test_ranks_without_atoms(engine):
    """A slab in half the box, 4 ranks along x: two ranks own no atoms."""
    script = """units metal
atom_style atomic
boundary p p p
{proc}
lattice fcc 3.9
region box block 0 8 0 2 0 2
create_box 2 box
region slab block 0 3 INF INF INF INF
create_atoms 1 region slab
set type 1 type/fraction 2 0.3 12345
mass * 50.0
displace_atoms all random 0.1 0.1 0.1 4321 units box
""" + pair_lines() + 'run 0\nprint "RESULT pe $(pe:%.17g) press $(press:%.17g)"\n'
    r1 = results(ok_run(engine, script.format(proc=""), tag="empty1")[0])
    r4 = results(ok_run(engine, script.format(proc="processors 4 1 1"), np=4, tag="empty4")[0])
    assert rel(r4["pe"], r1["pe"]) < 1e-10, f"pe {r4['pe']!r} != {r1['pe']!r}"
    assert rel(r4["press"], r1["press"]) < 1e-9, f"press {r4['press']!r} != {r1['press']!r}"


def test_minimize(engine):
    script = structure() + pair_lines() + """run 0
print "RESULT pe0 $(pe:%.17g)"
min_style cg
minimize 0.0 1.0e-6 500 5000
print "RESULT pe1 $(pe:%.17g) fnorm $(fnorm:%.17g) fmax $(fmax:%.17g)"
"""
    r = results(ok_run(engine, script, tag="min")[0])
    assert r["pe1"] < r["pe0"], f"energy did not decrease: {r['pe0']} -> {r['pe1']}"
    assert r["fmax"] < 1e-5, f"fmax after minimize {r['fmax']}"


def test_nve_conserves_energy(engine):
    """fix nve on 2 ranks: total energy drifts less than 1e-3 of the kinetic energy in 400 steps."""
    script = structure() + pair_lines() + """velocity all create 300 87287 loop geom
timestep 0.001
fix 1 all nve
thermo 50
run 0
print "RESULT e0 $(etotal:%.17g) ke0 $(ke:%.17g)"
run 400
print "RESULT e1 $(etotal:%.17g) ke1 $(ke:%.17g)"
"""
    r = results(ok_run(engine, script, np=2, tag="nve")[0])
    drift = abs(r["e1"] - r["e0"])
    assert drift < 1e-3 * r["ke0"], f"energy drift {drift:.3e} eV (ke {r['ke0']:.3e})"
    assert r["ke1"] > 0, "no motion"


def test_npt(engine):
    """fix npt runs on the pair style's pressure: a box under tension (negative virial pressure)
    shrinks toward the target, and 1 and 2 ranks follow the same trajectory."""
    script = structure() + pair_lines() + """velocity all create 300 4711 loop geom
timestep 0.0005
fix 1 all npt temp 300 300 0.05 iso 0 0 0.5
run 0
print "RESULT p0 $(press:%.17g) v0 $(vol:%.17g)"
run 100
print "RESULT v1 $(vol:%.17g) pe1 $(pe:%.17g)"
"""
    r1 = results(ok_run(engine, script, np=1, tag="npt1")[0])
    r2 = results(ok_run(engine, script, np=2, tag="npt2")[0])
    assert r1["p0"] < 0 and r1["v1"] < r1["v0"], \
        f"box under tension (p {r1['p0']:.4g} bar) did not shrink: {r1['v0']} -> {r1['v1']}"
    assert rel(r2["v1"], r1["v1"]) < 1e-8 and rel(r2["pe1"], r1["pe1"]) < 1e-8, \
        f"1 and 2 ranks differ after 100 npt steps: vol {r1['v1']!r} vs {r2['v1']!r}, pe {r1['pe1']!r} vs {r2['pe1']!r}"


def test_extrapolation_warn_ignore(engine):
    out, _ = ok_run(engine, structure() + pair_lines("mock_AB_extrap.model") + "run 2\n", tag="xwarn")
    m = re.findall(r"WARNING: pair_style nnswift: (\d+) extrapolated", out)
    assert len(m) >= 1 and int(m[0]) > 0, "no extrapolation warning with a count"
    out, _ = ok_run(engine, structure() + pair_lines("mock_AB_extrap.model", style_args="extrapolation ignore")
                    + "run 2\n", tag="xign")
    assert "extrapolated" not in out, "extrapolation ignore still warns"


def test_units_lj(engine):
    """units lj: a clear error, or explicit factors."""
    script = structure("lj").replace("lattice fcc 3.9", "lattice fcc 0.8442") + pair_lines() + "run 0\n"
    _, out, _ = lammps(engine, script, tag="lj")
    assert re.search(r"ERROR.*no automatic unit conversion for 'units lj'", out), "no clear error for units lj"
    script = structure("lj").replace("lattice fcc 3.9", "lattice fcc 0.06") + pair_lines(
        style_args="length_factor 1.0 energy_factor 1.0") + 'run 0\nprint "RESULT pe $(pe:%.17g)"\n'
    out, _ = ok_run(engine, script, tag="lj2")
    assert "pe" in results(out), "no energy with explicit factors under units lj"


ERRORS = {  # name: (lines after the structure, expected message, ranks)
    "missing model": (pair_lines("does_not_exist.model"), r"ERROR.*cannot load model .*does_not_exist.*cannot open", 1),
    "corrupt model": (pair_lines("corrupt.model"), r"ERROR.*cannot load model .*corrupt\.model.*not a valid model", 1),
    "element not in model": (pair_lines(elements="A Zz"),
                             r"ERROR.*element 'Zz' \(atom type 2\) is not in model.*elements: A B", 1),
    "too few elements": (pair_lines(elements="A"), r"ERROR.*one element \(or\s+NULL\) per atom type: 2 types but 1", 1),
    "too many elements": (pair_lines(elements="A B A"), r"ERROR.*2 types but 3 elements", 1),
    "not * *": (f"pair_style nnswift\npair_coeff 1 2 {MODELS}/mock_AB.model A B\n",
                r"ERROR.*(Incorrect args for pair coefficients|must start with \* \*|pair_coeff \* \* MODEL)", 1),
    "unknown units": (pair_lines("mock_AB_unknown.model"), r"ERROR.*declares length unit 'unknown'.*length_factor", 1),
    "unknown energy unit": (pair_lines("mock_AB_unknown.model", style_args="length_factor 1.0"),
                            r"ERROR.*declares energy unit 'unknown'.*energy_factor", 1),
    "inverted energy_factor": (pair_lines("mock_AB_bohr.model", style_args=f"energy_factor {1 / HARTREE_PER_EV!r}"),
                               r"ERROR.*energy_factor 27.2113838\d* is the inverse of the model's declared units"
                               r".*model units per LAMMPS unit", 1),
    "bad keyword": ("pair_style nnswift frobnicate 1\n", r"ERROR.*unknown keyword 'frobnicate'", 1),
    "bad extrapolation": ("pair_style nnswift extrapolation maybe\n", r"ERROR.*extrapolation must be warn, ignore or error", 1),
    "bad threads": ("pair_style nnswift threads 0\n", r"ERROR.*threads must be an integer in 1..1024", 1),
    "bad factor": ("pair_style nnswift length_factor -2\n", r"ERROR.*length_factor must be a positive number", 1),
    "extrapolation error": (pair_lines("mock_AB_extrap.model", style_args="extrapolation error"),
                            r"ERROR.*\d+ extrapolated symmetry-function values", 1),
    "newton off": ("newton off on\n" + pair_lines(), r"ERROR.*pair_style nnswift: requires newton pair on", 1),
    "newton off, 2 ranks": ("newton off on\n" + pair_lines(), r"ERROR.*pair_style nnswift: requires newton pair on", 2),
    "missing model, 2 ranks": (pair_lines("nope.model"), r"ERROR.*cannot load model", 2),
}


@pytest.mark.parametrize("name", ERRORS)
def test_error(engine, name):
    """Each user error ends LAMMPS with a clear ERROR line, not a crash or a hang."""
    plines, pattern, np = ERRORS[name]
    rc, out, _ = lammps(engine, structure() + plines + "run 0\n", np=np, tag="err")
    assert rc != -999, "timed out"
    assert not re.search(r"Segmentation|signal 11|SIGSEGV|core dumped|terminate called|Aborted", out), \
        f"crash: {out[-400:]}"
    assert re.search(pattern, out.replace("\n", " ")), f"no ERROR matching /{pattern}/ in output: " + \
        " | ".join(l for l in out.splitlines() if "ERROR" in l)[:400]
