"""The view's state in the URL: parsing untrusted query parameters into a sane view.

Every page reads the same parameters (lang, goal, target, area, pillar, status, kpi,
initiative, row, level, group, ward, indicator, view, since). Unknown or malformed
values are dropped with a notice, never an exception; a repeated key keeps its first valid value (``goal`` may
hold several goals: ``goal=13,14`` or ``goal=13&goal=14``).

A URL is untrusted and may be huge (Streamlit passes up to 1,000 parameters and 512Ki
characters). The work is bounded before anything is parsed: at most ``MAX_VALUES``
values per parameter and ``MAX_TOTAL_CHARS`` characters in all are looked at, and at
most ``MAX_NOTICES`` notices are kept, then one notice says how many more values were
ignored (docs/reliability.md, "A flood of URL values").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from kawasaki.i18n import DEFAULT_LANG, LANGS
from kawasaki.progress import STATUSES

MAX_VALUE_LENGTH = 64
MAX_VALUES = 20  # values read per parameter (17 goals is the longest valid list)
MAX_TOTAL_CHARS = 4096  # characters read over all parameters (a valid URL needs < 300)
MAX_NOTICES = 3  # notices shown; the rest are counted in one "N more ignored" notice
# Streamlit drops a query string of more than 1,000 parameters (or 512Ki characters)
# whole, silently; the server (kawasaki.web.urlstate.report_dropped_queries) puts this
# parameter in its place, holding the number of parameters, so the page can say so.
DROPPED = "_dropped"
SINGLE = (
    "target",
    "area",
    "pillar",
    "status",
    "kpi",
    "initiative",
    "row",
    "level",
    "group",
    "ward",
    "indicator",
    "view",
)
VIEWS = ("briefing",)  # reserved
LEVELS = ("goal", "target")
GROUPS = ("area", "pillar")
PARAMS = ("lang", "goal") + SINGLE + ("since",)
SINCE_RANGE = (date(2000, 1, 1), date(2100, 12, 31))  # since=YYYY-MM-DD (a briefing's "changes since")


@dataclass(frozen=True)
class Notice:
    """A URL parameter that was ignored, and why."""

    param: str
    value: str
    reason: str  # 'unknown', 'too_long', 'repeated'; 'more' (value: how many), 'dropped'

    def shown_value(self) -> str:
        """The value, shortened and stripped of characters that could format text."""
        clean = "".join(ch for ch in self.value if ch.isprintable() and ch not in "`\\<>[]*_~|$")
        return clean[:24] + ("…" if len(clean) > 24 else "")


@dataclass(frozen=True)
class ViewState:
    """What the URL asks the page to show; None / () means 'no filter'."""

    lang: str = DEFAULT_LANG
    goals: tuple[int, ...] = ()
    target: str | None = None
    area: int | None = None
    pillar: str | None = None
    status: str | None = None
    kpi: str | None = None
    initiative: str | None = None
    row: str | None = None
    level: str | None = None
    group: str | None = None
    ward: str | None = None
    indicator: str | None = None
    view: str | None = None
    since: str | None = None  # a date, YYYY-MM-DD
    notices: tuple[Notice, ...] = field(default=(), compare=False)

    @property
    def goal(self) -> int | None:
        """The single goal, when exactly one is chosen."""
        return self.goals[0] if len(self.goals) == 1 else None

    def with_(self, **changes: Any) -> ViewState:
        """A copy with some fields changed (and no notices)."""
        return replace(self, notices=(), **changes)

    def to_params(self) -> dict[str, str]:
        """The canonical query parameters of this state (defaults left out)."""
        params = lang_params(self.lang)
        if self.goals:
            params["goal"] = ",".join(str(g) for g in self.goals)
        for name in (*SINGLE, "since"):
            value = getattr(self, name)
            if value is not None:
                params[name] = str(value)
        return params


def lang_params(lang: str) -> dict[str, str]:
    """The URL parameter that carries ``lang``: none for Japanese, the default.

    >>> lang_params("en"), lang_params("ja")
    ({'lang': 'en'}, {})
    """
    return {} if lang == DEFAULT_LANG else {"lang": lang}


def page_href(page: str, lang: str, /, fragment: str = "", **params: Any) -> str:
    """A relative link to the page ``page`` in ``lang`` with ``params`` (the language last).

    >>> page_href("explore", "en", goal=14)
    './explore?goal=14&lang=en'
    >>> page_href("about", "ja", fragment="accessibility")
    './about#accessibility'
    """
    query = urlencode({**{k: str(v) for k, v in params.items()}, **lang_params(lang)})
    return f"./{page}" + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")


def _values(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    return [str(v) for v in raw]


class _Notices:
    """The notices of one URL: the first MAX_NOTICES kept, the others only counted."""

    def __init__(self) -> None:
        self.kept: list[Notice] = []
        self.more = 0

    def add(self, notice: Notice, count: int = 1) -> None:
        """Keep ``notice`` while there is room; ``count`` values were ignored in all."""
        if len(self.kept) < MAX_NOTICES:
            self.kept.append(notice)
            count -= 1
        self.more += count

    def all(self) -> tuple[Notice, ...]:
        """The notices kept, then one that says how many more values were ignored."""
        tail = [Notice("", str(self.more), "more")] if self.more else []
        return tuple(self.kept + tail)


class _Budget:
    """How many characters of the URL may still be read (MAX_TOTAL_CHARS in all)."""

    def __init__(self) -> None:
        self.left = MAX_TOTAL_CHARS

    def take(self, chars: int) -> bool:
        """Spend ``chars``; False (and nothing left) when they do not fit."""
        if chars > self.left:
            self.left = 0
            return False
        self.left -= chars
        return True


def _bounded(raw: Any, split: bool, notices: _Notices, budget: _Budget) -> list[str]:
    """At most MAX_VALUES values of one parameter, within the character budget (a value
    costs its length, at most MAX_VALUE_LENGTH + 1: a longer one is refused unread).
    What is left out is counted as ignored; ``split``: values hold comma-separated parts.

    >>> _bounded(["1,2,3"] + ["4"] * 30, True, n := _Notices(), _Budget()), n.more
    (['1', '2', '3', '4', '4', '4', '4', '4', '4', '4', '4', '4', '4', '4', '4', '4', '4', '4', '4', '4'], 13)
    """
    values = _values(raw)
    out: list[str] = []
    for n, value in enumerate(values):
        room = MAX_VALUES - len(out)
        if room <= 0 or budget.left <= 0:
            rest = values[n:]
            notices.more += sum(v.count(",") + 1 for v in rest) if split else len(rest)
            break
        parts = value.split(",", room) if split else [value]
        if len(parts) > room:
            notices.more += parts.pop().count(",") + 1
        for m, part in enumerate(parts):
            if not budget.take(min(len(part), MAX_VALUE_LENGTH + 1)):
                notices.more += len(parts) - m
                break
            out.append(part)
    return out


def parse_params(params: Mapping[str, Any], vocabulary: Mapping[str, Iterable[str]]) -> ViewState:
    """Turn raw query parameters into a ViewState, dropping what is not valid.

    ``params`` maps a name to a value or a list of values (repeated keys);
    ``vocabulary`` maps a name to its valid values (see kawasaki.queries.vocabulary).
    Only the known parameters are read, each within the bounds above.

    >>> parse_params({"goal": "14", "lang": "en"}, {"goal": ["13", "14"]}).goals
    (14,)
    >>> parse_params({"goal": "<script>"}, {"goal": ["14"]}).notices[0].reason
    'unknown'
    >>> [n.reason for n in parse_params({"goal": ",".join(["x"] * 50)}, {}).notices]
    ['unknown', 'unknown', 'unknown', 'more']
    """
    valid = {name: set(values) for name, values in vocabulary.items()}
    valid["lang"] = set(LANGS)
    valid["status"] = set(STATUSES)
    valid["view"] = set(VIEWS)
    valid["level"] = set(LEVELS)
    valid["group"] = set(GROUPS)
    notices = _Notices()
    budget = _Budget()
    chosen: dict[str, Any] = {}
    dropped = _values(params.get(DROPPED))
    if dropped:
        notices.add(Notice(DROPPED, dropped[0][:12], "dropped"))
    for name in PARAMS:  # other parameters (e.g. from a tracker) are left alone
        if name not in params:
            continue
        values = _bounded(params[name], name == "goal", notices, budget)
        if name == "goal":
            goals: list[int] = []
            for part in values:
                part = part.strip()
                if not part:
                    continue
                if len(part) > MAX_VALUE_LENGTH:
                    notices.add(Notice(name, part, "too_long"))
                elif part not in valid.get("goal", ()):
                    notices.add(Notice(name, part, "unknown"))
                elif int(part) not in goals:
                    goals.append(int(part))
            chosen["goals"] = tuple(sorted(goals))
            continue
        if name == "since":
            _parse_since(values, chosen, notices)
            continue
        for value in values:
            value = value.strip()
            if not value:
                continue  # an empty value means "no choice" (a form's "all" option sends one)
            if len(value) > MAX_VALUE_LENGTH:
                notices.add(Notice(name, value, "too_long"))
            elif value not in valid.get(name, ()):
                notices.add(Notice(name, value, "unknown"))
            elif name in chosen:
                if chosen[name] != value:
                    notices.add(Notice(name, value, "repeated"))
            else:
                chosen[name] = value
    if "area" in chosen:
        chosen["area"] = int(chosen["area"])
    return ViewState(**chosen, notices=notices.all())


def since_date(value: str) -> date | None:
    """A ``since`` value as a date: YYYY-MM-DD within SINCE_RANGE, else None.

    >>> since_date("2026-04-01"), since_date("2026-02-30"), since_date("1999-12-31")
    (datetime.date(2026, 4, 1), None, None)
    """
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if SINCE_RANGE[0] <= day <= SINCE_RANGE[1] else None


def _parse_since(values: list[str], chosen: dict[str, Any], notices: _Notices) -> None:
    """The first valid ``since`` date; the others noticed."""
    for value in values:
        value = value.strip()
        if len(value) > MAX_VALUE_LENGTH:
            notices.add(Notice("since", value, "too_long"))
        elif since_date(value) is None:
            notices.add(Notice("since", value, "unknown"))
        elif "since" in chosen:
            if chosen["since"] != value:
                notices.add(Notice("since", value, "repeated"))
        else:
            chosen["since"] = value
