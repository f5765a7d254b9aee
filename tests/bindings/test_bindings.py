"""The C API, the Fortran binding, the examples and nnswift-forcecheck, from the install tree of
scripts/build.sh (fixtures in conftest.py). Run by scripts/test-bindings.sh (pytest in the
project venv); the checks that need the shared water model are skipped without it."""
import subprocess
import sys

import pytest

from conftest import ENV, LINK, ROOT

# ---- build and install tree ----


def test_install_tree_builds(install_tree):
    assert (install_tree / "lib" / "libnnswift.so").is_file()


def test_soname(run, install_tree):
    out = run("readelf", 0, "readelf", "-d", install_tree / "lib" / "libnnswift.so")
    sonames = [l.split("[")[1].rstrip("]") for l in out.splitlines() if "(SONAME)" in l]
    assert sonames == ["libnnswift.so"]


def test_install_tree_complete(install_tree):
    wanted = ["bin/nnswift", "bin/nnswift-forcecheck", "lib/libnnswift.so", "include/nnswift.h", "include/nnswift.f90",
              "include/nnswift.mod", "lib/libnnswift_fortran.a", "lib/pkgconfig/nnswift.pc",
              "lib/cmake/nnswift/nnswiftConfig.cmake"]
    assert [f for f in wanted if not (install_tree / f).exists()] == []


# ---- compile against the install tree (rpath to the lib dir only) ----


def test_compile_c_example(c_example):
    assert c_example.is_file()


def test_compile_fortran_example(fortran_example):
    assert fortran_example.is_file()


def test_compile_fortran_module_source(run, install_tree, work):
    # the module compiled from the installed source, with the example, without libnnswift_fortran
    run("compile-fortran-module-source", 0, "gfortran", "-O2", "-Wall", "-J", work, install_tree / "include" / "nnswift.f90",
        "examples/fortran/water_energy.f90", "-o", work / "water_f2", *LINK, "-lnnswift")


def test_compile_api_errors(api_errors_program):
    assert api_errors_program.is_file()


def test_cxx_header_and_abi_version(run, install_tree, work):
    src = work / "abi.cpp"
    src.write_text("#include <nnswift.h>\nint main(){return nnswift_abi_version()==NNSWIFT_ABI_VERSION?0:1;}\n")
    run("compile-cxx-header", 0, "c++", "-Wall", "-Werror", "-I", install_tree / "include", src, "-o", work / "abi_cxx",
        *LINK, "-lnnswift")
    run("abi-cxx", 0, work / "abi_cxx")


def test_compile_pkg_config(run, install_tree, work):
    run.sh("compile-pkg-config", 0, f"cc examples/c/water_energy.c -o '{work}/water_pc' "
           f"$(PKG_CONFIG_PATH='{install_tree}/lib/pkgconfig' pkg-config --cflags --libs nnswift)")


def test_compile_cmake(run, install_tree, work):
    d = work / "cmake"
    d.mkdir(exist_ok=True)
    (d / "CMakeLists.txt").write_text(f"""cmake_minimum_required(VERSION 3.16)
project(nnswift_consumer C)
find_package(nnswift 0.1 REQUIRED)
add_executable(water_energy "{ROOT}/examples/c/water_energy.c")
target_link_libraries(water_energy nnswift::nnswift)
""")
    run("cmake-configure", 0, "cmake", "-S", d, "-B", d / "b", f"-Dnnswift_DIR={install_tree}/lib/cmake/nnswift")
    run("cmake-build", 0, "cmake", "--build", d / "b")


def test_examples_resolve_the_library_by_rpath(run, install_tree, c_example):
    out = run("ldd", 0, "ldd", c_example)
    assert f"libnnswift.so => {install_tree}/lib/libnnswift.so" in out, out


# ---- forcecheck input errors (no model needed) ----


def test_forcecheck_missing_model(run, install_tree, work):
    run("forcecheck-missing-model", 2, install_tree / "bin" / "nnswift-forcecheck", work / "no-such-model", work / "no-such.xyz")


def test_forcecheck_names_the_unreadable_model(run, install_tree, work):
    out = run("forcecheck-missing-model-message", 2, install_tree / "bin" / "nnswift-forcecheck", work / "no-such-model",
              work / "no-such.xyz")
    assert "cannot load model" in out


def test_forcecheck_bad_option(run, install_tree):
    run("forcecheck-bad-option", 64, install_tree / "bin" / "nnswift-forcecheck", "x", "y", "--step", "-1")


