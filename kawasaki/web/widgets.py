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
    key = f"w_{param}"
    choices = ([""] if all_label is not None else []) + list(options)
    st.session_state[key] = current if current in choices else choices[0]
    value = container.selectbox(
        label,
        choices,
        key=key,
        format_func=lambda v: all_label if v == "" else format_func(v),
        on_change=write_param,
        args=(param, key, False),
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
    key = f"w_{param}"
    st.session_state[key] = [v for v in current if v in options]
    return container.multiselect(
        label,
        list(options),
        key=key,
        format_func=format_func,
        on_change=write_param,
        args=(param, key, True),
        **kwargs,
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
    key = f"w_{param}"
    st.session_state[key] = current if current in options else options[0]
    value = st.segmented_control(
        label,
        list(options),
        key=key,
        format_func=format_func,
        on_change=write_param,
        args=(param, key, False),
        **kw,
    )
    return value or options[0]


def bound_date(
    label: str, param: str, current: str | None, *, container: Any = st, **kwargs: Any
) -> str | None:
    """A date input whose value is the URL parameter ``param`` (YYYY-MM-DD); empty: None."""
    key = f"w_{param}"
    st.session_state[key] = dt.date.fromisoformat(current) if current else None
    value = container.date_input(
        label,
        key=key,
        format="YYYY-MM-DD",
        min_value=dt.date(2000, 1, 1),
        max_value=dt.date(2100, 12, 31),
        on_change=write_param,
        args=(param, key, False),
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
