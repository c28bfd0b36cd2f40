"""The changes of everything but the KPIs: the as-of date, ward values, every other table."""

from __future__ import annotations

from kawasaki.changes.model import (
    IGNORED_COLUMNS,
    Change,
    Row,
    Tables,
    action_of,
    both,
    cell_text,
    table_rows,
    value_of,
)
from kawasaki.changes.words import Labels, field_change, table_label
from kawasaki.i18n import LANGS, pick, t
from kawasaki.numbers import format_value

# A ward value's key and value (compared as the value's change).
_WARD_VALUE_SAME = frozenset({"ward_code", "indicator_id", "reference_date", "value", "decimals"})
# Compared by their own rules below, not row by row.
_OWN_RULES = ("kpis", "kpi_observations", "kpi_progress", "ward_indicators", "build_info")


def build_info_changes(old: Tables, new: Tables) -> list[Change]:
    """The data's as-of date and the plan's titles (the one row of build_info)."""
    before = next(iter(table_rows(old, "build_info").values()), {})
    after = next(iter(table_rows(new, "build_info").values()), {})
    changes = []
    a, b = cell_text(before.get("data_as_of")), cell_text(after.get("data_as_of"))
    if before and after and a != b:
        changes.append(
            Change(
                "data_as_of",
                "changed",
                old=a,
                new=b,
                **both(lambda lang: t("changes.data_as_of", lang, old=a, new=b)),
            )
        )
    for column in ("plan_title_ja", "plan_title_en"):
        if before and after and before.get(column) != after.get(column):
            subject = {lang: t("changes.table.build_info", lang) for lang in LANGS}
            changes.append(
                field_change("build_info", "", column, before.get(column), after.get(column), subject)
            )
    return changes


def ward_changes(old: Tables, new: Tables, labels: Labels) -> list[Change]:
    """Ward values added, changed or removed; a source that changed alone, as a text change."""
    before, after = table_rows(old, "ward_indicators"), table_rows(new, "ward_indicators")
    changes = []
    for key in sorted(set(before) | set(after), key=lambda k: (k[1], k[0], k[2] or "")):
        a, b = before.get(key), after.get(key)
        if a is None or b is None or value_of(a) != value_of(b):
            changes.append(_ward_change(key, a, b, labels))
            continue
        shown = " / ".join(map(cell_text, key))
        table = {lang: t("changes.table.ward_indicators", lang) for lang in LANGS}
        subject = {lang: t("changes.row_subject", lang, table=table[lang], key=shown) for lang in LANGS}
        changes += [
            field_change("ward_indicators", shown, c, a.get(c), b.get(c), subject, ward_code=key[0])
            for c in b
            if c not in _WARD_VALUE_SAME and a.get(c) != b.get(c)
        ]
    return changes


def _ward_change(key: tuple, a: Row | None, b: Row | None, labels: Labels) -> Change:
    """A ward's value of one indicator and date added, changed or removed."""
    code, indicator_id, date = key
    ind = labels.indicator(indicator_id)
    action = action_of(a, b)

    def shown(v: Row | None, lang: str) -> str:
        if v is None:
            return t("word.no_data", lang)
        unit_ja = ind.get("unit_ja") or ""
        return format_value(v["value"], int(v["decimals"]), unit_ja, ind.get("unit_en") or unit_ja, lang=lang)

    return Change(
        "ward_value",
        action,
        ward_code=code,
        indicator_id=indicator_id,
        kpi_id=ind.get("kpi_id"),
        key=date,
        old=value_of(a),
        new=value_of(b),
        **both(
            lambda lang: t(
                f"changes.ward_{action}",
                lang,
                indicator=pick(ind, "name", lang) or indicator_id,
                ward=labels.ward(code, lang),
                date=date or t("changes.no_date", lang),
                old=shown(value_of(a), lang),
                new=shown(value_of(b), lang),
            )
        ),
    )


def other_table_changes(old: Tables, new: Tables, labels: Labels) -> list[Change]:
    """Every other table, row by row: rows added or removed, columns changed."""
    changes = []
    names = [n for n in new if n not in _OWN_RULES] + [n for n in old if n not in new and n not in _OWN_RULES]
    for name in names:
        before, after = table_rows(old, name), table_rows(new, name)
        keyed = bool((new.get(name) or old[name]).key)
        for key in [*after, *(k for k in before if k not in after)]:
            a, b = before.get(key), after.get(key)
            changed = (
                []
                if a is None or b is None
                else [c for c in b if c not in IGNORED_COLUMNS and a.get(c) != b.get(c)]
            )
            if a is not None and b is not None and not changed:
                continue
            shown = " / ".join(cell_text(v) for v in key) if keyed else _row_label(a or b)
            subject = {
                lang: t("changes.row_subject", lang, table=table_label(name, lang), key=shown)
                for lang in LANGS
            }
            kpi_id = (a or b).get("kpi_id")
            if a is None or b is None:
                action = action_of(a, b)
                words = {
                    f"text_{lang}": t(f"changes.row_{action}", lang, subject=subject[lang]) for lang in LANGS
                }
                changes.append(Change("row", action, table=name, key=shown, kpi_id=kpi_id, **words))
            else:
                changes += [
                    field_change(name, shown, c, a.get(c), b.get(c), subject, kpi_id=kpi_id) for c in changed
                ]
    return changes


def _row_label(row: Row) -> str:
    """A row of a table without a key, named by its first few values."""
    return " / ".join(cell_text(v) for v in list(row.values())[:3])
