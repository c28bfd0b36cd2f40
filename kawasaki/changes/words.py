"""How a change reads: KPI, ward and indicator names, values with units, column labels."""

from __future__ import annotations

from typing import Any

from kawasaki.changes.model import Change, Row, Tables, both, cell_text, table_rows
from kawasaki.i18n import LANGS, messages, pick, t
from kawasaki.numbers import format_period, format_value
from kawasaki.present import status_label

LONG_TEXT = 120  # a longer text is said to have changed, without quoting it
KEPT_TEXT = 500  # old and new texts are kept in the record up to this length


class Labels:
    """How KPIs, wards and indicators are named, from the new tables (the old for what was removed)."""

    def __init__(self, old: Tables, new: Tables) -> None:
        self.kpis = {**table_rows(old, "kpis"), **table_rows(new, "kpis")}
        self.wards = {**table_rows(old, "wards"), **table_rows(new, "wards")}
        self.indicators = {**table_rows(old, "ward_indicator_defs"), **table_rows(new, "ward_indicator_defs")}

    def kpi(self, kpi_id: str) -> Row:
        return self.kpis.get((kpi_id,), {"name_ja": kpi_id, "unit_ja": "", "period_type": "fiscal"})

    def kpi_name(self, kpi_id: str, lang: str) -> str:
        return pick(self.kpi(kpi_id), "name", lang) or kpi_id

    def kpi_value(self, kpi_id: str, value: Row | None, lang: str) -> str:
        k = self.kpi(kpi_id)
        if value is None:
            return t("word.no_data", lang)
        return format_value(
            value["value"],
            int(value["decimals"]),
            k.get("unit_ja") or "",
            k.get("unit_en") or k.get("unit_ja") or "",
            lang=lang,
            en_scale=int(k.get("en_scale") or 1),
        )

    def period(self, kpi_id: str, period: int, lang: str) -> str:
        return format_period(period, self.kpi(kpi_id).get("period_type") or "fiscal", lang=lang)

    def status(self, kpi_id: str, status: str, lang: str) -> str:
        return status_label(status, lang, int(self.kpi(kpi_id).get("plan_term") or 3))

    def ward(self, code: str, lang: str) -> str:
        return pick(self.wards.get((code,), {"name_ja": code}), "name", lang) or code

    def indicator(self, indicator_id: str) -> Row:
        return self.indicators.get((indicator_id,), {"name_ja": indicator_id, "unit_ja": "", "unit_en": ""})


def table_label(name: str, lang: str) -> str:
    key = f"changes.table.{name}"
    return t(key, lang) if key in messages(lang) else name


def field_label(column: str, lang: str) -> str:
    """'name_en' → '名称（英語）' / 'name (English)'; a column without a label by its id."""
    base, _, suffix = column.rpartition("_")
    if suffix not in LANGS:
        base, suffix = column, ""
    key = f"changes.field.{base}"
    if key not in messages(lang):
        return column
    return t(key, lang) + (t(f"changes.lang_suffix.{suffix}", lang) if suffix else "")


def field_change(
    table: str, key: str, column: str, a: Any, b: Any, subject: dict[str, str], **about: Any
) -> Change:
    """One column of one row changed: quoted when short, named only when long."""
    old, new = cell_text(a), cell_text(b)
    long = len(old) > LONG_TEXT or len(new) > LONG_TEXT

    def text(lang: str) -> str:
        field = field_label(column, lang)
        if long:
            return t("changes.field_changed_long", lang, subject=subject[lang], field=field)
        blank = t("changes.blank", lang)
        return t(
            "changes.field_changed",
            lang,
            subject=subject[lang],
            field=field,
            old=old or blank,
            new=new or blank,
        )

    return Change(
        "row" if table != "kpis" else "kpi",
        "changed",
        table=table,
        key=key,
        column=column,
        old=old[:KEPT_TEXT] if old else None,
        new=new[:KEPT_TEXT] if new else None,
        **both(text),
        **about,
    )
