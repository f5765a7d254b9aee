"""Fixtures of the binding checks (test_bindings.py): the install tree, the compiled programs and
the water model. Each program is built once per session by a fixture, so a check that needs a
program that failed to build errors instead of passing.

Environment: BUILD_PREFIX (install tree, default <repo>/build), NNSWIFT_SHARED (directory with
conformance/n2p2-H2O_RPBE-D3, default <repo>/../shared; point it elsewhere to test the skips).
"""
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from nnswift_pytest import run_command, write_stage_summary  # noqa: E402

PREFIX = Path(os.environ.get("BUILD_PREFIX", ROOT / "build")).resolve()
SHARED = Path(os.environ.get("NNSWIFT_SHARED", ROOT.parent / "shared"))
# Programs are linked by rpath only: no LD_LIBRARY_PATH may find the library for them.
ENV = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
LINK = ["-L", str(PREFIX / "lib"), f"-Wl,-rpath,{PREFIX / 'lib'}"]


class Run:
    """Runs commands from the repository root; keeps each output in the work directory."""

    def __init__(self, work):
        self.work = work

    def __call__(self, name, want, *cmd, timeout=1800):
        """Runs cmd, saves its output as NAME.out, asserts exit status `want`; returns the output."""
        return run_command(cmd, want, cwd=ROOT, env=ENV, timeout=timeout, merge=True,
                           save=self.work / f"{name}.out", label=name).stdout

    def sh(self, name, want, script):
        return self(name, want, "sh", "-c", script)


@pytest.fixture(scope="session")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("bindings")


@pytest.fixture(scope="session")
def run(work):
    return Run(work)


@pytest.fixture(scope="session")
def install_tree(run):
    """scripts/build.sh into PREFIX (release build, install tree)."""
    run("build", 0, "bash", "scripts/build.sh", PREFIX)
    return PREFIX


def compiled(run, install_tree, work, name, *cmd):
    out = work / name
    run(f"compile-{name}", 0, *cmd, "-o", out)
    return out


@pytest.fixture(scope="session")
def c_example(run, install_tree, work):
    return compiled(run, install_tree, work, "water_c", "cc", "-O2", "-Wall", "-Wextra", "-Werror",
                    "-I", install_tree / "include", "examples/c/water_energy.c", *LINK, "-lnnswift")


@pytest.fixture(scope="session")
def fortran_example(run, install_tree, work):
    # -o comes last (compiled() appends it): gfortran accepts it after the libraries.
    return compiled(run, install_tree, work, "water_f", "gfortran", "-O2", "-Wall", "-I", install_tree / "include",
                    "examples/fortran/water_energy.f90", *LINK, "-lnnswift_fortran", "-lnnswift")


@pytest.fixture(scope="session")
def api_errors_program(run, install_tree, work):
    return compiled(run, install_tree, work, "api_errors", "cc", "-O2", "-Wall", "-Wextra", "-Werror",
                    "-I", install_tree / "include", "tests/c/api_errors.c", *LINK, "-lnnswift", "-lpthread", "-lm")


@pytest.fixture(scope="session")
def model():
    m = SHARED / "conformance" / "n2p2-H2O_RPBE-D3"
    if not m.is_dir():
        pytest.skip(f"{m} not found (the shared n2p2 water potential)")
    return m.resolve()


@pytest.fixture(scope="session")
def structures(run, model, work):
    """periodic.xyz and cluster.xyz cut from the water model's training data."""
    run("structures", 0, sys.executable, "tests/bindings/structures.py", model / "train20.input.data", work)
    return work


@pytest.fixture(scope="session")
def api_errors(run, api_errors_program, model, structures, work):
    """Output of tests/c/api_errors.c ("ok - ..." / "not ok - ..." per check); its exit status is
    checked by test_api_errors."""
    return run_command([api_errors_program, model, structures / "periodic.xyz", work / "scratch"], None,
                       cwd=ROOT, env=ENV, merge=True, save=work / "api_errors.out")


def pytest_terminal_summary(terminalreporter):
    """A plain 'bindings: N passed, M failed, K skipped' line for scripts/test.sh's stage summary."""
    write_stage_summary(terminalreporter, "bindings")
