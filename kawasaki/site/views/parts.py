"""Parts several views share: a status badge, a KPI's card, captions, credit lines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kawasaki import queries
from kawasaki.i18n import pick, t
from kawasaki.present import kpi_latest, kpi_period, kpi_target, kpi_value, status_text
from kawasaki.queries import Con
from kawasaki.site.markup import el, esc, link, text
from kawasaki.state import page_href


def status_badge(status: str, lang: str, plan_term: int = 3) -> str:
    """A KPI's status in words with its symbol ('✔ 達成'), never by colour alone."""
    return text("span", status_text(status, lang, plan_term), class_=f"kd-badge kd-status-{status}")


def value(text_: Any) -> str:
    """A value the live app shows as text too (class kd-v: the tests compare them)."""
    return text("span", text_, class_="kd-v")


def value_line(label: str, shown: str, lang: str) -> str:
    """'基準値：2025年度 0%' as a line of a card, the value marked as a value."""
    return el("span", t("word.label_value", lang, label=esc(label), value=value(shown)), class_="kd-line")


def kpi_card(row: Any, lang: str) -> str:
    """A KPI as the overview lists it: name, status, baseline, latest and target values,
    and a link to its details."""
    lines = [
        text("strong", pick(row, "name", lang), class_="kd-kpi-name kd-v"),
        status_badge(row["status"], lang, int(row["plan_term"])),
        value_line(
            t("word.baseline", lang),
            f"{kpi_period(row, 'baseline', lang)} {kpi_value(row, 'baseline', lang)}",
            lang,
        ),
        value_line(t("word.latest", lang), kpi_latest(row, lang), lang),
        value_line(
            t("word.target", lang), f"{kpi_period(row, 'target', lang)} {kpi_target(row, lang)}", lang
        ),
        link(page_href("progress", lang, kpi=row["kpi_id"]), t("word.details", lang), class_="kd-more"),
    ]
    return el("li", "".join(lines), class_="kd-kpi")


def intro(value: str) -> str:
    """The paragraph under the page's heading."""
    return text("p", value, class_="kd-intro")


def caption(value: str) -> str:
    """A quiet line (a source, a note), like the app's captions."""
    return text("p", value, class_="kd-caption")


def note(value: str) -> str:
    """An information box, like the app's st.info."""
    return text("p", value, class_="kd-note")


def external_link(title: str, url: Any) -> str:
    """``title`` linked to ``url`` when that is an https URL, else the title alone."""
    if isinstance(url, str) and url.startswith("https://"):
        return link(url, title, rel="noopener")
    return esc(title)


def credit_lines(con: Con, keys: Iterable[str], lang: str) -> str:
    """The attribution lines ``keys`` (data/sources/attributions.csv), as captions."""
    rows = queries.attributions(con).set_index("key")
    lines = []
    for key in keys:
        if key in rows.index:
            row = rows.loc[key].to_dict()
            lines.append(el("p", external_link(pick(row, "text", lang), row.get("url")), class_="kd-caption"))
    return "".join(lines)
