"""NNSwiftCalculator: an ASE calculator over an nnswift Model.

Converts between ASE's units (eV, Angstrom) and the model's, element symbols to species and ASE
cells and pbc to the C API's; the potential itself is evaluated by libnnswift.so.
Stress follows ASE: stress = -virial / volume (positive is tensile), Voigt order xx yy zz yz xz xy;
`stresses` are the per-atom shares (they sum to the stress).
"""

import numpy as np
from ase.calculators.calculator import Calculator, PropertyNotImplementedError, all_changes
from ase.data import atomic_numbers

from .model import Model, NNSwiftError
from .units import unit_factor


def _voigt(s):
    """(..., 3, 3) -> (..., 6) in ASE's order xx yy zz yz xz xy."""
    return np.stack([s[..., 0, 0], s[..., 1, 1], s[..., 2, 2], s[..., 1, 2], s[..., 0, 2], s[..., 0, 1]], axis=-1)


class NNSwiftCalculator(Calculator):
    """ASE calculator for an nnswift potential.

    model: an nnswift.Model, or a path to load (native .json or n2p2 directory); units:
    (length, energy) of an n2p2 directory, which declares none (see Model.load).
    results: energy, free_energy (the same), forces, stress, energies, stresses, and
    extrapolations (count of symmetry-function values outside the training range, or None).
    """

    implemented_properties = ["energy", "free_energy", "forces", "stress", "energies", "stresses"]

    def __init__(self, model, units=None, **kwargs):
        super().__init__(**kwargs)
        self.model = model if isinstance(model, Model) else Model.load(model, units=units)
        length, energy = self.model.units
        if "unknown" in (length, energy):
            raise NNSwiftError(1, f"the model declares no units (length {length}, energy {energy}); load it "
                                  "with Model.load(path, units=(length, energy))", "NNSwiftCalculator")
        self.length_factor = unit_factor("angstrom", length)   # Angstrom -> model length
        self.energy_factor = unit_factor(energy, "eV")         # model energy -> eV
        self._force_factor = self.energy_factor / unit_factor(length, "angstrom")
        # Species index of every atomic number (-1: not in the model).
        self._species_of_z = np.full(max(atomic_numbers.values()) + 1, -1, dtype=np.int32)
        for i, symbol in enumerate(self.model.elements):
            if symbol in atomic_numbers:
                self._species_of_z[atomic_numbers[symbol]] = i

    def _species(self, atoms):
        z = atoms.numbers
        sp = self._species_of_z[z]
        bad = np.flatnonzero(sp < 0)
        if len(bad):
            self.model.species([atoms[bad[0]].symbol])  # raises the library's error naming the element
        return sp

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        atoms = self.atoms
        pbc = np.asarray(atoms.pbc, dtype=bool)
        cell = None
        if pbc.any():
            # ASE 2D/1D cells have zero vectors along non-periodic axes: complete() makes them
            # orthogonal unit vectors, which the library ignores along non-periodic axes.
            cell = np.asarray(atoms.cell.complete()) * self.length_factor
        per_atom_stress = "stresses" in properties
        r = self.model.compute(atoms.positions * self.length_factor, species=self._species(atoms),
                               cell=cell, pbc=pbc if cell is not None else None, atom_virials=per_atom_stress)
        e = self.energy_factor
        self.results["energy"] = r.energy * e
        self.results["free_energy"] = r.energy * e
        self.results["energies"] = r.atom_energies * e
        self.results["forces"] = r.forces * self._force_factor
        self.results["extrapolations"] = r.extrapolations
        self.extrapolations = r.extrapolations
        # The stress comes with every call (ASE asks for forces and stress in separate calls).
        if atoms.cell.rank == 3:
            a, b, c = np.asarray(atoms.cell)
            # The volume as the library computes it (|a . (b x c)|), so stress matches `nnswift eval`.
            bc = (b[1] * c[2] - b[2] * c[1], b[2] * c[0] - b[0] * c[2], b[0] * c[1] - b[1] * c[0])
            volume = abs(a[0] * bc[0] + a[1] * bc[1] + a[2] * bc[2])
            self.results["stress"] = _voigt((-1.0 / volume) * (r.virial * e))
            if per_atom_stress:
                self.results["stresses"] = _voigt((-1.0 / volume) * (r.atom_virials * e))
        elif "stress" in properties or per_atom_stress:
            raise PropertyNotImplementedError("stress needs a cell with three vectors (a volume)")
