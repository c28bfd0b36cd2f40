"""A briefing as a PDF (A4 portrait) with fpdf2: real text in an embedded Japanese font.

``render_pdf(briefing)`` lays out the same :class:`kawasaki.briefing.Briefing` the page
shows: title, dates and build stamp, the KPI table with the strings the screen prints,
the charts as PNG images (kawasaki.export), the status legend and the attribution lines.
Every page has a footer with the data as-of date, the build stamp and the page number.
Text is text (selectable, searchable, extractable), never an image of text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from fpdf import FPDF, FontFace

from kawasaki import export
from kawasaki.briefing import TOKYO, Briefing, Chart, KpiRow, Section
from kawasaki.i18n import t
from kawasaki.present import STATUS_STYLE


@dataclass(frozen=True)
class FontFiles:
    """A font file as installed by a Debian package."""

    path: Path
    package: str


# The text font: a TrueType font, which fpdf2 embeds as CIDFontType2 with Identity-H, the
# plainest encoding for every reader (pypdf included). Noto Sans CJK, also installed, is
# OpenType/CFF; fpdf2 embeds it with a custom CMap that pypdf misreads (poppler reads it).
# IPA fonts have no bold face: bold is drawn by stroking the outline (see _paragraph).
JAPANESE_FONTS = (
    FontFiles(Path("/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf"), "fonts-ipafont-gothic"),
    FontFiles(Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"), "fonts-ipafont-gothic"),
)
# ✔ ⚠ ✖ (status symbols) are not in IPA P Gothic; DejaVu Sans has them.
SYMBOL_FONTS = (
    FontFiles(Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), "fonts-dejavu-core"),
    FontFiles(Path("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf"), "fonts-dejavu-core"),
)

FAMILY = "jp"
SYMBOLS = "symbols"
MARGIN = 15  # mm
CONTENT_WIDTH = 210 - 2 * MARGIN  # 180 mm on A4
COLUMNS = (58, 25, 25, 30, 19, 23)  # KPI, baseline, latest, target, progress, status (mm)
TEXT = (26, 26, 26)
GREY = (90, 90, 90)
RULE = (176, 183, 191)
HEAD_FILL = (238, 241, 244)
NOTE_FILL = (245, 247, 249)
# A row of the KPI table must fit on one page (fpdf2 cannot break a row: "The row … is
# too high"). A cell longer than this is cut with "…" and the briefing says so (the
# dashboard's KPI page has the whole text): ~11 lines in the 58 mm KPI column, and ~25
# lines for the details under a KPI (a 3,000-character source used to crash the PDF).
MAX_CELL_CHARS = 200
MAX_DETAIL_CHARS = 1200
MAX_LINES = 24  # line breaks written in a cell count too


class FontMissing(RuntimeError):
    """No Japanese font file is installed; the message names the package to install."""


def find_font(candidates: Sequence[FontFiles]) -> FontFiles:
    """The first installed font of ``candidates``; FontMissing (naming the package) when none is."""
    for font in candidates:
        if font.path.is_file():
            return font
    looked = ", ".join(str(f.path) for f in candidates)
    package = candidates[0].package if candidates else "fonts-ipafont-gothic"
    raise FontMissing(
        f"a font the briefing PDF needs is missing (looked for {looked}): install Debian's "
        f"{package} package (`make system-deps` does it)."
    )


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


class _Document(FPDF):
    """A4 portrait with the briefing's footer on every page."""

    def __init__(self, briefing: Briefing) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.briefing = briefing
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=18)
        self.c_margin = 0

    # fpdf2 2.8.9 quirk: when a line uses the fallback font (✔ ✖ from DejaVu Sans), the font
    # switches are written inside that line's q…Q block, yet fpdf2 records the font as set
    # for the page; the next text would be drawn in the font set before (garbled glyphs).
    # Writing the font again before every text block avoids that.
    def cell(self, *args: Any, **kwargs: Any) -> Any:
        self.current_font_is_set_on_page = False
        return super().cell(*args, **kwargs)

    def multi_cell(self, *args: Any, **kwargs: Any) -> Any:
        self.current_font_is_set_on_page = False
        return super().multi_cell(*args, **kwargs)

    def footer(self) -> None:
        b = self.briefing
        self.set_y(-14)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(*GREY)
        self.cell(CONTENT_WIDTH - 20, 6, b.footer(), align="L")
        pages = self.str_alias_nb_pages  # '{nb}', replaced by the page count at the end
        self.cell(20, 6, t("briefing.page", b.lang, page=self.page_no(), pages=pages), align="R")


