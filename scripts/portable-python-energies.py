"""Prints which build of libnnswift.so the nnswift package loaded ("isa NAME") and the energy of
every structure of an extended XYZ file ("energy E", full precision). Used by
scripts/test-without-toolchain.sh to compare the portable wheel's builds with the native one.

    python portable-python-energies.py MODEL STRUCTURES.xyz
"""
import sys

import ase.io
import nnswift

model = nnswift.Model.load(sys.argv[1])
print("isa", nnswift.library_isa() or "native")
for atoms in ase.io.read(sys.argv[2], index=":"):
    cell = atoms.cell.array if atoms.pbc.any() else None
    r = model.compute(atoms.positions, atoms.get_chemical_symbols(), cell=cell, pbc=atoms.pbc if cell is not None else None)
    print("energy", repr(r.energy))
