"""Unit factors between the model's units and ASE's (eV, Angstrom).

The factors come from the library (nnswift_unit_factor), so Python and the CLI convert alike.
"""

from . import _library
import ctypes


def unit_factor(from_unit, to_unit):
    """value_in_to = value_in_from * unit_factor(from_unit, to_unit); both length or both energy units."""
    if from_unit == to_unit:
        return 1.0
    from .model import _check
    factor = ctypes.c_double()
    _check("nnswift_unit_factor",
           _library.lib().nnswift_unit_factor(from_unit.encode(), to_unit.encode(), ctypes.byref(factor)))
    return factor.value
