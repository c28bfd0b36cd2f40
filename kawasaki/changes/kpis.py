"""The changes of each KPI: added or removed, its texts, its values, its status."""

from __future__ import annotations

from dataclasses import asdict

from kawasaki.changes.model import IGNORED_COLUMNS, Change, Row, Tables, action_of, both, table_rows, value_of
from kawasaki.changes.words import Labels, field_change
from kawasaki.i18n import LANGS, t

# The KPI columns whose values appear as observations (baseline, target) instead.
_KPI_VALUE_COLUMNS = frozenset(
    {
        "baseline_period",
        "baseline_value",
        "baseline_decimals",
        "target_period",
        "target_value",
        "target_decimals",
    }
)
# An observation's key and value (compared as the value's change), and its copied period type.
_OBSERVATION_SAME = frozenset({"kpi_id", "period", "kind", "value", "decimals", "period_type"})
_OBSERVATION_ORDER = {"baseline": 0, "target": 1, "actual": 2}


def kpi_changes(old: Tables, new: Tables, labels: Labels) -> list[Change]:
    """Per KPI, in the plan's order: added or removed, its texts, its values, its status."""
    before, after = table_rows(old, "kpis"), table_rows(new, "kpis")
    values = _observations(old, new, labels)
    statuses = _statuses(old, new)
    order = {k: (r.get("sort_order") or 0, k) for k, r in before.items()} | {
        k: (r.get("sort_order") or 0, k) for k, r in after.items()
    }
    ids = {k[0] for k in before} | {k[0] for k in after} | set(values) | set(statuses)
    changes: list[Change] = []
    for kpi_id in sorted(ids, key=lambda k: order.get((k,), (10**6, (k,)))):
        changes += _kpi_rows(kpi_id, before.get((kpi_id,)), after.get((kpi_id,)), labels)
        own = values.get(kpi_id, [])
        status = statuses.get(kpi_id)
        if status and own:
            own[-1] = _with_status(own[-1], status, labels)
        elif status:
            own.append(_status_change(kpi_id, status, labels))
        changes += own
    return changes


def _kpi_rows(kpi_id: str, before: Row | None, after: Row | None, labels: Labels) -> list[Change]:
    """A KPI added or removed, or each of its text and definition columns that changed."""
    if before is None or after is None:
        action = action_of(before, after)
        key = "changes.kpi_added" if after else "changes.kpi_removed"
        return [
            Change(
                "kpi",
                action,
                kpi_id=kpi_id,
                **both(lambda lang: t(key, lang, kpi=labels.kpi_name(kpi_id, lang))),
            )
        ]
    subject = {lang: t("changes.kpi_subject", lang, kpi=labels.kpi_name(kpi_id, lang)) for lang in LANGS}
    return [
        field_change("kpis", kpi_id, column, before.get(column), after.get(column), subject, kpi_id=kpi_id)
        for column in after
        if column not in _KPI_VALUE_COLUMNS
        and column not in IGNORED_COLUMNS
        and before.get(column) != after.get(column)
    ]


def _observations(old: Tables, new: Tables, labels: Labels) -> dict[str, list[Change]]:
    """Each KPI's baseline, target and actual values added, changed or removed."""
    before, after = table_rows(old, "kpi_observations"), table_rows(new, "kpi_observations")
    by_kpi: dict[str, list[Change]] = {}
    for key in sorted(set(before) | set(after), key=lambda k: (_OBSERVATION_ORDER.get(k[2], 9), k[1])):
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None and value_of(a) == value_of(b):
            found = _source_changes(a, b, labels)
        else:
            found = [_value_change(key, a, b, labels)]
        by_kpi.setdefault(key[0], []).extend(found)
    return by_kpi


def _value_change(key: tuple, a: Row | None, b: Row | None, labels: Labels) -> Change:
    """A KPI's value (of one kind and period) added, changed or removed."""
    kpi_id, period, kind = key
    action = action_of(a, b)
    return Change(
        "kpi_value",
        action,
        kpi_id=kpi_id,
        period=period,
        key=kind,
        old=value_of(a),
        new=value_of(b),
        **both(
            lambda lang: t(
                f"changes.value_{action}",
                lang,
                kpi=labels.kpi_name(kpi_id, lang),
                period=labels.period(kpi_id, period, lang),
                what=t(f"changes.what.{kind}", lang),
                old=labels.kpi_value(kpi_id, value_of(a), lang),
                new=labels.kpi_value(kpi_id, value_of(b), lang),
            )
        ),
    )


def _source_changes(a: Row, b: Row, labels: Labels) -> list[Change]:
    """A value that stayed but whose source, note or other column changed."""
    kpi_id = b["kpi_id"]
    subject = {
        lang: f"{t('changes.kpi_subject', lang, kpi=labels.kpi_name(kpi_id, lang))} "
        f"{labels.period(kpi_id, b['period'], lang)}"
        for lang in LANGS
    }
    key = f"{kpi_id} / {b['period']} / {b['kind']}"
    return [
        field_change("kpi_observations", key, column, a.get(column), b.get(column), subject, kpi_id=kpi_id)
        for column in b
        if column not in _OBSERVATION_SAME and a.get(column) != b.get(column)
    ]


def _statuses(old: Tables, new: Tables) -> dict[str, tuple[str, str]]:
    """The KPIs whose status changed: (old, new). A KPI added or removed has none."""
    before, after = table_rows(old, "kpi_progress"), table_rows(new, "kpi_progress")
    return {
        key[0]: (before[key]["status"], row["status"])
        for key, row in after.items()
        if key in before and before[key]["status"] != row["status"]
    }


def _with_status(change: Change, status: tuple[str, str], labels: Labels) -> Change:
    """A value's change with the status change it causes added to its words."""
    kpi_id = change.kpi_id or ""
    words = {
        f"text_{lang}": t(
            "changes.with_status",
            lang,
            text=change.text(lang),
            old=labels.status(kpi_id, status[0], lang),
            new=labels.status(kpi_id, status[1], lang),
        )
        for lang in LANGS
    }
    return Change(**{**asdict(change), **words, "status_old": status[0], "status_new": status[1]})


def _status_change(kpi_id: str, status: tuple[str, str], labels: Labels) -> Change:
    """A status that changed without a value of its KPI changing (e.g. its target moved)."""
    return Change(
        "kpi_status",
        "changed",
        kpi_id=kpi_id,
        status_old=status[0],
        status_new=status[1],
        **both(
            lambda lang: t(
                "changes.status_changed",
                lang,
                kpi=labels.kpi_name(kpi_id, lang),
                old=labels.status(kpi_id, status[0], lang),
                new=labels.status(kpi_id, status[1], lang),
            )
        ),
    )
