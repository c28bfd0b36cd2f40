"""The app's pages as the front door sees them: names, URL paths, tab titles, and the
canonical URL state of each (the parameters a page keeps in its address).

Everything here is read from the app's own files, so there is one list of pages
(``PAGES`` in app.py) and one list of kept parameters per page (the ``keep=`` of its
``urlstate.canonical_url`` call); kawasaki.web.frame uses the same functions.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, fields
from urllib.parse import urlencode

from kawasaki import paths
from kawasaki.briefing import only_scope, scope_of
from kawasaki.i18n import t
from kawasaki.state import ViewState, lang_params

PageSpec = tuple[str, str, str, str]  # (script, title key, icon, URL path)
# The glossary every page's header offers (glossary.<term> in the locale files).
GLOSSARY = ("kpi", "sdg_target", "fiscal_year", "baseline", "target_value", "progress", "triangle")


@functools.cache
def registered_pages() -> tuple[PageSpec, ...]:
    """app.py's ``PAGES`` (read from its source, so tests, the bench and page links use
    the one list without running the frame); the first is the default page (/)."""
    tree = ast.parse((paths.ROOT / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(n, "id", "") == "PAGES" for n in node.targets):
            return tuple(ast.literal_eval(node.value))
    raise RuntimeError("app.py has no PAGES")


def page_script(name: str) -> str:
    """The script of the page whose URL path is ``name`` ("progress")."""
    for script, _, _, url_path in registered_pages():
        if url_path == name:
            return script
    raise KeyError(f"no page {name!r} in app.PAGES")


@dataclass(frozen=True)
class Page:
    """One page: its name (the URL path of its st.Page), its path in a URL, its title key."""

    name: str  # "home", "progress"
    path: str  # "" for the default page, else the name
    title_key: str  # "nav.progress"

    @property
    def is_default(self) -> bool:
        """Whether this is the page at "/"."""
        return self.path == ""


@functools.cache
def pages() -> tuple[Page, ...]:
    """Every page of the app, the default page first."""
    return tuple(
        Page(url_path, "" if n == 0 else url_path, title_key)
        for n, (_, title_key, _, url_path) in enumerate(registered_pages())
    )


def page_at(path: str) -> Page | None:
    """The page served at the URL path ``path`` ("/", "/matrix"), or None.

    >>> page_at("/").name, page_at("/progress").name, page_at("/nope")
    ('home', 'progress', None)
    """
    wanted = path.strip("/")
    return next((p for p in pages() if p.path == wanted), None)


def page_named(name: str) -> Page:
    """The page called ``name`` ("progress"); KeyError when there is none."""
    for p in pages():
        if p.name == name:
            return p
    raise KeyError(f"no page {name!r} in app.PAGES")


def tab_title(title: str, is_default: bool, lang: str) -> str:
    """The browser tab's title: the site's name alone on the default page, else
    "page | site" (WCAG 2.4.2: titles that tell pages apart).

    >>> tab_title("KPI progress", False, "en")
    'KPI progress | Kawasaki City SDGs Future City Plan dashboard'
    """
    site = t("app.title", lang)
    return site if is_default else f"{title} | {site}"


def page_title(page: Page, lang: str) -> str:
    """The tab title of ``page`` in ``lang``, as the app sets it."""
    return tab_title(t(page.title_key, lang), page.is_default, lang)


@functools.cache
def kept_params(name: str) -> tuple[str, ...]:
    """The parameters the page ``name`` keeps in its URL besides ``lang``: the literal
    ``keep=`` of its ``urlstate.canonical_url(...)`` call."""
    source = (paths.ROOT / page_script(name)).read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "canonical_url":
            for keyword in node.keywords:
                if keyword.arg == "keep":
                    return tuple(ast.literal_eval(keyword.value))
    raise RuntimeError(f"{page_script(name)} does not call urlstate.canonical_url(..., keep=...)")


def canonical_state(name: str, state: ViewState) -> ViewState:
    """The view state the page ``name`` shows for ``state``, with only what it keeps.

    As the pages do: the explorer shows one goal (taken from a target when only that is
    given) and only that goal's targets; a briefing keeps its one scope
    (kawasaki.briefing.only_scope).
    """
    if name == "briefing":
        state = only_scope(state, scope_of(state))
    elif name == "explore":
        state = _explorer_state(state)
    keep = kept_params(name)
    cleared = {
        f.name: () if f.name == "goals" else None
        for f in fields(ViewState)
        if f.name not in ("lang", "notices") and _PARAM_OF.get(f.name, f.name) not in keep
    }
    return state.with_(**cleared)


_PARAM_OF = {"goals": "goal"}  # ViewState field -> URL parameter, where they differ


def _explorer_state(state: ViewState) -> ViewState:
    """One goal or none, and a target only within that goal (pages/explore.py)."""
    goal = state.goal
    if goal is None and state.target:
        goal = int(state.target.split(".")[0])
    target = state.target if goal is not None and str(state.target).split(".")[0] == str(goal) else None
    return state.with_(goals=(goal,) if goal else (), target=target)


def query_of(state: ViewState) -> str:
    """The query string of a canonical state (without "?"), the language last.

    >>> query_of(ViewState(lang="en", goals=(13, 14)))
    'goal=13%2C14&lang=en'
    """
    params = {k: v for k, v in state.to_params().items() if k != "lang"}
    return urlencode({**params, **lang_params(state.lang)})


def href(page: Page, state: ViewState) -> str:
    """A relative link to ``page`` with ``state`` ("./progress?kpi=x&lang=en"), like the app's."""
    query = query_of(state)
    return f"./{page.path}" + (f"?{query}" if query else "")


def url_path(page: Page, state: ViewState) -> str:
    """The absolute path of ``page`` with ``state`` ("/progress?kpi=x")."""
    query = query_of(state)
    return f"/{page.path}" + (f"?{query}" if query else "")
