"""Concurrent visitors that interact with the served app, over Streamlit's websocket.

Built on bench/ws_driver.py (the browser's protocol: BackMsg rerun requests, ForwardMsg
deltas until script_finished). Each visitor opens a page and then, until the time is up,
interacts as a person would, one step at a time:

- changes a filter in the URL (another goal, KPI, ward …: what a link or a bound
  widget does) and reruns;
- changes a selectbox on the page: a rerun carrying the widget's new value, as the
  browser sends it (the option's label), which runs the widget's on_change callback;
- goes to another page; switches the language;
- now and then sends a hostile query string (markup, SQL, repeated keys).

An error is a connection or protocol failure, a timeout (60 s), an exception element on
the page, or a page not found. Latency is from sending a request to ``script_finished``.
Loopback only; every loop is bounded by time and count.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.exceptions import WebSocketException

from bench.ws_driver import RunStats, Session, stream_url

# (page url_path, query strings a visitor may pick there)
PAGES: list[tuple[str, list[str]]] = [
    ("", [""]),
    ("matrix", ["", "pillar=environment", "level=target", "goal=13,14", "row=initiative:3-1"]),
    ("progress", ["", "goal=13", "group=pillar", "status=no_actual", "kpi=trees-planted", "kpi=kayoi-no-ba"]),
    ("explore", ["", "goal=14", "goal=13&target=13.2", "goal=11"]),
    ("wards", ["", "ward=14133", "indicator=area_km2_2010", "ward=14137"]),
    ("about", [""]),
    ("briefing", ["", "area=3", "goal=13"]),
]
HOSTILE = [
    "goal=%3Cscript%3Ealert(1)%3C/script%3E",
    "kpi=%27%20OR%201%3D1%20--",
    "lang=xx&lang=en&lang=%3Cb%3E",
    "row=" + "x" * 2000,
    "goal=13&goal=14&goal=99&area=1.0",
    "ward=14131%20OR%201=1&indicator=../../etc/passwd",
]
TIMEOUT = 60.0


@dataclass
class Report:
    """What a load run did: interactions, errors, latencies (seconds)."""

    sessions: int = 0
    seconds: float = 0.0
    opens: list[float] = field(default_factory=list)
    interactions: list[float] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @staticmethod
    def percentile(values: list[float], p: float) -> float:
        """Nearest-rank percentile (0 for no values)."""
        if not values:
            return 0.0
        ordered = sorted(values)
        return ordered[max(0, -(-len(ordered) * p // 100) - 1)]

    def summary(self) -> str:
        """One paragraph for a person and for docs/reliability.md."""
        p = self.percentile
        inter, opens = self.interactions, self.opens
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.by_kind.items()))
        return (
            f"{self.sessions} sessions for {self.seconds:.0f} s: {len(opens)} page opens, "
            f"{len(inter)} interactions ({kinds}), {len(self.errors)} errors; "
            f"interaction latency p50 {p(inter, 50) * 1000:.0f} ms, p95 {p(inter, 95) * 1000:.0f} ms, "
            f"max {max(inter, default=0) * 1000:.0f} ms; "
            f"page open p50 {p(opens, 50) * 1000:.0f} ms, p95 {p(opens, 95) * 1000:.0f} ms; "
            f"{len(inter) / self.seconds if self.seconds else 0:.1f} interactions/s"
        )


class Visitor(Session):
    """A session that can also change a selectbox, as the browser does."""

    def __init__(self, url: str, page_name: str = "", query_string: str = "") -> None:
        super().__init__(url, page_name, query_string)
        self.selectboxes: dict[str, list[str]] = {}  # widget id -> option labels, last run
        self.change: tuple[str, str] | None = None  # (widget id, new label) for the next run

    def _delta(self, msg: ForwardMsg, stats: RunStats, size: int) -> None:
        super()._delta(msg, stats, size)
        delta = msg.delta
        if delta.WhichOneof("type") == "new_element" and delta.new_element.WhichOneof("type") == "selectbox":
            box = delta.new_element.selectbox
            self.selectboxes[box.id] = list(box.options)

    def _rerun_msg(self) -> bytes:
        msg = BackMsg.FromString(super()._rerun_msg())
        if self.change:
            widget = msg.rerun_script.widget_states.widgets.add()
            widget.id, widget.string_value = self.change
            self.change = None
        return msg.SerializeToString()

    async def step(self) -> RunStats:
        """Run the page once (the selectboxes seen are those of this run)."""
        self.selectboxes = {}
        return await self.run(timeout=TIMEOUT)

    def go(self, page_name: str, query_string: str) -> None:
        """Go to another page (as a click in the navigation)."""
        self.page_name, self.query_string, self.page_script_hash = page_name, query_string, ""


def _choose(rng: random.Random, visitor: Visitor, page: str) -> str:
    """Set up the visitor's next interaction; return its kind."""
    roll = rng.random()
    if roll < 0.35:
        visitor.query_string = rng.choice(dict(PAGES)[page])
        return "filter"
    if roll < 0.65 and visitor.selectboxes:
        widget_id, options = rng.choice(sorted(visitor.selectboxes.items()))
        if options:
            visitor.change = (widget_id, rng.choice(options))
            return "widget"
    if roll < 0.80:
        name, queries = rng.choice(PAGES)
        visitor.go(name, rng.choice(queries))
        return "navigate"
    if roll < 0.95:
        lang = "lang=en" if "lang=en" not in visitor.query_string else ""
        base = "&".join(p for p in visitor.query_string.split("&") if p and not p.startswith("lang="))
        visitor.query_string = "&".join(p for p in (base, lang) if p)
        return "language"
    visitor.query_string = rng.choice(HOSTILE)
    return "hostile"


