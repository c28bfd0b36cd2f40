"""The front door over plain HTTP: what every URL's first response carries (no browser).

Streamlit answers every unknown path with 200 and its index.html, so every check looks at
the content type and the body, never at the status alone. Expected values come from the
same kawasaki functions the app uses, on the same database.
"""

from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from PIL import Image

from kawasaki import plancontext, queries
from kawasaki.clock import today_in_kawasaki
from kawasaki.i18n import LANGS, pick, t
from kawasaki.present import kpi_summary, kpi_table, kpi_target, kpi_value, status_label
from kawasaki.site.meta import shorten
from kawasaki.site.pages import page_named, page_title, registered_pages
from kawasaki.wards import model, texts
from kawasaki.wards import queries as ward_queries
from tests.frontdoor.conftest import Head, fetch
from tests.helpers import run_async

# (URL, page name, what the description is)
VIEWS = [
    ("/", "home", "home.intro"),
    ("/matrix", "matrix", "matrix.intro"),
    ("/progress", "progress", "progress.intro"),
    ("/progress?kpi=ghg-reduction", "progress", None),
    ("/explore", "explore", "explore.intro"),
    ("/explore?goal=13", "explore", None),
    ("/wards", "wards", None),
    ("/coverage", "coverage", None),
    ("/briefing", "briefing", "briefing.intro"),
    ("/changes", "changes", None),
    ("/about", "about", "about.intro"),
]
HOSTILE = [
    "goal=<script>alert(1)</script>",
    "kpi=%27%20OR%201%3D1%20--&lang=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    "ward=%00&indicator=%0d%0aSet-Cookie:%20x=1",
    "goal=13&goal=14&target=13.1%27--&level=%3Cb%3E",
    "row=javascript:alert(1)&lang=en&lang=ja",
    "kpi=" + "y" * 5000,
]


def in_lang(url: str, lang: str) -> str:
    if lang == "ja":
        return url
    return url + ("&" if "?" in url else "?") + f"lang={lang}"


def raw(value: str) -> str:
    """A data string as the raw HTML carries it."""
    return html.escape(value, quote=True)


@pytest.fixture(scope="module")
def documents(front_door) -> dict[tuple[str, str], tuple]:
    """Every view in every language, fetched once (in parallel: the server renders each
    first request in a worker thread)."""
    wanted = [(url, lang) for url, _, _ in VIEWS for lang in LANGS]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda v: fetch(front_door, in_lang(*v)), wanted))
    return {key: (doc, Head.of(doc.text)) for key, doc in zip(wanted, got, strict=True)}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("url", "name", "intro"), VIEWS, ids=[v[0] for v in VIEWS])
def test_every_view_has_its_own_head(documents, front_door, con, url, name, intro, lang):
    doc, head = documents[(url, lang)]
    assert doc.status == 200 and doc.headers["content-type"] == "text/html; charset=utf-8"
    assert head.lang == lang
    assert head.title == page_title(page_named(name), lang)
    description = head.meta["description"]
    if intro:
        assert description == shorten(t(intro, lang))
    elif "kpi=" in url:
        assert description == shorten(kpi_summary(queries.kpi(con, "ghg-reduction"), lang))
    assert description and len(description) <= 200
    expected = front_door + in_lang(url, lang)
    assert head.canonical == expected
    assert head.alternates == {
        "ja": front_door + url,
        "en": front_door + in_lang(url, "en"),
        "x-default": front_door + url,
    }
    assert head.meta["og:url"] == expected and head.meta["og:title"] and head.meta["og:description"]
    assert head.meta["og:locale"] == {"ja": "ja_JP", "en": "en_US"}[lang]
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["twitter:image"] == head.meta["og:image"]
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "630")


def test_titles_and_descriptions_tell_the_pages_apart(documents):
    for lang in LANGS:
        heads = [documents[(url, lang)][1] for url, _, _ in VIEWS]
        assert len({h.meta["description"] for h in heads}) == len(heads)
        assert len({h.meta["og:image"] for h in heads}) == len(heads)
        pages = {h.title for h in heads}
        assert len(pages) == len(registered_pages())  # one title per page (a KPI's view has its page's title)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("url", ["/", "/progress?kpi=ghg-reduction", "/explore?goal=13", "/wards"])
def test_preview_image_is_a_1200x630_png(documents, front_door, url, lang):
    image_url = documents[(url, lang)][1].meta["og:image"]
    got = fetch(front_door, image_url)
    assert got.status == 200 and got.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(got.body)) as image:
        assert image.format == "PNG" and image.size == (1200, 630)


