"""The open-data API (``/api/v1/…``, docs/api.md): handlers around kawasaki.api.service.Api,
one Api per database file version (kawasaki.web.versions), answered by the ASGI
middleware ``OpenDataRoutes`` ahead of Streamlit's own middleware.

Every response: ``Access-Control-Allow-Origin: *``; a reply also ``ETag`` (the build
stamp and its content), ``Last-Modified`` (the build time), ``Cache-Control: public,
max-age=300``, and 304 on a matching ``If-None-Match`` (or, without one, an
``If-Modified-Since`` not before the build). Errors are JSON, never a traceback: an
unknown KPI or endpoint 404, a bad filter 400, a query string over the cap 414 (refused
before it is parsed), another method 405, a database that cannot be used 503.
"""

from __future__ import annotations

import email.utils
import logging
import os

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from kawasaki.api.service import BASE_ENDPOINTS, MAX_QUERY, Api, ApiError, Reply, error_body
from kawasaki.web import db
from kawasaki.web.versions import PerVersion

MAX_AGE = 300  # seconds: a rebuild reaches a cache within five minutes
CHUNK = 1 << 20
CORS = {
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "ETag, Last-Modified",
}
PREFLIGHT = {
    **CORS,
    "access-control-allow-methods": "GET, HEAD, OPTIONS",
    "access-control-allow-headers": "If-None-Match, If-Modified-Since",
    "access-control-max-age": "86400",
}
_LOG = logging.getLogger(__name__)


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A JSON error: {"error": {"status": …, "message": …}}."""
    return Response(
        error_body(status, message),
        status,
        headers={**CORS, "cache-control": "no-store", **(headers or {})},
        media_type="application/json",
    )


def fresh(request: Request, etag: str, modified: str) -> bool:
    """True when the client's copy is current (If-None-Match, else If-Modified-Since)."""
    match = request.headers.get("if-none-match")
    if match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
        return "*" in tags or etag in tags
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return email.utils.parsedate_to_datetime(since) >= email.utils.parsedate_to_datetime(modified)
        except (TypeError, ValueError):
            return False
    return False


class OpenData:
    """The API's state: one kawasaki.api.service.Api per database file version."""

    def __init__(self) -> None:
        self._apis: PerVersion[Api] = PerVersion(Api, "api")

    async def endpoint(self, request: Request) -> Response:
        """Any /api/v1/ URL: a reply, 304, or a JSON error."""
        refused = _refuse(request)
        if refused is not None:
            return refused
        api = await self._apis.get()
        if api is None:
            return error(503, "the data is not available right now", {"retry-after": "60"})
        name = request.path_params.get("name", "") or "index.json"
        base = _base(request) if name in BASE_ENDPOINTS else ""
        try:
            key = api.key(name, request.query_params.multi_items(), base)
        except ApiError as exc:
            return error(exc.status, exc.message)
        reply = api.cached(key)
        if reply is None:
            try:
                reply = await run_in_threadpool(api.reply, key)
            except Exception:  # noqa: BLE001 - a failing endpoint answers 500 JSON, never a traceback
                _LOG.error("api: %s failed", request.url.path, exc_info=True)
                return error(500, "the server could not make this file; it has been logged")
        return _respond(request, reply, api.last_modified)

    async def database(self, request: Request) -> Response:
        """The DuckDB file itself, from an open handle (a rebuild renaming a new file into
        place does not mix two files into one download)."""
        refused = _refuse(request)
        if refused is not None:
            return refused
        if request.query_params:
            return error(400, "kawasaki.duckdb takes no parameters")
        api = await self._apis.get()
        if api is None:
            return error(503, "the data is not available right now", {"retry-after": "60"})
        try:
            handle = open(db.db_key()[0], "rb")  # noqa: SIM115 - closed by the stream
        except OSError:
            return error(503, "the data is not available right now", {"retry-after": "60"})
        info = os.fstat(handle.fileno())
        size = info.st_size
        etag = f'"db-{info.st_ino:x}-{info.st_mtime_ns:x}-{size}"'  # of the very file opened
        headers = _validators(etag, api.last_modified)
        headers["content-disposition"] = f'attachment; filename="kawasaki-sdgs-{api.stamp}.duckdb"'
        if fresh(request, etag, api.last_modified):
            handle.close()
            return Response(status_code=304, headers=headers)
        headers["content-length"] = str(size)

        def chunks():
            with handle:
                while block := handle.read(CHUNK):
                    yield block

        return StreamingResponse(chunks(), headers=headers, media_type="application/octet-stream")

    async def not_found(self, request: Request) -> Response:
        """Anything else under /api/: 404 JSON (not Streamlit's index page)."""
        refused = _refuse(request)
        return refused or error(404, "no such API version or endpoint (see /api/v1/openapi.json)")


def _refuse(request: Request) -> Response | None:
    """A preflight answer, or the refusal of a method or an overlong query string."""
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=PREFLIGHT)
    if request.method not in ("GET", "HEAD"):
        return error(
            405, f"{request.method[:16]} is not allowed: the API is read-only (GET)", {"allow": "GET, HEAD"}
        )
    if len(request.scope.get("query_string", b"")) > MAX_QUERY:
        return error(414, f"the query string is longer than {MAX_QUERY} characters")
    return None


def _validators(etag: str, modified: str) -> dict[str, str]:
    return {**CORS, "etag": etag, "last-modified": modified, "cache-control": f"public, max-age={MAX_AGE}"}


def _respond(request: Request, reply: Reply, modified: str) -> Response:
    """The reply (gzipped when accepted), or 304 when the client has it."""
    headers = {**_validators(reply.etag, modified), "vary": "Accept-Encoding"}
    if fresh(request, reply.etag, modified):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["content-encoding"] = "gzip"
        return Response(reply.gzipped, reply.status, headers=headers, media_type=reply.media_type)
    return Response(reply.body, reply.status, headers=headers, media_type=reply.media_type)


def _base(request: Request) -> str:
    from kawasaki.web.frontdoor import base_url

    return base_url(request)


class OpenDataRoutes:
    """ASGI middleware that answers every URL under ``<prefix>/api`` itself, before
    Streamlit's middleware and router (session cookies, path checks, gzip: none of it is
    needed by a read-only, pre-compressed reply; measured in bench/api.py), and hands
    everything else on. Put inside kawasaki.web.headers.SecurityHeaders, so the API's
    responses get the security headers too."""

    def __init__(self, app: ASGIApp, data: OpenData, prefix: str = "") -> None:
        self.app = app
        self.data = data
        self.root = prefix + "/api"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path != self.root and not path.startswith(self.root + "/"):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        rest = path[len(self.root) :]
        if rest == "/v1/kawasaki.duckdb":
            response = await self.data.database(request)
        elif rest in ("/v1", "/v1/") or rest.startswith("/v1/"):
            scope["path_params"] = {"name": rest[len("/v1/") :]}
            response = await self.data.endpoint(request)
        else:
            response = await self.data.not_found(request)
        await response(scope, receive, send)
