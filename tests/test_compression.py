"""kawasaki.compression: each file compressed once per version, kept in memory and on disk,
brotli made in the background (the served behaviour: tests/frontdoor/test_compression.py)."""

from __future__ import annotations

import gzip
import os
import time

import pytest

from kawasaki import compression
from kawasaki.compression import CompressedFiles, Version


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """The codings ``compress`` was called with, in order."""
    calls: list[str] = []
    real = compression.compress

    def spy(data: bytes, coding: str) -> bytes:
        calls.append(coding)
        return real(data, coding)

    monkeypatch.setattr(compression, "compress", spy)
    return calls


def test_gzip_is_made_once_and_kept_on_disk_for_the_next_process(tmp_path, counted):
    js = tmp_path / "chunk.js"
    js.write_bytes(b"const a = 1;\n" * 500)
    version = Version.of(js)
    files = CompressedFiles(tmp_path / "cache", background=False)
    first, again = files.get(version, "gzip"), files.get(version, "gzip")
    assert gzip.decompress(first) == js.read_bytes() and again is first
    assert counted == ["gzip"]
    restarted = CompressedFiles(tmp_path / "cache", background=False)
    assert restarted.ready(version, "gzip") and restarted.get(version, "gzip") == first
    assert counted == ["gzip"]  # read from the cache folder, not compressed again


def test_a_changed_file_is_compressed_again(tmp_path, counted):
    js = tmp_path / "chunk.js"
    js.write_bytes(b"let x = 1;\n" * 300)
    files = CompressedFiles(tmp_path / "cache", background=False)
    old = files.get(Version.of(js), "gzip")
    js.write_bytes(b"let y = 2;\n" * 400)
    os.utime(js, ns=(time.time_ns(), time.time_ns() + 10**9))
    new = files.get(Version.of(js), "gzip")
    assert gzip.decompress(new) == js.read_bytes() != gzip.decompress(old)
    assert counted == ["gzip", "gzip"]


@pytest.mark.skipif(not compression.brotli_available(), reason="brotli is not installed")
def test_brotli_comes_from_the_background_and_gzip_until_then(tmp_path):
    import brotli

    js = tmp_path / "chunk.js"
    js.write_bytes(b"function f(){return 42}\n" * 400)
    version = Version.of(js)
    files = CompressedFiles(tmp_path / "cache")
    assert files.get(version, "br") is None  # queued, not made on the request
    deadline = time.monotonic() + 30
    while not files.ready(version, "br") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert brotli.decompress(files.get(version, "br")) == js.read_bytes()


def test_only_text_files_worth_it_are_compressed(tmp_path):
    assert compression.compressible(tmp_path / "a.js", 5000)
    assert not compression.compressible(tmp_path / "a.js", 100)
    assert not compression.compressible(tmp_path / "font.woff2", 50_000)
    assert Version.of(tmp_path / "missing.js") is None and Version.of(tmp_path) is None
