"""The proxy's limits, in force: deploy/nginx.conf itself in front of the served app.

nginx (installed by scripts/install-system-deps.sh, which `make test` runs) is started
as a foreground process of this test from a temp dir, with the production file and
only its lines marked ``bench:`` replaced (the upstream, the listen address, the cache
path), as bench/scaleout.py runs it. Loopback only: the tests speak from several
loopback addresses (127.0.0.2 …), each a "client" of its own, and 127.0.0.1 stands for
the machine itself (monitoring). Checked: no version in the Server header, metrics
refused to other addresses, the page, API and websocket rates and the open-websocket
limit per address, and that docs/deploy.md states the numbers the file holds.
"""

from __future__ import annotations

import asyncio
import http.client
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from bench import Context
from bench.scaleout import NGINX, SITE, nginx_server
from tests.helpers import run_async

ROOT = Path(__file__).resolve().parents[2]


def _setting(pattern: str) -> int:
    """A number of deploy/nginx.conf, e.g. _setting(r"zone=kawasaki_stream:10m rate=(\\d+)r/s")."""
    match = re.search(pattern, SITE.read_text(encoding="utf-8"))
    assert match, pattern
    return int(match.group(1))


PAGES_RATE = _setting(r"zone=kawasaki_pages:10m rate=(\d+)r/s")
PAGES_BURST = _setting(r"limit_req zone=kawasaki_pages burst=(\d+)")
STREAM_RATE = _setting(r"zone=kawasaki_stream:10m rate=(\d+)r/s")
STREAM_BURST = _setting(r"limit_req zone=kawasaki_stream burst=(\d+)")
STREAM_CONN = _setting(r"limit_conn kawasaki_stream_conn (\d+)")
PAGES_CONN = _setting(r"limit_conn kawasaki_pages_conn (\d+)")
API_RATE = _setting(r"zone=kawasaki_api:10m rate=(\d+)r/s")
API_BURST = _setting(r"limit_req zone=kawasaki_api burst=(\d+)")


@pytest.fixture(scope="module")
def proxy(served_app, tmp_path_factory) -> Iterator:
    """nginx with deploy/nginx.conf in front of the served app, on a free loopback port."""
    if not Path(NGINX).exists():
        pytest.fail(f"{NGINX} is missing: run `make system-deps` (`make test` does)", pytrace=False)
    tmp = tmp_path_factory.mktemp("nginx")
    ctx = Context(tmp=tmp, db=tmp / "unused.duckdb")
    server = nginx_server(ctx, "nginx", [served_app.port])
    with server:
        server.error_log = tmp / "nginx" / "error.log"
        yield server


def _get(proxy, path: str, source: str) -> http.client.HTTPResponse:
    """GET ``path`` through the proxy from the loopback address ``source``."""
    conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=30, source_address=(source, 0))
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_no_version_in_the_server_header(proxy):
    response = _get(proxy, "/_stcore/health", "127.0.0.1")
    assert response.status == 200
    assert response.getheader("Server") == "nginx"
    assert _get(proxy, "/" + "x" * 9000, "127.0.0.1").status == 414, "a URL over 8 KB"


@pytest.mark.parametrize(
    "path", ["/_stcore/metrics", "//_stcore//metrics", "/_stcore/%6detrics", "/_stcore/metrics/x"]
)
def test_metrics_only_from_the_machine_itself(proxy, path):
    assert _get(proxy, path, "127.0.0.2").status == 403
    assert _get(proxy, "/_stcore/metrics", "127.0.0.1").status == 200


@pytest.mark.parametrize(
    ("path", "rate", "burst", "client", "other"),
    [
        ("/_stcore/host-config", PAGES_RATE, PAGES_BURST, "127.0.0.3", "127.0.0.4"),  # page requests
        ("/api/v1/goals.json", API_RATE, API_BURST, "127.0.0.8", "127.0.0.9"),  # a script fetching open data
    ],
    ids=["pages", "api"],
)
def test_requests_are_rate_limited_per_address(proxy, path, rate, burst, client, other):
    """One address gets its burst at once, then 429s at the sustained rate; others are not held up."""
    started = time.monotonic()
    codes = [_get(proxy, path, client).status for _ in range(burst + 30)]
    elapsed = time.monotonic() - started
    assert codes[: burst + 1] == [200] * (burst + 1), codes
    assert 429 in codes and set(codes) == {200, 429}, codes
    assert codes.count(200) <= burst + 1 + rate * elapsed + 1
    assert _get(proxy, path, other).status == 200, "another address is not limited"


async def _websocket(proxy, source: str):
    return await connect(
        f"ws://127.0.0.1:{proxy.port}/_stcore/stream",
        subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"],
        local_addr=(source, 0),
        open_timeout=30,
        ping_interval=None,
        close_timeout=2,
        proxy=None,
    )


async def _status(proxy, source: str):
    """Open a websocket from ``source``: None when it opened (it stays open), else the HTTP status."""
    try:
        return await _websocket(proxy, source)
    except InvalidStatus as exc:
        return exc.response.status_code


async def _hold_websockets(proxy, source: str, n: int) -> list:
    opened = []
    try:
        for _ in range(n):
            opened.append(await _status(proxy, source))
        return [x if isinstance(x, int) else 101 for x in opened]
    finally:
        await asyncio.gather(
            *(ws.close() for ws in opened if not isinstance(ws, int)), return_exceptions=True
        )


def test_open_websockets_are_limited_per_address(proxy):
    codes = run_async(_hold_websockets(proxy, "127.0.0.5", STREAM_CONN + 1))
    assert codes == [101] * STREAM_CONN + [429], codes
    assert 'limiting connections by zone "kawasaki_stream_conn"' in proxy.error_log.read_text()


async def _open_and_close(proxy, source: str, n: int) -> list[int]:
    codes = []
    for _ in range(n):
        result = await _status(proxy, source)
        if isinstance(result, int):
            codes.append(result)
        else:
            codes.append(101)
            await result.close()
    return codes


def test_new_websockets_are_rate_limited_per_address(proxy):
    started = time.monotonic()
    codes = run_async(_open_and_close(proxy, "127.0.0.6", STREAM_BURST + 20))
    elapsed = time.monotonic() - started
    assert codes[: STREAM_BURST + 1] == [101] * (STREAM_BURST + 1), codes
    assert 429 in codes and codes.count(101) <= STREAM_BURST + 1 + STREAM_RATE * elapsed + 1, codes
    assert "limiting requests, excess: " in proxy.error_log.read_text()
    assert run_async(_open_and_close(proxy, "127.0.0.7", 1)) == [101], "another address is not limited"


def test_the_limits_are_the_ones_documented():
    """docs/deploy.md's table says the numbers deploy/nginx.conf holds."""
    doc = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    rows = {
        "new page requests": f"{PAGES_RATE} per second, bursts of {PAGES_BURST}",
        "new websockets (sessions)": f"{STREAM_RATE} per second, bursts of {STREAM_BURST}",
        "open page requests": f"{PAGES_CONN} at once",
        "open websockets (tabs)": f"{STREAM_CONN} at once",
        "open-data API requests (`/api/`)": f"{API_RATE} per second, bursts of {API_BURST}",
    }
    for what, numbers in rows.items():
        assert re.search(rf"\| {re.escape(what)} \| {re.escape(numbers)} \|", doc), f"docs/deploy.md: {what}"
