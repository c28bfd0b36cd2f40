"""The open-data API on the session's served app (``front_door``, tests/conftest.py):
helpers that fetch an endpoint and read it as JSON or CSV rows."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tests.frontdoor.conftest import Fetched, fetch

API = "/api/v1/"


def get(base: str, path: str, headers: dict[str, str] | None = None, method: str = "GET") -> Fetched:
    """One request to /api/v1/<path>."""
    return fetch(base, API + path, headers=headers, method=method)


def get_json(base: str, path: str) -> Any:
    """An endpoint's JSON (asserting 200 and the media type)."""
    got = get(base, path)
    assert got.status == 200, (path, got.status, got.body[:300])
    assert got.headers["content-type"].startswith(("application/json", "application/geo+json"))
    return json.loads(got.body)


def get_csv(base: str, path: str) -> list[dict[str, str]]:
    """An endpoint's CSV rows (asserting 200, UTF-8 without a BOM, CRLF line ends)."""
    got = get(base, path)
    assert got.status == 200, (path, got.status)
    assert got.headers["content-type"] == "text/csv; charset=utf-8"
    assert not got.body.startswith(b"\xef\xbb\xbf") and b"\r\n" in got.body
    return list(csv.DictReader(io.StringIO(got.body.decode("utf-8"), newline="")))
