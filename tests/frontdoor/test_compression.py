"""Streamlit's static files served compressed by the app itself (kawasaki.web.compress):
brotli when the browser offers it, gzip otherwise, identity when it offers neither;
``Vary: Accept-Encoding``, Streamlit's immutable caching kept, the same bytes once
decompressed, and a revalidation with the compressed copy's ETag answered 304."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest

from kawasaki.compression import brotli_available
from tests.frontdoor.conftest import fetch


def vary(headers: dict[str, str]) -> list[str]:
    """The Vary header's names, lower case."""
    return [v.strip().lower() for v in headers.get("vary", "").split(",") if v.strip()]


@pytest.fixture(scope="module")
def js_file() -> tuple[str, bytes]:
    """A small JavaScript chunk of Streamlit's (5-40 KB: brotli's background copy is quick)
    and its bytes on disk."""
    from streamlit import file_util

    folder = Path(file_util.get_static_dir()) / "static" / "js"
    path = min((p for p in folder.glob("*.js") if 5_000 < p.stat().st_size < 40_000), key=lambda p: p.name)
    return f"/static/js/{path.name}", path.read_bytes()


def test_identity_when_the_browser_offers_no_coding(front_door, js_file):
    url, raw = js_file
    got = fetch(front_door, url, headers={"Accept-Encoding": "identity"})
    assert got.status == 200 and "content-encoding" not in got.headers
    assert got.body == raw and "accept-encoding" in vary(got.headers)
    assert got.headers["cache-control"].startswith("public, immutable, max-age=")


def test_gzip_when_only_gzip_is_offered(front_door, js_file):
    url, raw = js_file
    got = fetch(front_door, url, headers={"Accept-Encoding": "gzip, deflate"})
    assert got.status == 200 and got.headers["content-encoding"] == "gzip"
    assert gzip.decompress(got.body) == raw and len(got.body) < len(raw) / 2
    assert int(got.headers["content-length"]) == len(got.body)
    assert "accept-encoding" in vary(got.headers)
    assert got.headers["cache-control"].startswith("public, immutable, max-age=")
    assert got.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    again = fetch(front_door, url, headers={"Accept-Encoding": "gzip", "If-None-Match": got.headers["etag"]})
    assert again.status == 304 and again.body == b""


def test_brotli_when_offered(front_door, js_file):
    url, raw = js_file
    offer = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    got = fetch(front_door, url, headers=offer)
    if not brotli_available():  # without the package the app sends gzip (requirements.txt pins it)
        assert got.headers["content-encoding"] == "gzip"
        return
    import brotli

    deadline = time.monotonic() + 60  # the brotli copy is made in the background once
    while got.headers.get("content-encoding") == "gzip" and time.monotonic() < deadline:
        time.sleep(0.5)
        got = fetch(front_door, url, headers=offer)
    assert got.status == 200 and got.headers["content-encoding"] == "br"
    assert brotli.decompress(got.body) == raw and "accept-encoding" in vary(got.headers)
    assert got.headers["cache-control"].startswith("public, immutable, max-age=")
    refused = fetch(front_door, url, headers={"Accept-Encoding": "br;q=0, gzip"})
    assert refused.headers["content-encoding"] == "gzip"


def test_range_requests_and_missing_files_pass_through(front_door, js_file):
    url, raw = js_file
    part = fetch(front_door, url, headers={"Accept-Encoding": "gzip", "Range": "bytes=0-99"})
    assert part.status == 206 and part.body == raw[:100] and "content-encoding" not in part.headers
    missing = fetch(front_door, "/static/js/no-such-chunk.js", headers={"Accept-Encoding": "gzip"})
    assert missing.status in (200, 404) and "content-encoding" not in missing.headers
