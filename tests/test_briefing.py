"""Council briefings: content, PDF (text compared with the database), PNG export, CLI, page.

PDF and PNG tests drive kaleido with the system Chromium. They are never skipped: when
/usr/bin/chromium is missing, the ``chromium`` fixture fails with what to run
(`make system-deps`, which `make test` runs first).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from io import BytesIO

import duckdb
import pytest
from pypdf import PdfReader

from kawasaki import export, queries
from kawasaki.briefing import (
    Scope,
    UnknownScope,
    build_briefing,
    only_scope,
    scope_is_ambiguous,
    scope_of,
)
from kawasaki.cli import main
from kawasaki.i18n import LANGS, messages, pick, t
from kawasaki.pdf import FontFiles, FontMissing, find_font, render_pdf
from kawasaki.present import kpi_latest, kpi_period, kpi_table, kpi_target, kpi_value, md, status_text
from kawasaki.state import ViewState
from tests.apptest_helpers import app_database, bar_charts, open_page, page_text, plotly_specs, url  # noqa: F401

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def con(built_db):
    connection = duckdb.connect(str(built_db), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def chromium():
    """The system Chromium that kaleido drives; fails (never skips) when it is missing."""
    if not export.CHROMIUM.exists():
        pytest.fail(
            f"{export.CHROMIUM} is missing: run `make system-deps` (installs chromium and the "
            "Japanese fonts); `make test` does it for you.",
            pytrace=False,
        )
    with export.export_server():  # one warm export server for the module's tests
        yield export.CHROMIUM


def flat(text: str) -> str:
    """Text without whitespace and NULs, for comparisons.

    The PDF wraps long cells onto several lines, and pypdf may add spaces where glyphs
    are far apart; neither changes a number. (NULs would mean a font embedded with a
    custom CMap, as fpdf2 does for OpenType/CFF fonts: kawasaki/pdf.py uses TrueType.)
    """
    return re.sub(r"\s+", "", text)


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]


def tiny_png(width: int = 40, height: int = 20) -> bytes:
    from PIL import Image

    buf = BytesIO()
    Image.new("RGB", (width, height), "white").save(buf, format="PNG")
    return buf.getvalue()


# --- scope from the URL -----------------------------------------------------------


@pytest.mark.parametrize(
    "state,scope,ambiguous",
    [
        (ViewState(), None, False),
        (ViewState(area=3), Scope("area", "3"), False),
        (ViewState(pillar="environment"), Scope("pillar", "environment"), False),
        (ViewState(goals=(13,)), Scope("goal", "13"), False),
        (ViewState(kpi="ghg-reduction"), Scope("kpi", "ghg-reduction"), False),
        (ViewState(goals=(13, 14)), Scope("goal", "13"), True),
        (ViewState(area=3, goals=(13,)), Scope("area", "3"), True),
        (ViewState(area=3, kpi="ghg-reduction"), Scope("kpi", "ghg-reduction"), True),
        (ViewState(pillar="economy", goals=(8,)), Scope("pillar", "economy"), True),
    ],
)
def test_scope_from_the_url(state, scope, ambiguous):
    assert scope_of(state) == scope
    assert scope_is_ambiguous(state) is ambiguous


@pytest.mark.parametrize(
    "state,scope,params",
    [
        (ViewState(area=3, goals=(13,), lang="en"), Scope("area", "3"), {"lang": "en", "area": "3"}),
        (ViewState(goals=(13, 14)), Scope("goal", "13"), {"goal": "13"}),
        (
            ViewState(kpi="x", pillar="economy", status="behind"),
            Scope("kpi", "x"),
            {"kpi": "x", "status": "behind"},
        ),
        (ViewState(area=2), None, {}),
    ],
)
def test_canonical_state_keeps_only_the_scope(state, scope, params):
    assert only_scope(state, scope).to_params() == params


# --- content ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_area_rows_are_the_progress_pages_table(con, lang):
    """The rows carry exactly the strings the progress page's table shows."""
    b = build_briefing(con, "area", "3", lang, TODAY)
    kpis = queries.kpis(con, area=3)
    table = kpi_table(kpis, lang)
    assert [r.cells() for r in b.rows] == [tuple(row) for row in table.itertuples(index=False, name=None)]
    assert b.columns == tuple(table.columns)
    assert [r.kpi_id for r in b.rows] == ["ghg-reduction", "trees-planted"]
    assert len(b.charts) == 1 and b.charts[0].figure.data[0].type == "bar"


