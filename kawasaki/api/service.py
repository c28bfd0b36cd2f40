"""The API of one database version: a request (endpoint name, query parameters, base URL)
to a Reply (status, bytes, media type, ETag), made once and kept (bounded).

Filters are read by kawasaki.state.parse_params (the pages' parser, with its caps) and
by ``_term``; anything it would drop with a notice is a 400 here, an unknown parameter
too, so that a typo never silently returns everything.

    api = Api(cursor)                         # one per database version
    reply = api.cached(key) or api.reply(key)  # reply: queries, in a worker thread
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import hashlib
import json
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kawasaki import queries
from kawasaki.api import documents, tables
from kawasaki.api.feed import atom_feed
from kawasaki.api.openapi import openapi
from kawasaki.api.package import datapackage
from kawasaki.queries import Con
from kawasaki.releases import history
from kawasaki.site.documents import Bounded
from kawasaki.spreadsheet import data_csv_bytes
from kawasaki.state import MAX_TOTAL_CHARS, parse_params

REVISION = "1"  # bump when a representation changes for the same data (ETags change)
MAX_REPLIES = 256  # per database version
MAX_QUERY = MAX_TOTAL_CHARS  # a longer query string is refused unread (414)
MAX_PARAMS = 20
JSON = "application/json"
CSV = "text/csv; charset=utf-8"
FILTERS = ("goal", "target", "term", "status")
# endpoint -> (media type, parameters it takes)
ENDPOINTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "kpis.json": (JSON, FILTERS),
    "kpis.csv": (CSV, FILTERS),
    "observations.csv": (CSV, ()),
    "ward_values.csv": (CSV, ()),
    "goals.json": (JSON, ()),
    "targets.json": (JSON, ()),
    "plan.json": (JSON, ()),
    "wards.geojson": ("application/geo+json", ()),
    "datapackage.json": (JSON, ()),
    "openapi.json": (JSON, ()),
    "releases.atom": ("application/atom+xml; charset=utf-8", ("lang",)),
    "index.json": (JSON, ()),
}

UNFILTERED = (tables.TERMS, (), None, None)  # (terms, goals, target, status)
BASE_ENDPOINTS = ("releases.atom", "openapi.json", "index.json")  # these name absolute URLs


class ApiError(Exception):
    """A request the API refuses: its HTTP status and a message in plain words."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Reply:
    """A response body: status, bytes as they are and gzipped, media type, ETag."""

    status: int
    body: bytes
    gzipped: bytes
    media_type: str
    etag: str

    @classmethod
    def of(cls, body: bytes, media_type: str, stamp: str, status: int = 200) -> Reply:
        """The reply of ``body``; its ETag names the build stamp and the content."""
        digest = hashlib.sha256(body).hexdigest()[:16]
        return cls(
            status, body, gzip.compress(body, 6, mtime=0), media_type, f'"{stamp}-{REVISION}-{digest}"'
        )


def error_body(status: int, message: str) -> bytes:
    """The JSON of an error: {"error": {"status": 404, "message": "..."}}."""
    return json_bytes({"error": {"status": status, "message": message}})


def json_bytes(data: Any) -> bytes:
    """Compact UTF-8 JSON (Japanese as itself, never NaN)."""
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def csv_bytes(rows: Sequence[dict[str, Any]], fields: Sequence[tables.Field]) -> bytes:
    """The machine-readable CSV of ``rows`` (kawasaki.spreadsheet.data_csv_bytes)."""
    names = [f.name for f in fields]
    frame = pd.DataFrame([[tables.csv_value(r[n]) for n in names] for r in rows], columns=names, dtype=object)
    return data_csv_bytes(frame)


def http_date(moment: Any) -> str:
    """An HTTP date (Last-Modified) of a timezone-aware time.

    >>> http_date(dt.datetime(2026, 11, 28, 1, 30, tzinfo=dt.UTC))
    'Sat, 28 Nov 2026 01:30:00 GMT'
    """
    return email.utils.format_datetime(moment.astimezone(dt.UTC), usegmt=True)


@dataclass(frozen=True)
class Key:
    """What a reply depends on: the endpoint, the canonical filters, the base URL."""

    name: str
    filters: tuple[Any, ...] = ()
    base: str = ""


