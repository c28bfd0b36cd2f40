"""The content of each page as plain semantic HTML, from the same kawasaki functions the
app's pages call (kawasaki.queries, kawasaki.present, kawasaki.matrix, kawasaki.wards.*),
so that the numbers are the app's numbers. One module per page, like pages/:

    view = render_view(con, "progress", state, today)   # View(heading, summary, body, ...)

``today`` (Kawasaki's date, kawasaki.clock) is the day the pace and the straight line's
value of this fiscal year are shown for, as the live pages show them.

Every text from the data or the locale files is escaped (kawasaki.site.markup).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from kawasaki.queries import Con
from kawasaki.state import ViewState


@dataclass(frozen=True)
class View:
    """What a page shows for one view state, before JavaScript."""

    heading: str  # the page's h1 (text)
    summary: str  # the view in one sentence: the meta description
    body: str  # HTML after the h1
    title: str | None = None  # a shared link's own title (a KPI's name), else the page's
    image: tuple[str, str] | None = None  # ("kpi", id) / ("goal", "13"); None: the page's card
    feed: str | None = None  # the path of an Atom feed of this view ("/api/v1/releases.atom")


def render_view(con: Con, name: str, state: ViewState, today: dt.date) -> View:
    """The view of the page ``name`` for ``state`` (a canonical state of that page) on ``today``."""
    return _views()[name](con, state, today)


def _views() -> dict[str, Callable[[Con, ViewState, dt.date], View]]:
    from kawasaki.site.views import about, briefing, changes, coverage, explore, home, matrix, progress, wards

    return {
        "home": home.view,
        "matrix": matrix.view,
        "progress": progress.view,
        "explore": explore.view,
        "coverage": coverage.view,
        "wards": wards.view,
        "briefing": briefing.view,
        "changes": changes.view,
        "about": about.view,
    }
