"""Checks of tests/zbl/run.sh (the ZBL pair baseline against independent paths); see there.

  check.py training LOG.csv DATA.xyz PRED.xyz   reported training RMSEs = RMSEs of the eval predictions
  check.py structure OUT.xyz OUT.data           writes a random triclinic Si/C cell with short contacts
  check.py lammps WITH.xyz WITHOUT.xyz LOG DUMP nnswift (with - without) = LAMMPS pair_style zbl
  check.py same LOG1 DUMP1 LOG2 DUMP2           two LAMMPS runs give the same energy, forces, virial
Exit status 0 when the check passes; the differences are printed.
"""
import math
import random
import re
import shlex
import sys

# LAMMPS metal units: pressure (bar) = virial (eV) / volume (Å³) * nktv2p.
NKTV2P = 1.6021765e6


def read_xyz(path):
    """Frames of an extended XYZ file: energy, forces, stress (3x3 or None), cell volume."""
    lines = open(path).read().splitlines()
    frames, i = [], 0
    while i < len(lines) and lines[i].strip():
        n = int(lines[i])
        info = dict(re.findall(r'(\w+)=("[^"]*"|\S+)', lines[i + 1]))
        info = {k: v.strip('"') for k, v in info.items()}
        props = info["Properties"].split(":")
        col, fcol = 0, None
        for name, kind, width in zip(props[0::3], props[1::3], props[2::3]):
            if name == "forces":
                fcol = col
            col += int(width)
        rows = [l.split() for l in lines[i + 2:i + 2 + n]]
        forces = [[float(x) for x in r[fcol:fcol + 3]] for r in rows] if fcol is not None else None
        lat = [float(x) for x in info["Lattice"].split()]
        a, b, c = lat[0:3], lat[3:6], lat[6:9]
        vol = abs(a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]))
        stress = [float(x) for x in info["stress"].split()] if "stress" in info else None
        frames.append({"n": n, "energy": float(info["energy"]), "forces": forces, "stress": stress, "volume": vol})
        i += 2 + n
    return frames


def training(log, data, pred):
    row = [l.split(",") for l in open(log).read().splitlines()][-1]
    rep_e, rep_f = float(row[2]), float(row[3])
    ref, out = read_xyz(data), read_xyz(pred)
    e2 = sum(((p["energy"] - r["energy"]) / r["n"]) ** 2 for r, p in zip(ref, out)) / len(ref)
    f2 = sum((a - b) ** 2 for r, p in zip(ref, out) for fr, fp in zip(r["forces"], p["forces"]) for a, b in zip(fr, fp))
    f2 /= sum(3 * r["n"] for r in ref)
    e, f = math.sqrt(e2), math.sqrt(f2)
    print(f"energy RMSE per atom: reported {rep_e:.9e}, eval {e:.9e}; force RMSE: reported {rep_f:.9e}, eval {f:.9e}")
    # The log holds 10 significant digits; eval writes full precision.
    return abs(rep_e - e) <= 1e-8 * e and abs(rep_f - f) <= 1e-8 * f


def structure(xyz, data):
    """40 atoms in a LAMMPS-oriented triclinic cell (a along x, b in the xy plane), contacts >= 0.7 Å."""
    rnd = random.Random(11)
    a, b, c = [7.3, 0, 0], [1.1, 7.0, 0], [-0.8, 0.6, 7.2]
    cell = [a, b, c]

    def cart(s):
        return [sum(s[k] * cell[k][d] for k in range(3)) for d in range(3)]

    def dist(p, q):
        best = 1e9
        for i in (-1, 0, 1):
            for j in (-1, 0, 1):
                for k in (-1, 0, 1):
                    d = [q[x] - p[x] + i * a[x] + j * b[x] + k * c[x] for x in range(3)]
                    best = min(best, math.sqrt(sum(v * v for v in d)))
        return best
    pos = []
    while len(pos) < 40:
        p = cart([rnd.random() for _ in range(3)])
        if all(dist(p, q) >= 0.7 for q in pos):
            pos.append(p)
    el = ["Si" if i % 2 == 0 else "C" for i in range(40)]
    with open(xyz, "w") as f:
        f.write(f"40\nLattice=\"{' '.join(repr(float(x)) for v in cell for x in v)}\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n")
        for e, p in zip(el, pos):
            f.write(f"{e} {p[0]!r} {p[1]!r} {p[2]!r}\n")
    with open(data, "w") as f:
        f.write("random Si/C cell\n\n40 atoms\n2 atom types\n\n")
        f.write(f"0 {a[0]!r} xlo xhi\n0 {b[1]!r} ylo yhi\n0 {c[2]!r} zlo zhi\n{b[0]!r} {c[0]!r} {c[1]!r} xy xz yz\n\nAtoms # atomic\n\n")
        for i, (e, p) in enumerate(zip(el, pos)):
            f.write(f"{i + 1} {1 if e == 'Si' else 2} {p[0]!r} {p[1]!r} {p[2]!r}\n")
    return True


