"""Data over time: a year's round trip through the workbook, releases, the What changed
page, preview and rollback. Every test works on a copy of data/ in a temp dir."""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import shutil
from io import BytesIO

import duckdb
import openpyxl
import pytest
from pypdf import PdfReader

from kawasaki.briefing import build_briefing
from kawasaki.cli import main
from kawasaki.i18n import t
from kawasaki.pdf import render_pdf
from kawasaki.present import md
from kawasaki.publish import publish, rollback
from kawasaki.releases import ReleaseError, load_releases, releases_since
from kawasaki.state import parse_params
from tests.apptest_helpers import app_database, open_page, page_text  # noqa: F401
from tests.conftest import DATA, ROOT
from tests.helpers import append_row
from tests.test_site import BASE, site_of

# The year's new values of the round trip (made up for the test; data/ is never touched).
GHG = {
    "kpi_id": "ghg-reduction",
    "period": 2026,
    "value": "▲43.0",
    "source_ja": "環境局調べ",
    "source_en": "Survey",
}
PLASTIC = {
    "kpi_id": "plastic-sorting",
    "period": 2026,
    "value": "38",
    "source_ja": "環境局調べ",
    "source_en": "Survey",
}
WARD = {
    "ward_code": "14132",
    "indicator_id": "kayoi_no_ba",
    "reference_date": "2026-03-31",
    "value": "120",
    "unit": "places",
    "source_title": "テスト用の資料",
    "source_type": "official",
}


def kpi_name(kpi_id: str, lang: str) -> str:
    """A KPI's name as data/kpis/kpis.csv holds it."""
    with open(DATA / "kpis/kpis.csv", encoding="utf-8", newline="") as f:
        return next(r[f"name_{lang}"] for r in csv.DictReader(f) if r["kpi_id"] == kpi_id)


PLASTIC_JA, GHG_JA = kpi_name("plastic-sorting", "ja"), kpi_name("ghg-reduction", "ja")
PLASTIC_EN, GHG_EN = kpi_name("plastic-sorting", "en"), kpi_name("ghg-reduction", "en")
EXPECTED_JA = [
    f"「{PLASTIC_JA}」2026年度の実績値を追加：38%（状況：実績値なし → 遅れ）",
    f"「{GHG_JA}」2026年度の実績値を追加：▲43.0%（状況：実績値なし → 順調）",
    "区別の値「通いの場の数」幸区（2026-03-31）を追加：120か所",
]
EXPECTED_EN = [
    f"“{PLASTIC_EN}”: actual value for FY2026 added: 38% (status: No actual value yet → Behind)",
    f"“{GHG_EN}”: actual value for FY2026 added: −43.0% (status: No actual value yet → On track)",
    "Ward value “Neighbourhood gathering places (kayoi-no-ba)”, Saiwai-ku (2026-03-31) added: 120 places",
]


def add_row(ws, values: dict) -> int:
    """Type a row below the last one of a sheet, by column id (row 2); return its row number."""
    ids = [c.value for c in ws[2]]
    row = ws.max_row + 1
    for n, name in enumerate(ids, start=1):
        if name in values:
            ws.cell(row, n, values[name])
    return row


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def fresh_data(data_copy):
    """A copy of data/ without a release history yet (the repository's own is left out)."""
    shutil.rmtree(data_copy / "releases", ignore_errors=True)
    return data_copy


def listed(output: str) -> list[str]:
    """The change lines of a command's output ('- …')."""
    return [line.strip()[2:] for line in output.splitlines() if line.strip().startswith("- ")]


def test_a_years_round_trip(fresh_data, tmp_path, capsys, monkeypatch):
    """Export the workbook, add a FY2026 actual for two KPIs and a ward value, import,
    see exactly those three changes, publish, read them back, roll back byte for byte."""
    repo_releases = (
        sorted(p.name for p in (DATA / "releases").glob("*")) if (DATA / "releases").exists() else []
    )
    db, d = fresh_data / "kawasaki.duckdb", str(fresh_data)
    assert run(capsys, "build", "--data", d)[0] == 0  # the first publication
    before = db.read_bytes()

    book = tmp_path / "kawasaki-data.xlsx"
    assert run(capsys, "workbook", "export", "-o", str(book), "--data", d)[0] == 0
    wb = openpyxl.load_workbook(book)
    add_row(wb["実績値"], GHG)
    add_row(wb["実績値"], PLASTIC)
    add_row(wb["区別の値"], WARD)
    wb.save(book)
    code, out = run(capsys, "workbook", "import", str(book), "--data", d)
    assert code == 0 and "書き込みました：kpis/actuals.csv、wards/values.csv" in out, out

    releases = sorted((fresh_data / "releases").iterdir())
    code, out = run(capsys, "build", "--dry-run", "--data", d)
    assert code == 0 and listed(out) == EXPECTED_JA, out
    assert db.read_bytes() == before and sorted((fresh_data / "releases").iterdir()) == releases

    code, out = run(capsys, "build", "--data", d)
    assert code == 0 and listed(out) == EXPECTED_JA, out
    code, out = run(capsys, "changes", "--data", d, "--lang", "en")
    assert code == 0 and listed(out) == EXPECTED_EN, out

    monkeypatch.setenv("KAWASAKI_DB", str(db))
    text = page_text(open_page("changes"))
    assert "\n".join(f"- {md(line)}" for line in EXPECTED_JA) in text
    detail = page_text(open_page("progress", kpi="ghg-reduction"))
    assert ":material/trending_up: 順調]" in detail and f"{md(EXPECTED_JA[1])}" in detail
    detail = page_text(open_page("progress", "en", kpi="plastic-sorting"))
    assert ":material/warning: Behind]" in detail and f"{md(EXPECTED_EN[0])}" in detail
    site = site_of(db)
    document = site.render(site.key("/progress", {"kpi": "ghg-reduction"}, BASE))
    assert html.escape(EXPECTED_JA[1]) in document.body.decode("utf-8")  # its pre-render lists it too
    con = duckdb.connect(str(db), read_only=True)
    try:
        b = build_briefing(con, "area", "3", "ja", dt.date(2026, 12, 1), since="2000-01-01")
    finally:
        con.close()
    assert [line.split(" ", 1)[1] for line in b.changes] == [EXPECTED_JA[1]]  # area 3: the GHG KPI
    pdf = render_pdf(b, png=lambda chart: (ROOT / "kawasaki/static/favicon.png").read_bytes())
    pdf_text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "2000-01-01 以降の変更" in pdf_text and "2026年度の実績値を追加" in pdf_text

    code, out = run(capsys, "rollback", "--data", d)
    assert code == 0 and db.read_bytes() == before, out
    kinds = [r.kind for r in load_releases(fresh_data, [])]
    assert kinds == ["initial", "build", "rollback"]
    assert listed(out) == [
        f"「{PLASTIC_JA}」2026年度の実績値を削除（38%）（状況：遅れ → 実績値なし）",
        f"「{GHG_JA}」2026年度の実績値を削除（▲43.0%）（状況：順調 → 実績値なし）",
        "区別の値「通いの場の数」幸区（2026-03-31）を削除（120か所）",
    ]
    now = sorted(p.name for p in (DATA / "releases").glob("*")) if (DATA / "releases").exists() else []
    assert now == repo_releases, "the tests wrote into the repository's data/releases/"


