"""How to use the API, as the about page and docs/api.md show it: curl, pandas and DuckDB
reading the CSV straight from its URL."""

from __future__ import annotations

import os
import re

PUBLIC_URL_ENV = "KAWASAKI_PUBLIC_URL"  # the address visitors use (docs/deploy.md)
_PUBLIC_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$")
LOCAL = "http://localhost:8501"

# A query to show, never run (a constant, as every SQL text here is: tests/robustness).
DUCKDB_EXAMPLE = "-- DuckDB\nSELECT kpi_id, name_ja, baseline_printed, target_printed, status\nFROM read_csv('{api}/kpis.csv');"


def plain_url(url: str) -> bool:
    """True for a plain http(s) address: host, port, a simple path; nothing else.

    >>> plain_url("https://sdgs.example.jp"), plain_url("https://x.jp)[a](javascript:1"), plain_url("://")
    (True, False, False)
    """
    return bool(_PUBLIC_URL.match(url))


def public_base(fallback: str = LOCAL) -> str:
    """$KAWASAKI_PUBLIC_URL when it is a plain http(s) address, else ``fallback``."""
    public = os.environ.get(PUBLIC_URL_ENV, "").strip().rstrip("/")
    return public if plain_url(public) else fallback.rstrip("/")


def usage(base: str) -> list[tuple[str, str]]:
    """(language, code) of the three examples for the site at ``base``.

    >>> usage("https://x.jp")[0]
    ('bash', 'curl -s https://x.jp/api/v1/kpis.json?goal=13')
    """
    api = f"{base.rstrip('/')}/api/v1"
    return [
        ("bash", f"curl -s {api}/kpis.json?goal=13"),
        (
            "python",
            f'import pandas as pd\n\nkpis = pd.read_csv("{api}/kpis.csv")\n'
            f'values = pd.read_csv("{api}/observations.csv")',
        ),
        ("sql", DUCKDB_EXAMPLE.replace("{api}", api)),
    ]