async def _visitor(url: str, n: int, deadline: float, think: float, report: Report) -> None:
    rng = random.Random(n)
    page, queries = PAGES[n % len(PAGES)]
    visitor = Visitor(url, page, rng.choice(queries))
    try:
        started = time.perf_counter()
        await visitor.connect(timeout=TIMEOUT)
        stats = await visitor.step()
        report.opens.append(time.perf_counter() - started)
        report.errors += [f"open /{page}: {e}" for e in stats.errors]
        for _ in range(100_000):  # bounded; the deadline ends it first
            if time.perf_counter() >= deadline:
                break
            await asyncio.sleep(rng.uniform(0, think) if think else 0)
            kind = _choose(rng, visitor, visitor.page_name if visitor.page_name in dict(PAGES) else "")
            before = visitor.query_string
            stats = await visitor.step()
            report.interactions.append(stats.seconds)
            report.by_kind[kind] = report.by_kind.get(kind, 0) + 1
            if kind == "widget" and visitor.query_string != before:  # its on_change wrote the URL
                report.by_kind["widget, URL updated"] = report.by_kind.get("widget, URL updated", 0) + 1
            report.errors += [
                f"{kind} /{visitor.page_name}?{visitor.query_string[:60]}: {e}" for e in stats.errors
            ]
    except (OSError, TimeoutError, WebSocketException) as exc:
        report.errors.append(f"visitor {n}: {type(exc).__name__}: {exc}"[:300])
    finally:
        await visitor.close()


async def run_load(base_url: str, sessions: int, seconds: float, think: float = 1.0) -> Report:
    """``sessions`` concurrent visitors interacting for ``seconds`` (think time uniform in
    [0, think] s between steps). Sessions start within the first second."""
    report = Report(sessions=sessions)
    url = stream_url(base_url)
    started = time.perf_counter()
    deadline = started + seconds

    async def staggered(n: int) -> None:
        await asyncio.sleep(n / max(sessions, 1))
        await _visitor(url, n, deadline, think, report)

    await asyncio.wait_for(asyncio.gather(*(staggered(n) for n in range(sessions))), seconds + 3 * TIMEOUT)
    report.seconds = time.perf_counter() - started
    return report