def test_area_briefing_in_japanese(con):
    b = build_briefing(con, "area", 3, "ja", TODAY)
    info = queries.build_info(con)
    assert b.title == "政策分野3　市民生活を豊かにする環境づくり"
    assert b.intro[0] == "めざす姿：市民生活を豊かにするまち"
    assert b.meta() == (
        "作成日：2026-12-01",
        f"データ時点：{info['data_as_of'].isoformat()}",
        f"ビルド：{info['build_stamp']}",
    )
    ghg = b.rows[0]
    assert (ghg.baseline, ghg.latest, ghg.target, ghg.status) == (
        "2023年度 ▲35.0%",
        "実績値なし",
        "2027年度 ▲45.4%以上",
        "… 実績値なし",
    )
    assert ghg.details[0] == "位置づけ：重点KPI（環境） ／ 3-① 環境に配慮したしくみをつくる取組"
    assert ghg.details[2] == "必要なペース：▲2.6ポイント/年（直線上の値：2026年度 ▲42.8%）"  # FY2026 (TODAY)
    assert ghg.details[3] == "出典：環境局調べ（値は計画本文に記載のもの）"
    assert b.summary == "2件のKPI。達成 0、順調 0、遅れ 0、未達成 0、実績値なし 2。"
    assert b.attributions == (queries.attributions(con).set_index("key").loc["plan", "text_ja"],)
    assert b.file_stem == "kawasaki-briefing-area-3-ja"


def test_area_briefing_in_english(con):
    b = build_briefing(con, "area", 3, "en", TODAY)
    assert b.title == "Policy area 3: Creating an environment that enriches residents' lives"
    trees = b.rows[1]
    assert (trees.baseline, trees.target) == ("FY2024 1,430,000 trees", "FY2029 1,780,000 trees or more")
    assert b.footer().startswith("Data as of ")


def test_pillar_briefing_adds_the_second_term_results(con):
    b = build_briefing(con, "pillar", "economy", "ja", TODAY)
    assert b.title == "重点KPI（経済）"
    assert [s.heading for s in b.sections] == [
        "KPIの一覧（基準値 → 最新値 → 目標値）",
        "第2期計画のKPIの成果（参考）",
    ]
    term2 = b.sections[1]
    assert term2.chart is None and term2.note
    assert {r.kpi_id for r in term2.rows} == {
        "t2-green-innovation",
        "t2-business-matching",
        "t2-welfare-products",
    }
    matching = next(r for r in term2.rows if r.kpi_id == "t2-business-matching")
    assert (matching.latest, matching.target, matching.status) == (
        "2025年度 794件",
        "2025年度 600件",
        "✔ 達成",
    )
    # the plan's own words beside the computed status, never instead of it
    green = next(r for r in term2.rows if r.kpi_id == "t2-green-innovation")
    assert green.status == "⚠ 未達（最新値時点）"
    assert "計画の評価：「順調に取組が進んでいる」" in green.details
    assert not any(d.startswith("必要なペース") for d in green.details)  # no baseline, no line
    assert ("✔ 達成", "最新の実績値が目標値に達しています。") in b.legend


def test_goal_briefing_groups_by_area_and_lists_only_that_goals_targets(con):
    b = build_briefing(con, "goal", "13", "ja", TODAY)
    assert b.title == "目標13 気候変動に具体的な対策を"
    assert len(b.rows) == len(queries.kpis(con, goals=(13,))) == 10
    assert len(b.charts) == len(b.sections) >= 2
    for row in b.rows:
        targets = next(d for d in row.details if d.startswith("SDGsターゲット："))
        assert all(x.startswith("13.") for x in targets.removeprefix("SDGsターゲット：").split("、"))
    assert any("外務省仮訳" in line for line in b.attributions)
    assert any("A/RES/70/1" in line for line in b.attributions)


