#!/usr/bin/env python3
"""The same structures written in Å and in Bohr, through a model declared in eV/Å (a small gold
model trained here) and one in Bohr/Hartree (the n2p2 water potential, as its n2p2 directory and
as a native file spelling its units "Bohr"/"Ha"), give the same energies in eV through the CLI
(`eval -o`, read back with ASE), the C API and LAMMPS (units metal and electron). The water
energies are also compared with n2p2's own predictions. Tolerance: 1e-12 relative.

    check_units.py PREFIX LMP WORKDIR [--table FILE]
PREFIX: install tree of scripts/build.sh; LMP: lmp_nnswift built against PREFIX/lib/libnnswift.so.
"""
import os
import subprocess
import sys

import numpy as np
from ase.io import read

prefix, lmp, work = (os.path.abspath(p) for p in sys.argv[1:4])
table_path = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--table" else None
here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(here))
water = os.path.join(repo, "..", "shared", "conformance", "n2p2-H2O_RPBE-D3")
cli = os.path.join(prefix, "bin", "nnswift")
helper = os.path.join(work, "units_check")
# Independent constants (CODATA 2006, as n2p2): 1 Å = 1.8897261328 Bohr, 1 eV = 0.0367493254 Ha.
BOHR, HARTREE = 1.8897261328, 0.0367493254
NSTRUCT = 4
TOL = 1e-12
failures = []


def run(cmd, **kw):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    if p.returncode != 0:
        raise SystemExit(f"FAIL: {' '.join(cmd)}\n{p.stdout[-2000:]}")
    return p.stdout


def to_bohr(atoms):
    a = atoms.copy()
    a.set_positions(atoms.get_positions() * BOHR)
    a.set_cell(np.array(atoms.get_cell()) * BOHR)
    return a


def write_extxyz(frames, path):
    """Extended XYZ with every digit (ASE's writer rounds positions to 8 decimals)."""
    with open(path, "w") as fh:
        for a in frames:
            lattice = " ".join(repr(float(v)) for v in np.array(a.get_cell()).ravel())
            pbc = " ".join("T" if p else "F" for p in a.pbc)
            fh.write(f'{len(a)}\nLattice="{lattice}" Properties=species:S:1:pos:R:3 pbc="{pbc}"\n')
            for sym, p in zip(a.get_chemical_symbols(), a.get_positions()):
                fh.write(f"{sym} {float(p[0])!r} {float(p[1])!r} {float(p[2])!r}\n")


def write_plain(atoms, path):
    """Text structure for units_check: natoms, cell (or nocell), symbol x y z."""
    with open(path, "w") as fh:
        fh.write(f"{len(atoms)}\n")
        if atoms.pbc.any():
            fh.write("cell " + " ".join(repr(float(v)) for v in np.array(atoms.get_cell()).ravel()) + "\n")
        else:
            fh.write("nocell\n")
        for s, p in zip(atoms.get_chemical_symbols(), atoms.get_positions()):
            fh.write(f"{s} {float(p[0])!r} {float(p[1])!r} {float(p[2])!r}\n")


def write_lammps_data(atoms, path, elements):
    """Orthogonal periodic box from the origin; positions wrapped into it."""
    L = np.diag(np.array(atoms.get_cell()))
    assert np.allclose(np.array(atoms.get_cell()), np.diag(L)), "orthogonal cells only"
    x = np.mod(atoms.get_positions(), L)
    with open(path, "w") as fh:
        fh.write(f"units check\n\n{len(atoms)} atoms\n{len(elements)} atom types\n\n")
        for k, ax in enumerate("xyz"):
            fh.write(f"0.0 {float(L[k])!r} {ax}lo {ax}hi\n")
        fh.write("\nMasses\n\n" + "".join(f"{i + 1} 1.0\n" for i in range(len(elements))) + "\nAtoms # atomic\n\n")
        for i, (s, p) in enumerate(zip(atoms.get_chemical_symbols(), x)):
            fh.write(f"{i + 1} {elements.index(s) + 1} {float(p[0])!r} {float(p[1])!r} {float(p[2])!r}\n")