def test_unknown_preview_image_is_not_found(front_door):
    for path in ("/og/kpi/nope.ja.png", "/og/goal/99.ja.png", "/og/page/home.fr.png", "/og/x/home.ja.png"):
        got = fetch(front_door, path)
        assert got.status == 404 and got.headers["content-type"].startswith("text/plain")


def kpi_cells(con, lang: str, **filters) -> list[str]:
    """Every KPI name and value of the progress tables, as kawasaki.present prints them
    today (the pace, this year's value of the straight line, the plan's verdict included)."""
    table = kpi_table(queries.kpis(con, **filters), lang, today_in_kawasaki())
    return [str(v) for row in table.itertuples(index=False) for v in row]


@pytest.mark.parametrize("lang", LANGS)
def test_kpi_names_and_values_are_in_the_raw_html(documents, con, lang):
    body = {url: documents[(url, lang)][0].text for url, _, _ in VIEWS}
    priority = queries.kpis(con)
    for r in priority[priority.pillar.notna()].to_dict("records"):
        assert raw(pick(r, "name", lang)) in body["/"]
        assert raw(kpi_value(r, "baseline", lang)) in body["/"]
    for cell in kpi_cells(con, lang) + kpi_cells(con, lang, plan_term=2):
        assert raw(cell) in body["/progress"], cell
    k = queries.kpi(con, "ghg-reduction")
    detail = body["/progress?kpi=ghg-reduction"]
    for value in (pick(k, "name", lang), kpi_value(k, "baseline", lang), kpi_target(k, lang)):
        assert raw(value) in detail
    assert raw(status_label(k["status"], lang)) in detail
    for r in queries.kpis(con, goals=(13,)).to_dict("records"):
        assert raw(pick(r, "name", lang)) in body["/explore?goal=13"]
    indicators = ward_queries.indicators(con)
    wm = model.ward_map(con, model.default_indicator(indicators), None)
    for row in texts.ward_table(wm, lang).itertuples(index=False):
        assert all(raw(str(v)) in body["/wards"] for v in row)
    for r in queries.attributions(con).to_dict("records"):
        assert raw(pick(r, "text", lang)) in body["/about"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_plans_own_context_is_in_the_raw_html(front_door, con, lang):
    """What #15 put beside the numbers reaches a crawler too: the plan's facts as printed,
    the plan's verdict beside the computed status, a KPI's FY2030 goal with its citation."""
    home = fetch(front_door, in_lang("/", lang)).text
    for fact in plancontext.facts(con, shown_on="home").to_dict("records"):
        if fact["figure_ja"]:
            assert raw(pick(fact, "figure", lang)) in home, fact["fact_id"]
    assert raw({"ja": "155万人超", "en": "over 1.55 million"}[lang]) in home
    green = fetch(front_door, in_lang("/progress?kpi=t2-green-innovation", lang)).text
    status = {"ja": "未達（最新値時点）", "en": "Short of target (latest value)"}[lang]
    words = {"ja": "「順調に取組が進んでいる」", "en": '"Progressing well"'}[lang]
    assert raw(status) in green and raw(words) in green and green.index(raw(status)) < green.index(raw(words))
    ghg = fetch(front_door, in_lang("/progress?kpi=ghg-reduction", lang)).text
    (goal,) = plancontext.facts(con, kpi_id="ghg-reduction").to_dict("records")
    assert raw(plancontext.fact_head(goal, lang, dated=False)) in ghg and ("▲50%" in ghg or "−50%" in ghg)
    assert raw(plancontext.fact_citation(goal, lang)) in ghg
    about = fetch(front_door, in_lang("/about", lang)).text
    partners = plancontext.facts(con).set_index("fact_id").loc["sdgs-partners"].to_dict()
    assert raw(plancontext.fact_quote(partners, lang)) in about and "1,749" in about and "1,783" in about


def test_missing_values_say_no_data_never_zero(documents, con):
    k = queries.kpi(con, "ghg-reduction")
    assert k["latest_kind"] != "actual"  # the plan's KPIs have baselines only so far
    detail = documents[("/progress?kpi=ghg-reduction", "ja")][0].text
    assert f'<dd class="kd-v">{t("word.no_data", "ja")}</dd>' in detail


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("path", ["/"] + [f"/{page}" for _, _, _, page in registered_pages()[1:]])
def test_hostile_query_strings_give_a_sane_document(front_door, path, query):
    doc = fetch(front_door, f"{path}?{query}")
    assert doc.status == 200 and doc.headers["content-type"] == "text/html; charset=utf-8"
    text = doc.text
    for bad in ("<script>alert", "<img src=x", "onerror=alert", "<b>", "Set-Cookie: x", "javascript:alert"):
        assert bad not in text, f"{bad!r} reflected on {path}?{query[:40]}"
    assert "Traceback" not in text and "Error" not in Head.of(text).title
    head = Head.of(text)
    assert head.lang in LANGS
    assert urlsplit(head.canonical).path == path
    assert "set-cookie" not in {k.lower() for k in doc.headers} or "x=1" not in doc.headers["set-cookie"]


def test_a_hostile_host_header_is_not_reflected(front_door):
    doc = fetch(front_door, "/", headers={"Host": 'evil.example"><script>alert(1)</script>'})
    assert "<script>alert" not in doc.text and Head.of(doc.text).canonical == "http://localhost/"


def test_unknown_page_is_a_document_of_its_own_with_404(front_door):
    doc = fetch(front_door, "/no-such-page?lang=en")
    assert doc.status == 404 and doc.headers["content-type"] == "text/html; charset=utf-8"
    head = Head.of(doc.text)
    assert head.lang == "en" and head.meta["robots"] == "noindex"
    assert t("site.not_found_heading", "en") in head.title


def test_sitemap_lists_every_page_kpi_and_goal_in_both_languages(front_door, con):
    got = fetch(front_door, "/sitemap.xml")
    assert got.status == 200 and got.headers["content-type"].startswith("application/xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.fromstring(got.body).findall("s:url/s:loc", ns)]
    vocabulary = queries.vocabulary(con)
    paths = ["/"] + [f"/{page}" for _, _, _, page in registered_pages()[1:]]  # app.PAGES
    paths += [f"/progress?kpi={k}" for k in vocabulary["kpi"]]
    paths += [f"/explore?goal={g}" for g in vocabulary["goal"]]
    assert sorted(locs) == sorted(front_door + in_lang(p, lang) for p in paths for lang in LANGS)
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda loc: (loc, fetch(front_door, loc)), locs))
    for loc, doc in answers:
        assert doc.status == 200 and doc.headers["content-type"] == "text/html; charset=utf-8", loc
        assert Head.of(doc.text).canonical == loc


