"""A minimal Streamlit client that speaks the browser's websocket protocol, for load tests.

Browsers on the same 2 cores would be the bottleneck, so the served benchmarks drive
the server directly. What a browser does, read from the installed Streamlit 1.67
(``streamlit/proto/BackMsg.proto``, ``ForwardMsg.proto``, ``ClientState.proto`` and
``streamlit/web/server/starlette/starlette_websocket.py``), and what this client does:

1. Open ``ws://host:port/_stcore/stream`` with the subprotocols
   ``["streamlit", <xsrf token or a placeholder>]`` (a third entry would resume an old
   session). The server accepts and creates a session (an ``AppSession``) at once.
   Without an ``Origin`` header the origin check passes (as for any non-browser client).
2. Send one binary frame: a serialized ``BackMsg`` whose ``rerun_script`` is a
   ``ClientState`` with ``query_string`` (the URL's, without '?'), ``page_name`` (the
   URL path; "" = the default page), empty ``widget_states`` and a ``context_info``
   (time zone, locale, URL) as the browser sends.
3. Receive binary frames, each one ``ForwardMsg``: ``new_session``, ``session_status_changed``,
   ``navigation``, ``page_info_changed``, ``delta`` (one per element or block) ... and
   finally ``script_finished``. A page is "open" when ``script_finished`` has arrived.
4. A rerun (what a widget change or a link within the page causes) is the same
   ``BackMsg`` again, now with the current page's ``page_script_hash``, the query string
   the app last set, and ``cached_message_hashes``: the hashes of the cacheable elements
   the client holds, so that the server may send a short ``ref_hash`` instead (as the
   browser's message cache does).
5. Closing the socket ends the session (the server keeps its state for
   ``server.disconnectedSessionTTL`` seconds in case the browser comes back).

Not emulated: the HTTP requests of a first visit (index.html, the JavaScript bundle,
``/_stcore/host-config``) -- static files, measured by the browser benchmark -- and
widget values (reruns send none, so widgets keep the values the app gives them).

Usage::

    stats = asyncio.run(open_page("ws://127.0.0.1:8501/_stcore/stream", "matrix", "goal=13"))
    stats.seconds, stats.bytes, stats.elements["plotly_chart"], stats.errors
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}
MAX_MESSAGE = 64 * 1024 * 1024


@dataclass
class RunStats:
    """One script run as the client saw it."""

    seconds: float = 0.0
    bytes: int = 0
    messages: int = 0
    elements: Counter = field(default_factory=Counter)  # element type -> count
    element_bytes: Counter = field(default_factory=Counter)  # element type -> bytes
    errors: list[str] = field(default_factory=list)
    status: str = ""
    frames: list[bytes] = field(default_factory=list)  # every frame, when Session(keep=True)


def stream_url(base: str) -> str:
    """ws://host:port/_stcore/stream from http://host:port."""
    return base.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"


class Session:
    """One browser tab: a websocket, the page it shows and what it has cached."""

    def __init__(
        self,
        url: str,
        page_name: str = "",
        query_string: str = "",
        *,
        cookie: str | None = None,
        keep: bool = False,
        compression: bool = False,
    ) -> None:
        self.url, self.page_name, self.query_string = url, page_name, query_string
        self.cookie, self.keep, self.compression = cookie, keep, compression
        self.ws: ClientConnection | None = None
        self.page_script_hash = ""
        self.cached: set[str] = set()
        self.session_id = ""

    async def connect(self, timeout: float = 30.0) -> None:
        """Open the websocket (a new server session)."""
        headers = {"Cookie": self.cookie} if self.cookie else None
        self.ws = await connect(
            self.url,
            subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"],
            additional_headers=headers,
            compression="deflate" if self.compression else None,
            max_size=MAX_MESSAGE,
            open_timeout=timeout,
            ping_interval=None,
            close_timeout=2,
            proxy=None,
        )

    def _rerun_msg(self) -> bytes:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_name = "" if self.page_script_hash else self.page_name
        state.page_script_hash = self.page_script_hash
        state.cached_message_hashes.extend(sorted(self.cached))
        info = state.context_info
        info.timezone = "Asia/Tokyo"
        info.timezone_offset = -540
        info.locale = "ja-JP"
        info.url = self.url.replace("ws://", "http://").replace("/_stcore/stream", "/" + self.page_name)
        info.color_scheme = "light"
        state.widget_states.SetInParent()
        return msg.SerializeToString()

    async def run(self, timeout: float = 60.0) -> RunStats:
        """Ask for a (re)run and read until the script has finished."""
        assert self.ws is not None, "connect() first"
        stats = RunStats()
        started = time.perf_counter()
        await self.ws.send(self._rerun_msg())
        deadline = started + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no script_finished within {timeout:.0f} s ({self.page_name})")
            frame = await asyncio.wait_for(self.ws.recv(), left)
            stats.bytes += len(frame)
            stats.messages += 1
            if self.keep:
                stats.frames.append(frame)
            msg = ForwardMsg.FromString(frame)
            kind = msg.WhichOneof("type")
            if kind == "delta":
                self._delta(msg, stats, len(frame))
            elif kind == "ref_hash":
                stats.elements["(cached reference)"] += 1
            elif kind == "new_session":
                self.page_script_hash = self.page_script_hash or msg.new_session.page_script_hash
                self.session_id = msg.new_session.initialize.session_id or self.session_id
            elif kind == "navigation":
                self.page_script_hash = msg.navigation.page_script_hash or self.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "page_not_found":
                stats.errors.append(f"page not found: {self.page_name}")
            elif kind == "script_finished" and msg.script_finished in FINISHED:
                stats.status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    stats.errors.append("compile error")
                break
        stats.seconds = time.perf_counter() - started
        return stats

    def _delta(self, msg: ForwardMsg, stats: RunStats, size: int) -> None:
        if msg.metadata.cacheable and msg.hash:
            self.cached.add(msg.hash)
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element.WhichOneof("type")
        stats.elements[element] += 1
        stats.element_bytes[element] += size
        if element == "exception":
            e = delta.new_element.exception
            stats.errors.append(f"{e.type}: {e.message}"[:300])

    async def close(self) -> None:
        """Close the websocket (the server ends the session)."""
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def __aenter__(self) -> Session:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def open_page(
    url: str,
    page_name: str = "",
    query_string: str = "",
    *,
    cookie: str | None = None,
    compression: bool = False,
) -> RunStats:
    """A new session on one page: connect, run, close. ``seconds`` includes connecting."""
    started = time.perf_counter()
    s = Session(url, page_name, query_string, cookie=cookie, compression=compression)
    try:
        await s.connect()
        stats = await s.run()
    finally:
        await s.close()
    stats.seconds = time.perf_counter() - started
    return stats


