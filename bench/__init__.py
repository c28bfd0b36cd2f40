"""Benchmarks of the dashboard: ``make bench`` runs ``python -m bench.run``.

Every figure is measured side by side with a reference in the same run (an empty
page, a bare one-chart app, the 1x database, one process), because absolute times
on shared 2-core machines drift by a factor of two within minutes. Each module
(rerun, serve, browser, data_scale, payload, scaleout, frontdoor, api) has ``run(ctx)`` returning
``Figure`` rows; bench/run.py prints them and writes bench/RESULTS.md.

Shared here: the list of pages, servers started and stopped by process id, the
database built into a temp dir, statistics, and the machine description.
Only loopback (127.0.0.1) is used; every load loop is bounded in count and time.
"""

from __future__ import annotations

import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
APPS = BENCH / "apps"
PY = sys.executable
HOST = "127.0.0.1"

# The flags every served process gets, app and reference alike. The settings under
# test (postScriptGC, fileWatcherType, ...) come from .streamlit/config.toml, which
# both read because both run with ROOT as the working directory.
SERVER_FLAGS = ("--server.headless", "true", "--server.address", HOST, "--browser.gatherUsageStats", "false")
# Streamlit's own defaults for the two settings the production config changes.
STREAMLIT_DEFAULTS = ("--runner.postScriptGC", "true", "--server.fileWatcherType", "auto")


# --- results --------------------------------------------------------------------------


@dataclass
class Figure:
    """One measured figure, its reference measured in the same run, and its target."""

    section: str  # "1 rerun", "2 served", ...
    name: str  # what was measured, e.g. "home"
    value: float
    unit: str
    reference: float | None = None
    ref_name: str = ""
    target: str = ""  # e.g. "≤ 10× empty page"
    passed: bool | None = None  # None: reported, no target
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """value / reference, when there is a reference."""
        if self.reference in (None, 0) or self.value is None:
            return None
        return self.value / self.reference

    def verdict(self) -> str:
        """PASS, FAIL or info."""
        return {True: "PASS", False: "FAIL", None: "info"}[self.passed]


@dataclass
class Context:
    """What the modules share: the temp dir, the 1x database, the pages, the run size."""

    tmp: Path
    db: Path
    quick: bool = False
    build_seconds: float = 0.0
    extras: dict[str, Any] = field(default_factory=dict)

    def n(self, full: int, quick: int) -> int:
        """A repetition count: ``full`` normally, ``quick`` with --quick."""
        return quick if self.quick else full


def median(values: Sequence[float]) -> float:
    """The median (0 for no values)."""
    return statistics.median(values) if values else 0.0


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank), e.g. percentile(xs, 95).

    >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)
    10
    >>> percentile([1, 2, 3, 4], 50)
    2
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return ordered[int(rank) - 1]


def ms(seconds: float) -> float:
    """Seconds to milliseconds."""
    return seconds * 1000.0


# --- pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A page as a visitor opens it: its file, URL path and query parameters."""

    name: str
    file: str  # "pages/home.py"
    url_path: str  # "" for the default page
    query: tuple[tuple[str, str], ...] = ()

    @property
    def query_string(self) -> str:
        """The query string without '?', e.g. 'goal=13'."""
        return "&".join(f"{k}={v}" for k, v in self.query)

    @property
    def url(self) -> str:
        """The path and query, e.g. '/explore?goal=13'."""
        qs = self.query_string
        return f"/{self.url_path}" + (f"?{qs}" if qs else "")


def pages(db: Path | None = None) -> list[Page]:
    """Every page registered in app.py (read from it, so new pages are benched too),
    plus the two detail views a shared link opens: one goal, one KPI."""
    from kawasaki.site.pages import page_script, registered_pages

    found = [
        Page(Path(script).stem, script, "" if n == 0 else url_path)
        for n, (script, _, _, url_path) in enumerate(registered_pages())
    ]
    variants = [Page("explore?goal=13", page_script("explore"), "explore", (("goal", "13"),))]
    kpi = detail_kpi(db) if db else None
    if kpi:
        variants.append(Page("progress?kpi", page_script("progress"), "progress", (("kpi", kpi),)))
    ordered = []
    for p in found:
        ordered += [p, *(v for v in variants if v.file == p.file)]
    return ordered


