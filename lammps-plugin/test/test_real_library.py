"""pair_style nnswift with the real libnnswift.so: liquid8640 water against the n2p2 reference
values (1, 2, 4 ranks; threads bit-identical), and LAMMPS minimize against nnswift minimize.
Runs when run_tests.sh was given NNSWIFT_LIBRARY; skipped when ../shared/conformance is absent."""
import functools
import math
import os
import re
import subprocess
import tempfile

import pytest

from lammps_helpers import (BOHR_PER_ANG, CLI, ENGINES, HARTREE_PER_EV, LMP, WATER, WORK, available, ok_run,
                            read_dump, rel, results)

pytestmark = [
    pytest.mark.skipif(not (LMP[("debian", True)] or LMP[("wheel", True)]), reason="no NNSWIFT_LIBRARY given"),
    pytest.mark.skipif(not os.path.exists(os.path.join(WATER, "liquid8640.lmp-data")),
                       reason=f"{WATER or 'NNSWIFT_TEST_WATER_DIR'}: liquid8640 not found (../shared is absent)"),
]


@pytest.fixture(params=ENGINES)
def real_engine(request):
    why = available(request.param, real=True)
    if why:
        pytest.fail(f"[{request.param}] {why}")
    return request.param


WATER_SETUP = f"""units metal
boundary p p p
atom_style atomic
read_data {os.path.join(WATER, "liquid8640.lmp-data")}
pair_style nnswift cflength {BOHR_PER_ANG} cfenergy {HARTREE_PER_EV} threads {{threads}}
pair_coeff * * {WATER} H O
"""


@functools.lru_cache(maxsize=None)
def water(engine, np, threads):
    """(results, {id: force, per-atom energy, per-atom virial (6)}) of run 0 on liquid8640,
    metal units, the n2p2 potential in Bohr/Hartree."""
    script = WATER_SETUP.format(threads=threads) + """compute vir all pressure NULL virial
compute pea all pe/atom
compute sa all stress/atom NULL virial
thermo_style custom step pe c_vir
dump fdump all custom 1 forces.dump id fx fy fz c_pea c_sa[1] c_sa[2] c_sa[3] c_sa[4] c_sa[5] c_sa[6]
dump_modify fdump sort id format float %.17g
run 0
print "RESULT pe $(pe:%.17g) press $(c_vir:%.17g)"
"""
    out, d = ok_run(engine, script, np=np, tag="water", real=True)
    assert f"pair_style nnswift: {threads} thread(s) per MPI rank" in out, f"no report of {threads} threads"
    return results(out), read_dump(os.path.join(d, "forces.dump"), 10)


@functools.lru_cache(maxsize=None)
def water_md(engine, np, threads):
    """(results, {id: position, force}) after 2 NVE steps of liquid8640 with neighbor lists
    rebuilt every other step (step 1 reuses the list of the setup, step 2 rebuilds it)."""
    script = WATER_SETUP.format(threads=threads) + """velocity all create 300 4928459 loop geom
neighbor 1.0 bin
neigh_modify every 2 delay 0 check no
timestep 0.0005
fix integrate all nve
thermo 1
run 2
print "RESULT pe $(pe:%.17g) press $(press:%.17g)"
write_dump all custom final.dump id x y z fx fy fz modify sort id format float %.17g
"""
    out, d = ok_run(engine, script, np=np, tag="watermd", real=True)
    builds = re.search(r"Neighbor list builds\s*=\s*(\d+)", out)
    assert builds and int(builds.group(1)) == 1, "expected one list rebuild (step 2) after the setup's"
    return results(out), read_dump(os.path.join(d, "final.dump"), 6)


def n2p2_reference():
    eref, fref = None, {}
    for t in (line.split() for line in open(os.path.join(WATER, "liquid8640.n2p2-reference.txt"))):
        if not t or t[0].startswith("#"):
            continue
        if t[0] == "energy":
            eref = float(t[1])
        else:
            fref[int(t[0])] = tuple(float(x) for x in t[2:5])
    return eref, fref