def test_robots_txt_names_the_sitemap(front_door):
    got = fetch(front_door, "/robots.txt")
    assert got.status == 200 and got.headers["content-type"].startswith("text/plain")
    assert f"Sitemap: {front_door}/sitemap.xml" in got.body.decode()
    assert "Disallow: /media/" in got.body.decode()


def static_file(front_door) -> str:
    """A JavaScript file Streamlit's index.html loads."""
    return re.search(r'src="\./(static/js/[^"]+\.js)"', fetch(front_door, "/about").text).group(1)


@pytest.mark.parametrize(
    "path",
    ["/", "/progress?kpi=ghg-reduction", "/no-such-page", "/_stcore/health", "/_stcore/host-config",
     "STATIC", "/favicon.png", "/sitemap.xml", "/robots.txt", "/og/page/home.ja.png"],
)  # fmt: skip
def test_security_headers_on_every_response(front_door, path):
    got = fetch(front_door, "/" + static_file(front_door) if path == "STATIC" else path)
    assert got.status in (200, 404)
    h = got.headers
    csp = dict(part.strip().split(" ", 1) for part in h["content-security-policy"].split(";"))
    assert csp["default-src"] == "'self'" and csp["object-src"] == "'none'" and csp["base-uri"] == "'self'"
    assert csp["frame-ancestors"] == "'self'" and csp["connect-src"] == "'self'"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in h["permissions-policy"] and "geolocation=()" in h["permissions-policy"]
    assert h["x-frame-options"] == "SAMEORIGIN"


def test_documents_are_gzipped_with_an_etag_and_answer_head(front_door):
    plain = fetch(front_door, "/matrix")
    zipped = fetch(front_door, "/matrix", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and zipped.text == plain.text
    assert len(zipped.body) < len(plain.body) / 2
    assert [v.strip().lower() for v in zipped.headers["vary"].split(",")] == ["accept-encoding"]
    again = fetch(front_door, "/matrix", headers={"If-None-Match": plain.headers["etag"]})
    assert again.status == 304 and again.body == b""
    head = fetch(front_door, "/matrix", method="HEAD")
    assert head.status == 200 and head.body == b"" and head.headers["content-type"].startswith("text/html")


def test_the_websocket_is_still_compressed(front_door):
    """server.enableWebsocketCompression (config.toml) still reaches uvicorn under st.App."""
    import websockets

    async def extensions() -> str | None:
        url = front_door.replace("http://", "ws://") + "/_stcore/stream"
        async with websockets.connect(url, subprotocols=["streamlit"], compression="deflate") as ws:
            return ws.response.headers.get("Sec-WebSocket-Extensions")

    assert "permessage-deflate" in (run_async(extensions()) or "")
