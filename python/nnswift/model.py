"""Model: a loaded nnswift potential, evaluated through the C API (include/nnswift.h).

Only translation happens here: NumPy arrays in and out, element symbols to species indices,
C status codes to NNSwiftError. Energies, forces and virials come from libnnswift.so, in the
model's own units (Model.units).
"""

import ctypes
import os
from dataclasses import dataclass
from typing import Optional

import numpy as np

from . import _library

STATUS_NAMES = {0: "ok", 1: "argument", 2: "io", 3: "format", 4: "species", 5: "geometry", 6: "internal"}


class NNSwiftError(Exception):
    """A failed C API call: `status` is the nnswift_status code, `message` the library's text."""

    def __init__(self, status, message, function=None):
        self.status = status
        self.message = message
        self.function = function
        where = f"{function}: " if function else ""
        super().__init__(f"{where}{message} (status {status}, {STATUS_NAMES.get(status, '?')})")


def _check(function, status):
    """Raises NNSwiftError for a nonzero status with this thread's last-error message.

    nnswift_last_error is per thread: it is read here, right after the call, on the same thread.
    """
    if status != 0:
        message = _library.lib().nnswift_last_error().decode("utf-8", "replace")
        raise NNSwiftError(status, message, function)


def _ptr(array, ctype):
    return None if array is None else array.ctypes.data_as(ctypes.POINTER(ctype))


@dataclass
class Result:
    """One evaluation, in the model's units (energy E, length L).

    energy: E; forces: (N, 3) E/L; virial: (3, 3) W = sum_i r_i (x) F_i (E); atom_energies: (N,) E;
    atom_virials: (N, 3, 3) E, or None when not requested; extrapolations: number of (atom,
    symmetry function) values outside the training range, or None when this libnnswift cannot
    report it (no nnswift_compute_extrapolations).
    """
    energy: float
    forces: np.ndarray
    virial: np.ndarray
    atom_energies: np.ndarray
    atom_virials: Optional[np.ndarray]
    extrapolations: Optional[int]


@dataclass
class DescriptorBlock:
    """Symmetry-function values of the atoms of one element: atoms (indices into the structure),
    names (one per function, network-input order) and values (len(atoms), len(names))."""
    atoms: np.ndarray
    names: list
    values: np.ndarray