def detail_kpi(db: Path) -> str | None:
    """A KPI of this plan that has actual values (its detail view has the most on it)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            "SELECT k.kpi_id FROM kpis k JOIN kpi_progress p USING (kpi_id) "
            "WHERE k.plan_term = 3 ORDER BY p.latest_kind = 'actual' DESC, k.sort_order LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return row[0] if row else None


# --- database ----------------------------------------------------------------------------


def build_db(data_dir: Path, out: Path) -> float:
    """Build ``out`` from ``data_dir`` with the real builder; return the seconds it took."""
    from kawasaki.build import build

    started = time.perf_counter()
    build(data_dir, out)
    return time.perf_counter() - started


# --- servers -------------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """A process we start, wait for (HTTP 200 on ``health``) and stop by its own id."""

    def __init__(
        self,
        cmd: Sequence[str],
        port: int,
        *,
        env: dict[str, str] | None = None,
        health: str = "/_stcore/health",
        log: Path | None = None,
        name: str = "",
    ) -> None:
        self.cmd, self.port, self.health, self.name = list(cmd), port, health, name
        self.env = {**os.environ, **(env or {})}
        self.log = log
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        """http://127.0.0.1:port"""
        return f"http://{HOST}:{self.port}"

    def start(self, timeout: float = 60.0) -> Server:
        """Start the process and wait until it answers."""
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(
            self.cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name or self.cmd[0]} exited with {self.proc.returncode}; see {self.log}"
                )
            try:
                with urllib.request.urlopen(self.base + self.health, timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"{self.name} did not answer on port {self.port} within {timeout:.0f} s")

    def stop(self) -> None:
        """Stop the process (and only its own process group) and wait for it."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)

    def cpu_seconds(self) -> float:
        """User + system CPU time the process has used so far (0 when unknown)."""
        if self.proc is None:
            return 0.0
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        """Resident memory of the process, in MB (0 when unknown)."""
        if self.proc is None:
            return 0.0
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def app_server(
    ctx: Context,
    *,
    db: Path | None = None,
    flags: Sequence[str] = (),
    name: str = "app",
    nodelay: bool = False,
) -> Server:
    """The dashboard as production runs it: ``python -m kawasaki serve``.

    ``nodelay``: through bench/launch.py with TCP_NODELAY on, to measure that fix.
    """
    port = free_port()
    serve = [PY, "-m", "bench.launch", "--app", "--nodelay"] if nodelay else [PY, "-m", "kawasaki", "serve"]
    cmd = [*serve, "--server.port", str(port), *SERVER_FLAGS, *flags]
    return Server(
        cmd, port, env={"KAWASAKI_DB": str(db or ctx.db)}, log=ctx.tmp / f"{name}-{port}.log", name=name
    )


def bare_server(
    ctx: Context, script: str, *, flags: Sequence[str] = (), name: str = "", nodelay: bool | None = None
) -> Server:
    """A reference app from bench/apps/, served as the dashboard is (bench/launch.py).

    ``nodelay`` None: as ``python -m kawasaki serve`` does; True/False: force it.
    """
    port = free_port()
    extra = {None: [], True: ["--nodelay"], False: ["--no-nodelay"]}[nodelay]
    cmd = [
        PY,
        "-m",
        "bench.launch",
        str(APPS / script),
        "--server.port",
        str(port),
        *SERVER_FLAGS,
        *flags,
        *extra,
    ]
    return Server(cmd, port, log=ctx.tmp / f"{name or script}-{port}.log", name=name or script)


# --- the machine ---------------------------------------------------------------------------


def loadavg() -> tuple[float, float, float]:
    """The 1, 5 and 15 minute load averages."""
    return os.getloadavg()


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    import duckdb
    import streamlit

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    return {
        "uname": " ".join(platform.uname()),
        "cpu": f"{cpu} × {os.cpu_count()}",
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "duckdb": duckdb.__version__,
    }


def temp_dir() -> Path:
    """A fresh temp dir for one bench run (removed by the runner)."""
    return Path(tempfile.mkdtemp(prefix="kawasaki-bench-"))
