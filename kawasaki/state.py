"""The view's state in the URL: parsing untrusted query parameters into a sane view.

Every page reads the same parameters (lang, goal, target, area, pillar, status, kpi,
initiative, row, level, group, ward, indicator, view). Unknown or malformed values are dropped with a
notice, never an exception; a repeated key keeps its first valid value (``goal`` may
hold several goals: ``goal=13,14`` or ``goal=13&goal=14``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from kawasaki.i18n import DEFAULT_LANG, LANGS
from kawasaki.progress import STATUSES

MAX_VALUE_LENGTH = 64
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
PARAMS = ("lang", "goal") + SINGLE


@dataclass(frozen=True)
class Notice:
    """A URL parameter that was ignored, and why."""

    param: str
    value: str
    reason: str  # 'unknown', 'too_long', 'repeated'

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
        for name in SINGLE:
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


def parse_params(params: Mapping[str, Any], vocabulary: Mapping[str, Iterable[str]]) -> ViewState:
    """Turn raw query parameters into a ViewState, dropping what is not valid.

    ``params`` maps a name to a value or a list of values (repeated keys);
    ``vocabulary`` maps a name to its valid values (see kawasaki.queries.vocabulary).

    >>> parse_params({"goal": "14", "lang": "en"}, {"goal": ["13", "14"]}).goals
    (14,)
    >>> parse_params({"goal": "<script>"}, {"goal": ["14"]}).notices[0].reason
    'unknown'
    """
    valid = {name: set(values) for name, values in vocabulary.items()}
    valid["lang"] = set(LANGS)
    valid["status"] = set(STATUSES)
    valid["view"] = set(VIEWS)
    valid["level"] = set(LEVELS)
    valid["group"] = set(GROUPS)
    notices: list[Notice] = []
    chosen: dict[str, Any] = {}
    for name in params:
        if name not in PARAMS:
            continue  # other parameters (e.g. from a tracker) are left alone
        values = _values(params[name])
        if name == "goal":
            goals: list[int] = []
            for value in values:
                for part in value.split(","):
                    part = part.strip()
                    if not part:
                        continue
                    if len(part) > MAX_VALUE_LENGTH:
                        notices.append(Notice(name, part, "too_long"))
                    elif part not in valid.get("goal", ()):
                        notices.append(Notice(name, part, "unknown"))
                    elif int(part) not in goals:
                        goals.append(int(part))
            chosen["goals"] = tuple(sorted(goals))
            continue
        for value in values:
            value = value.strip()
            if not value:
                continue  # an empty value means "no choice" (a form's "all" option sends one)
            if len(value) > MAX_VALUE_LENGTH:
                notices.append(Notice(name, value, "too_long"))
            elif value not in valid.get(name, ()):
                notices.append(Notice(name, value, "unknown"))
            elif name in chosen:
                if chosen[name] != value:
                    notices.append(Notice(name, value, "repeated"))
            else:
                chosen[name] = value
    if "area" in chosen:
        chosen["area"] = int(chosen["area"])
    return ViewState(**chosen, notices=tuple(notices))
