"""Serve a reference app of bench/apps/ the way ``python -m kawasaki serve`` serves the dashboard.

    python -m bench.launch bench/apps/one_chart.py --server.port 8600 [--nodelay | --no-nodelay]
    python -m bench.launch --app --nodelay --server.port 8601     # the dashboard, with the fix

The references must differ from the dashboard only in their script, so whatever
``python -m kawasaki serve`` (kawasaki.web.server) does to the server before it starts
Streamlit is done here as well. Today that is one thing that matters for speed:

TCP_NODELAY. Streamlit 1.67 binds its listening socket itself with protocol 0, and
asyncio sets TCP_NODELAY only on sockets whose protocol is IPPROTO_TCP, so every
accepted websocket keeps Nagle's algorithm on: the last small frames of a run
(``script_finished``) wait for the browser's delayed ACK, ~40 ms on Linux, on every
rerun. ``--nodelay`` sets it on every accepted TCP connection (docs/performance.md).
By default it follows kawasaki.web.server (``_enable_tcp_nodelay``), so that references
and dashboard are served alike.
"""

from __future__ import annotations

import socket
import sys


def enable_tcp_nodelay() -> None:
    """Make asyncio set TCP_NODELAY on every TCP connection, whatever its protocol number."""
    import asyncio.base_events

    def set_nodelay(sock: socket.socket) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    asyncio.base_events._set_nodelay = set_nodelay  # used by the selector transports


def dashboard_has_nodelay() -> bool:
    """Whether ``python -m kawasaki serve`` sets TCP_NODELAY itself (kawasaki.web.server)."""
    from kawasaki.web import server

    return hasattr(server, "_enable_tcp_nodelay")


def main(argv: list[str]) -> int:
    """Start Streamlit on ``argv`` (script and flags), with or without TCP_NODELAY;
    ``--app``: the dashboard through ``python -m kawasaki serve`` (to measure the fix)."""
    nodelay = dashboard_has_nodelay()
    if "--nodelay" in argv:
        nodelay = True
    if "--no-nodelay" in argv:
        nodelay = False
    args = [a for a in argv if a not in ("--nodelay", "--no-nodelay", "--app")]
    if nodelay:
        enable_tcp_nodelay()
    if "--app" in argv:
        from kawasaki import cli

        return cli.main(["serve", *args])
    from streamlit.web import cli as streamlit_cli

    sys.argv = ["streamlit", "run", *args]
    return streamlit_cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
