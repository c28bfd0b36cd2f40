"""The front door as plain Python (kawasaki.site, kawasaki.web.headers), without a server:
documents of every page from the real database and from a poisoned one, their size,
the canonical URL state of each page, the cache bound, the security policy."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
from PIL import Image

from kawasaki import plancontext, queries
from kawasaki.figures.seriessvg import kpi_series_svg
from kawasaki.i18n import LANGS, pick, t
from kawasaki.present import kpi_summary, kpi_table
from kawasaki.site.documents import Bounded, Site
from kawasaki.site.markup import esc
from kawasaki.site.pages import canonical_state, kept_params, page_named, page_title, pages, query_of
from kawasaki.site.shell import Shell
from kawasaki.state import ViewState, parse_params
from kawasaki.wards import model, texts
from kawasaki.wards import queries as ward_queries
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
    head = text.split("</head>", 1)[0]  # (the SVG charts and map have <title>s of their own)
    assert head.count("<title>") == 1 and "<title>Streamlit</title>" not in text


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


# --- parity with the live pages (#15 the plan's context, #16 releases) ------------------------

DAY = dt.date(2026, 12, 1)  # FY2026: the straight line's value of this fiscal year is 2026's


def document(site: Site, path: str, params: dict, lang: str = "ja", today: dt.date = DAY) -> str:
    """The document's <main> (its content) on ``today``."""
    body = site.render(site.key(path, {**params, "lang": lang}, BASE, today)).body.decode("utf-8")
    return body[body.index('<main id="kd-main"') : body.index("</main>")]


def values(main: str) -> list[str]:
    """The texts marked kd-v (what the browser test finds on the live page), tags dropped."""
    found = re.findall(r'<(\w+) class="[^"]*\bkd-v\b[^"]*">(.*?)</\1>', main)
    return [html.unescape(re.sub(r"<[^>]+>", "", inner)) for _, inner in found]


def test_a_document_is_made_for_a_day(site):
    """The pace and this year's value of the straight line change with the fiscal year:
    the same URL on another day is another document (Key.today)."""
    params = {"kpi": "ghg-reduction"}
    assert site.key("/progress", params, BASE, DAY) != site.key(
        "/progress", params, BASE, dt.date(2027, 4, 1)
    )
    same_day = site.key("/progress", {**params, "utm_source": "x"}, BASE, DAY)
    assert same_day == site.key("/progress", params, BASE, DAY)
    now, next_year = (
        document(site, "/progress", params),
        document(site, "/progress", params, today=dt.date(2027, 4, 1)),
    )
    assert "直線上の値（2026年度）" in now and "▲42.8%" in values(now)
    assert "直線上の値（2027年度）" in next_year and "▲45.4%" in values(next_year)  # the line's end


@pytest.mark.parametrize("lang", LANGS)
def test_ghg_kpi_shows_its_pace_its_2030_goal_the_earlier_term_and_its_history(site, built_db, lang):
    main = document(site, "/progress", {"kpi": "ghg-reduction"}, lang)
    shown = values(main)
    with closing(duckdb.connect(str(built_db), read_only=True)) as con:
        k = queries.kpi(con, "ghg-reduction")
        (goal,) = plancontext.facts(con, kpi_id="ghg-reduction").to_dict("records")
        other = plancontext.linked_kpi(con, "ghg-reduction")
        chart = plancontext.kpi_chart_observations(con, "ghg-reduction")
    for label, shown_value in plancontext.pace_figures(k, lang, DAY):
        assert esc(label) in main and shown_value in shown
    assert {"ja": "▲2.6ポイント/年", "en": "−2.6 points a year"}[lang] in shown
    assert plancontext.fact_head(goal, lang, dated=False) in shown
    assert {
        "ja": "2030年度の目標（地球温暖化対策推進基本計画）：▲50%",
        "en": "FY2030 goal (Basic Plan for Promoting Global Warming Countermeasures): −50%",
    }[lang] in shown
    assert plancontext.fact_citation(goal, lang) in shown and "445" in plancontext.fact_citation(goal, lang)
    long_term = t("linked.chart_long_term", lang, values=plancontext.value_text(k, 2030, -50.0, 0, lang))
    assert any(long_term in v for v in shown)  # the chart in words
    # the chart itself: the app's SVG (kawasaki.figures.seriessvg), in the first paint
    summary = kpi_summary(k, lang) + plancontext.chart_extras_text(k, chart, lang, other)
    assert kpi_series_svg(k, chart, lang, summary) in main
    heading, lines, _ = plancontext.linked_lines(k, other, lang)
    assert esc(heading) in main and set(lines) <= set(shown)
    assert esc(t("linked.open", lang, name=pick(other, "name", lang))) in main
    assert esc(t("changes.kpi_heading", lang)) in main and esc(t("changes.kpi_none", lang)) in main


def test_a_second_term_kpi_shows_the_status_and_the_plans_words_beside_it(site):
    main = document(site, "/progress", {"kpi": "t2-green-innovation"})
    status = main.index("⚠ 未達（最新値時点）")
    verdict = main.index("「順調に取組が進んでいる」")
    assert status < verdict
    assert "計画の評価（2024年度の値について）：「順調に取組が進んでいる」" in values(main)
    assert esc(t("verdict.explain", "ja", status="未達（最新値時点）")) in main
    assert "必要なペース" not in main  # no baseline: no straight line


