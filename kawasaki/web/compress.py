"""Streamlit's static files (``/static/...``: its JavaScript, CSS and fonts) sent
compressed by the app itself: brotli or gzip by the browser's Accept-Encoding, each file
compressed once per version (kawasaki.compression), ``Vary: Accept-Encoding``, and
Streamlit's own headers kept (``Cache-Control: public, immutable, max-age=…``, ETag,
Last-Modified). Streamlit 1.67 deliberately sends these files uncompressed (its
SelectiveGZipMiddleware bypasses /static/ because Starlette would recompress them on
every request); this middleware compresses each file once instead.

Streamlit's static handler still answers every request (its path checks, its 404s and
its headers): the middleware asks it with the method HEAD, then sends the stored copy's
bytes in place of the file. Range requests, other methods and files that are not text
pass through untouched.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kawasaki import compression

_SUFFIX = {"br": "-br", "gzip": "-gz"}


def static_dir() -> Path:
    """Streamlit's static folder (index.html, static/js, static/css, static/media)."""
    from streamlit import file_util

    return Path(file_util.get_static_dir())


class CompressStatic:
    """ASGI middleware: compressed copies of /static/ files (see the module's docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        base_path: str = "",
        folder: Path | None = None,
        files: compression.CompressedFiles | None = None,
    ) -> None:
        self.app = app
        self.prefix = ("/" + base_path.strip("/") if base_path.strip("/") else "") + "/static/"
        self.root = (folder or static_dir()).resolve()
        self.files = files or compression.CompressedFiles()

    def _file(self, scope: Scope) -> compression.Version | None:
        """The static file a request names, when it is one worth compressing."""
        path: str = scope.get("path", "")
        root_path = scope.get("root_path", "")
        if root_path and path.startswith(root_path + "/"):
            path = path[len(root_path) :]
        if not path.startswith(self.prefix) or "\\" in path or "\0" in path:
            return None
        target = (self.root / "static" / path[len(self.prefix) :]).resolve()
        if not target.is_relative_to(self.root / "static"):
            return None
        version = compression.Version.of(target)
        if version is None or not compression.compressible(target, version.size):
            return None
        return version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        version = self._file(scope) if "range" not in headers else None
        coding = compression.choose(headers.get("accept-encoding", ""), self.files.codings)
        if version is None:
            await self.app(scope, receive, send)
            return
        if coding is None:
            await self.app(scope, receive, vary(send))
            return
        body = await self._body(version, coding)
        if body is None and coding == "br":
            coding, body = "gzip", await self._body(version, "gzip")
        if body is None:
            await self.app(scope, receive, vary(send))
            return
        await self._send_copy(scope, receive, send, coding, body)

    async def _body(self, version: compression.Version, coding: str) -> bytes | None:
        """The stored copy (made in a worker thread the first time)."""
        if self.files.ready(version, coding):
            return self.files.get(version, coding)
        return await run_in_threadpool(self.files.get, version, coding)

    async def _send_copy(self, scope: Scope, receive: Receive, send: Send, coding: str, body: bytes) -> None:
        """Ask Streamlit's handler for the headers only (HEAD), then send the copy: a 200
        with the compressed body, anything else (304, 404, 400) as Streamlit answered it."""
        inner = dict(scope, method="HEAD", headers=_plain_etags(scope["headers"]))
        started: dict[str, Message] = {}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                started["start"] = message

        await self.app(inner, receive, capture)
        start = started.get("start")
        if start is None or start["status"] != 200:
            await self.app(dict(scope, headers=inner["headers"]), receive, vary(send))
            return
        out = MutableHeaders(raw=list(start["headers"]))
        out["content-encoding"] = coding
        out["content-length"] = str(len(body))
        out.add_vary_header("Accept-Encoding")
        if "etag" in out:
            out["etag"] = tagged(out["etag"], coding)
        await send({"type": "http.response.start", "status": 200, "headers": out.raw})
        await send({"type": "http.response.body", "body": body, "more_body": False})


def tagged(etag: str, coding: str) -> str:
    """The ETag of a compressed copy: the file's, with the coding ("abc" -> "abc-br")."""
    weak, tag = ("W/", etag[2:]) if etag.startswith("W/") else ("", etag)
    return f'{weak}"{tag.strip(chr(34))}{_SUFFIX[coding]}"'


def _plain_etags(raw: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The request's headers with If-None-Match naming the file's own ETag (a browser
    revalidating a compressed copy sends the tagged one), so Streamlit can answer 304."""
    out = []
    for name, value in raw:
        if name == b"if-none-match":
            for suffix in _SUFFIX.values():
                value = value.replace(f'{suffix}"'.encode(), b'"')
        out.append((name, value))
    return out


def vary(send: Send) -> Send:
    """``send`` adding ``Vary: Accept-Encoding`` to the response (the same URL is sent
    compressed to other browsers)."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            out = MutableHeaders(raw=list(message["headers"]))
            out.add_vary_header("Accept-Encoding")
            message = {**message, "headers": out.raw}
        await send(message)

    return wrapped


def enabled() -> bool:
    """False when $KAWASAKI_COMPRESS_STATIC is "0" (a proxy in front compresses instead)."""
    return os.environ.get("KAWASAKI_COMPRESS_STATIC", "1") != "0"
