"""The briefing PDF with very long texts, and every way making it can fail.

- A 3,000-character source, name or note no longer crashes fpdf2 ("The row … is too
  high"): the cell is cut with "…" and the briefing says so.
- Any failure is a message: on the command line (no traceback, exit status 1), and on
  the page (no PDF button when a font or Chromium is missing; a download that fails
  later gives a one-page PDF saying so instead of a button that does nothing).
- ``briefing -o`` to a path that cannot be written gives a message.

Charts are a tiny stand-in PNG here: the failures are about text and files, not images.
"""

from __future__ import annotations

import contextlib
import re
from io import BytesIO
from pathlib import Path

import duckdb
import pytest
from pypdf import PdfReader

from kawasaki import export, pdf
from kawasaki.briefing import build_briefing
from kawasaki.build import build
from kawasaki.cli import main
from kawasaki.i18n import t
from kawasaki.pdf import FontFiles, render_pdf
from kawasaki.web import briefing as briefview
from tests.apptest_helpers import app_database, open_page  # noqa: F401 - the fixture
from tests.conftest import copy_data
from tests.helpers import read_rows, set_cell
from tests.test_briefing import tiny_png

LONG_JA = "環境局調べ（" + "長い出典の説明" * 420 + "）"  # ≈ 3,000 characters
LONG_EN = "Survey-" + "x" * 3000  # no space to break at


@pytest.fixture(scope="module")
def long_db(tmp_path_factory) -> Path:
    """A database whose ghg-reduction KPI has a 3,000-character source and name and a
    note of 60 lines."""
    d = copy_data(tmp_path_factory.mktemp("long") / "data")
    kpis = d / "kpis" / "kpis.csv"
    row = next(n for n, r in enumerate(read_rows(kpis), start=1) if r[0] == "ghg-reduction")
    set_cell(kpis, row, "source_ja", LONG_JA)
    set_cell(kpis, row, "source_en", LONG_EN)
    set_cell(kpis, row, "name_en", "Emissions " + "y" * 3000)
    set_cell(kpis, row, "note_ja", "\n".join(["注記"] * 60))
    db = d.parent / "kawasaki.duckdb"
    build(d, db)
    return db


def _text(data: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages))


@pytest.fixture
def no_kaleido(monkeypatch):
    monkeypatch.setattr(export, "chart_png", lambda figure, **kw: tiny_png())
    monkeypatch.setattr(export, "export_server", contextlib.nullcontext)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("kind,value", [("kpi", "ghg-reduction"), ("area", "3")])
def test_long_texts_are_cut_and_said(long_db, kind, value, lang):
    con = duckdb.connect(str(long_db), read_only=True)
    try:
        b = build_briefing(con, kind, value, lang)
    finally:
        con.close()
    text = _text(render_pdf(b, png=lambda chart: tiny_png()))
    assert re.sub(r"\s+", "", t("briefing.shortened", lang)) in text
    assert "…" in text
    start = (LONG_JA if lang == "ja" else LONG_EN)[:40]
    assert re.sub(r"\s+", "", start) in text, "the text is cut, not dropped"


def test_cli_long_texts_write_a_pdf(long_db, tmp_path, no_kaleido, capsys):
    out = tmp_path / "b.pdf"
    assert main(["briefing", "--kpi", "ghg-reduction", "-o", str(out), "--db", str(long_db)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_cli_pdf_failure_is_a_message(built_db, tmp_path, no_kaleido, capsys, monkeypatch):
    def fail(*args, **kwargs):
        raise ValueError("The row with index 1 is too high and cannot be rendered on a single page")

    monkeypatch.setattr(pdf, "render_pdf", fail)
    out = tmp_path / "b.pdf"
    assert main(["briefing", "--area", "3", "-o", str(out), "--db", str(built_db)]) == 1
    err = capsys.readouterr().err
    assert "error: the PDF of" in err and "could not be made (ValueError: The row" in err
    assert "Traceback" not in err and not out.exists()


@pytest.mark.parametrize("where", ["under a file", "a folder"])
def test_cli_unwritable_output_is_a_message(built_db, tmp_path, no_kaleido, capsys, where):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    out = blocker / "b.pdf" if where == "under a file" else tmp_path
    assert main(["briefing", "--area", "3", "-o", str(out), "--db", str(built_db)]) == 1
    err = capsys.readouterr().err
    assert f"error: cannot write {out} (" in err and "Traceback" not in err
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file left"


def test_page_says_when_no_pdf_can_be_made(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "JAPANESE_FONTS", (FontFiles(tmp_path / "none.ttf", "fonts-ipafont-gothic"),))
    at = open_page("briefing", "en", area="3")
    assert not at.exception
    errors = [str(e.value) for e in at.error]
    assert len(errors) == 1 and "fonts-ipafont-gothic" in errors[0], errors
    assert "Print this page" in errors[0]
    assert not [b for b in at.get("download_button") if "PDF" in str(b.proto.label)]


def test_page_download_that_fails_gives_a_pdf_saying_so(built_db, monkeypatch):
    monkeypatch.setenv("KAWASAKI_DB", str(built_db))
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        b = build_briefing(con, "area", "3", "en")
    finally:
        con.close()

    def fail(*args, **kwargs):
        raise ValueError("The row with index 1 is too high")

    monkeypatch.setattr(briefview, "render_pdf", fail)
    monkeypatch.setattr(export, "keep_server_running", lambda: None)
    data = briefview.pdf_download(b)()
    text = _text(data)
    assert data.startswith(b"%PDF")
    assert "ThePDFcouldnotbemade" in text and "ValueError:Therow" in text and "Printthispage" in text
