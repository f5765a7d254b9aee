"""Readers of the files that the example workflows and the KIM tests pass around (standard
library only): LAMMPS custom dumps, extended XYZ, and the n2p2 water reference text.

Import from a script beside it:  sys.path.insert(0, <repo>/examples); import structure_io
"""
import shlex
from collections import namedtuple

DumpFrame = namedtuple("DumpFrame", "step cell origin rows")
DumpFrame.__doc__ = """One frame of a LAMMPS custom dump.
cell: lattice vectors a, b, c (Angstrom for units metal) as LAMMPS defines them from the box;
origin: (xlo, ylo, zlo); rows: one dict per atom, column name -> text, in file order."""

XYZFrame = namedtuple("XYZFrame", "info species positions forces lattice lines")
XYZFrame.__doc__ = """One frame of an (extended) XYZ file.
info: key -> value of the comment line (keys lower-cased; a word without '=' maps to '');
positions and forces: [x, y, z] per atom (forces None without a forces column);
lattice: three vectors from Lattice="..." or None; lines: the frame's lines as in the file."""


def lammps_dump_frames(path):
    """Yields the DumpFrame of every `ITEM: TIMESTEP` block of a LAMMPS custom dump."""
    with open(path) as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].startswith("ITEM: TIMESTEP"):
            i += 1
            continue
        step = int(lines[i + 1])
        natoms = int(lines[i + 3])
        triclinic = "xy" in lines[i + 4]
        b = [list(map(float, lines[i + 5 + k].split())) for k in range(3)]
        xy, xz, yz = (b[0][2], b[1][2], b[2][2]) if triclinic else (0.0, 0.0, 0.0)
        # Bounding box -> box edges (LAMMPS "Triclinic (non-orthogonal) simulation boxes").
        xlo = b[0][0] - min(0.0, xy, xz, xy + xz)
        xhi = b[0][1] - max(0.0, xy, xz, xy + xz)
        ylo = b[1][0] - min(0.0, yz)
        yhi = b[1][1] - max(0.0, yz)
        zlo, zhi = b[2][0], b[2][1]
        cell = [(xhi - xlo, 0.0, 0.0), (xy, yhi - ylo, 0.0), (xz, yz, zhi - zlo)]
        header = lines[i + 8].split()[2:]
        rows = [dict(zip(header, lines[i + 9 + a].split())) for a in range(natoms)]
        yield DumpFrame(step, cell, (xlo, ylo, zlo), rows)
        i += 9 + natoms


def last_dump_values(path, columns=slice(2, 5)):
    """atom id -> the `columns` of its row (default: the three after id and type) as floats,
    in the last frame of a LAMMPS custom dump whose first column is the id."""
    last = None
    for last in lammps_dump_frames(path):
        pass
    if last is None:
        raise ValueError(f"{path}: no ITEM: TIMESTEP frame")
    return {int(r["id"]): [float(x) for x in list(r.values())[columns]] for r in last.rows}


def read_extxyz(path):
    """The XYZFrame of every frame of an (extended) XYZ file; blank lines between frames are skipped."""
    with open(path) as f:
        lines = f.read().splitlines()
    i, out = 0, []
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        n = int(lines[i].split()[0])
        info = {}
        for tok in shlex.split(lines[i + 1]):
            k, _, v = tok.partition("=")
            info[k.lower()] = v
        props = info.get("properties", "species:S:1:pos:R:3").split(":")
        cols, c = {}, 0
        for name, _, width in zip(props[0::3], props[1::3], props[2::3]):
            cols[name] = (c, c + int(width))
            c += int(width)
        species, pos, forces = [], [], [] if "forces" in cols else None
        for row in lines[i + 2:i + 2 + n]:
            x = row.split()
            species.append(x[cols["species"][0]])
            pos.append([float(v) for v in x[cols["pos"][0]:cols["pos"][1]]])
            if forces is not None:
                forces.append([float(v) for v in x[cols["forces"][0]:cols["forces"][1]]])
        lattice = None
        if "lattice" in info:
            v = [float(t) for t in info["lattice"].split()]
            lattice = [v[0:3], v[3:6], v[6:9]]
        out.append(XYZFrame(info, species, pos, forces, lattice, lines[i:i + 2 + n]))
        i += 2 + n
    return out


def read_water_reference(path):
    """n2p2's liquid-water reference (liquid8640.n2p2-reference.txt): (energy, {atom id: force})."""
    energy, forces = None, {}
    with open(path) as f:
        for line in f:
            t = line.split()
            if not t or t[0].startswith("#"):
                continue
            if t[0] == "energy":
                energy = float(t[1])
            else:
                forces[int(t[0])] = [float(x) for x in t[2:5]]
    return energy, forces