def lammps_energy_ev(model, elements, data, style, pair_args):
    script = os.path.join(os.path.dirname(data), "in." + os.path.basename(data))
    with open(script, "w") as fh:
        fh.write(f"units {style}\nboundary p p p\natom_style atomic\nread_data {data}\n"
                 f"pair_style nnswift extrapolation ignore {pair_args}\npair_coeff * * {model} {' '.join(elements)}\n"
                 "thermo_style custom pe\nrun 0\nprint \"RESULT $(pe:%.17g)\"\n")
    out = run([lmp, "-in", script, "-log", "none"], cwd=os.path.dirname(data))
    pe = float([l for l in out.splitlines() if l.startswith("RESULT")][-1].split()[1])
    return pe if style == "metal" else pe / HARTREE  # electron: Hartree -> eV


def cli_energies_ev(model, model_args, path, structure_args):
    out = os.path.join(work, "pred-" + os.path.basename(path))
    run([cli, "eval", model] + model_args + [path, "--extrapolation", "ignore", "-o", out] + structure_args)
    frames = read(out, index=":")  # ASE reads nnswift's output as Å/eV
    return [f.get_potential_energy() for f in frames], frames


def c_energy_ev(model, lu, eu, atoms, unit, tag):
    path = os.path.join(work, f"{tag}.txt")
    write_plain(atoms, path)
    out = run([helper, model, lu, eu, path, unit])
    return float(out.split()[1])


def rel(a, b):
    return abs(a - b) / abs(b)


# ---- models -----------------------------------------------------------------------------
gold_cfg = os.path.join(work, "gold-units.json")
with open(gold_cfg, "w") as fh:
    fh.write(f'''{{"data": ["{repo}/examples/gold/data/Au4.xyz"], "validationFraction": 0.1,
 "architecture": "8t-8t", "symmetryFunctions": {{"preset": "radial-angular", "cutoff": 6.0, "rmin": 2.0}},
 "optimizer": {{"name": "adam", "learningRate": 0.003}}, "batchSize": 16, "epochs": 3, "seed": 1,
 "output": "{work}/gold-units-model.json", "log": null}}''')
train_out = run([cli, "train", gold_cfg, "--quiet"])
if "meV/atom" not in train_out:
    failures.append("train on an eV model does not report meV/atom")
gold = os.path.join(work, "gold-units-model.json")
water_json = os.path.join(work, "water-Bohr.json")
run([cli, "convert", water, water_json, "--length-unit", "bohr", "--energy-unit", "hartree"])
text = open(water_json).read().replace('"length" : "bohr"', '"length" : "Bohr"').replace('"energy" : "hartree"', '"energy" : "Ha"')
assert '"Bohr"' in text and '"Ha"' in text
open(water_json, "w").write(text)

# ---- structures: Å extxyz via ASE, Bohr extxyz, n2p2's predictions as truth for water --------
gold_frames = read(os.path.join(repo, "examples/gold/data/Au5.xyz"), index=f":{NSTRUCT}")
# input.data (Bohr, Hartree) through nnswift's own converter to extxyz, unconverted (factors 1).
run([cli, "convert", os.path.join(water, "train20.input.data"), os.path.join(work, "water-bohr-all.xyz")])
water_bohr = read(os.path.join(work, "water-bohr-all.xyz"), index=f":{NSTRUCT}")
n2p2 = []
for line in open(os.path.join(water, "train20.n2p2-prediction.data")):
    if line.startswith("energy"):
        n2p2.append(float(line.split()[1]) / HARTREE)
water_ang = []
for a in water_bohr:
    b = a.copy()
    b.set_positions(a.get_positions() / BOHR)
    b.set_cell(np.array(a.get_cell()) / BOHR)
    b.calc = None
    water_ang.append(b)
gold_ang = []
for a in gold_frames:
    b = a.copy()
    b.calc = None
    gold_ang.append(b)