def test_kpi_briefing_has_its_time_series_and_target_texts(con):
    b = build_briefing(con, "kpi", "ghg-reduction", "en", TODAY)
    assert b.title.startswith("Reduction of the city's greenhouse-gas emissions")
    assert len(b.rows) == 1 and len(b.charts) == 1
    assert {trace.name for trace in b.charts[0].figure.data} >= {"Baseline", "Target"}
    assert "<svg " in b.charts[0].html and "Target FY2027: −45.4 %" in b.charts[0].html  # the page's chart
    assert b.target_texts[0].startswith("1.5 By 2030, build the resilience")
    assert len(b.target_texts) == len(queries.kpi_sdg_targets(con, "ghg-reduction"))
    # the plan's FY2030 goal, beyond the FY2027 target: on the chart and in the notes, cited
    long_term = next(trace for trace in b.charts[0].figure.data if trace.name == "Longer-term goal")
    assert (list(long_term.x), list(long_term.y)) == ([2030], [-50.0])
    assert "FY2030 −50%" in b.charts[0].alt and "FY2025 −13.1%" in b.charts[0].alt  # the 2nd-term target
    assert any("line 445 of the plan's text" in note for note in b.notes)
    assert b.rows[0].details[2] == "Pace needed: −2.6 points a year (straight-line value: FY2026 −42.8%)"


def test_pdf_prints_the_pace_and_the_plans_verdict(con):
    """What the PDF prints under each KPI: the pace needed and, for the 2nd term, the plan's words."""
    b = build_briefing(con, "pillar", "environment", "ja", TODAY)
    text = flat("\n".join(pdf_pages(render_pdf(b, png=lambda chart: tiny_png()))))
    assert flat("必要なペース：▲10.2g/年（直線上の値：2026年度 772.6g）") in text  # waste per person
    assert flat("計画の評価：「着実に減量化が進んでいる」") in text


@pytest.mark.parametrize(
    "kind,value,message",
    [
        ("area", "9", "unknown policy area '9': choose one of 1, 2, 3, 4, 5"),
        ("pillar", "culture", "unknown pillar 'culture'"),
        ("goal", "18", "unknown SDG goal '18'"),
        ("kpi", "nope", "unknown KPI 'nope'"),
        ("ward", "1", "unknown briefing scope 'ward'"),
    ],
)
def test_unknown_scope_says_what_exists(con, kind, value, message):
    with pytest.raises(UnknownScope, match=re.escape(message)):
        build_briefing(con, kind, value, "ja", TODAY)


def test_both_locales_have_the_same_briefing_keys():
    ja, en = ({k for k in messages(lang) if k.startswith("briefing.")} for lang in LANGS)
    assert ja == en and len(ja) > 20


# --- PDF ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_text_has_every_kpi_of_the_area_with_its_values_and_status(con, chromium, lang):
    """The PDF's own text layer, extracted, holds each KPI of area 3 with the numbers the
    database holds, formatted as the screen formats them, and the data as-of date."""
    b = build_briefing(con, "area", "3", lang, TODAY)
    data = render_pdf(b)
    pages = pdf_pages(data)
    text = flat("\n".join(pages))
    kpis = queries.kpis(con, area=3).to_dict("records")
    assert len(kpis) == 2
    for k in kpis:
        assert flat(pick(k, "name", lang)) in text
        assert flat(f"{kpi_period(k, 'baseline', lang)} {kpi_value(k, 'baseline', lang)}") in text
        assert flat(f"{kpi_period(k, 'target', lang)} {kpi_target(k, lang)}") in text
        assert flat(kpi_latest(k, lang)) in text
        assert flat(status_text(k["status"], lang)) in text
        # the raw numbers of the database, formatted independently of kawasaki.present
        scale = 1 if lang == "ja" else k["en_scale"]
        shift = len(str(scale)) - 1 if scale > 1 else 0
        for which in ("baseline", "target"):
            number = abs(k[f"{which}_value"]) * scale
            assert f"{number:,.{max(k[f'{which}_decimals'] - shift, 0)}f}" in text
    info = queries.build_info(con)
    as_of = info["data_as_of"].isoformat()
    assert flat(t("briefing.as_of", lang, date=as_of)) in text
    for n, page in enumerate(pages, start=1):  # the footer, on every page
        assert as_of in flat(page) and info["build_stamp"] in flat(page)
        assert flat(f"{n} / {len(pages)}") in flat(page)


