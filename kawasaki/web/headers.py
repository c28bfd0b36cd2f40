"""Security headers on every HTTP response of the process: pages, the pre-rendered
documents, Streamlit's static files, its API (/_stcore/...) and media.

The Content-Security-Policy is as strict as Streamlit 1.67 allows (docs/deploy.md, "The
front door", says which directives Streamlit forces and why; tests/browser checks that the
app runs under it without a violation):

- scripts: only this origin's files and three inline scripts named by their hashes
  (Streamlit's ``window.prerenderReady = false`` in index.html, and the frame's
  accessibility script in its two languages, kawasaki.web.frame.a11y_script), and the
  compiling of WebAssembly ('wasm-unsafe-eval', not 'unsafe-eval': the map's deck.gl
  decodes with a WebAssembly module; without it the ward map fails);
- styles: this origin and inline (Streamlit's CSS-in-JS writes <style> elements and
  style attributes at run time; no hash or nonce can name them);
- images and fonts: this origin, data: and blob: URLs (the favicon is a data URL,
  charts export and draw through blob: and data: URLs);
- connections: this origin only (the websocket, the health check, downloads);
- no plugins, no <base>, forms only to this origin; framing by this origin and the
  origins in $KAWASAKI_FRAME_ANCESTORS (the city's own sites that embed a view).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

FRAME_ANCESTORS_ENV = "KAWASAKI_FRAME_ANCESTORS"
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^https://\*\.[A-Za-z0-9.-]+$")
_LOG = logging.getLogger(__name__)

# Features the app never uses. Fullscreen stays (tables and charts offer it), and so does
# the clipboard (copy buttons of code blocks).
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(
    [*(f"{f}=()" for f in DENIED_FEATURES), "fullscreen=(self)", "clipboard-write=(self)"]
)
REFERRER_POLICY = "strict-origin-when-cross-origin"


def frame_ancestors(setting: str | None = None) -> tuple[str, ...]:
    """The origins allowed to frame the app besides its own, from $KAWASAKI_FRAME_ANCESTORS
    (separated by spaces or commas; ``https://host``, ``https://host:port`` or
    ``https://*.example.jp``). Anything else is left out, with a warning in the log.

    >>> frame_ancestors("https://www.city.kawasaki.jp, javascript:alert(1) https://*.kawasaki.jp")
    ('https://www.city.kawasaki.jp', 'https://*.kawasaki.jp')
    """
    raw = os.environ.get(FRAME_ANCESTORS_ENV, "") if setting is None else setting
    kept = []
    for origin in re.split(r"[\s,]+", raw.strip()):
        if not origin:
            continue
        if _ORIGIN.match(origin):
            kept.append(origin)
        else:
            _LOG.warning(
                "%s: %r is not an origin (https://host[:port]); left out", FRAME_ANCESTORS_ENV, origin
            )
    return tuple(kept)


def content_security_policy(script_hashes: Iterable[str], ancestors: Iterable[str] = ()) -> str:
    """The policy, with the inline scripts ``script_hashes`` allowed and framing by ``ancestors``."""
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", "'wasm-unsafe-eval'", *script_hashes]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "media-src": "'self' data: blob:",
        "worker-src": "'self' blob:",
        "frame-src": "'self'",
        "manifest-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": " ".join(["'self'", *ancestors]),
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers(csp: str, ancestors: Iterable[str] = ()) -> list[tuple[bytes, bytes]]:
    """The headers every response gets. X-Frame-Options (for browsers without
    frame-ancestors) only when no other origin may frame the app: it cannot name one."""
    headers = [
        ("content-security-policy", csp),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", REFERRER_POLICY),
        ("permissions-policy", PERMISSIONS_POLICY),
        ("cross-origin-opener-policy", "same-origin"),
    ]
    if not tuple(ancestors):
        headers.append(("x-frame-options", "SAMEORIGIN"))
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]


class SecurityHeaders:
    """ASGI middleware: add ``headers`` to every HTTP response (replacing a header of the
    same name the app set, e.g. Streamlit's own X-Content-Type-Options)."""

    def __init__(self, app: ASGIApp, headers: list[tuple[bytes, bytes]]) -> None:
        self.app = app
        self.headers = headers
        self.names = {name for name, _ in headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = _one_vary(
                    [(k, v) for k, v in message.get("headers", []) if k.lower() not in self.names]
                )
                message = {**message, "headers": kept + self.headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _one_vary(raw: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers with their Vary values merged into one header, each named once
    (Streamlit's gzip middleware adds "Accept-Encoding" to a response that has it).

    >>> _one_vary([(b"vary", b"Accept-Encoding"), (b"a", b"1"), (b"vary", b"accept-encoding, Origin")])
    [(b'a', b'1'), (b'vary', b'Accept-Encoding, Origin')]
    """
    names: dict[bytes, bytes] = {}
    for key, value in raw:
        if key.lower() == b"vary":
            for part in value.split(b","):
                names.setdefault(part.strip().lower(), part.strip())
    if not names:
        return raw
    rest = [(k, v) for k, v in raw if k.lower() != b"vary"]
    return [*rest, (b"vary", b", ".join(names.values()))]
