"""Compressed copies of static files, made once per file version (no web framework here;
kawasaki.web.compress serves them).

A file's copy is keyed by its path, modification time and size: it is made on the first
request that needs it and kept in memory and in a cache folder ($KAWASAKI_CACHE_DIR, else
``.cache/`` in the checkout, ignored by git), so a restart does not redo it. gzip (level 9,
about 1 s for the 4.7 MB Plotly chunk) is made on that first request; brotli (quality 11,
the smallest, but about 50 s of CPU for that chunk on a busy machine) by one background
thread, and a browser that offers brotli gets gzip until it is ready.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kawasaki import paths

CACHE_ENV = "KAWASAKI_CACHE_DIR"
GZIP_LEVEL = 9
BROTLI_QUALITY = 11
MIN_SIZE = 1024  # smaller files are sent as they are
COMPRESSIBLE = (".js", ".mjs", ".css", ".json", ".svg", ".map", ".txt", ".wasm", ".ttf", ".html")
_LOG = logging.getLogger(__name__)


def brotli_available() -> bool:
    """True when the ``brotli`` package is installed (requirements.txt pins it)."""
    try:
        import brotli  # noqa: F401
    except ImportError:
        return False
    return True


def accepted(header: str) -> dict[str, float]:
    """The codings an Accept-Encoding header offers, by their quality (q=0 means refused).

    >>> accepted("gzip, deflate, br;q=0.5, zstd;q=0")
    {'gzip': 1.0, 'deflate': 1.0, 'br': 0.5, 'zstd': 0.0}
    """
    out: dict[str, float] = {}
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        out[name] = q
    return out


def choose(header: str, offered: tuple[str, ...] = ("br", "gzip")) -> str | None:
    """The coding to send for an Accept-Encoding header: the first of ``offered`` (best
    first) the browser accepts, "*" counting for any not named; None for identity.

    >>> choose("gzip, deflate, br, zstd"), choose("gzip"), choose(""), choose("br;q=0, *")
    ('br', 'gzip', None, 'gzip')
    """
    codings = accepted(header)
    star = codings.get("*", 0.0)
    for coding in offered:
        if codings.get(coding, star) > 0:
            return coding
    return None


@dataclass(frozen=True)
class Version:
    """One version of a file on disk: its path, modification time (ns) and size."""

    path: str
    mtime_ns: int
    size: int

    @classmethod
    def of(cls, path: Path) -> Version | None:
        """The file's current version; None when it is not a regular file."""
        try:
            st = path.stat()
        except OSError:
            return None
        if not path.is_file():
            return None
        return cls(str(path), st.st_mtime_ns, st.st_size)

    def cache_name(self, coding: str) -> str:
        """The file name of its compressed copy in the cache folder."""
        key = f"{self.path}\0{self.mtime_ns}\0{self.size}".encode()
        return f"{hashlib.sha256(key).hexdigest()[:32]}.{coding}"


def compressible(path: Path, size: int) -> bool:
    """Whether a file is worth compressing: text-like by its suffix, and not tiny."""
    return path.suffix.lower() in COMPRESSIBLE and size >= MIN_SIZE


def compress(data: bytes, coding: str) -> bytes:
    """``data`` compressed with ``coding`` ("gzip" or "br"); gzip without a timestamp so a
    file always compresses to the same bytes."""
    if coding == "gzip":
        return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
    if coding == "br":
        import brotli

        return brotli.compress(data, quality=BROTLI_QUALITY, mode=brotli.MODE_TEXT)
    raise ValueError(f"unknown coding {coding!r}")


def cache_dir() -> Path:
    """Where compressed copies are kept: $KAWASAKI_CACHE_DIR or .cache/static in the checkout."""
    return Path(os.environ.get(CACHE_ENV) or paths.ROOT / ".cache" / "static")


class CompressedFiles:
    """Compressed copies of files, each made once per file version (memory, then disk)."""

    def __init__(self, folder: Path | None = None, background: bool = True) -> None:
        self.folder = folder or cache_dir()
        self.codings = ("br", "gzip") if brotli_available() else ("gzip",)
        self._memory: dict[tuple[Version, str], bytes] = {}
        self._locks: dict[tuple[Version, str], threading.Lock] = {}
        self._lock = threading.Lock()
        self._pending: set[tuple[Version, str]] = set()
        self._background = background

    def get(self, version: Version, coding: str) -> bytes | None:
        """The file compressed with ``coding``, made now for gzip; for brotli None until
        the background thread has made it (the caller then sends gzip)."""
        found = self._memory.get((version, coding)) or self._from_disk(version, coding)
        if found is not None:
            return found
        if coding == "br" and self._background:
            self._later(version, coding)
            return None
        return self._make(version, coding)

    def ready(self, version: Version, coding: str) -> bool:
        """Whether the copy is made (in memory or on disk), without making it."""
        return (version, coding) in self._memory or self._from_disk(version, coding) is not None

    def _from_disk(self, version: Version, coding: str) -> bytes | None:
        """The copy from the cache folder, kept in memory once read."""
        try:
            data = (self.folder / version.cache_name(coding)).read_bytes()
        except OSError:
            return None
        self._memory[(version, coding)] = data
        return data

    def _make(self, version: Version, coding: str) -> bytes | None:
        """Compress the file once (other requests for it wait), keep it, write it to disk."""
        key = (version, coding)
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key in self._memory:
                return self._memory[key]
            try:
                data = Path(version.path).read_bytes()
            except OSError:
                return None
            if len(data) != version.size:  # changed since it was looked at
                return None
            packed = compress(data, coding)
            self._memory[key] = packed
            self._write(version.cache_name(coding), packed)
            return packed

    def _write(self, name: str, packed: bytes) -> None:
        """Write a copy to the cache folder atomically (a failure only costs a restart)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{name}.{os.getpid()}.tmp"
            tmp.write_bytes(packed)
            os.replace(tmp, self.folder / name)
        except OSError as exc:
            _LOG.warning("compressed copy not kept on disk (%s): %s", self.folder, exc)

    def _later(self, version: Version, coding: str) -> None:
        """Queue a copy for the background thread (one thread, one file at a time)."""
        with self._lock:
            key = (version, coding)
            if key in self._pending:
                return
            self._pending.add(key)
        run_low(lambda: self._make(version, coding), f"compress {Path(version.path).name}")


_QUEUE_LOCK = threading.Lock()


def run_low(job: Callable[[], object], name: str) -> None:
    """Run ``job`` in a daemon thread at the lowest CPU priority, one such job at a time
    (they queue on a lock), so visitors' requests come first."""

    def work() -> None:
        with _QUEUE_LOCK:
            try:
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
            except (AttributeError, OSError):
                pass
            try:
                job()
            except Exception:  # noqa: BLE001 - a failed copy is only a missed saving
                _LOG.warning("background job %s failed", name, exc_info=True)

    threading.Thread(target=work, name=name, daemon=True).start()
