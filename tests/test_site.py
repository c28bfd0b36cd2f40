"""The front door as plain Python (kawasaki.site, kawasaki.web.headers), without a server:
documents of every page from the real database and from a poisoned one, their size,
the canonical URL state of each page, the cache bound, the security policy."""

from __future__ import annotations

import io
import re
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
from PIL import Image

from kawasaki import queries
from kawasaki.i18n import LANGS, t
from kawasaki.site.documents import Bounded, Site
from kawasaki.site.pages import canonical_state, kept_params, page_named, page_title, pages, query_of
from kawasaki.site.shell import Shell
from kawasaki.state import ViewState, parse_params
from kawasaki.web import headers
from kawasaki.web.db import open_read_only
from kawasaki.web.frame import tab_title
from kawasaki.web.frontdoor import streamlit_index
from tests.robustness import test_hostile_urls as hostile

BASE = "https://sdgs.example.jp"
# (path, params) of every page and of the views shared links open
VIEWS = [
    ("/", {}),
    ("/matrix", {}),
    ("/matrix", {"row": "initiative:1-4", "pillar": "environment"}),
    ("/progress", {}),
    ("/progress", {"group": "pillar", "status": "no_actual"}),
    ("/progress", {"kpi": "ghg-reduction"}),
    ("/explore", {}),
    ("/explore", {"goal": "13"}),
    ("/explore", {"target": "9.a"}),
    ("/wards", {}),
    ("/wards", {"ward": "14133"}),
    ("/coverage", {}),
    ("/coverage", {"goal": "13", "pillar": "environment"}),
    ("/briefing", {}),
    ("/briefing", {"pillar": "environment"}),
    ("/briefing", {"area": "3"}),
    ("/changes", {}),
    ("/about", {}),
    ("/no-such-page", {}),
]
GZIP_BUDGET = 30 * 1024
HTML_MARKERS = hostile.HTML_MARKERS
poisoned_db = hostile.poisoned_db  # the poisoned database (a fixture of the hostile-input tests)


def site_of(db: Path) -> Site:
    """A Site over ``db`` with Streamlit's own index.html."""
    con = open_read_only(str(db))

    def cursor():
        cur = con.cursor()
        cur.execute("USE kawasaki")
        return cur

    text = streamlit_index().read_text(encoding="utf-8")
    return Site(cursor, Shell.parse(text), text)


@pytest.fixture(scope="module")
def site(built_db) -> Site:
    return site_of(built_db)


@pytest.fixture(scope="module")
def poisoned_site(poisoned_db) -> Site:
    """A Site over the database whose every free text carries HTML, script and Markdown."""
    return site_of(poisoned_db)


def render(site: Site, path: str, params: dict, lang: str) -> str:
    key = site.key(path, {**params, "lang": lang}, BASE)
    return site.render(key).body.decode("utf-8")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("path", "params"), VIEWS, ids=[f"{p}{q}" for p, q in VIEWS])
def test_every_document_is_small_and_complete(site, path, params, lang):
    doc = site.render(site.key(path, {**params, "lang": lang}, BASE))
    assert doc.status == (404 if path == "/no-such-page" else 200)
    assert len(doc.gzipped) <= GZIP_BUDGET, f"{path} {params}: {len(doc.gzipped)} bytes gzipped"
    text = doc.body.decode("utf-8")
    assert f'<html lang="{lang}">' in text
    assert text.count("<h1>") == 1 and '<div id="root"><div class="kd">' in text
    assert text.count("<title>") == 1 and "<title>Streamlit</title>" not in text


@pytest.mark.parametrize(("path", "params"), VIEWS, ids=[f"{p}{q}" for p, q in VIEWS])
def test_data_strings_with_markup_are_escaped(poisoned_site, path, params):
    """A database whose every free text carries HTML, script and Markdown: every document
    shows them as text (the payload of tests/robustness/test_hostile_urls.py)."""
    for lang in LANGS:
        text = render(poisoned_site, path, params, lang)
        found = [m.pattern for m in HTML_MARKERS if m.search(text)]
        assert not found, f"{path} {params} ({lang}): unescaped {found}"


def test_preview_images_of_poisoned_texts_are_drawn(poisoned_site):
    for kind, ident in (("kpi", "ghg-reduction"), ("goal", "13"), ("page", "wards")):
        png = poisoned_site.image(kind, ident, "ja")
        with Image.open(io.BytesIO(png)) as image:
            assert image.size == (1200, 630)


def test_documents_and_images_are_made_once(site):
    key = site.key("/explore", {"goal": ["13"], "utm_source": ["x"]}, BASE)
    first = site.cached(key) or site.render(key)
    same = site.key("/explore", {"goal": "13", "target": "<b>"}, BASE)
    assert same == key and site.cached(same) is first
    assert site.image("goal", "13", "en") is site.image("goal", "13", "en")
    assert site.image("kpi", "<script>", "ja") is None and site.image("page", "home", "xx") is None