sets = {
    "gold": (gold_ang, ["Au"]),
    "water": (water_ang, ["H", "O"]),
}
for name, (frames, _) in sets.items():
    write_extxyz(frames, os.path.join(work, f"{name}-angstrom.xyz"))
    write_extxyz([to_bohr(a) for a in frames], os.path.join(work, f"{name}-bohr.xyz"))

models = [
    # label, structures, model path, CLI model args, C API units, LAMMPS pair_style args per unit style
    ("gold, eV/Å (native)", "gold", gold, [], ("", ""), {}),
    ("water, Bohr/Hartree (n2p2 directory)", "water", water, ["--length-unit", "bohr", "--energy-unit", "hartree"],
     ("bohr", "hartree"), {"metal": f"cflength {BOHR} cfenergy {HARTREE}", "electron": "cflength 1 cfenergy 1"}),
    ("water, \"Bohr\"/\"Ha\" (native)", "water", water_json, [], ("", ""), {}),
]
rows = []
for label, sname, model, margs, (lu, eu), pargs in models:
    frames, elements = sets[sname]
    ang = os.path.join(work, f"{sname}-angstrom.xyz")
    boh = os.path.join(work, f"{sname}-bohr.xyz")
    e_cli_a, pred = cli_energies_ev(model, margs, ang, [])
    e_cli_b, _ = cli_energies_ev(model, margs, boh, ["--structure-length-unit", "bohr", "--structure-energy-unit", "hartree"])
    for f, a in zip(pred, frames):  # ASE reads the written positions back in Å
        if np.max(np.abs(f.get_positions() - a.get_positions())) > 1e-12 * max(1.0, np.max(np.abs(a.get_positions()))):
            failures.append(f"{label}: positions ASE reads from eval -o differ from the input")
    for k, a in enumerate(frames):
        b = to_bohr(a)
        vals = {
            "CLI, Å file": e_cli_a[k],
            "CLI, Bohr file": e_cli_b[k],
            "C API, Å": c_energy_ev(model, lu, eu, a, "angstrom", f"c-{sname}-{k}-a"),
            "C API, Bohr": c_energy_ev(model, lu, eu, b, "Bohr", f"c-{sname}-{k}-b"),
        }
        da = os.path.join(work, f"lmp-{sname}-{k}-metal.data")
        db = os.path.join(work, f"lmp-{sname}-{k}-electron.data")
        write_lammps_data(a, da, elements)
        write_lammps_data(b, db, elements)
        vals["LAMMPS metal"] = lammps_energy_ev(model, elements, da, "metal", pargs.get("metal", ""))
        vals["LAMMPS electron"] = lammps_energy_ev(model, elements, db, "electron", pargs.get("electron", ""))
        if sname == "water":
            vals["n2p2"] = n2p2[k]
        ref = vals["CLI, Å file"]
        worst = max(rel(v, ref) for v in vals.values())
        if worst > TOL:
            failures.append(f"{label}, structure {k + 1}: energies differ by {worst:.2e} relative: {vals}")
        rows.append((label, k + 1, len(a), vals, worst))

cols = ["CLI, Å file", "CLI, Bohr file", "C API, Å", "C API, Bohr", "LAMMPS metal", "LAMMPS electron", "n2p2"]
lines = ["| model | structure | atoms | " + " | ".join(cols) + " | largest relative difference |",
         "| --- | --- | --- | " + " | ".join("---" for _ in cols) + " | --- |"]
for label, k, n, vals, worst in rows:
    lines.append(f"| {label} | {k} | {n} | " + " | ".join(f"{vals[c]:.10f}" if c in vals else "" for c in cols)
                 + f" | {worst:.1e} |")
table = "\n".join(lines)
print(table)
if table_path:
    open(table_path, "w").write(table + "\n")
for f in failures:
    print("FAIL: " + f)
print(f"units check: {len(rows)} structure/model pairs, {len(failures)} failures (tolerance {TOL:g} relative)")
sys.exit(1 if failures else 0)