def read_lammps(log, dump):
    """Energy, virial (xx yy zz xy xz yz, eV), forces and per-atom energies of a `run 0`."""
    lines = open(log).read().splitlines()
    k = next(i for i, l in enumerate(lines) if l.split()[:3] == ["Step", "PotEng", "Volume"])
    v = [float(x) for x in lines[k + 1].split()]
    energy, vol = v[1], v[2]
    virial = [p * vol / NKTV2P for p in v[3:9]]
    rows = open(dump).read().splitlines()
    start = rows.index(next(r for r in rows if r.startswith("ITEM: ATOMS"))) + 1
    atoms = [[float(x) for x in r.split()] for r in rows[start:]]
    return energy, virial, [a[2:5] for a in atoms], [a[5] for a in atoms]


def rel(a, b, scale):
    return max(abs(x - y) for x, y in zip(a, b)) / scale


def lammps(with_path, without_path, log, dump):
    w, o = read_xyz(with_path)[0], read_xyz(without_path)[0]
    energy, virial, forces, _ = read_lammps(log, dump)
    e = w["energy"] - o["energy"]
    f = [[x - y for x, y in zip(fw, fo)] for fw, fo in zip(w["forces"], o["forces"])]
    # ASE stress (xx xy xz / yx yy yz / zx zy zz) = -W / V.
    s = [x - y for x, y in zip(w["stress"], o["stress"])]
    W = [-s[i] * w["volume"] for i in (0, 4, 8, 1, 2, 5)]
    fmax = max(abs(x) for r in forces for x in r)
    de = abs(e - energy) / abs(energy)
    df = rel([x for r in f for x in r], [x for r in forces for x in r], fmax)
    dw = rel(W, virial, max(abs(x) for x in virial))
    print(f"ZBL energy: nnswift {e:.12g} eV, LAMMPS {energy:.12g} eV (relative difference {de:.1e}); "
          f"forces up to {fmax:.4g} eV/Å, max difference / max {df:.1e}; virial max difference / max {dw:.1e}")
    return energy > 1 and de < 1e-10 and df < 1e-10 and dw < 1e-9


def same(log1, dump1, log2, dump2):
    e1, v1, f1, a1 = read_lammps(log1, dump1)
    e2, v2, f2, a2 = read_lammps(log2, dump2)
    fmax = max(abs(x) for r in f1 for x in r)
    de = abs(e1 - e2) / abs(e1)
    df = rel([x for r in f1 for x in r], [x for r in f2 for x in r], fmax)
    dv = rel(v1, v2, max(abs(x) for x in v1))
    da = rel(a1, a2, max(abs(x) for x in a1))
    print(f"energy {e1:.12g} vs {e2:.12g} eV (relative {de:.1e}); forces {df:.1e}, virial {dv:.1e}, per-atom energies {da:.1e} (relative to the largest)")
    return de < 1e-10 and df < 1e-10 and dv < 1e-9 and da < 1e-10


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    ok = {"training": training, "structure": structure, "lammps": lammps, "same": same}[mode](*args)
    sys.exit(0 if ok else 1)
