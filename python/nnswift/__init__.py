"""nnswift: Behler-Parrinello neural-network potentials from Python, over libnnswift.so (ctypes).

    import nnswift
    model = nnswift.Model.load("model.json")
    r = model.compute(positions, ["Au"] * len(positions), cell=cell)   # model units
    r.energy, r.forces, r.virial, r.atom_energies, r.atom_virials, r.extrapolations

ASE: nnswift.ase.NNSwiftCalculator (eV, Angstrom).
"""

from ._library import library_isa, library_path
from .model import DescriptorBlock, Model, NNSwiftError, Result
from .units import unit_factor

__version__ = "0.2.0"
__all__ = ["Model", "Result", "DescriptorBlock", "NNSwiftError", "library_isa", "library_path", "library_version", "unit_factor"]


def library_version():
    """Version string of the loaded libnnswift.so."""
    from ._library import lib
    return lib().nnswift_version().decode()
