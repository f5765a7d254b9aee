"""Build hook: bundles libnnswift.so into the package (nnswift/_lib/).

The library is built by the project's own build, `scripts/build.sh PREFIX` (a release build, run
in the repository this directory belongs to), and every shared library in PREFIX/lib is copied,
so libraries that build.sh places beside libnnswift.so (found through $ORIGIN) come along, and so
does the x86-64-v3 build of a portable build (NNSWIFT_PORTABLE=1), glibc-hwcaps/x86-64-v3/, which
the package loads where the CPU has AVX2 and FMA (nnswift/_library.py).
NNSWIFT_BUNDLE_LIBRARY=/path/to/libnnswift.so bundles that file (and the shared libraries beside
it) instead of building.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1
    from wheel.bdist_wheel import bdist_wheel

here = Path(__file__).resolve().parent


def built_library(work):
    """Path of libnnswift.so to bundle: NNSWIFT_BUNDLE_LIBRARY, or a fresh scripts/build.sh."""
    given = os.environ.get("NNSWIFT_BUNDLE_LIBRARY")
    if given:
        if not Path(given).is_file():
            sys.exit(f"nnswift: NNSWIFT_BUNDLE_LIBRARY={given}: no such file")
        return Path(given)
    build = here.parent / "scripts" / "build.sh"
    if not build.is_file():
        sys.exit(f"nnswift: {build} not found: build from a clone of the repository (pip install ./python "
                 "builds in place), or set NNSWIFT_BUNDLE_LIBRARY to a built libnnswift.so")
    prefix = Path(work).resolve() / "nnswift-prefix"
    print(f"nnswift: building libnnswift.so with {build} {prefix} (a Swift release build)", flush=True)
    subprocess.run(["bash", str(build), str(prefix)], check=True, stdout=sys.stderr)
    return prefix / "lib" / "libnnswift.so"


class BuildPyWithLibrary(build_py):
    def run(self):
        super().run()
        library = built_library(self.get_finalized_command("build").build_temp)
        dest = Path(self.build_lib) / "nnswift" / "_lib"
        dest.mkdir(parents=True, exist_ok=True)
        for f in sorted(library.parent.iterdir()):
            if f.is_file() and ".so" in f.name:
                shutil.copy2(f, dest / f.name)
        v3 = library.parent / "glibc-hwcaps" / "x86-64-v3" / library.name
        if v3.is_file():
            (dest / "glibc-hwcaps" / "x86-64-v3").mkdir(parents=True, exist_ok=True)
            shutil.copy2(v3, dest / "glibc-hwcaps" / "x86-64-v3" / "libnnswift.so")
        if library.name != "libnnswift.so":
            shutil.copy2(library, dest / "libnnswift.so")


class NativeDistribution(Distribution):
    """Holds a native library: the wheel is platform-specific (installed to platlib)."""

    def has_ext_modules(self):
        return True


class PlatformWheel(bdist_wheel):
    """The wheel holds a native library but no Python extension module: py3-none-<platform>."""

    def get_tag(self):
        _, _, platform = super().get_tag()
        return "py3", "none", platform


setup(distclass=NativeDistribution, cmdclass={"build_py": BuildPyWithLibrary, "bdist_wheel": PlatformWheel})