def test_the_cache_is_bounded():
    cache = Bounded(3)
    for n in range(10):
        cache.put(n, str(n))
    assert len(cache) == 3 and cache.get(0) is None and cache.get(9) == "9"
    assert cache.put(9, "other") == "9"  # the first stored wins


def test_tab_titles_are_the_apps():
    """The documents' <title> is the tab title the frame sets (kawasaki.web.frame.tab_title)."""
    for p in pages():
        for lang in LANGS:
            page = SimpleNamespace(title=t(p.title_key, lang), url_path=p.path)
            assert page_title(p, lang) == tab_title(page, lang)


def test_each_page_keeps_its_own_parameters(built_db):
    assert kept_params("home") == () and kept_params("about") == ()
    assert set(kept_params("progress")) == {"goal", "area", "pillar", "status", "group", "kpi"}
    with closing(duckdb.connect(str(built_db), read_only=True)) as con:
        vocabulary = queries.vocabulary(con)
    state = parse_params({"goal": "13", "kpi": "ghg-reduction", "ward": "14133", "lang": "en"}, vocabulary)
    assert query_of(canonical_state("progress", state)) == "goal=13&kpi=ghg-reduction&lang=en"
    assert query_of(canonical_state("wards", state)) == "ward=14133&lang=en"
    assert query_of(canonical_state("home", state)) == "lang=en"
    explore = canonical_state("explore", ViewState(target="9.a"))
    assert (explore.goals, explore.target) == ((9,), "9.a")
    assert canonical_state("explore", ViewState(goals=(13,), target="9.a")).target is None
    briefing = canonical_state("briefing", ViewState(goals=(13,), pillar="economy", kpi="ghg-reduction"))
    assert query_of(briefing) == "kpi=ghg-reduction"


def test_the_shell_is_streamlits_index_with_our_parts():
    text = streamlit_index().read_text(encoding="utf-8")
    shell = Shell.parse(text)
    filled = shell.fill("en", "<title>x</title>", "", "<p>hi</p>")
    assert '<html lang="en">' in filled and '<div id="root"><p>hi</p></div>' in filled
    # Streamlit's inline script stays; its JavaScript is started after the first paint by
    # the loader at the end of the body, which names the entry module and every preload
    head = filled[: filled.index("</head>")]
    assert "window.prerenderReady" in head and 'type="module"' not in head and "modulepreload" not in head
    entry = re.search(r'<script type="module" crossorigin src="([^"]+)"', text).group(1)
    preloads = re.findall(r'<link rel="modulepreload" crossorigin href="([^"]+)"', text)
    assert len(preloads) > 20 and shell.loader in filled[filled.index('<div id="root">') :]
    assert f's.src="{entry}"' in shell.loader and all(f'"{u}"' in shell.loader for u in preloads)
    assert shell.inline_scripts[0].strip() == "window.prerenderReady = false"
    assert shell.loader == f"<script>{shell.inline_scripts[-1]}</script>"


def test_the_content_security_policy():
    policy = headers.content_security_policy(
        ["'sha256-abc='"], headers.frame_ancestors("https://www.city.kawasaki.jp")
    )
    directives = dict(part.split(" ", 1) for part in policy.split("; "))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval' 'sha256-abc='"
    assert directives["frame-ancestors"] == "'self' https://www.city.kawasaki.jp"
    assert directives["object-src"] == "'none'"
    sent = dict(headers.security_headers(policy, ("https://www.city.kawasaki.jp",)))
    assert b"x-frame-options" not in sent  # it cannot name another origin
    assert dict(headers.security_headers(policy))[b"x-frame-options"] == b"SAMEORIGIN"


@pytest.mark.parametrize(
    "setting,kept",
    [
        ("", ()),
        ("https://www.city.kawasaki.jp https://*.kawasaki.jp", ("https://www.city.kawasaki.jp", "https://*.kawasaki.jp")),
        ("https://a.jp,http://localhost:8080", ("https://a.jp", "http://localhost:8080")),
        ("* 'none' data: https://a.jp/path javascript:x https://a.jp;script-src", ()),
    ],
)  # fmt: skip
def test_frame_ancestors_setting_takes_origins_only(setting, kept):
    assert headers.frame_ancestors(setting) == kept


def test_the_accessibility_script_is_named_by_its_hash():
    from kawasaki.web.frame import a11y_script
    from kawasaki.web.frontdoor import FrontDoor

    hashes = FrontDoor().script_hashes()
    assert len(hashes) == 4 and len(set(hashes)) == 4  # Streamlit's, the loader, the frame's in ja and en
    assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]+=*'", h) for h in hashes)
    assert a11y_script("ja") != a11y_script("en") and a11y_script("<x>") == a11y_script("en")
    assert page_named("home").is_default