# ---- with the water model ----


def energy_line(out):
    return float(next(l.split()[1] for l in out.splitlines() if l.startswith("energy:")).replace("E", "e"))


@pytest.fixture(scope="session")
def molecule_outputs(run, c_example, fortran_example, model):
    return run("water-molecule-c", 0, c_example, model), run("water-molecule-fortran", 0, fortran_example, model)


def test_water_molecule_c(molecule_outputs):
    assert "energy:" in molecule_outputs[0]


def test_water_molecule_fortran(molecule_outputs):
    assert "energy:" in molecule_outputs[1]


def test_water_molecule_c_and_fortran_bit_identical(molecule_outputs):
    # the molecule is built in code by each example: same doubles, same Swift code path
    assert energy_line(molecule_outputs[0]) == energy_line(molecule_outputs[1])


@pytest.fixture(scope="session")
def predictions(run, install_tree, model, structures):
    """nnswift eval of periodic.xyz and cluster.xyz (the reference of the bit-identity checks)."""
    def eval_(s):
        run(f"eval-{s}", 0, install_tree / "bin" / "nnswift", "eval", model, structures / f"{s}.xyz",
            "-o", structures / f"{s}.pred.xyz")
        return structures / f"{s}.pred.xyz"
    return {s: eval_(s) for s in ("periodic", "cluster")}


def compare(run, pred, kind, output_name, work):
    """tests/bindings/compare.py: bit-identical energy and forces (same code path, same neighbor
    list and summation order; decimal I/O round-trips exactly)."""
    run(f"compare-{output_name}", 0, sys.executable, "tests/bindings/compare.py", pred, kind, work / f"{output_name}.out")


@pytest.mark.parametrize("s", ["periodic", "cluster"])
def test_eval(predictions, s):
    assert predictions[s].is_file()


@pytest.mark.parametrize("s", ["periodic", "cluster"])
@pytest.mark.parametrize("lang", ["c", "fortran"])
def test_example_runs(run, c_example, fortran_example, model, structures, s, lang):
    run(f"{lang}-{s}", 0, c_example if lang == "c" else fortran_example, model, structures / f"{s}.xyz")


@pytest.mark.parametrize("s", ["periodic", "cluster"])
@pytest.mark.parametrize("lang", ["c", "fortran"])
def test_example_equals_nnswift_eval(run, c_example, fortran_example, model, structures, predictions, work, s, lang):
    run(f"{lang}-{s}", 0, c_example if lang == "c" else fortran_example, model, structures / f"{s}.xyz")
    compare(run, predictions[s], "example", f"{lang}-{s}", work)


def forcecheck(install_tree):
    return install_tree / "bin" / "nnswift-forcecheck"


def test_forcecheck_cluster(run, install_tree, model, structures):
    run("forcecheck-cluster", 0, forcecheck(install_tree), model, structures / "cluster.xyz")


def test_forcecheck_equals_nnswift_eval(run, install_tree, model, structures, predictions, work):
    run("forcecheck-cluster", 0, forcecheck(install_tree), model, structures / "cluster.xyz")
    compare(run, predictions["cluster"], "forcecheck", "forcecheck-cluster", work)


def test_forcecheck_periodic(run, install_tree, model):
    run("forcecheck-periodic", 0, forcecheck(install_tree), model, model / "train20.input.data", "--index", "2", "--quiet")


def test_forcecheck_impossible_tolerance(run, install_tree, model, structures):
    run("forcecheck-impossible-tolerance", 1, forcecheck(install_tree), model, structures / "cluster.xyz",
        "--tolerance", "1e-30", "--quiet")


def test_forcecheck_step_too_large(run, install_tree, model, structures):
    run("forcecheck-step-too-large", 1, forcecheck(install_tree), model, structures / "cluster.xyz", "--step", "0.5", "--quiet")


def test_forcecheck_missing_structure(run, install_tree, model, work):
    run("forcecheck-missing-structure", 2, forcecheck(install_tree), model, work / "no-such.xyz")


def test_forcecheck_index_out_of_range(run, install_tree, model, structures):
    run("forcecheck-index-out-of-range", 2, forcecheck(install_tree), model, structures / "cluster.xyz", "--index", "5")


def test_forcecheck_unknown_element(run, install_tree, model, work):
    (work / "alien.xyz").write_text("3\nwrong element\nO 0 0 0\nXx 1 0 0\nH 0 1 0\n")
    run("forcecheck-unknown-element", 2, forcecheck(install_tree), model, work / "alien.xyz")