def test_pdf_is_a4_with_its_metadata_and_one_image_per_chart(con, chromium):
    b = build_briefing(con, "goal", "13", "ja", TODAY)
    reader = PdfReader(BytesIO(render_pdf(b)))
    assert {(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages} == {(595, 842)}
    assert reader.metadata.title == f"議会説明資料: {b.title}"
    assert sum(len(p.images) for p in reader.pages) == len(b.charts)
    text = flat("\n".join(p.extract_text() for p in reader.pages))
    for line in b.attributions:
        assert flat(line) in text


@pytest.mark.parametrize("pillar,symbols", [("economy", "✔⚠"), ("society", "✖⚠")])
def test_pdf_status_symbols_come_through(con, pillar, symbols):
    """✔ and ✖ are drawn from the symbol font (Noto Sans CJK lacks them), and the text after
    them is still in the Japanese font (fpdf2's fallback quirk, see kawasaki/pdf.py)."""
    b = build_briefing(con, "pillar", pillar, "ja", TODAY)
    text = flat("\n".join(pdf_pages(render_pdf(b, png=lambda chart: tiny_png()))))
    for row in b.rows:
        assert flat(row.status) in text
    for label, meaning in b.legend:
        assert flat(f"{label}：{meaning}") in text
    assert all(symbol in text for symbol in symbols)


def test_missing_font_names_the_package(tmp_path):
    missing = FontFiles(tmp_path / "none.ttf", "fonts-ipafont-gothic")
    with pytest.raises(FontMissing, match="install Debian's fonts-ipafont-gothic package"):
        find_font([missing])


# --- PNG ------------------------------------------------------------------------------


def test_chart_png_has_the_expected_size(con, chromium):
    chart = build_briefing(con, "area", "3", "ja", TODAY).charts[0]
    data = export.chart_png(chart.figure)
    height = chart.figure.layout.height
    assert export.png_size(data) == (export.WIDTH * export.SCALE, height * export.SCALE)
    assert export.png_size(export.chart_png(chart.figure, width=600, height=300, scale=1)) == (600, 300)


def test_missing_chromium_says_run_make_system_deps(monkeypatch, tmp_path):
    monkeypatch.setattr(export, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "nothing"))
    monkeypatch.setattr(export.shutil, "which", lambda name: None)
    with pytest.raises(export.ExportError, match="run `make system-deps`"):
        export.find_chromium()


