"""A served app of our own for the fault and load tests: start, kill, restart on the same port.

The app runs as production runs it (``python -m kawasaki serve``, so .streamlit/config.toml
applies: showErrorDetails "none", no file watcher), bound to 127.0.0.1 only, against a
database given by path. The process is started in its own process group and stopped by
that group's id, never by name.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
START_TIMEOUT = 60.0


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def health(base: str) -> str | None:
    """The body of /_stcore/health ("ok"), or None when the server does not answer."""
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
            return resp.read().decode("utf-8", "replace").strip()
    except OSError:
        return None


class AppServer:
    """The dashboard (or ``script``, a test app) served on a fixed loopback port."""

    def __init__(
        self,
        db: Path,
        log: Path,
        *,
        port: int | None = None,
        script: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.db, self.log, self.script = Path(db), Path(log), script
        self.port = port or free_port()
        self.env = {**os.environ, "KAWASAKI_DB": str(db), "PYTHONUNBUFFERED": "1", **(env or {})}
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        """http://127.0.0.1:<port>"""
        return f"http://{HOST}:{self.port}"

    def command(self) -> list[str]:
        """The command line: the dashboard as production serves it, or a test script."""
        flags = [
            "--server.port",
            str(self.port),
            "--server.address",
            HOST,
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ]
        if self.script is None:
            return [sys.executable, "-m", "kawasaki", "serve", *flags]
        return [sys.executable, "-m", "streamlit", "run", str(self.script), *flags]

    def start(self, timeout: float = START_TIMEOUT) -> AppServer:
        """Start the server and wait until /_stcore/health answers "ok"."""
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while health(self.base) != "ok":
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{self.log_text()}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"the server did not answer within {timeout:.0f} s:\n{self.log_text()}")
            time.sleep(0.2)
        return self

    def stop(self, *, kill: bool = False) -> None:
        """Stop the server's own process group: SIGKILL (a crash) or SIGTERM, then wait."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL if kill else signal.SIGTERM)
            self.proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=15)

    def log_text(self) -> str:
        """Everything the server has written to its log."""
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