def shorten(text: str, limit: int) -> str:
    """``text``, cut to ``limit`` characters and MAX_LINES lines with "…" when it is longer.

    >>> shorten("abcdef", 4), shorten("abc", 4), shorten("a\\n" * 99, 500).count("\\n")
    ('abc…', 'abc', 23)
    """
    if text.count("\n") >= MAX_LINES:
        text = "\n".join(text.split("\n")[:MAX_LINES]).rstrip() + "…"
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _is_shortened(b: Briefing) -> bool:
    """True when some text of the KPI tables is cut in the PDF."""
    return any(
        any(shorten(text, MAX_CELL_CHARS) != text for text in r.cells())
        or shorten("\n".join(r.details), MAX_DETAIL_CHARS) != "\n".join(r.details)
        for section in b.sections
        for r in section.rows
    )


def _add_fonts(pdf: FPDF) -> None:
    pdf.add_font(FAMILY, "", str(find_font(JAPANESE_FONTS).path))
    pdf.add_font(SYMBOLS, "", str(find_font(SYMBOL_FONTS).path))
    pdf.set_fallback_fonts([SYMBOLS], exact_match=False)


def render_pdf(briefing: Briefing, png: Callable[[Chart], bytes] | None = None) -> bytes:
    """The briefing as PDF bytes. ``png`` turns a chart into PNG bytes (default: kaleido)."""
    png = png or (lambda chart: export.chart_png(chart.figure))
    b = briefing
    pdf = _Document(b)
    _add_fonts(pdf)
    pdf.set_title(f"{b.document}: {b.title}")
    pdf.set_subject(b.subtitle)
    pdf.set_author(t("app.title", b.lang))
    pdf.set_creator("kawasaki-sdgs-dashboard")
    pdf.set_lang(b.lang)
    pdf.set_creation_date(dt.datetime.combine(b.generated, dt.time(), tzinfo=TOKYO))
    pdf.add_page()
    _title(pdf, b, [*b.notes, t("briefing.shortened", b.lang)] if _is_shortened(b) else list(b.notes))
    if b.since:
        _heading(pdf, b.changes_heading(), keep=10)
        for line in b.changes_lines():
            _paragraph(pdf, line, size=8.5, h=4.8)
    for section in b.sections:
        _section(pdf, section, b, png)
    if b.target_texts:
        _heading(pdf, t("briefing.target_texts", b.lang), keep=20)
        for line in b.target_texts:
            _paragraph(pdf, line, size=8.5)
    _closing(pdf, b)
    return bytes(pdf.output())


def _paragraph(
    pdf: FPDF, text: str, *, size: float = 9.5, bold: bool = False, colour=TEXT, h: float | None = None
) -> None:
    """A left-aligned paragraph; ``bold`` strokes the glyph outlines (the font has no bold face)."""
    pdf.set_font(FAMILY, "", size)
    with pdf.local_context(
        text_color=colour,
        draw_color=colour,
        text_mode="FILL_STROKE" if bold else "FILL",
        # fpdf2 2.8.9 writes a text stroke width as points, not converted from mm
        # (fpdf.py: f"{text_mode} Tr {line_width:.2f} w"): 0.5 pt at 17 pt, 0.3 pt at 10 pt.
        line_width=size * 0.03,
    ):
        pdf.multi_cell(0, h or size * 0.53, text, align="L", new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: FPDF, text: str, *, keep: float = 30, size: float = 12.5) -> None:
    """A section heading, moved to the next page with what follows when ``keep`` mm don't fit."""
    if pdf.get_y() + 11 + keep > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(3)
    _paragraph(pdf, text, size=size, bold=True, h=7)
    pdf.ln(1)


def _title(pdf: FPDF, b: Briefing, notes: Sequence[str]) -> None:
    _paragraph(
        pdf,
        t("app.title", b.lang) + t("word.bar_separator", b.lang) + b.document,
        size=8,
        colour=GREY,
    )
    pdf.ln(1)
    _paragraph(pdf, b.title, size=17, bold=True, h=8.5)
    _paragraph(pdf, b.subtitle, size=10, colour=GREY, h=6)
    pdf.ln(1)
    _paragraph(pdf, t("word.gap_separator", b.lang).join(b.meta()), size=8.5, h=5)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(5)
    for n, text in enumerate(b.intro):
        _paragraph(pdf, text, size=9.5, bold=n == 0 and b.scope.kind == "area", h=5.2)
        pdf.ln(0.8)
    pdf.ln(1.5)
    _paragraph(pdf, b.summary, size=10, bold=True, h=5.5)
    pdf.ln(1)
    pdf.set_fill_color(*NOTE_FILL)
    for note in notes:
        pdf.set_font(FAMILY, "", 8.5)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(0, 4.6, note, align="L", new_x="LMARGIN", new_y="NEXT", fill=True, padding=(1, 2))


