"""Charts as PNG images: Plotly static export through kaleido and the system Chromium.

kaleido (≥ 1) drives a headless Chromium. Starting one costs about 3 s, so a process
that exports several charts keeps one running: ``with export_server(): ...`` (the
command line) or ``keep_server_running()`` (the app, for the life of the process).
Without a running server every export starts and stops its own browser.

kaleido's kept-alive server answers one request at a time through a pair of queues
shared by all threads; this module serialises calls with a lock so that two sessions
of the app never receive each other's image.
"""

from __future__ import annotations

import os
import shutil
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

CHROMIUM = Path("/usr/bin/chromium")
WIDTH = 800  # px; printed 180 mm wide on A4, the charts' 13 px text reads as about 8 pt
SCALE = 2  # device pixels per px: sharp on paper and on high-resolution screens
TIMEOUT = 60  # seconds for one image before kaleido gives up

_LOCK = threading.RLock()


class ExportError(RuntimeError):
    """A chart could not be turned into an image (say why, and what to do)."""


def find_chromium() -> Path:
    """The Chromium executable kaleido should drive; ExportError when there is none.

    ``$BROWSER_PATH`` (kaleido's own override) wins; then /usr/bin/chromium; then PATH.
    """
    candidates = [os.environ.get("BROWSER_PATH"), str(CHROMIUM), shutil.which("chromium")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise ExportError(
        f"Chromium is missing ({CHROMIUM}), so charts cannot be exported as images: "
        "run `make system-deps` (installs Debian's chromium and the Japanese fonts)."
    )


def _kaleido_options() -> dict[str, Any]:
    # mathjax=False: the charts have no formulas, and the default fetches MathJax from a CDN.
    return {"path": str(find_chromium()), "mathjax": False, "timeout": TIMEOUT}


def _server() -> Any:
    import kaleido

    return kaleido._global_server  # noqa: SLF001 - to see whether its thread is still alive


def server_running() -> bool:
    """True while a kept-alive export server is up (and its thread alive)."""
    server = _server()
    thread = getattr(server, "_thread", None)
    return bool(server.is_running() and thread is not None and thread.is_alive())


def keep_server_running() -> None:
    """Start the kept-alive export server unless it runs; restart it if its thread died."""
    import kaleido

    with _LOCK:
        if server_running():
            return
        if _server().is_running():  # the thread died (e.g. Chromium crashed): reset it
            kaleido.stop_sync_server(silence_warnings=True)
        kaleido.start_sync_server(**_kaleido_options(), silence_warnings=True)


def stop_server() -> None:
    """Stop the kept-alive export server (nothing happens when none runs)."""
    import kaleido

    with _LOCK:
        kaleido.stop_sync_server(silence_warnings=True)


@contextmanager
def export_server() -> Iterator[None]:
    """Keep one export server running inside the block (unless one already ran)."""
    already = server_running()
    keep_server_running()
    try:
        yield
    finally:
        if not already:
            stop_server()


def chart_png(
    figure: go.Figure, *, width: int = WIDTH, height: int | None = None, scale: int = SCALE
) -> bytes:
    """The figure as a PNG of (width × scale) by (height × scale) pixels.

    The height defaults to the figure's own layout height (400 px when it has none).
    """
    import kaleido

    height = int(height or figure.layout.height or 400)
    opts = {"format": "png", "width": int(width), "height": height, "scale": scale}
    with _LOCK:
        try:
            if server_running():
                data = kaleido.calc_fig_sync(figure, opts=opts)
            else:
                data = kaleido.calc_fig_sync(figure, opts=opts, kopts=_kaleido_options())
        except ExportError:
            raise
        except Exception as exc:  # kaleido and choreographer raise many kinds; say what failed
            raise ExportError(f"the chart could not be exported as PNG: {type(exc).__name__}: {exc}") from exc
    if not data.startswith(b"\x89PNG"):
        raise ExportError("the chart export did not return a PNG image")
    return bytes(data)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG image, read from its header.

    >>> png_size(bytes.fromhex("89504e470d0a1a0a0000000d49484452") + struct.pack(">II", 1600, 932))
    (1600, 932)
    """
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", data[16:24])
