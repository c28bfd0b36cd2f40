"""Widgets bound to the URL: a filter's value lives in a query parameter, so every view
is a link that opens exactly itself.

Each widget's session value is set from the view state before it is drawn, and its
on_change callback writes the new value back to the URL (kawasaki.web.urlstate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from kawasaki import queries
from kawasaki.i18n import pick, t
from kawasaki.present import goal_label
from kawasaki.state import ViewState
from kawasaki.web.cache import derived, q
from kawasaki.web.urlstate import write_param

PILLARS = ("economy", "society", "environment")


def _bound(widget: Callable[..., Any], param: str, value: Any, multi: bool, *args: Any, **kwargs: Any) -> Any:
    """Draw ``widget(*args, **kwargs)`` with its session value set to ``value`` and its
    changes written to the URL parameter ``param`` (comma-separated when ``multi``)."""
    key = f"w_{param}"
    st.session_state[key] = value
    return widget(*args, key=key, on_change=write_param, args=(param, key, multi), **kwargs)


def bound_select(
    label: str,
    param: str,
    options: Sequence[Any],
    current: Any,
    format_func: Callable[[Any], str],
    *,
    all_label: str | None = None,
    container: Any = st,
    **kwargs: Any,
) -> Any:
    """A selectbox whose value is the URL parameter ``param``; None means 'all'.

    'All' is the empty string inside the widget (a selectbox shows None as 'no
    selection'), and None to the caller.
    """
    choices = ([""] if all_label is not None else []) + list(options)
    value = _bound(
        container.selectbox,
        param,
        current if current in choices else choices[0],
        False,
        label,
        choices,
        format_func=lambda v: all_label if v == "" else format_func(v),
        **kwargs,
    )
    return None if value == "" else value


def bound_multiselect(
    label: str,
    param: str,
    options: Sequence[Any],
    current: Sequence[Any],
    format_func: Callable[[Any], str],
    *,
    container: Any = st,
    **kwargs: Any,
) -> list[Any]:
    """A multiselect whose values are the comma-separated URL parameter ``param``."""
    chosen = [v for v in current if v in options]
    return _bound(
        container.multiselect, param, chosen, True, label, list(options), format_func=format_func, **kwargs
    )


def bound_radio(
    label: str,
    param: str,
    options: Sequence[str],
    current: str | None,
    format_func: Callable[[Any], str],
    **kw: Any,
) -> str:
    """A horizontal choice (segmented control) bound to ``param``; the first option is the default."""
    chosen = current if current in options else options[0]
    value = _bound(
        st.segmented_control, param, chosen, False, label, list(options), format_func=format_func, **kw
    )
    return value or options[0]


def bound_date(
    label: str, param: str, current: str | None, *, container: Any = st, **kwargs: Any
) -> str | None:
    """A date input whose value is the URL parameter ``param`` (YYYY-MM-DD); empty: None."""
    value = _bound(
        container.date_input,
        param,
        dt.date.fromisoformat(current) if current else None,
        False,
        label,
        format="YYYY-MM-DD",
        min_value=dt.date(2000, 1, 1),
        max_value=dt.date(2100, 12, 31),
        **kwargs,
    )
    return value.isoformat() if isinstance(value, dt.date) else None


def filter_labels(lang: str) -> dict[str, dict]:
    """The option labels of the goal, policy area and pillar filters (use through
    ``derived(filter_labels, lang)``)."""
    return {
        "goal": {
            r["goal"]: goal_label(r["goal"], pick(r, "name", lang), lang)
            for r in q(queries.goals).to_dict("records")
        },
        "area": {
            r["number"]: f"{r['number']}. {pick(r, 'name', lang)}"
            for r in q(queries.policy_areas).to_dict("records")
        },
        "pillar": {p: t(f"pillar.{p}", lang) for p in PILLARS},
    }


def plan_filters(state: ViewState, kinds: Sequence[str], columns: Sequence[Any]) -> dict[str, Any]:
    """The filters several pages share -- SDG goals (several), policy area, pillar -- in
    the given order, one per column, each bound to its URL parameter.

    Returns {"goal": [chosen goals], "area": number or None, "pillar": key or None}.
    """
    lang = state.lang
    names = derived(filter_labels, lang)
    chosen: dict[str, Any] = {}
    for kind, column in zip(kinds, columns, strict=True):
        if kind == "goal":
            chosen[kind] = bound_multiselect(
                t("filter.goals", lang),
                "goal",
                list(names["goal"]),
                state.goals,
                names["goal"].__getitem__,
                container=column,
                placeholder=t("filter.all", lang),
            )
        else:
            chosen[kind] = bound_select(
                t(f"filter.{kind}", lang),
                kind,
                list(names[kind]),
                getattr(state, kind),
                names[kind].__getitem__,
                all_label=t("filter.all", lang),
                container=column,
            )
    return chosen
