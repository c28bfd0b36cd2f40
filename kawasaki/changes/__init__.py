"""What one build changes against another: a change list from two databases' tables.

``read_tables(path)`` reads a database's rows into plain Python; ``diff(old, new)`` is
a pure function over two such reads and returns the changes in plain words, each in
Japanese and English: KPI values added, changed or removed (KPI, period, old → new)
with the status change they cause, ward values, texts, the data's as-of date. The
same list is printed by ``build --dry-run``, recorded in a release (kawasaki.releases)
and shown on the What changed page.

Not listed: the build's own bookkeeping (stamp, time, checksums, the release history),
what the progress method derives besides the status (ratio, expected value), and a
change of row order alone (``sort_order``).
"""

from __future__ import annotations

from collections.abc import Iterable

from kawasaki.changes.kpis import kpi_changes
from kawasaki.changes.model import Change, Table, Tables, read_tables
from kawasaki.changes.rows import build_info_changes, other_table_changes, ward_changes
from kawasaki.changes.words import Labels

__all__ = ["Change", "Table", "Tables", "count_by_part", "diff", "read_tables"]


def diff(old: Tables, new: Tables) -> list[Change]:
    """Every change from ``old`` to ``new``, in the order a reader wants them: the data's
    as-of date, then each KPI's (in the plan's order), the ward values, everything else.

    >>> diff({}, {})
    []
    """
    labels = Labels(old, new)
    return [
        *build_info_changes(old, new),
        *kpi_changes(old, new, labels),
        *ward_changes(old, new, labels),
        *other_table_changes(old, new, labels),
    ]


def count_by_part(changes: Iterable[Change]) -> dict[str, int]:
    """How many changes concern KPIs, ward values, the as-of date and anything else."""
    counts = {"kpi": 0, "ward": 0, "as_of": 0, "other": 0}
    for c in changes:
        part = {"kpi_value": "kpi", "kpi_status": "kpi", "ward_value": "ward", "data_as_of": "as_of"}.get(
            c.kind, "other"
        )
        counts[part] += 1
    return counts