@dataclass
class LoadResult:
    """A bounded load run: how many operations finished, how long it took, their latencies."""

    done: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bytes: int = 0
    cpu: float = 0.0  # seconds of server CPU, when the caller measured it

    @property
    def rate(self) -> float:
        """Operations per second."""
        return self.done / self.seconds if self.seconds else 0.0


def combine(results: list[LoadResult]) -> LoadResult:
    """Several bounded runs as one."""
    out = LoadResult()
    for r in results:
        out.done += r.done
        out.seconds += r.seconds
        out.latencies += r.latencies
        out.errors += r.errors
        out.bytes += r.bytes
        out.cpu += r.cpu
    return out


async def session_load(
    url: str,
    pages: Sequence[tuple[str, str]],
    concurrency: int,
    *,
    max_sessions: int,
    max_seconds: float,
    sticky_cookie: str | None = None,
    compression: bool = False,
) -> LoadResult:
    """New sessions as fast as they finish: ``concurrency`` clients, each opening a page
    (round robin over ``pages`` = [(page_name, query_string)]), waiting for the script to
    finish, closing, and starting again. Stops after ``max_sessions`` or ``max_seconds``.

    With ``sticky_cookie`` (a cookie name), each session presents its own random value,
    as distinct browsers do behind a cookie-hashing load balancer. ``compression``
    offers permessage-deflate, as browsers do.
    """
    result = LoadResult()
    started = time.perf_counter()
    deadline = started + max_seconds
    counter = iter(range(max_sessions))

    async def worker() -> None:
        for n in counter:
            if time.perf_counter() >= deadline:
                return
            name, qs = pages[n % len(pages)]
            cookie = f"{sticky_cookie}={uuid.uuid4().hex}" if sticky_cookie else None
            try:
                stats = await asyncio.wait_for(
                    open_page(url, name, qs, cookie=cookie, compression=compression),
                    max(deadline - time.perf_counter(), 0.1) + 30,
                )
            except (OSError, TimeoutError, WebSocketException) as exc:
                result.errors.append(f"{type(exc).__name__}: {exc}"[:200])
                continue
            result.errors += stats.errors
            result.done += 1
            result.bytes += stats.bytes
            result.latencies.append(stats.seconds)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result


async def rerun_load(
    url: str, page: tuple[str, str], concurrency: int, *, max_reruns: int, max_seconds: float
) -> LoadResult:
    """Rerun latency: ``concurrency`` open sessions on ``page``, each rerunning in a loop
    (the next rerun is sent when the previous one finished). Stops after ``max_reruns``
    in all or ``max_seconds``. Opening the sessions is not timed."""
    sessions = [Session(url, *page) for _ in range(concurrency)]
    result = LoadResult()
    try:
        for s in sessions:  # one after another, so that opening does not pile up
            await s.connect()
            await s.run()
        started = time.perf_counter()
        deadline = started + max_seconds
        counter = iter(range(max_reruns))

        async def worker(s: Session) -> None:
            for _ in counter:
                if time.perf_counter() >= deadline:
                    return
                stats = await s.run(timeout=max(deadline - time.perf_counter(), 0.1) + 30)
                result.errors += stats.errors
                result.done += 1
                result.bytes += stats.bytes
                result.latencies.append(stats.seconds)

        await asyncio.gather(*(worker(s) for s in sessions))
        result.seconds = time.perf_counter() - started
    finally:
        await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
    return result