@pytest.mark.parametrize("np,threads", [(1, 1), (2, 1), (4, 1), (1, 2), (1, 4), (2, 2)],
                         ids=lambda v: str(v))
def test_water_matches_n2p2(real_engine, np, threads):
    """Energy to 1e-10 relative and every force component to 1e-7 eV/A of the n2p2 reference;
    energy, pressure and forces agree with 1 rank x 1 thread, and are bit-identical to 1 thread
    at the same rank count."""
    r, f = water(real_engine, np, threads)
    eref, fref = n2p2_reference()
    forces = lambda values: {i: v[:3] for i, v in values.items()}
    f, f_all = forces(f), f
    assert rel(r["pe"], eref) < 1e-10, f"energy {r['pe']!r} vs reference {eref!r}"
    worst = max(abs(a - b) for i in fref for a, b in zip(f[i], fref[i]))
    assert worst < 1e-7, f"max force difference {worst:.3e} eV/A"
    r1, f1 = water(real_engine, 1, 1)
    f1 = forces(f1)
    assert rel(r["pe"], r1["pe"]) < 1e-10 and rel(r["press"], r1["press"]) < 1e-10, \
        f"pe {r['pe']!r} press {r['press']!r} differ from 1 rank's {r1['pe']!r} {r1['press']!r}"
    worst_runs = max(abs(a - b) for i in f for a, b in zip(f[i], f1[i]))
    assert worst_runs < 1e-10, f"forces differ from 1 rank's by {worst_runs:.2e}"
    if threads > 1:
        same, fsame = water(real_engine, np, 1)
        assert r["pe"] == same["pe"] and r["press"] == same["press"], \
            f"{threads} threads not bit-identical to 1 thread (pe {r['pe']!r} vs {same['pe']!r}, " \
            f"press {r['press']!r} vs {same['press']!r})"
        differ = [i for i in f_all if f_all[i] != fsame[i]]
        assert not differ, f"{threads} threads: force, per-atom energy or virial of {len(differ)} atoms not " \
            f"bit-identical to 1 thread (atom {differ[:1]}: {f_all[differ[0]] if differ else ''} vs " \
            f"{fsame[differ[0]] if differ else ''})"


@pytest.mark.parametrize("np,threads", [(1, 2), (1, 4), (2, 2)], ids=lambda v: str(v))
def test_water_md_threads_bit_identical(real_engine, np, threads):
    """2 MD steps (list reused, then rebuilt): energy, pressure, positions and forces with N
    threads bit-identical to 1 thread at the same rank count, and within 1e-10 of 1 rank."""
    r, a = water_md(real_engine, np, threads)
    same, b = water_md(real_engine, np, 1)
    assert r["pe"] == same["pe"] and r["press"] == same["press"], \
        f"pe {r['pe']!r} press {r['press']!r} vs 1 thread's {same['pe']!r} {same['press']!r}"
    differ = [i for i in a if a[i] != b[i]]
    assert not differ, f"positions or forces of {len(differ)} atoms differ from 1 thread's"
    r1, c = water_md(real_engine, 1, 1)
    assert rel(r["pe"], r1["pe"]) < 1e-10, f"pe {r['pe']!r} vs 1 rank's {r1['pe']!r}"
    worst = max(abs(x - y) for i in a for x, y in zip(a[i], c[i]))
    assert worst < 1e-9, f"positions or forces differ from 1 rank x 1 thread by {worst:.2e}"


def water_cluster(path, molecules=3):
    """The first `molecules` water molecules nearest to the first O of train20 structure 1
    (Bohr), as a free cluster: [(element, x, y, z)]."""
    atoms, lattice = [], []
    for line in open(path):
        t = line.split()
        if t and t[0] == "lattice":
            lattice.append([float(x) for x in t[1:4]])
        elif t and t[0] == "atom":
            atoms.append((t[4], [float(x) for x in t[1:4]]))
        elif t and t[0] == "end":
            break
    L = [lattice[i][i] for i in range(3)]          # train20 cells are cubic
    o0 = atoms[0][1]

    def image(p, ref):
        return [p[k] - L[k] * round((p[k] - ref[k]) / L[k]) for k in range(3)]
    oxygens = [i for i, a in enumerate(atoms) if a[0] == "O"]
    oxygens.sort(key=lambda i: sum((x - y) ** 2 for x, y in zip(image(atoms[i][1], o0), o0)))
    out = []
    for i in oxygens[:molecules]:
        o = image(atoms[i][1], o0)
        out.append(("O", *o))
        for h in (i + 1, i + 2):                     # each O is followed by its two H
            out.append(("H", *image(atoms[h][1], o)))
    return out


