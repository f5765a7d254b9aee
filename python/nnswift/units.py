"""Unit factors between the model's units and ASE's (eV, Angstrom).

The factors come from the library (nnswift_unit_factor), so Python and the CLI convert alike.
"""

from . import _library
import ctypes


def unit_factor(from_unit, to_unit):
    """value_in_to = value_in_from * unit_factor(from_unit, to_unit); both length or both energy units."""
    if from_unit == to_unit:
        return 1.0
    if _library.has("nnswift_unit_factor"):
        from .model import _check
        factor = ctypes.c_double()
        _check("nnswift_unit_factor",
               _library.lib().nnswift_unit_factor(from_unit.encode(), to_unit.encode(), ctypes.byref(factor)))
        return factor.value
    return _stopgap_factor(from_unit, to_unit)


# STOP-GAP until nnswift_unit_factor is in every libnnswift.so (planned C API addition): the
# factors from ASE's own constants. Remove this function once the library provides the factors.
def _stopgap_factor(from_unit, to_unit):
    from ase import units as u
    from .model import NNSwiftError
    in_base = {  # in Angstrom or eV
        "angstrom": 1.0, "bohr": u.Bohr, "nm": 10.0,
        "ev": 1.0, "hartree": u.Hartree, "ry": u.Rydberg, "kcal/mol": u.kcal / u.mol, "kj/mol": u.kJ / u.mol,
    }
    lengths = {"angstrom", "bohr", "nm"}
    f, t = from_unit.lower(), to_unit.lower()
    if f not in in_base or t not in in_base or (f in lengths) != (t in lengths):
        raise NNSwiftError(1, f"no conversion from '{from_unit}' to '{to_unit}' (this libnnswift has no "
                              "nnswift_unit_factor; known: angstrom, bohr, nm, eV, hartree, Ry, kcal/mol, kJ/mol)",
                           "unit_factor")
    return in_base[f] / in_base[t]