@pytest.mark.parametrize("lang", LANGS)
def test_progress_tables_have_the_pace_and_the_plans_verdict(site, built_db, lang):
    main = document(site, "/progress", {}, lang)
    with closing(duckdb.connect(str(built_db), read_only=True)) as con:
        term3, term2 = queries.kpis(con), queries.kpis(con, plan_term=2)
        (note,) = plancontext.facts(con, shown_on="progress").to_dict("records")
    for table in (kpi_table(term3, lang, DAY), kpi_table(term2, lang, DAY)):
        assert f'<th scope="col">{esc(table.columns[-1])}</th>' in main
        for cell in table.itertuples(index=False):
            assert all(f"<td>{esc(v)}</td>" in main for v in cell), cell
    assert t("pace.column", lang) in kpi_table(term3, lang, DAY).columns
    assert t("verdict.column", lang) in kpi_table(term2, lang, DAY).columns
    assert esc(t("verdict.table_note", lang)) in main and esc(t("pace.explain", lang)) in main
    assert f"{plancontext.fact_quote(note, lang)} {plancontext.fact_citation(note, lang)}" in values(main)


def test_home_shows_the_plans_facts_as_printed_and_the_verdict_column(site):
    ja, en = document(site, "/", {}), document(site, "/", {}, "en")
    for figure in ("155万人超", "20.2%", "43.7歳", "55駅", "548", "3,532者"):
        assert figure in values(ja)
    assert "over 1.55 million" in values(en) and "3,532 organisations" in values(en)
    assert "2025年10月1日現在 （計画 1(1) 地域の実態 4. 大都市のうち最も若い都市）" in values(ja)
    assert "時点の記載なし （計画 1(1) 地域の実態 1. 優れた立地と充実した交通ネットワーク）" in values(ja)
    assert any(v.startswith("計画の記載：「なお、KPIは代表的なものを記載している。") for v in values(ja))
    row = "<td>⚠ Short of target (latest value)</td><td>&quot;Progressing well&quot;</td>"
    assert row in en and esc(t("verdict.table_note", "en")) in en


def test_about_shows_the_methods_and_every_fact_of_the_plan_with_its_line(site):
    main = document(site, "/about", {})
    assert "<strong>必要なペース</strong>" in main and "<strong>計画の評価</strong>" in main
    shown = values(main)
    for line in (57, 58, 34, 52, 873, 445, 242):
        assert any(v.endswith(f"計画本文テキスト{line}行目）") for v in shown), line
    assert any("登録事業者1,749者、認証事業者1,783者" in v for v in shown)  # the partners, as printed
    assert "かわさきSDGsパートナー：3,532者（2025年11月25日現在）" in shown


def test_a_briefing_has_its_row_details_and_the_changes_since(site):
    main = document(site, "/briefing", {"pillar": "environment", "since": "2026-01-01"})
    assert esc(t("briefing.changes_since", "ja", date="2026-01-01")) in main
    assert t("briefing.changes_none", "ja", date="2026-01-01") in values(main)
    assert "必要なペース：▲2.6ポイント/年（直線上の値：2026年度 ▲42.8%）" in values(main)
    assert "changes_since" not in main and "2026-01-01 以降の変更" in main
    assert "以降の変更" not in document(site, "/briefing", {"pillar": "environment"})


def test_the_ward_map_says_definitions_derived_sources_and_how_missing_values_will_show(site):
    derived = document(site, "/wards", {"indicator": "population_change_2010_2020"})
    assert any(v.startswith("定義：") for v in values(derived))
    assert "databasejapan.com" in derived and "census_muni.csv" in derived  # both inputs' sources
    missing = document(site, "/wards", {"indicator": "kayoi_no_ba"})
    assert any(v.startswith("値が入ると「65歳以上人口千人あたり」") for v in values(missing))
    assert "分子とは時点が異なります" in missing


def test_a_kpi_measured_by_ward_shows_its_ward_table(site, built_db):
    main = document(site, "/progress", {"kpi": "kayoi-no-ba"})
    with closing(duckdb.connect(str(built_db), read_only=True)) as con:
        wm = model.ward_map(con, ward_queries.ward_kpi_indicator(con, "kayoi-no-ba"), None)
    assert f"<h3>{esc(t('progress.by_ward', 'ja'))}</h3>" in main
    for row in texts.ward_table(wm, "ja").itertuples(index=False):
        assert f'<th scope="row">{esc(row[0])}</th>' in main and f"<td>{esc(row[1])}</td>" in main
    assert texts.summary(wm, "ja") in values(main)
    ghg = document(site, "/progress", {"kpi": "ghg-reduction"})
    assert esc(t("progress.by_ward", "ja")) not in ghg  # no ward indicator measures it


@pytest.mark.parametrize("level", ["goal", "target"])
def test_the_matrix_document_draws_the_apps_heatmap(site, built_db, level):
    """The first paint has the heatmap: the same SVG the app draws (kawasaki.figures.heatmapsvg)."""
    from kawasaki.figures.heatmapsvg import matrix_svg
    from kawasaki.matrix import build_matrix
    from kawasaki.present import row_label

    main = document(site, "/matrix", {"level": level} if level == "target" else {})
    with closing(duckdb.connect(str(built_db), read_only=True)) as con:
        rows = queries.matrix_rows(con)
        matrix = build_matrix(
            rows, queries.matrix_links(con), level=level, goals=(), pillar=None, area=None, target=None
        )
    labels = {r["row_id"]: row_label(r, "ja") for r in rows.to_dict("records")}
    assert matrix_svg(matrix, level, labels, "ja") in main