@pytest.mark.skipif(not (CLI and os.path.exists(CLI)), reason="no nnswift CLI")
def test_minimize_matches_cli(real_engine):
    """LAMMPS `minimize` with pair_style nnswift and `nnswift minimize` reach the same minimum
    from the same start (water trimer, Bohr/Hartree, LAMMPS units electron)."""
    cluster = water_cluster(os.path.join(WATER, "train20.input.data"))
    d = tempfile.mkdtemp(prefix="mincli-", dir=WORK)
    with open(os.path.join(d, "start.xyz"), "w") as fh:
        fh.write(f"{len(cluster)}\npbc=\"F F F\"\n")
        for e, x, y, z in cluster:
            fh.write(f"{e} {x!r} {y!r} {z!r}\n")
    data = os.path.join(d, "start.data")
    with open(data, "w") as fh:
        fh.write(f"water trimer\n\n{len(cluster)} atoms\n2 atom types\n\n")
        for k, ax in enumerate("xyz"):
            c = [a[k + 1] for a in cluster]
            fh.write(f"{min(c) - 30!r} {max(c) + 30!r} {ax}lo {ax}hi\n")
        fh.write("\nMasses\n\n1 1.00794\n2 15.9994\n\nAtoms # atomic\n\n")
        for i, (e, x, y, z) in enumerate(cluster):
            fh.write(f"{i + 1} {1 if e == 'H' else 2} {x!r} {y!r} {z!r}\n")
    script = f"""units electron
boundary f f f
atom_style atomic
read_data {data}
pair_style nnswift length_factor 1.0 energy_factor 1.0
pair_coeff * * {WATER} H O
min_style cg
min_modify line forcezero
minimize 0.0 1.0e-9 5000 50000
print "RESULT pe $(pe:%.17g) fmax $(fmax:%.17g)"
write_dump all custom final.dump id x y z modify sort id format float %.17g
"""
    out, ld = ok_run(real_engine, script, tag="mincli", real=True)
    r = results(out)
    p = subprocess.run([CLI, "minimize", WATER, os.path.join(d, "start.xyz"), "--length-unit", "bohr",
                        "--energy-unit", "hartree", "--structure-length-unit", "bohr", "--structure-energy-unit",
                        "hartree", "--write-model-units", "--fmax", "1e-8", "--steps", "5000", "-o",
                        os.path.join(d, "min.xyz"), "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    assert p.returncode == 0, f"nnswift minimize failed: {p.stdout[-300:]}"
    lines = open(os.path.join(d, "min.xyz")).read().splitlines()
    e_cli = float(re.search(r"energy=(\S+)", lines[1]).group(1))
    xyz_cli = [[float(v) for v in l.split()[1:4]] for l in lines[2:2 + len(cluster)]]
    final = read_dump(os.path.join(ld, "final.dump"))
    xyz_lmp = [final[i + 1] for i in range(len(cluster))]
    assert r["fmax"] < 1e-6, f"LAMMPS minimize stopped at fmax {r['fmax']:.2e}"
    assert abs(r["pe"] - e_cli) < 1e-9, f"minimum energy LAMMPS {r['pe']!r} vs nnswift {e_cli!r} Hartree"

    def distances(xyz):  # rotation- and translation-free description of the geometry
        return [math.dist(xyz[i], xyz[j]) for i in range(len(xyz)) for j in range(i)]
    worst = max(abs(a - b) for a, b in zip(distances(xyz_lmp), distances(xyz_cli)))
    assert worst < 1e-3, f"interatomic distances of the two minima differ by up to {worst:.2e} Bohr"
