"""Which requests the app answers: Streamlit's metrics only to the machine itself.

``/_stcore/metrics`` tells anyone the number of sessions and the cache names with file
paths. Behind nginx the proxy denies it to the public (deploy/nginx.conf); a deployment
without nginx needs the same rule in the app. ``allowed`` is that rule as a pure
function, for the ASGI middleware of the served app (Streamlit's ``st.App`` entry point,
kawasaki/web/server.py): given the request's path and the client's address, answer or
refuse (403). Plain Python, no Streamlit: tested in tests/robustness/test_guard.py.
"""

from __future__ import annotations

import ipaddress
import posixpath
import re
from urllib.parse import unquote

# Paths only the machine itself may ask for (monitoring on 127.0.0.1 / ::1).
PRIVATE_PATHS = ("/_stcore/metrics",)


def normalise(path: str) -> str:
    """The path as a router may read it: percent-decoded (twice), slashes collapsed,
    dot segments resolved, lower case, no trailing slash.

    >>> normalise("/%5Fstcore//Metrics/"), normalise("/app/./x/../_stcore/metrics%3F")
    ('/_stcore/metrics', '/app/_stcore/metrics?')
    """
    for _ in range(2):
        path = unquote(path)
    path = re.sub(r"[\\\\/]+", "/", "/" + path)
    return posixpath.normpath(path).lower().rstrip("/") or "/"


def is_loopback(client: str | None) -> bool:
    """True for an address of this machine (127.0.0.0/8, ::1, ::ffff:127.x.x.x).

    >>> is_loopback("127.0.0.1"), is_loopback("::ffff:127.0.0.1"), is_loopback("10.0.0.1"), is_loopback(None)
    (True, True, False, False)
    """
    if not client:
        return False
    try:
        address = ipaddress.ip_address(client.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def is_private(path: str) -> bool:
    """True when ``path`` is one of PRIVATE_PATHS (under any base URL path, any spelling).

    >>> is_private("/_stcore/metrics"), is_private("/dash/_stcore/metrics/x"), is_private("/_stcore/health")
    (True, True, False)
    """
    wanted = normalise(path).split("?", 1)[0] + "/"
    return any(f"{private}/" in wanted for private in PRIVATE_PATHS)


def allowed(path: str, client: str | None) -> bool:
    """True when a request for ``path`` from the address ``client`` may be answered:
    everything is public except PRIVATE_PATHS, which only loopback clients get.

    >>> allowed("/_stcore/metrics", "127.0.0.1"), allowed("/_stcore/metrics", "203.0.113.9")
    (True, False)
    >>> allowed("/explore", "203.0.113.9")
    True
    """
    return not is_private(path) or is_loopback(client)


class PrivatePaths:
    """ASGI middleware of the served app (kawasaki.web.frontdoor.create_app): a request for
    a private path from a client that is not this machine gets 403, before Streamlit sees
    it. The client is uvicorn's: behind nginx on loopback, the X-Forwarded-For address."""

    def __init__(self, app) -> None:  # noqa: ANN001 - any ASGI app
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001 - ASGI
        if scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            if not allowed(scope.get("path", ""), client[0] if client else None):
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                body = b"forbidden: this address is only for the machine itself\n"
                await send(
                    {
                        "type": "http.response.start",
                        "status": 403,
                        "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                            (b"cache-control", b"no-store"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
