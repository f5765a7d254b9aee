#!/usr/bin/env python3
"""Small helpers for the gold workflows (standard library only).

  gold_tools.py random-cluster N [--seed S] [--bond 2.8] [--center 10] [--count K]
      random compact cluster(s): N points uniform in a sphere of close-packed radius for
      nearest-neighbour distance --bond, no two closer than 0.85 bond; printed as LAMMPS
      `create_atoms 1 single x y z units box` lines (K blocks separated by `# start k`).
  gold_tools.py xyz-to-lammps FILE [--frame I] [--center C]
      a frame of an (extended) XYZ file as create_atoms lines, centroid moved to (C, C, C).
  gold_tools.py lowest FILE [FILE ...]
      lowest `energy=` over all frames (and the frame index) of extended XYZ files.
  gold_tools.py frame-energy FILE [--frame I]
      the `energy=` of one frame.
  gold_tools.py lmp-dump-to-xyz DUMP OUT.xyz [--energy E]
      last frame of a LAMMPS `dump xyz`/custom (id type x y z) file as extended XYZ (free cluster).
  gold_tools.py eam-random-input N --eam FILE [--count K] [--quench Q] [--seed S] [--dir D]
      a LAMMPS input: K random compact starts of AuN, each minimized with EAM, then Q cycles of
      (1000 K MD for 1 ps, minimize) from the last minimum; prints `MIN k q E` lines and writes
      every minimum to D/min_k_q.xyz (dump xyz).
  gold_tools.py short-range-input FILE --eam EAM --dir D [--count K] [--dmin 1.35] [--dmax 1.9] [--seed S]
      a LAMMPS input that evaluates EAM energies/forces of K frames of FILE (free clusters in
      their box) in which one random nearest-neighbour pair was pushed together to a distance
      uniform in [dmin, dmax]: data for the repulsive wall, which 1000 K MD never samples.
      Writes D/short_k.dump (id type x y z fx fy fz c_pea).
  gold_tools.py merge-minima FILE ... [--keep 5]
      the --keep lowest distinct (energy differs by > 1e-4 eV) frames of several search outputs.
  gold_tools.py fragmented FILE [--radius 4.0]
      exit 1 if any frame of FILE has a cluster that is not connected at --radius.
"""
import argparse
import math
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import structure_io  # noqa: E402  (examples/structure_io.py)


def read_xyz(path):
    """Yields (info dict, [(sym, x, y, z)], orthorhombic box lengths or None) per frame."""
    for f in structure_io.read_extxyz(path):
        lat = (f.lattice[0][0], f.lattice[1][1], f.lattice[2][2]) if f.lattice else None
        yield f.info, [(sym, *p) for sym, p in zip(f.species, f.positions)], lat


def energy_of(info):
    return float(info["energy"]) if "energy" in info else None


def unwrap_cluster(atoms, lat):
    """Unwraps a cluster split by periodic boundaries (orthorhombic box): each atom is moved
    to the image nearest to the running centroid of the atoms placed before it."""
    if lat is None:
        return atoms
    out = [atoms[0]]
    for s, x, y, z in atoms[1:]:
        cx = sum(a[1] for a in out) / len(out)
        cy = sum(a[2] for a in out) / len(out)
        cz = sum(a[3] for a in out) / len(out)
        x -= lat[0] * round((x - cx) / lat[0])
        y -= lat[1] * round((y - cy) / lat[1])
        z -= lat[2] * round((z - cz) / lat[2])
        out.append((s, x, y, z))
    return out


def random_cluster(n, rng, bond):
    radius = bond * (3.0 * n / (4.0 * math.pi * math.sqrt(2.0))) ** (1.0 / 3.0)
    radius = max(radius, 0.6 * bond)
    dmin = 0.85 * bond
    while True:
        pts = []
        tries = 0
        while len(pts) < n and tries < 20000:
            tries += 1
            x, y, z = (rng.uniform(-radius, radius) for _ in range(3))
            if x * x + y * y + z * z > radius * radius:
                continue
            if all((x - a) ** 2 + (y - b) ** 2 + (z - c) ** 2 >= dmin * dmin for a, b, c in pts):
                pts.append((x, y, z))
        if len(pts) == n:
            return pts
        radius *= 1.05


