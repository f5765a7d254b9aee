#!/usr/bin/env python3
"""Independent check of the reference values in validate.py's properties.json.

  check_reference.py PROPERTIES.json [--potential /usr/share/lammps/potentials/SiC.tersoff]

The Tersoff column of SiC's validation table (properties.json's "reference") comes from LAMMPS (`pair_style tersoff`). This script
recomputes the crystal properties with a second, independent implementation of the same
potential, ASE's `ase.calculators.tersoff.Tersoff` (pure Python, reads the same parameter file),
on an 8-atom cubic cell, and compares with a literature value:
  - a0 within 0.005 Angstrom of Tersoff's published 4.32 Angstrom (PRB 39, 5566 (1989));
  - ASE's pressure at LAMMPS' a0 below 0.05 GPa (the minimum is the same) and ASE's energy per
    atom there equal to LAMMPS' E0 within 1e-5 eV;
  - C11, C12 (strain along x), clamped- and relaxed-ion C44 (shear yz, BFGS of the atoms at fixed
    cell) from ASE's stresses at the same +-0.5 % strains, within 1e-4 (relative) of LAMMPS';
  - B from LAMMPS' E(V) fit (energy route) within 1 % of (C11 + 2 C12)/3 (stress route).
Prints PASS/FAIL lines and "reference: N passed, M failed".
"""
import argparse
import json
import sys

import numpy as np
from ase.build import bulk
from ase.calculators.tersoff import Tersoff
from ase.optimize import BFGS

EV_PER_A3_IN_GPA = 160.2176634


def main():
    p = argparse.ArgumentParser()
    p.add_argument("properties")
    p.add_argument("--potential", default="/usr/share/lammps/potentials/SiC.tersoff")
    a = p.parse_args()
    ref = json.load(open(a.properties))["reference"]
    calc = Tersoff.from_lammps(a.potential)
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        print(("PASS " if ok else "FAIL ") + what)
        passed += bool(ok)
        failed += not ok

    def crystal(a0):
        atoms = bulk("SiC", "zincblende", a=a0, cubic=True)
        atoms.calc = calc
        return atoms

    a0 = ref["a0"]
    check(abs(a0 - 4.32) < 0.005, f"LAMMPS Tersoff a0 {a0:.5f} A within 0.005 A of Tersoff's published 4.32 A")
    atoms = crystal(a0)
    e = atoms.get_potential_energy() / len(atoms)
    pressure = -np.mean(atoms.get_stress()[:3]) * EV_PER_A3_IN_GPA
    check(abs(pressure) < 0.05, f"ASE Tersoff pressure at LAMMPS' a0: {pressure:+.4f} GPa (|P| < 0.05)")
    check(abs(e - ref["e0"]) < 1e-5, f"ASE E/atom at a0 {e:.6f} eV = LAMMPS {ref['e0']:.6f} eV (1e-5)")

    strain = 0.005

    def stress(deformation, relax):
        at = crystal(a0)
        cell = at.cell.array.copy()
        at.set_cell(cell @ (np.eye(3) + deformation), scale_atoms=True)
        if relax:
            BFGS(at, logfile=None).run(fmax=1e-6, steps=500)
        return at.get_stress(voigt=False) * EV_PER_A3_IN_GPA  # sigma, GPa

    def central(deformation, ij, relax):
        return (stress(strain * deformation, relax)[ij] - stress(-strain * deformation, relax)[ij]) / (2 * strain)

    ex = np.zeros((3, 3)); ex[0, 0] = 1
    # Engineering shear gamma_yz: y += gamma z (LAMMPS' yz tilt), i.e. row-vector cell @ (I + D), D[2, 1] = 1.
    shear = np.zeros((3, 3)); shear[2, 1] = 1
    ase_values = {
        "c11": central(ex, (0, 0), relax=True),
        "c12": central(ex, (1, 1), relax=True),
        "c44": central(shear, (1, 2), relax=True),
        "c44_clamped": central(shear, (1, 2), relax=False),
    }
    for key, value in ase_values.items():
        rel = abs(value - ref[key]) / abs(ref[key])
        check(rel < 1e-4, f"{key}: ASE {value:.2f} GPa, LAMMPS {ref[key]:.2f} GPa (relative difference {rel:.1e} < 1e-4)")
    b_c = (ref["c11"] + 2 * ref["c12"]) / 3
    check(abs(ref["bulk"] - b_c) / b_c < 0.01,
          f"B from E(V) {ref['bulk']:.1f} GPa = (C11 + 2 C12)/3 {b_c:.1f} GPa within 1 %")
    print(f"reference: {passed} passed, {failed} failed")
    return failed == 0


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
