"""pytest setup of the pair_style nnswift tests: the LAMMPS engines, and the closing line
"lammps: N passed, M failed, K skipped" (errors count as failures) that scripts/test.sh reads."""
import pytest

from lammps_helpers import ENGINES, available


@pytest.fixture(params=ENGINES)
def engine(request):
    """Each LAMMPS build of the mock-library products: "debian" (driver) and "wheel" (plugin)."""
    why = available(request.param)
    if why:
        pytest.fail(f"[{request.param}] {why}")
    return request.param


def pytest_terminal_summary(terminalreporter):
    n = {k: len(v) for k, v in terminalreporter.stats.items()}
    terminalreporter.write_line(f"lammps: {n.get('passed', 0)} passed, {n.get('failed', 0) + n.get('error', 0)} "
                                f"failed, {n.get('skipped', 0)} skipped")