def test_forcecheck_truncated_model(run, install_tree, model, structures, work):
    # a broken (truncated) model cannot be loaded: exit 2
    broken = work / "broken"
    broken.mkdir(exist_ok=True)
    for f in ("input.nn", "scaling.data", "weights.001.data"):
        (broken / f).write_bytes((model / f).read_bytes())
    (broken / "weights.008.data").write_bytes((model / "weights.008.data").read_bytes()[:2000])
    run("forcecheck-truncated-model", 2, forcecheck(install_tree), broken, structures / "cluster.xyz")


# ---- tests/c/api_errors.c: bad input, threads, compute_local ----


def test_api_errors(api_errors):
    """Every check of api_errors.c passes ("not ok" lines listed on failure) and it exits 0."""
    lines = api_errors.stdout.splitlines()
    failed = [l for l in lines if l.startswith("not ok")]
    passed = [l for l in lines if l.startswith("ok")]
    print(f"api_errors: {len(passed)} checks passed, {len(failed)} failed")
    assert failed == [] and api_errors.returncode == 0 and len(passed) > 100, \
        "\n".join(failed + [l for l in lines if l.startswith("#")] + lines[-5:])


def api_check(api_errors, text):
    """The api_errors check whose description starts with `text` ran and passed."""
    lines = api_errors.stdout.splitlines()
    assert any(l.startswith("ok - " + text) for l in lines), \
        "\n".join([l for l in lines if text in l] or [f"no check '{text}' in the output"])


def test_compute_local_writes_outputs_not_adds(api_errors):
    api_check(api_errors, "compute_local twice into NaN- and garbage-filled outputs: bit-identical results")
    api_check(api_errors, "compute_local writes every element of energy, virial, forces, atom_energies and atom_virials")
    api_check(api_errors, "compute_local (host full neighbor list): atom_energies are written (not added to 1.0)")


def test_duplicate_host_neighbor_rejected_naming_atom_and_neighbor(api_errors):
    api_check(api_errors, "compute_local(host list of atom 1 holds neighbor 0 twice)")
    api_check(api_errors, "duplicate-neighbor message names the atom and the neighbor")
    api_check(api_errors, "compute_local(periodic host list with a repeated neighbor)")
    api_check(api_errors, "repeated-neighbor message names atom 0 and the neighbor")


def test_library_neighbor_list(api_errors):
    api_check(api_errors, "neighbor_list_build: each center lists exactly the points within the radius (brute force)")
    api_check(api_errors, "compute_local with the library-built list (radius cutoff + 1) equals compute_local with its own")


def test_library_neighbor_list_bounds(api_errors):
    """Radii it cannot search, piled ghosts, a huge radius, and a freed list are errors."""
    api_check(api_errors, "neighbor_list_build(radius 1e-300)")
    api_check(api_errors, "neighbor_list_build(radius 1e-6, the overlap distance)")
    api_check(api_errors, "neighbor_list_build(npoints INT_MAX, before reading the positions)")
    api_check(api_errors, "neighbor_list_build(1,000,001 ghosts piled near a center)")
    api_check(api_errors, "neighbor_list_build(20001 points, radius 1e300: over 10000 neighbors per center)")
    api_check(api_errors, "neighbor_list_rows(freed list)")
    api_check(api_errors, "compute_local with a library-built list of 5 points given 4 (neighbor out of range)")


def test_extrapolations_are_int64(api_errors):
    api_check(api_errors, "compute_local writes all 64 bits of extrapolations")


def test_fortran_compute_local_kinds_and_written_outputs(run, install_tree, model, work):
    """tests/bindings/fortran_local.f90: compute_local through the Fortran module (c_int32_t and
    c_int64_t interfaces, outputs written into NaN-filled arrays, = compute_extrapolations), and
    with a library-built host list (nnswift_neighbor_list_build/rows/free)."""
    run("compile-fortran-local", 0, "gfortran", "-O2", "-Wall", "-I", install_tree / "include", "-J", work,
        "tests/fortran/checks.f90", "tests/bindings/fortran_local.f90",
        "-o", work / "fortran_local", *LINK, "-lnnswift_fortran", "-lnnswift")
    out = run("fortran-local", 0, work / "fortran_local", model)
    assert "not ok" not in out and out.count("ok - ") == 11, out
