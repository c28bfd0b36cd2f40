"""The pieces behind the API without a server: one object per database file version
(kawasaki.web.versions, shared with the front door), the metrics guard as ASGI middleware,
and the error texts."""

from __future__ import annotations

import os
import shutil

import pytest

from kawasaki.api.service import Api, ApiError, shown
from kawasaki.web.guard import PrivatePaths
from kawasaki.web.versions import PerVersion
from tests.helpers import run_async


def test_a_rebuilt_file_gets_a_new_object_and_the_old_one_is_kept(built_db, tmp_path, monkeypatch):
    live = tmp_path / "kawasaki.duckdb"
    shutil.copy(built_db, live)
    monkeypatch.setenv("KAWASAKI_DB", str(live))
    versions = PerVersion(Api, "test")
    assert versions.now() is False  # not made yet
    first = run_async(versions.get())
    assert isinstance(first, Api) and versions.make() is first
    shutil.copy(built_db, tmp_path / "new.duckdb")
    os.replace(tmp_path / "new.duckdb", live)  # how a rebuild publishes a file
    second = versions.make()
    assert second is not first and isinstance(second, Api) and len(versions._made) == 2
    live.unlink()
    assert versions.now() is None  # no file: "unavailable", no exception


def test_a_file_that_is_not_a_database_is_unavailable(tmp_path, monkeypatch):
    broken = tmp_path / "kawasaki.duckdb"
    broken.write_bytes(b"not a database")
    monkeypatch.setenv("KAWASAKI_DB", str(broken))
    assert PerVersion(Api, "test").make() is None


def _answer(path: str, client: tuple[str, int] | None) -> int:
    sent: list[dict] = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": path, "client": client, "headers": []}
    run_async(PrivatePaths(app)(scope, None, send))
    return sent[0]["status"]


def test_metrics_guard_as_middleware():
    assert _answer("/_stcore/metrics", ("127.0.0.1", 5)) == 200
    assert _answer("/_stcore/metrics", ("::1", 5)) == 200
    assert _answer("/_stcore/metrics", ("203.0.113.9", 5)) == 403
    assert _answer("/_stcore/metrics", None) == 403
    assert _answer("/dash/_stcore/Metrics/", ("10.0.0.1", 5)) == 403
    assert _answer("/api/v1/kpis.json", ("203.0.113.9", 5)) == 200


def test_error_texts_quote_little_and_no_markup(built_db, monkeypatch):
    assert shown('"><script>x') == "scriptx"
    monkeypatch.setenv("KAWASAKI_DB", str(built_db))
    api = PerVersion(Api, "test").make()
    for name, params in [("kpis/<b>.json", []), ("kpis.json", [("x" * 500, "1")])]:
        with pytest.raises(ApiError) as raised:
            api.key(name, params, "")
        assert "<" not in raised.value.message and len(raised.value.message) < 200