def _section(pdf: FPDF, section: Section, b: Briefing, png: Callable[[Chart], bytes]) -> None:
    image = png(section.chart) if section.chart else None
    height = 0.0
    if image:
        w_px, h_px = export.png_size(image)
        height = min(CONTENT_WIDTH * h_px / w_px, pdf.eph - 30)
    _heading(pdf, section.heading, keep=max(height, 25))
    if section.note:
        _paragraph(pdf, section.note, size=8.5, colour=GREY, h=4.6)
        pdf.ln(1)
    if image and section.chart:
        _paragraph(pdf, section.chart.title, size=9, bold=True, colour=GREY, h=5)
        width = height * w_px / h_px
        pdf.image(
            BytesIO(image),
            x=pdf.l_margin,
            w=width,
            h=height,
            alt_text=section.chart.alt,
            title=section.chart.title,
        )
        pdf.ln(3)
    if section.rows:
        _table(pdf, section.rows, b)


def _table(pdf: FPDF, rows: Sequence[KpiRow], b: Briefing) -> None:
    pdf.set_font(FAMILY, "", 8.5)
    pdf.set_text_color(*TEXT)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    heading = FontFace(emphasis="", fill_color=HEAD_FILL, size_pt=8.5, color=TEXT)
    detail = FontFace(size_pt=7.2, color=GREY, fill_color=NOTE_FILL)
    with pdf.table(
        width=CONTENT_WIDTH,
        col_widths=COLUMNS,
        text_align="LEFT",
        v_align="TOP",
        headings_style=heading,
        borders_layout="HORIZONTAL_LINES",
        line_height=4.4,
        padding=(1.2, 1.2),
        repeat_headings=1,
    ) as table:
        table.row(b.columns)
        for r in rows:
            row = table.row()
            colour = _hex_rgb(STATUS_STYLE[r.status_key][0])
            *values, status = r.cells()
            for text in values:
                row.cell(shorten(text, MAX_CELL_CHARS))
            # The status cell spans the KPI's row and its detail row, which keeps the two
            # on one page (fpdf2 never breaks a page inside a row span).
            status_style = FontFace(color=colour)
            row.cell(shorten(status, MAX_CELL_CHARS), style=status_style, rowspan=2 if r.details else 1)
            if r.details:
                details = shorten("\n".join(r.details), MAX_DETAIL_CHARS)
                table.row().cell(details, colspan=len(COLUMNS) - 1, style=detail)


def _closing(pdf: FPDF, b: Briefing) -> None:
    if b.legend:
        _heading(pdf, t("briefing.legend", b.lang), keep=5 * len(b.legend), size=11)
        for label, meaning in b.legend:
            _paragraph(pdf, t("word.label_value", b.lang, label=label, value=meaning), size=8.5, h=4.8)
    _heading(pdf, t("briefing.sources", b.lang), keep=5 * len(b.attributions), size=11)
    for line in b.attributions:
        _paragraph(pdf, line, size=8.5, h=4.8)


def pdf_problem() -> str | None:
    """Why no briefing PDF can be made on this machine (a font or Chromium is missing), or None."""
    try:
        find_font(JAPANESE_FONTS)
        find_font(SYMBOL_FONTS)
        export.find_chromium()
    except (FontMissing, export.ExportError) as exc:
        return str(exc)
    return None


def message_pdf(text: str) -> bytes:
    """A one-page PDF that says ``text`` (what a download gets when the briefing's PDF failed)."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_page()
    try:
        pdf.add_font(FAMILY, "", str(find_font(JAPANESE_FONTS).path))
        pdf.set_font(FAMILY, "", 11)
    except FontMissing:  # the core font has no Japanese: keep what it can draw
        pdf.set_font("helvetica", "", 11)
        text = text.encode("latin-1", "replace").decode("latin-1")
    pdf.multi_cell(0, 6, text, align="L")
    return bytes(pdf.output())
