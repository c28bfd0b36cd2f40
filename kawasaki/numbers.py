"""Parsing numbers as the plan prints them, and printing them back the same way.

Rules (documented for staff in docs/data.md):

* ``▲`` (and its variants ``△``, ``-``, ``−``, ``－``) in front of a number means minus.
* Thousands separators are allowed only in their proper places: ``1,039`` and
  ``12,935`` parse, ``1,0,39`` does not.
* Full-width digits, commas and points (``１，０３９．５``) are read as half-width.
* Spaces around the number are ignored.
* A value holds the number only. Units (``%``, ``か所``, ``万本`` …) belong in the
  KPI's unit column, so ``143万`` or ``35.6%`` is an error, never guessed.
* The number of decimals printed is kept: ``50.0`` prints back as ``50.0``,
  ``40`` as ``40``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from kawasaki.i18n import t

MINUS_SIGNS = "▲△-−－‐"
_NUMBER = re.compile(r"^(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?$")


class NumberFormatError(ValueError):
    """A value that is not a number as the data files allow it."""


@dataclass(frozen=True)
class Number:
    """A parsed number with the count of decimals it was printed with."""

    value: Decimal
    decimals: int

    def __float__(self) -> float:
        return float(self.value)


def parse_number(text: str) -> Number:
    """Parse one value as printed in the plan.

    >>> parse_number("▲35.0")
    Number(value=Decimal('-35.0'), decimals=1)
    >>> parse_number("1,039").value
    Decimal('1039')
    """
    if text is None:
        raise NumberFormatError("empty value")
    raw = text.strip()
    if not raw:
        raise NumberFormatError("empty value")
    negative = raw[0] in MINUS_SIGNS
    body = raw[1:].strip() if negative else raw
    # NFKC turns full-width digits, commas and points into ASCII.
    body = unicodedata.normalize("NFKC", body).replace(" ", "")
    match = _NUMBER.match(body)
    if not match:
        raise NumberFormatError(_explain(raw))
    digits = match["int"].replace(",", "")
    frac = match["frac"] or ""
    value = Decimal(f"{digits}.{frac}" if frac else digits)
    return Number(-value if negative else value, len(frac))


def _explain(raw: str) -> str:
    """Say why ``raw`` is not a number, in words a staff member can act on."""
    if "万" in raw or "%" in raw or "％" in raw or re.search(r"[ぁ-んァ-ヶ一-龥a-zA-Z]", raw):
        return (
            f"'{raw}' is not a plain number: write the number only "
            "(the unit goes in the unit column; 143万本 is 143 with unit 万本)"
        )
    if "," in raw or "，" in raw:
        return f"'{raw}' has a thousands separator in the wrong place (write 1,039 or 1039)"
    return f"'{raw}' is not a number"


def format_number(value: float | Decimal | None, decimals: int, *, lang: str = "ja") -> str:
    """Format a number with thousands separators; minus is ▲ in Japanese.

    >>> format_number(-35.0, 1)
    '▲35.0'
    >>> format_number(-35.0, 1, lang="en")
    '−35.0'
    >>> format_number(1039, 0)
    '1,039'
    """
    if value is None:
        raise ValueError("no value to format")
    d = Decimal(str(value))
    text = f"{abs(d):,.{decimals}f}"
    if d < 0 and text.strip("0.,") != "":
        return ("▲" if lang == "ja" else "−") + text
    return text


# Units written straight after the number; any other unit gets a space in English.
_TIGHT_UNITS = {"%", "g"}


def format_value(
    value: float | Decimal | None,
    decimals: int,
    unit_ja: str,
    unit_en: str,
    *,
    lang: str = "ja",
    en_scale: int = 1,
) -> str:
    """Format a KPI value with its unit as the plan prints it (ja) or plainly (en).

    Japanese keeps the plan's unit (``143万本``). English multiplies out
    ``万`` units exactly (``en_scale`` = 10000: 143 → ``1,430,000 trees``).

    >>> format_value(1039, 0, "か所", "places")
    '1,039か所'
    >>> format_value(143, 0, "万本", "trees", lang="en", en_scale=10000)
    '1,430,000 trees'
    >>> format_value(-45.4, 1, "%", "%", lang="en")
    '−45.4%'
    """
    if value is None:
        return t("word.no_data", lang)
    if lang == "ja":
        return format_number(value, decimals, lang="ja") + unit_ja
    scaled = Decimal(str(value)) * en_scale
    shift = len(str(en_scale)) - 1 if en_scale > 1 else 0
    number = format_number(scaled, max(decimals - shift, 0), lang="en")
    return number + (unit_en if unit_en in _TIGHT_UNITS else f" {unit_en}")


def format_period(period: int | None, period_type: str, *, lang: str = "ja") -> str:
    """Format a year as the plan does: 2024年度 / 2024年 (ja), FY2024 / 2024 (en); the
    words are the locale's ``word.fiscal_year_n`` and ``word.calendar_year_n``.

    >>> format_period(2024, "fiscal")
    '2024年度'
    >>> format_period(2024, "calendar", lang="en")
    '2024'
    """
    if period is None:
        return "—"
    return t("word.fiscal_year_n" if period_type == "fiscal" else "word.calendar_year_n", lang, n=period)