class Model:
    """A loaded potential. Immutable, so one Model may be used from several threads at once
    (ctypes releases the GIL during each C call)."""

    def __init__(self, handle):
        self._handle = ctypes.c_void_p(handle)
        self._lib = _library.lib()
        lib = self._lib
        n = ctypes.c_int32()
        _check("nnswift_model_num_elements", lib.nnswift_model_num_elements(self._handle, ctypes.byref(n)))
        symbols = []
        for i in range(n.value):
            s = ctypes.c_char_p()
            _check("nnswift_model_element", lib.nnswift_model_element(self._handle, i, ctypes.byref(s)))
            symbols.append(s.value.decode())
        self._elements = tuple(symbols)
        self._index = {s: i for i, s in enumerate(symbols)}
        cutoff = ctypes.c_double()
        _check("nnswift_model_cutoff", lib.nnswift_model_cutoff(self._handle, ctypes.byref(cutoff)))
        self._cutoff = cutoff.value
        length, energy = ctypes.c_char_p(), ctypes.c_char_p()
        _check("nnswift_model_units", lib.nnswift_model_units(self._handle, ctypes.byref(length), ctypes.byref(energy)))
        self._units = (length.value.decode(), energy.value.decode())
        self._compute_extrapolations = lib.nnswift_compute_extrapolations

    @classmethod
    def load(cls, path, units=None):
        """Loads a native model (.json) or an n2p2 potential directory.

        units: None (the units the model declares), or (length, energy), e.g. ("bohr", "hartree"),
        for an n2p2 directory, which declares none (needs nnswift_model_load_with_units).
        """
        lib = _library.lib()
        handle = ctypes.c_void_p()
        cpath = os.fsencode(os.fspath(path))
        if units is None:
            _check("nnswift_model_load", lib.nnswift_model_load(cpath, ctypes.byref(handle)))
        else:
            length, energy = units
            _check("nnswift_model_load_with_units",
                   lib.nnswift_model_load_with_units(cpath, str(length).encode(), str(energy).encode(), ctypes.byref(handle)))
        return cls(handle.value)

    def close(self):
        """Frees the C model now (otherwise when the Model is garbage collected)."""
        if self._handle is not None and self._handle.value:
            self._lib.nnswift_model_free(self._handle)
        self._handle = None

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _live(self):
        if self._handle is None:
            raise NNSwiftError(1, "the model was closed", "Model")
        return self._handle

    @property
    def elements(self):
        """Element symbols in species-index order."""
        return self._elements

    @property
    def cutoff(self):
        """Largest cutoff radius (model length unit)."""
        return self._cutoff

    @property
    def units(self):
        """(length, energy) as the library spells them, e.g. ("angstrom", "eV"); "unknown" when undeclared."""
        return self._units

    def species(self, symbols):
        """Species indices (int32 array) of element symbols; unknown ones raise the C API's error."""
        out = np.empty(len(symbols), dtype=np.int32)
        for k, s in enumerate(symbols):
            i = self._index.get(s)
            if i is None:  # let the library name the problem
                idx = ctypes.c_int32()
                _check("nnswift_model_element_index",
                       self._lib.nnswift_model_element_index(self._live(), str(s).encode(), ctypes.byref(idx)))
                i = idx.value
            out[k] = i
        return out

    def _system(self, positions, symbols, species, cell, pbc):
        """Validated C arrays: positions (N,3), species (N,), cell (3,3) or None, pbc (3,) or None."""
        x = np.ascontiguousarray(positions, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != 3:
            raise NNSwiftError(1, f"positions must have shape (N, 3), got {x.shape}", "Model.compute")
        n = x.shape[0]
        if (symbols is None) == (species is None):
            raise NNSwiftError(1, "give either symbols or species", "Model.compute")
        if symbols is not None:
            if isinstance(symbols, str):
                raise NNSwiftError(1, "symbols must be a sequence of element symbols, not one string", "Model.compute")
            if len(symbols) > 0 and not isinstance(symbols[0], str):
                species, symbols = symbols, None  # integers given positionally: species indices
        if symbols is not None:
            sp = self.species(list(symbols))
        else:
            sp = np.ascontiguousarray(species, dtype=np.int32)
            if not np.array_equal(sp, np.asarray(species)):
                raise NNSwiftError(1, "species must be integer indices into Model.elements", "Model.compute")
        if sp.shape != (n,):
            raise NNSwiftError(1, f"{n} positions but {sp.size} symbols/species", "Model.compute")
        c = None
        if cell is not None:
            c = np.ascontiguousarray(cell, dtype=np.float64)
            if c.shape != (3, 3):
                raise NNSwiftError(1, f"cell must have shape (3, 3) (rows a, b, c), got {c.shape}", "Model.compute")
        p = None
        if pbc is not None:
            p = np.ascontiguousarray(np.broadcast_to(np.asarray(pbc, dtype=bool), (3,)), dtype=np.int32)
            if c is None and p.any():
                raise NNSwiftError(1, "periodic boundary conditions need a cell", "Model.compute")
        if n >= 2**31:
            raise NNSwiftError(1, f"too many atoms ({n})", "Model.compute")
        return x, sp, c, p

    def compute(self, positions, symbols=None, cell=None, pbc=None, *, species=None, atom_virials=True):
        """Energy, forces, virial and per-atom energies and virials of one structure (model units).

        positions: (N, 3); symbols: N element symbols (or species indices); species: N indices into
        `elements` (instead of symbols); cell: (3, 3) rows a, b, c, or None for a free cluster;
        pbc: bool or 3 bools (default: periodic along every axis when a cell is given).
        atom_virials=False skips the per-atom virials (Result.atom_virials is None).
        """
        x, sp, c, p = self._system(positions, symbols, species, cell, pbc)
        n = x.shape[0]
        energy = ctypes.c_double()
        forces = np.empty((n, 3))
        virial = np.empty((3, 3))
        atom_energies = np.empty(n)
        atom_vir = np.empty((n, 3, 3)) if atom_virials else None
        args = [self._live(), n, _ptr(x, ctypes.c_double), _ptr(sp, ctypes.c_int32), _ptr(c, ctypes.c_double),
                _ptr(p, ctypes.c_int32), ctypes.byref(energy), _ptr(forces, ctypes.c_double),
                _ptr(virial, ctypes.c_double), _ptr(atom_energies, ctypes.c_double), _ptr(atom_vir, ctypes.c_double)]
        extrapolations = None
        if self._compute_extrapolations is not None:
            count = ctypes.c_int64()
            _check("nnswift_compute_extrapolations", self._compute_extrapolations(*args, ctypes.byref(count)))
            extrapolations = count.value
        else:
            _check("nnswift_compute", self._lib.nnswift_compute(*args))
        return Result(energy.value, forces, virial, atom_energies, atom_vir, extrapolations)

    def descriptor_names(self, element):
        """Names of the symmetry functions of `element` (symbol or index), in network-input order."""
        e = self.species([element])[0] if isinstance(element, str) else int(element)
        count = ctypes.c_int32()
        _check("nnswift_model_num_descriptors", self._lib.nnswift_model_num_descriptors(self._live(), e, ctypes.byref(count)))
        names = []
        buffer = ctypes.create_string_buffer(512)
        for k in range(count.value):
            _check("nnswift_model_descriptor_name",
                   self._lib.nnswift_model_descriptor_name(self._live(), e, k, buffer, len(buffer)))
            names.append(buffer.value.decode())
        return names

    def descriptors(self, positions, symbols=None, cell=None, pbc=None, *, species=None, scaled=False):
        """Symmetry-function values of every atom, grouped by element: {symbol: DescriptorBlock}.

        scaled=False: raw values; scaled=True: as the network sees them (the model's scaling).
        Arguments as for compute().
        """
        x, sp, c, p = self._system(positions, symbols, species, cell, pbc)
        names = [self.descriptor_names(e) for e in range(len(self._elements))]
        counts = np.array([len(v) for v in names], dtype=np.int64)
        per_atom = counts[sp] if len(sp) else np.zeros(0, dtype=np.int64)
        values = np.empty(int(per_atom.sum()))
        _check("nnswift_descriptors",
               self._lib.nnswift_descriptors(self._live(), x.shape[0], _ptr(x, ctypes.c_double), _ptr(sp, ctypes.c_int32),
                                             _ptr(c, ctypes.c_double), _ptr(p, ctypes.c_int32), 1 if scaled else 0,
                                             _ptr(values, ctypes.c_double)))
        start = np.concatenate(([0], np.cumsum(per_atom)))
        blocks = {}
        for e, symbol in enumerate(self._elements):
            atoms = np.flatnonzero(sp == e)
            if len(atoms) == 0:
                continue
            rows = np.stack([values[start[i]:start[i + 1]] for i in atoms])
            blocks[symbol] = DescriptorBlock(atoms, names[e], rows)
        return blocks

    def __repr__(self):
        return f"<nnswift.Model elements={list(self._elements)} cutoff={self._cutoff:g} units={self._units}>"
