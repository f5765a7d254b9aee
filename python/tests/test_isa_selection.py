"""Which build of a portable library the package loads (nnswift/_library.py, docs/portable.md):
the rules on a fake layout, CPU support given. That the real choice matches glibc's on this CPU,
and that both builds give the native energies, is checked by scripts/test-without-toolchain.sh."""

import pytest

from nnswift import _library


@pytest.fixture
def portable(tmp_path):
    base = tmp_path / "libnnswift.so"
    v3 = tmp_path / "glibc-hwcaps" / "x86-64-v3" / "libnnswift.so"
    v3.parent.mkdir(parents=True)
    base.write_bytes(b"")
    v3.write_bytes(b"")
    return base, v3


@pytest.mark.parametrize("cpu", [True, False])
def test_default_follows_the_cpu(portable, monkeypatch, cpu):
    base, v3 = portable
    monkeypatch.delenv("NNSWIFT_ISA", raising=False)
    monkeypatch.setattr(_library, "_cpu_has_x86_64_v3", lambda: cpu)
    assert _library._variant(base) == ((v3, "x86-64-v3") if cpu else (base, "baseline"))


def test_forced(portable, monkeypatch):
    base, v3 = portable
    monkeypatch.setattr(_library, "_cpu_has_x86_64_v3", lambda: True)
    monkeypatch.setenv("NNSWIFT_ISA", "baseline")
    assert _library._variant(base) == (base, "baseline")
    monkeypatch.setenv("NNSWIFT_ISA", "x86-64-v3")
    assert _library._variant(base) == (v3, "x86-64-v3")


def test_forced_v3_without_the_cpu_is_an_error(portable, monkeypatch):
    monkeypatch.setattr(_library, "_cpu_has_x86_64_v3", lambda: False)
    monkeypatch.setenv("NNSWIFT_ISA", "x86-64-v3")
    with pytest.raises(OSError, match="lacks x86-64-v3"):
        _library._variant(portable[0])


def test_unknown_isa_is_an_error(portable, monkeypatch):
    monkeypatch.setenv("NNSWIFT_ISA", "avx512")
    with pytest.raises(OSError, match="NNSWIFT_ISA=avx512: expected baseline or x86-64-v3"):
        _library._variant(portable[0])


def test_single_build_is_loaded_as_is(tmp_path, monkeypatch):
    lib = tmp_path / "libnnswift.so"
    lib.write_bytes(b"")
    monkeypatch.setenv("NNSWIFT_ISA", "baseline")
    assert _library._variant(lib) == (lib, None)
