"""pytest setup of the pair_style nnswift tests: the LAMMPS engines, and the closing line
"N passed, M failed" (errors count as failures) that scripts/test.sh reads."""
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
    stats = terminalreporter.stats
    failed = len(stats.get("failed", [])) + len(stats.get("error", []))
    terminalreporter.write_line(f"{len(stats.get('passed', []))} passed, {failed} failed")
