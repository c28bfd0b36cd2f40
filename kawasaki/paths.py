"""Where the data files and the database live (overridable for tests and deployments)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The folder of human-editable data files: $KAWASAKI_DATA_DIR or ./data."""
    return Path(os.environ.get("KAWASAKI_DATA_DIR", ROOT / "data"))


def db_path() -> Path:
    """The built database: $KAWASAKI_DB or data/kawasaki.duckdb."""
    return Path(os.environ.get("KAWASAKI_DB", data_dir() / "kawasaki.duckdb"))


def db_file() -> str:
    """``db_path()`` as text, cheaply (the web server asks on every request: a dictionary
    lookup instead of building paths)."""
    env = (os.environ.get("KAWASAKI_DB"), os.environ.get("KAWASAKI_DATA_DIR"))
    found = _DB_FILES.get(env)
    if found is None:
        found = _DB_FILES.setdefault(env, str(db_path()))
    return found


_DB_FILES: dict[tuple[str | None, str | None], str] = {}


PREVIEW_ENV = "KAWASAKI_PREVIEW"  # "1": the app serves an unpublished build (``preview``)


def preview() -> bool:
    """True when this process serves a preview of an unpublished build."""
    return os.environ.get(PREVIEW_ENV) == "1"