def test_history_survives_a_rebuild_from_scratch(fresh_data, tmp_path):
    """A rebuild with no change records nothing; a fresh clone (no database) rebuilds the
    history from the files; an old database no longer kept is not restored."""
    db = tmp_path / "out" / "kawasaki.duckdb"
    _, first = publish(fresh_data, db)
    assert first is not None and first.kind == "initial"
    assert publish(fresh_data, db)[1] is None
    append_row(fresh_data / "kpis/actuals.csv", {k: str(v) for k, v in GHG.items()})
    _, second = publish(fresh_data, db)
    assert second is not None and [c.kind for c in second.changes] == ["kpi_value"]
    path = fresh_data / "releases" / f"{second.release_id}.json"
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    assert set(json.loads(text)) >= {
        "release_id",
        "released_at",
        "title_ja",
        "title_en",
        "summary_ja",
        "summary_en",
    }

    shutil.rmtree(db.parent)  # a fresh clone: no database, nothing kept
    c, third = publish(fresh_data, db)
    assert third is None and c.recorded == second
    con = duckdb.connect(str(db), read_only=True)
    try:
        ids = [r[0] for r in con.execute("SELECT release_id FROM releases ORDER BY released_at").fetchall()]
    finally:
        con.close()
    assert ids == [first.release_id, second.release_id]
    with pytest.raises(ReleaseError) as info:
        rollback(fresh_data, db)
    assert info.value.key == "changes.rollback_not_kept"

    history = load_releases(fresh_data, [])
    assert releases_since(history, None) == [second]
    assert releases_since(history, first.stamp) == [second]
    assert releases_since(history, "2100-01-01") == []
    with pytest.raises(ReleaseError):
        releases_since(history, "2026-02-30")


def test_preview_serves_the_candidate_with_its_banner_and_changes(fresh_data, capsys, monkeypatch):
    """``preview`` serves data/ as it is now through kawasaki.web.server.serve on its own
    port, read-only, with the banner on every page; the published database is untouched."""
    db = fresh_data / "kawasaki.duckdb"
    publish(fresh_data, db)
    published = db.read_bytes()
    append_row(fresh_data / "kpis/actuals.csv", {k: str(v) for k, v in GHG.items()})
    monkeypatch.setenv("KAWASAKI_PREVIEW", "0")  # restored after the test, as KAWASAKI_DB is
    seen = {}

    def serve(extra):
        seen["args"] = extra
        seen["home"] = page_text(open_page("home", "en"))
        seen["changes"] = page_text(open_page("changes"))
        return 0

    monkeypatch.setattr("kawasaki.web.server.serve", serve)
    code, out = run(capsys, "preview", "--data", str(fresh_data), "--port", "8599")
    assert code == 0 and seen["args"] == ["--server.port", "8599"], out
    assert "プレビュー（未公開）" in seen["home"]
    assert t("changes.preview_pending", "ja") in seen["changes"]
    assert md(EXPECTED_JA[1]) in seen["changes"]
    assert db.read_bytes() == published and len(load_releases(fresh_data, [])) == 1


def test_the_header_links_the_data_date_to_what_changed():
    at = open_page("home", "en")
    assert any('(<a href="./changes?lang=en" target="_self">What changed</a>)' in c.value for c in at.caption)


@pytest.mark.parametrize(
    "value,since,notice",
    [
        ("2026-04-01", "2026-04-01", None),
        ("2026-02-30", None, "unknown"),
        ("2026-4-1", None, "unknown"),
        ("<b>", None, "unknown"),
    ],
)
def test_since_in_the_url(value, since, notice):
    state = parse_params({"since": value}, {})
    assert state.since == since
    assert [n.reason for n in state.notices] == ([notice] if notice else [])
    if since:
        assert state.to_params() == {"since": since}