def connected(atoms, radius):
    n = len(atoms)
    seen = {0}
    stack = [0]
    while stack:
        i = stack.pop()
        for j in range(n):
            if j not in seen:
                d2 = sum((atoms[i][k] - atoms[j][k]) ** 2 for k in (1, 2, 3))
                if d2 <= radius * radius:
                    seen.add(j)
                    stack.append(j)
    return len(seen) == n


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("random-cluster")
    a.add_argument("n", type=int)
    a.add_argument("--seed", type=int, default=1)
    a.add_argument("--bond", type=float, default=2.8)
    a.add_argument("--center", type=float, default=10.0)
    a.add_argument("--count", type=int, default=1)
    b = sub.add_parser("xyz-to-lammps")
    b.add_argument("file")
    b.add_argument("--frame", type=int, default=0)
    b.add_argument("--center", type=float, default=10.0)
    c = sub.add_parser("lowest")
    c.add_argument("files", nargs="+")
    d = sub.add_parser("frame-energy")
    d.add_argument("file")
    d.add_argument("--frame", type=int, default=0)
    e = sub.add_parser("lmp-dump-to-xyz")
    e.add_argument("dump")
    e.add_argument("out")
    e.add_argument("--energy", type=float, default=None)
    g = sub.add_parser("eam-random-input")
    g.add_argument("n", type=int)
    g.add_argument("--eam", required=True)
    g.add_argument("--count", type=int, default=100)
    g.add_argument("--quench", type=int, default=0)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--dir", default=".")
    g.add_argument("--box", type=float, default=30.0)
    h = sub.add_parser("short-range-input")
    h.add_argument("file")
    h.add_argument("--eam", required=True)
    h.add_argument("--dir", required=True)
    h.add_argument("--count", type=int, default=30)
    h.add_argument("--dmin", type=float, default=1.35)
    h.add_argument("--dmax", type=float, default=1.9)
    h.add_argument("--seed", type=int, default=1)
    m = sub.add_parser("merge-minima")
    m.add_argument("files", nargs="+")
    m.add_argument("--keep", type=int, default=5)
    f = sub.add_parser("fragmented")
    f.add_argument("file")
    f.add_argument("--radius", type=float, default=4.0)
    args = p.parse_args()

    if args.cmd == "random-cluster":
        rng = random.Random(args.seed)
        for k in range(args.count):
            if args.count > 1:
                print(f"# start {k + 1}")
            for x, y, z in random_cluster(args.n, rng, args.bond):
                c = args.center
                print(f"create_atoms 1 single {x + c:.6f} {y + c:.6f} {z + c:.6f} units box")
    elif args.cmd == "xyz-to-lammps":
        for i, (info, atoms, lat) in enumerate(read_xyz(args.file)):
            if i == args.frame:
                atoms = unwrap_cluster(atoms, lat)
                n = len(atoms)
                cx, cy, cz = (sum(at[k] for at in atoms) / n for k in (1, 2, 3))
                for s, x, y, z in atoms:
                    c = args.center
                    print(f"create_atoms 1 single {x - cx + c:.10f} {y - cy + c:.10f} {z - cz + c:.10f} units box")
                return
        sys.exit(f"{args.file}: no frame {args.frame}")
    elif args.cmd == "lowest":
        best = None
        for path in args.files:
            for i, (info, atoms, lat) in enumerate(read_xyz(path)):
                e = energy_of(info)
                if e is not None and (best is None or e < best[0]):
                    best = (e, path, i)
        if best is None:
            sys.exit("no energies")
        print(f"{best[0]:.6f} {best[1]} {best[2]}")
    elif args.cmd == "frame-energy":
        for i, (info, atoms, lat) in enumerate(read_xyz(args.file)):
            if i == args.frame:
                print(f"{energy_of(info):.6f}")
                return
        sys.exit(f"{args.file}: no frame {args.frame}")
    elif args.cmd == "lmp-dump-to-xyz":
        with open(args.dump) as fh:
            custom = fh.readline().startswith("ITEM: TIMESTEP")
        if custom:  # custom/atom dump: its last frame
            *_, last = structure_io.lammps_dump_frames(args.dump)
            rows = sorted(last.rows, key=lambda r: int(r.get("id", 0)))
            atoms = [("Au", float(r["x"]), float(r["y"]), float(r["z"])) for r in rows]
        else:  # xyz dump: its last frame
            atoms = [("Au", *p) for p in structure_io.read_extxyz(args.dump)[-1].positions]
        with open(args.out, "w") as out:
            out.write(f"{len(atoms)}\n")
            extra = f" energy={args.energy:.8f}" if args.energy is not None else ""
            out.write(f'Properties=species:S:1:pos:R:3{extra} pbc="F F F"\n')
            for s, x, y, z in atoms:
                out.write(f"Au {x:.10f} {y:.10f} {z:.10f}\n")
    elif args.cmd == "eam-random-input":
        rng = random.Random(args.seed)
        c = args.box / 2
        print("units metal\natom_style atomic\nboundary p p p")
        print(f"region box block 0 {args.box} 0 {args.box} 0 {args.box}\ncreate_box 1 box\nmass 1 196.96657")
        print(f"pair_style eam\npair_coeff 1 1 {args.eam}\nneighbor 2.0 bin\nneigh_modify every 1 delay 0 check yes")
        print("thermo 100000\nmin_style cg\ntimestep 0.002\ngroup everything region box")
        for k in range(1, args.count + 1):
            print("delete_atoms group all" if k > 1 else "")
            for x, y, z in random_cluster(args.n, rng, 2.75):
                print(f"create_atoms 1 single {x + c:.6f} {y + c:.6f} {z + c:.6f} units box")
            print("minimize 0 1e-10 20000 200000")
            print(f'print "MIN {k} 0 $(pe:%.10f)"')
            print(f"write_dump all xyz {args.dir}/min_{k}_0.xyz modify sort id")
            for q in range(1, args.quench + 1):
                print(f"velocity all create 1000.0 {rng.randint(1, 10**8)} mom yes rot yes dist gaussian")
                print("fix nvt all nvt temp 1000.0 1000.0 0.1\nrun 500\nunfix nvt")
                print("velocity all set 0 0 0")
                print("minimize 0 1e-10 20000 200000")
                print(f'print "MIN {k} {q} $(pe:%.10f)"')
                print(f"write_dump all xyz {args.dir}/min_{k}_{q}.xyz modify sort id")
    elif args.cmd == "short-range-input":
        rng = random.Random(args.seed)
        frames = list(read_xyz(args.file))
        picks = [frames[int(i * len(frames) / args.count)] for i in range(args.count)]
        L = picks[0][2][0]
        print(f"units metal\natom_style atomic\nboundary p p p\nregion box block 0 {L} 0 {L} 0 {L}\ncreate_box 1 box")
        print(f"mass 1 196.96657\npair_style eam\npair_coeff 1 1 {args.eam}\ncompute pea all pe/atom")
        for k, (info, atoms, lat) in enumerate(picks):
            atoms = [list(a[1:]) for a in unwrap_cluster(atoms, lat)]
            n = len(atoms)
            i = rng.randrange(n)
            j = min((q for q in range(n) if q != i),
                    key=lambda q: sum((atoms[i][c] - atoms[q][c]) ** 2 for c in range(3)))
            v = [atoms[j][c] - atoms[i][c] for c in range(3)]
            d = math.sqrt(sum(x * x for x in v))
            target = rng.uniform(args.dmin, args.dmax)
            # move both atoms symmetrically along the bond
            for c in range(3):
                shift = 0.5 * (d - target) * v[c] / d
                atoms[i][c] += shift
                atoms[j][c] -= shift
            if k > 0:
                print("delete_atoms group all")
            for x, y, z in atoms:
                print(f"create_atoms 1 single {x % L:.10f} {y % L:.10f} {z % L:.10f} units box")
            print(f"dump d all custom 1 {args.dir}/short_{k}.dump id type x y z fx fy fz c_pea")
            print("dump_modify d sort id format float %.10f\nrun 0\nundump d")
    elif args.cmd == "merge-minima":
        frames = [(energy_of(f.info), f.lines) for path in args.files for f in structure_io.read_extxyz(path)]
        frames.sort(key=lambda f: f[0])
        kept = []
        for e, block in frames:  # drop copies of the same minimum (energy within 1e-4 eV)
            if all(abs(e - k[0]) > 1e-4 for k in kept):
                kept.append((e, block))
        for e, block in kept[:args.keep]:
            print("\n".join(block))
    elif args.cmd == "fragmented":
        for info, atoms, lat in read_xyz(args.file):
            if not connected(unwrap_cluster(atoms, lat), args.radius):
                sys.exit(1)


if __name__ == "__main__":
    main()
