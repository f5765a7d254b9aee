"""Finding and loading libnnswift.so, and the C prototypes of include/nnswift.h.

Where the library comes from, first match wins:
  1. the environment variable NNSWIFT_LIBRARY (a path to libnnswift.so),
  2. the copy bundled in the installed package (nnswift/_lib/libnnswift.so),
  3. build/lib/libnnswift.so of the source checkout this package sits in (scripts/build.sh).
"""

import ctypes
import os
import threading
from pathlib import Path

_here = Path(__file__).resolve().parent
_lock = threading.Lock()
_lib = None

c_double_p = ctypes.POINTER(ctypes.c_double)
c_int32_p = ctypes.POINTER(ctypes.c_int32)
c_char_pp = ctypes.POINTER(ctypes.c_char_p)
_model_p = ctypes.c_void_p

# NNSWIFT_ABI_VERSION of the include/nnswift.h these prototypes follow (int32_t counts, indices and
# species; int64_t extrapolation counts); a library of another ABI is refused at load.
ABI_VERSION = 2

# name: (argument types); every function returns an int status unless listed in _restypes.
_prototypes = {
    "nnswift_version": [],
    "nnswift_abi_version": [],
    "nnswift_last_error": [],
    "nnswift_model_load": [ctypes.c_char_p, ctypes.POINTER(_model_p)],
    "nnswift_model_free": [_model_p],
    "nnswift_model_cutoff": [_model_p, c_double_p],
    "nnswift_model_num_elements": [_model_p, c_int32_p],
    "nnswift_model_element": [_model_p, ctypes.c_int32, c_char_pp],
    "nnswift_model_element_index": [_model_p, ctypes.c_char_p, c_int32_p],
    "nnswift_model_units": [_model_p, c_char_pp, c_char_pp],
    "nnswift_compute": [_model_p, ctypes.c_int32, c_double_p, c_int32_p, c_double_p, c_int32_p,
                        c_double_p, c_double_p, c_double_p, c_double_p, c_double_p],
    # Added in nnswift 0.2 (units, extrapolation counts, descriptors).
    "nnswift_model_load_with_units": [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(_model_p)],
    "nnswift_unit_factor": [ctypes.c_char_p, ctypes.c_char_p, c_double_p],
    "nnswift_compute_extrapolations": [_model_p, ctypes.c_int32, c_double_p, c_int32_p, c_double_p, c_int32_p,
                                       c_double_p, c_double_p, c_double_p, c_double_p, c_double_p,
                                       ctypes.POINTER(ctypes.c_int64)],
    "nnswift_model_num_descriptors": [_model_p, ctypes.c_int32, c_int32_p],
    "nnswift_model_descriptor_name": [_model_p, ctypes.c_int32, ctypes.c_int32, ctypes.c_char_p, ctypes.c_size_t],
    "nnswift_descriptors": [_model_p, ctypes.c_int32, c_double_p, c_int32_p, c_double_p, c_int32_p,
                            ctypes.c_int32, c_double_p],
}
_restypes = {
    "nnswift_version": ctypes.c_char_p,
    "nnswift_last_error": ctypes.c_char_p,
    "nnswift_model_free": None,
}


def library_path():
    """The libnnswift.so this package uses (see the module docstring for the search order)."""
    env = os.environ.get("NNSWIFT_LIBRARY")
    if env:
        if not Path(env).is_file():
            raise OSError(f"NNSWIFT_LIBRARY={env}: no such file")
        return Path(env)
    bundled = _here / "_lib" / "libnnswift.so"
    if bundled.is_file():
        return bundled
    checkout = _here.parent.parent / "build" / "lib" / "libnnswift.so"
    if checkout.is_file():
        return checkout
    raise OSError("libnnswift.so not found: set NNSWIFT_LIBRARY, install the package with "
                  "`pip install ./python` (which builds and bundles it), or run scripts/build.sh "
                  f"(looked in {bundled} and {checkout})")


def lib():
    """The loaded library with its prototypes declared (loaded once per process)."""
    global _lib
    with _lock:
        if _lib is None:
            handle = ctypes.CDLL(str(library_path()))
            for name, args in _prototypes.items():
                if not hasattr(handle, name):
                    raise OSError(f"{library_path()} has no {name}: it is older than this Python package; "
                                  "rebuild it (scripts/build.sh) or reinstall the package")
                f = getattr(handle, name)
                f.argtypes = args
                f.restype = _restypes.get(name, ctypes.c_int)
            if handle.nnswift_abi_version() != ABI_VERSION:
                raise OSError(f"{library_path()} has C ABI version {handle.nnswift_abi_version()}, this Python "
                              f"package needs {ABI_VERSION}: rebuild the library (scripts/build.sh) or reinstall the package")
            _lib = handle
        return _lib

