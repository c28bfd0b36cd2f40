"""Serving the app: ``python -m kawasaki serve`` runs Streamlit's ASGI server (st.App,
uvicorn) in this process with the front door (kawasaki.web.frontdoor), tuned for many
visitors (every URL through the frame, TCP_NODELAY, imports and the garbage collector
settled before the first visitor)."""

from __future__ import annotations

import sys
from typing import Any

from kawasaki import paths


def _enable_tcp_nodelay() -> None:
    """Set TCP_NODELAY on every accepted connection.

    Streamlit's listening socket reports protocol 0, so asyncio skips TCP_NODELAY and
    Nagle's algorithm with the browser's delayed ACK adds ~40 ms to every rerun
    (measured in bench/: an empty page reruns in 47 ms without it, 6 ms with it).
    asyncio looks the helper up on its module at each connection, so replacing it here
    applies to the server this process starts.
    """
    import asyncio.base_events
    import socket

    def set_nodelay(sock: socket.socket) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    asyncio.base_events._set_nodelay = set_nodelay


def serve(extra: list[str]) -> int:
    """Serve app.py through Streamlit's ASGI entry point with the front door
    (kawasaki.web.frontdoor), taking the flags ``streamlit run`` takes (``--server.port
    8501 --server.address 127.0.0.1``, ``STREAMLIT_*`` variables); every URL through the
    frame (``kawasaki.web.frame.use_navigation``)."""
    from streamlit import config
    from streamlit.web import bootstrap

    from kawasaki.web.frame import use_navigation
    from kawasaki.web.frontdoor import create_app
    from kawasaki.web.urlstate import report_dropped_queries

    options = streamlit_options(extra)
    if options is None:
        return 2
    # As `streamlit run app.py` does: app.py is the main script (its folder's
    # .streamlit/config.toml applies), then the flags over the config files.
    script = str(paths.ROOT / "app.py")
    config._main_script_path = script
    bootstrap.load_config_options(options)
    use_navigation()
    report_dropped_queries()
    _enable_tcp_nodelay()
    _prepare_process()
    app = create_app(config.get_option("server.baseUrlPath") or "")
    sys.argv = [script]  # App.run reads the launcher from argv[0]: app.py, as `streamlit run`
    app.run(config=options)
    return 0


def streamlit_options(args: list[str]) -> dict[str, Any] | None:
    """The config options given as ``streamlit run`` flags (``--server.port 8501``) or
    ``STREAMLIT_*`` variables, by their dotted names, parsed by Streamlit's own flag
    definitions; None (after printing why) for a flag Streamlit does not know.

    >>> streamlit_options(["--server.port", "8601", "--server.headless", "true"])
    {'server.port': 8601, 'server.headless': True}
    """
    import click
    from streamlit.web.cli import configurator_options

    @click.command(name="python -m kawasaki serve")
    @configurator_options
    def flags(**kwargs: Any) -> dict[str, Any]:
        return kwargs

    try:
        given = flags.main(args=list(args), standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        return None
    return {name.replace("_", "."): v for name, v in given.items() if v is not None and v != ()}


# The collector's first generation is collected after this many more allocations than
# deallocations (Python's default: 700). A visitor's session allocates thousands of
# objects; at the default the collector ran several times per session. Measured with
# bench/ws_driver.py, every page in turn, 10 clients: 8.6-9.2 -> 8.0-8.5 ms of server
# CPU per new session (docs/performance.md); memory the same within 1%.
GC_THRESHOLD = (10_000, 10, 10)


def _prepare_process() -> None:
    """Import what the pages use and tune the garbage collector, before the first visitor.

    The imports (pandas, Plotly, pydeck, DuckDB: ~1 s of CPU) would otherwise happen in
    the first visitor's session. ``gc.freeze()`` then moves everything imported into a
    generation the collector never scans again.
    """
    import gc

    import plotly.graph_objects  # noqa: F401
    import pydeck  # noqa: F401

    from kawasaki import present  # noqa: F401
    from kawasaki.figures import heatmap, progress, tiles, timeseries  # noqa: F401
    from kawasaki.web import frame, wards, widgets  # noqa: F401

    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