# --- command line ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_cli_writes_the_area_briefing(built_db, tmp_path, chromium, capsys, lang):
    out = tmp_path / "briefing.pdf"
    assert main(["briefing", "--area", "3", "--lang", lang, "-o", str(out), "--db", str(built_db)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    text = flat("\n".join(pdf_pages(out.read_bytes())))
    con = duckdb.connect(str(built_db), read_only=True)
    b = build_briefing(con, "area", "3", lang)
    con.close()
    for row in b.rows:
        for cell in row.cells():
            assert flat(cell) in text


@pytest.fixture
def no_kaleido(monkeypatch):
    """Charts as a tiny stand-in PNG and no export server: for CLI tests about files, not images."""
    monkeypatch.setattr(export, "chart_png", lambda figure, **kw: tiny_png())
    monkeypatch.setattr(export, "export_server", contextlib.nullcontext)


def test_cli_all_writes_one_pdf_per_area(built_db, tmp_path, no_kaleido):
    folder = tmp_path / "session"
    assert main(["briefing", "--all", "--lang", "en", "-o", str(folder), "--db", str(built_db)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        f"kawasaki-briefing-area-{n}-en.pdf" for n in range(1, 6)
    ]


@pytest.mark.parametrize(
    "args,message",
    [
        (["--area", "9"], "unknown policy area '9': choose one of 1, 2, 3, 4, 5"),
        (["--goal", "99"], "unknown SDG goal '99'"),
        (["--kpi", "no-such-kpi"], "unknown KPI 'no-such-kpi'"),
        (["--pillar", "culture"], "unknown pillar 'culture'"),
    ],
)
def test_cli_unknown_scope_fails_with_a_clear_message(built_db, tmp_path, capsys, no_kaleido, args, message):
    out = tmp_path / "b.pdf"
    assert main(["briefing", *args, "-o", str(out), "--db", str(built_db)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_cli_builds_a_missing_database(tmp_path, no_kaleido, capsys):
    db = tmp_path / "new.duckdb"
    out = tmp_path / "kpi.pdf"
    assert main(["briefing", "--kpi", "ghg-reduction", "-o", str(out), "--db", str(db)]) == 0
    assert db.exists() and out.read_bytes().startswith(b"%PDF")
    assert "is missing; building it" in capsys.readouterr().err


# --- the page (AppTest) -----------------------------------------------------------------


def test_page_without_scope_shows_the_chooser():
    at = open_page("briefing")
    assert [x.value for x in at.title] == [t("briefing.heading", "ja")]
    assert {s.key for s in at.selectbox} >= {"w_area", "w_pillar", "w_goal", "w_kpi"}
    assert not at.table and not at.get("download_button")


def test_choosing_an_area_writes_the_url_and_opens_the_briefing():
    at = open_page("briefing")
    at.selectbox(key="w_area").select(3).run()
    assert not at.exception
    assert url(at) == {"area": "3"}
    assert [x.value for x in at.title] == [md("政策分野3　市民生活を豊かにする環境づくり")]


@pytest.mark.parametrize("lang", LANGS)
def test_page_shows_the_briefing_rows_charts_and_downloads(built_db, lang):
    params = {"area": "3"} | ({"lang": lang} if lang != "ja" else {})
    at = open_page("briefing", **params)
    con = duckdb.connect(str(built_db), read_only=True)
    b = build_briefing(con, "area", "3", lang)
    con.close()
    (table,) = at.table
    # the cells are Markdown (st.table renders them so), escaped: they show the exact strings
    shown_cells = [tuple(r) for r in table.value.itertuples(index=False, name=None)]
    assert shown_cells == [tuple(md(c) for c in r.cells()) for r in b.rows]
    assert list(table.value.columns) == list(b.columns)
    # the page draws the progress bars as HTML (no Plotly); the PNG and PDF draw the figure
    (markup,) = bar_charts(at)
    assert markup == b.charts[0].html and plotly_specs(at) == []
    assert b.charts[0].figure.data[0].type == "bar"
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == [
        t("briefing.download_pdf", lang),
        t("briefing.download_png", lang, name=b.charts[0].title),
    ]
    shown = page_text(at)
    for line in (*b.meta(), b.summary, *b.attributions):
        assert md(line) in shown
    css = "\n".join(el.proto.body for el in at.get("html"))
    assert "@media print" in css and "st-key-briefing-doc" in css


def test_choose_another_briefing_clears_the_scope_but_keeps_the_language():
    at = open_page("briefing", kpi="ghg-reduction", lang="en")
    at.button(key="other").click().run()
    assert not at.exception
    assert url(at) == {"lang": "en"}
    assert [x.value for x in at.title] == [t("briefing.heading", "en")]


def test_page_with_two_scopes_uses_one_and_says_so():
    at = open_page("briefing", area="3", goal="13")
    assert url(at) == {"area": "3"}
    assert any("area=3" in info.value for info in at.info)


def test_page_with_unknown_area_falls_back_to_the_chooser():
    at = open_page("briefing", area="9")
    assert any("area=" in w.value for w in at.warning)
    assert [x.value for x in at.title] == [t("briefing.heading", "ja")]


def test_pdf_bytes_from_the_page_match_the_cli(built_db, chromium):
    """The page's PDF (briefview, cached) and the command's PDF have the same text."""
    from kawasaki.web import briefing as briefview

    con = duckdb.connect(str(built_db), read_only=True)
    b = build_briefing(con, "area", "3", "ja", TODAY)
    con.close()
    page_pdf = briefview.pdf_download(b)()
    assert flat("\n".join(pdf_pages(page_pdf))) == flat("\n".join(pdf_pages(render_pdf(b))))
