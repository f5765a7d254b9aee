"""Finding and loading libnnswift.so, and the C prototypes of include/nnswift.h.

Where the library comes from, first match wins:
  1. the environment variable NNSWIFT_LIBRARY (a path to libnnswift.so),
  2. the copy bundled in the installed package (nnswift/_lib/libnnswift.so),
  3. build/lib/libnnswift.so of the source checkout this package sits in (scripts/build.sh).
A portable build (scripts/build.sh --portable; the wheel) has a second library beside the chosen
one, glibc-hwcaps/x86-64-v3/libnnswift.so (AVX2, FMA), which is used where the CPU has every
x86-64-v3 feature, the same test as the dynamic loader's for programs linked with -lnnswift.
NNSWIFT_ISA=baseline|x86-64-v3 forces one; library_isa() says which one is loaded.
"""

import ctypes
import os
import threading
from pathlib import Path

_here = Path(__file__).resolve().parent
_lock = threading.Lock()
_lib = None
_isa = None

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


# The x86-64-v3 level as /proc/cpuinfo names its features (LZCNT is "abm"): what glibc checks
# before it searches glibc-hwcaps/x86-64-v3/ (and scripts/isa-launcher.sh checks for the CLI).
_X86_64_V3_FLAGS = {"avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"}


def _cpu_has_x86_64_v3():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return _X86_64_V3_FLAGS <= set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return False


def _variant(base):
    """(path, isa) of the build of `base` to load: its x86-64-v3 variant or itself."""
    v3 = base.parent / "glibc-hwcaps" / "x86-64-v3" / base.name
    if not v3.is_file():
        return base, None  # a single build (for the build machine, or given as is)
    forced = os.environ.get("NNSWIFT_ISA", "")
    if forced == "baseline":
        return base, "baseline"
    if forced not in ("", "x86-64-v3"):
        raise OSError(f"NNSWIFT_ISA={forced}: expected baseline or x86-64-v3")
    if _cpu_has_x86_64_v3():
        return v3, "x86-64-v3"
    if forced:
        raise OSError("NNSWIFT_ISA=x86-64-v3, but this CPU lacks x86-64-v3 features (AVX2, FMA, ...)")
    return base, "baseline"


def _base_path():
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


def library_path():
    """The libnnswift.so this package uses (see the module docstring for the search order)."""
    return _variant(_base_path())[0]


def library_isa():
    """The build of a portable library in use (loads it): "x86-64-v3" or "baseline"; None for a
    library built without variants (scripts/build.sh without --portable: the build machine's ISA)."""
    lib()
    return _isa


def lib():
    """The loaded library with its prototypes declared (loaded once per process)."""
    global _lib, _isa
    with _lock:
        if _lib is None:
            path, isa = _variant(_base_path())
            handle = ctypes.CDLL(str(path))
            for name, args in _prototypes.items():
                if not hasattr(handle, name):
                    raise OSError(f"{path} has no {name}: it is older than this Python package; "
                                  "rebuild it (scripts/build.sh) or reinstall the package")
                f = getattr(handle, name)
                f.argtypes = args
                f.restype = _restypes.get(name, ctypes.c_int)
            if handle.nnswift_abi_version() != ABI_VERSION:
                raise OSError(f"{path} has C ABI version {handle.nnswift_abi_version()}, this Python "
                              f"package needs {ABI_VERSION}: rebuild the library (scripts/build.sh) or reinstall the package")
            _lib, _isa = handle, isa
        return _lib