class Api:
    """The API of one database version."""

    def __init__(self, cursor: Callable[[], Con]) -> None:
        self._cursor = cursor
        with closing(cursor()) as con:
            self.info = queries.build_info(con)
            self.vocabulary = queries.vocabulary(con)
        self.stamp = str(self.info.get("build_stamp", ""))
        self.built_at = self.info.get("built_at")
        self.last_modified = http_date(self.built_at)
        self.replies = Bounded(MAX_REPLIES)

    # --- requests -------------------------------------------------------------------

    def key(self, name: str, params: Sequence[tuple[str, str]], base: str) -> Key:
        """The reply key of a request; ApiError for an unknown endpoint or a bad filter."""
        if name not in ENDPOINTS and not _kpi_name(name):
            raise ApiError(404, f"no such endpoint: /api/v1/{shown(name, 80)} (see /api/v1/openapi.json)")
        allowed = ENDPOINTS.get(name, ("", ()))[1]
        if len(params) > MAX_PARAMS:
            raise ApiError(400, f"too many query parameters ({len(params)}; at most {MAX_PARAMS})")
        for param, _ in params:
            if param not in allowed:
                quoted = shown(param)
                takes = ", ".join(allowed) or "none"
                raise ApiError(400, f"unknown parameter '{quoted}' for {name} (it takes: {takes})")
        if _kpi_name(name):
            kpi_id = name[len("kpis/") : -len(".json")]
            if kpi_id not in self.vocabulary["kpi"]:
                raise ApiError(404, f"no such KPI: '{shown(kpi_id, 64)}' (the KPIs: /api/v1/kpis.json)")
            return Key("kpi", (kpi_id,))
        if name == "releases.atom":
            return Key(name, (_lang(params),), base)
        if name in ("openapi.json", "index.json"):
            return Key(name, (), base)
        if allowed == FILTERS:
            return Key(name, self._filters(params) if params else UNFILTERED)
        return Key(name)

    def _filters(self, params: Sequence[tuple[str, str]]) -> tuple[Any, ...]:
        """(terms, goals, target, status) from the query; ApiError for a bad value."""
        grouped: dict[str, list[str]] = {}
        for param, value in params:
            grouped.setdefault(param, []).append(value)
        terms = _term(grouped.pop("term", []))
        for param, values in grouped.items():
            if param != "goal" and len(values) > 1:
                raise ApiError(400, f"'{param}' given {len(values)} times; give it once")
        state = parse_params(grouped, self.vocabulary)
        if state.notices:
            n = state.notices[0]
            if n.reason == "more":
                raise ApiError(400, f"too many values ({n.value} more were not read)")
            raise ApiError(400, f"{n.param}: '{n.shown_value()}' is not a valid value ({n.reason})")
        for param, values in grouped.items():
            if not any(v.strip() for v in values):
                raise ApiError(400, f"{param}: empty value")
        return (terms, state.goals, state.target, state.status)

    def cached(self, key: Key) -> Reply | None:
        """The reply of ``key`` if it was made already."""
        return self.replies.get(key)

    def reply(self, key: Key) -> Reply:
        """Make the reply of ``key`` (queries: call it outside the event loop)."""
        with closing(self._cursor()) as con:
            body = self._body(con, key)
        media = "application/json" if key.name == "kpi" else ENDPOINTS[key.name][0]
        return self.replies.put(key, Reply.of(body, media, self.stamp))

    def _body(self, con: Con, key: Key) -> bytes:
        name = key.name
        if name == "kpi":
            return json_bytes(documents.kpi_detail(con, key.filters[0]))
        if name in ("kpis.json", "kpis.csv"):
            terms, goals, target, status = key.filters
            rows = tables.kpi_rows(con, terms, goals, target, status)
            if name == "kpis.csv":
                return csv_bytes(rows, tables.KPI_FIELDS)
            return json_bytes({"build": self.build(), "count": len(rows), "kpis": rows})
        if name == "observations.csv":
            return csv_bytes(tables.observation_rows(con, self.vocabulary["kpi"]), tables.OBSERVATION_FIELDS)
        if name == "ward_values.csv":
            return csv_bytes(tables.ward_rows(con), tables.WARD_FIELDS)
        if name == "goals.json":
            return json_bytes({"build": self.build(), "goals": documents.goals(con)})
        if name == "targets.json":
            return json_bytes({"build": self.build(), "targets": documents.targets(con)})
        if name == "plan.json":
            return json_bytes({"build": self.build(), **documents.plan(con)})
        if name == "wards.geojson":
            return json_bytes(documents.wards_geojson(con))
        if name == "datapackage.json":
            return json_bytes(datapackage(con))
        if name == "openapi.json":
            return json_bytes(openapi(f"{key.base}/api/v1", self.info, self.vocabulary))
        if name == "releases.atom":
            return atom_feed(history(con), key.base, key.filters[0], self.built_at)
        return json_bytes(self.index(key.base))

    def build(self) -> dict[str, Any]:
        """The build every JSON document names: stamp, time, data-as-of date."""
        as_of = self.info.get("data_as_of")
        return {
            "stamp": self.stamp,
            "built_at": self.built_at.isoformat() if self.built_at else None,
            "data_as_of": as_of.isoformat() if as_of else None,
        }

    def index(self, base: str) -> dict[str, Any]:
        """What /api/v1/ lists: every endpoint's URL."""
        root = f"{base}/api/v1/"
        files = [n for n in ENDPOINTS if n != "index.json"]
        return {
            "build": self.build(),
            "endpoints": [root + n for n in files] + [root + "kpis/{kpi_id}.json", root + "kawasaki.duckdb"],
            "documentation": root + "openapi.json",
        }


def shown(value: str, limit: int = 40) -> str:
    """A piece of the request as an error message may quote it: printable, no markup or
    quote characters, cut to ``limit``.

    >>> shown("<img src=x>"), shown("a" * 50, 4)
    ('img src=x', 'aaaa…')
    """
    clean = "".join(ch for ch in value if ch.isprintable() and ch not in "<>\"'`&\\")
    return clean[:limit] + ("…" if len(clean) > limit else "")


def _kpi_name(name: str) -> bool:
    """True for 'kpis/<id>.json'."""
    return name.startswith("kpis/") and name.endswith(".json") and name.count("/") == 1


def _term(values: list[str]) -> tuple[int, ...]:
    """The plan terms asked for: ``term=3`` or ``term=2``; both when not given.

    >>> _term([]), _term(["2"])
    ((3, 2), (2,))
    """
    if not values:
        return tables.TERMS
    if len(values) > 1:
        raise ApiError(400, "'term' given more than once; give it once")
    value = values[0].strip()
    if value not in ("2", "3"):
        raise ApiError(400, f"term: '{shown(value)}' is not a plan term (2 or 3)")
    return (int(value),)


def _lang(params: Sequence[tuple[str, str]]) -> str:
    """The feed's language: ``lang=en`` or ``lang=ja`` (the default)."""
    values = [v for k, v in params if k == "lang"]
    if len(values) > 1:
        raise ApiError(400, "'lang' given more than once; give it once")
    if values and values[0] not in ("ja", "en"):
        raise ApiError(400, f"lang: '{shown(values[0])}' is not a language (ja or en)")
    return values[0] if values else "ja"
