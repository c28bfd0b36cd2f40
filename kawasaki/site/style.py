"""The style sheet of the pre-rendered content: the app's font, colours, sizes and widths
(measured on the served app, Streamlit 1.67, light theme), so that the switch to the
live app is calm. Every rule is scoped to ``.kd``: the sheet stays in the head after
React has replaced the content and must not touch Streamlit's own elements.
"""

from __future__ import annotations

import re

TEXT = "#2F2D2B"  # Streamlit 1.67's text colour (light theme)
CAPTION = "#6B6965"  # kawasaki.web.frame.CAPTION_COLOUR: 5.5:1 on white
LINK = "#00698C"  # the theme's primary colour (.streamlit/config.toml): 5.8:1 on white
RULE = "#E3E2DE"
TINT = "rgba(187,187,165,0.25)"  # the top navigation's current page
NOTE_BACKGROUND, NOTE_TEXT = "#E8F1F8", "#0B3D66"  # like st.info; 10:1

_FONT_FILE = re.compile(r'href="(\./static/media/SourceSans[^"]*Upright[^"]*\.woff2)"')


def font_url(shell_text: str) -> str | None:
    """The Source Sans file Streamlit's index.html preloads (its name is hashed per release)."""
    found = _FONT_FILE.search(shell_text)
    return found.group(1) if found else None


def style_sheet(font: str | None) -> str:
    """The CSS: Streamlit's page layout (top bar 60 px; content padded 128 px 80 px, 16 px
    sides below 864 px, 96 px on top below 768 px), headings 44/36/28 px, text 16 px."""
    face = (
        f'@font-face{{font-family:"kd-sans";src:url({font}) format("woff2");'
        "font-weight:200 900;font-display:swap}"
        if font
        else ""
    )
    return face + "".join(
        (
            "body{margin:0}",  # as Streamlit's own global style (not loaded without JavaScript)
            # The one rule for Streamlit's own page: the h1's hover link (#id) takes 12 px at
            # the end of its last line even when invisible, so the live heading drew larger
            # than the pre-rendered one and a phone's browser took it for a new largest paint
            # (Lighthouse's LCP went from ~1 s to ~9 s on /, /matrix, /explore). Here in the
            # head it applies before the live heading's first paint; the page's URL is its link.
            'h1 [data-testid="stHeaderActionElements"]{display:none}',
            # Lines 1.75 apart (Streamlit's are 1.6): a paragraph of two or more lines is then
            # at least 2 px taller than the live one that replaces it, whatever pixel snapping
            # does; 1 px taller, the live paragraph was taken for a new largest paint seconds
            # after the view was on screen (Lighthouse's desktop LCP 2.2–2.5 s instead of 0.4 s
            # on /progress and /briefing). 1.75 is also the spacing Japanese text reads best at.
            f'.kd{{font-family:"kd-sans","Source Sans",sans-serif;color:{TEXT};background:#fff;'
            "font-size:16px;line-height:1.75;-webkit-text-size-adjust:100%}",
            ".kd *{box-sizing:border-box}",
            f".kd a{{color:{LINK}}}",
            f".kd a:focus-visible,.kd [tabindex]:focus-visible{{outline:2px solid {LINK};outline-offset:1px}}",
            ".kd-skip{position:absolute;left:-10000px;top:0}",
            ".kd-skip:focus{left:16px;top:8px;z-index:3;background:#fff;padding:4px 8px}",
            ".kd-top{position:fixed;top:0;left:0;right:0;height:60px;z-index:2;background:#fff;"
            "display:flex;align-items:center;padding:0 16px;font-size:14px;overflow-x:auto}",
            ".kd .kd-top nav,.kd .kd-top ul{margin:0;padding:0}",
            ".kd-top ul{display:flex;gap:4px;list-style:none;white-space:nowrap}",
            f".kd-top a{{display:block;color:{TEXT};text-decoration:none;line-height:28px;padding:0 8px;"
            "border-radius:8px}",
            f".kd-top a[aria-current]{{background:{TINT};font-weight:600}}",
            # room for the icon the live navigation shows before each label
            '.kd-top a::before{content:"";display:inline-block;width:16px;margin-right:8px}',
            ".kd-main{padding:128px 80px 160px}",
            "@media (max-width:863px){.kd-main{padding:128px 16px 160px}}",
            "@media (max-width:767px){.kd-main{padding:96px 16px 160px}}",
            # the frame's header row: st.columns([6, 2, 2]) with a 16 px gap
            ".kd-frame{display:grid;grid-template-columns:6fr 2fr 2fr;gap:16px;align-items:center}",
            "@media (max-width:639px){.kd-frame{grid-template-columns:1fr}}",
            ".kd .kd-frame p,.kd .kd-frame details{margin:0}",
            f".kd-glossary summary{{cursor:pointer;text-align:center;border:1px solid {RULE};border-radius:8px;"
            "padding:6px 12px}",
            f".kd-glossary[open]{{border:1px solid {RULE};border-radius:8px;padding:0 12px 12px}}",
            ".kd-glossary[open] summary{border:0}",
            # a closed st.expander: its label in a box, the content below when opened
            f".kd-details{{border:1px solid {RULE};border-radius:8px;padding:0 16px;margin:0 0 16px}}",
            ".kd-details summary{cursor:pointer;padding:12px 0}",
            f".kd-langs span,.kd-langs a{{display:inline-block;padding:5px 12px;border:1px solid {RULE};"
            f"font-size:14px;color:{TEXT};text-decoration:none}}",
            ".kd-langs span{background:#EAF3F6;font-weight:600}",
            ".kd h1,.kd h2,.kd h3{margin:0;font-weight:600;line-height:1.2}",
            # 44.5 px, not the live 44 px: a browser snaps each paint to whole pixels, and the
            # live heading could come out 1 px taller than the same pre-rendered one and be
            # taken for a new largest paint (LCP ~9 s instead of ~1 s); 1% larger, it never is
            ".kd h1{font-size:44.5px;font-weight:700;padding:20px 0 16px;margin-top:28px}",
            ".kd h2{font-size:36px;padding:16px 0;margin-top:8px}",
            ".kd h3{font-size:28px;padding:12px 0 16px}",
            ".kd p,.kd ul,.kd ol,.kd dl,.kd blockquote,.kd-table,.kd-columns,.kd-note,.kd-card,.kd nav"
            "{margin:0 0 16px}",
            ".kd ul{padding-left:24px}",
            f".kd-caption{{font-size:14px;color:{CAPTION}}}",
            ".kd-frame+.kd-caption{margin:20px 0 0}",
            ".kd-caption a{color:inherit}",
            ".kd-strong{font-weight:600}",
            f".kd-note{{background:{NOTE_BACKGROUND};color:{NOTE_TEXT};padding:16px;border-radius:8px}}",
            f".kd blockquote{{border-left:4px solid {RULE};padding-left:16px;margin-left:0}}",
            ".kd-columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:16px}",
            f".kd-card{{border:1px solid {RULE};border-radius:8px;padding:16px}}",
            ".kd-kpis{list-style:none;padding:0!important}",
            ".kd-kpi{margin:0 0 16px}",
            ".kd-kpi-name,.kd-line,.kd-more{display:block}",
            f".kd-badge{{display:inline-block;font-size:14px;padding:0 6px;border-radius:4px;"
            f"background:#F0F0EC;color:{TEXT}}}",
            # st.columns(3) of st.metric, stacked on a phone as Streamlit stacks columns
            ".kd-metrics{display:grid;grid-template-columns:repeat(3,1fr);gap:16px}",
            "@media (max-width:639px){.kd-metrics{grid-template-columns:1fr}}",
            f".kd-metrics dt{{font-size:14px;color:{TEXT}}}",
            ".kd-metrics dd{margin:0;font-size:32px;line-height:1.3}",
            ".kd-metrics dd.kd-caption{font-size:14px;line-height:1.5;margin-top:4px}",
            ".kd-table{overflow-x:auto;max-width:100%}",
            # code examples (the API on /about) wrap on a phone instead of widening the page
            ".kd pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#F7F7F5;padding:12px;"
            "border-radius:8px;font-size:14px}",
            # a GET form of selects, laid out like the app's pickers (label over a 40 px box)
            ".kd-form{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-end;margin:0 0 16px}",
            ".kd-field{display:flex;flex-direction:column;flex:1 1 240px;font-size:14px;min-width:0}",
            f".kd-field select{{height:40px;margin-top:4px;font:inherit;font-size:14px;color:{TEXT};"
            f"background:#F7F7F5;border:1px solid {RULE};border-radius:8px;padding:0 8px;max-width:100%}}",
            f".kd-form button{{height:40px;font:inherit;font-size:14px;color:{TEXT};background:#fff;"
            f"border:1px solid {RULE};border-radius:8px;padding:0 16px}}",
            # st.columns([2, 3], gap="medium"): the map's column and the table's
            ".kd-split{display:grid;grid-template-columns:2fr 3fr;gap:16px}",
            "@media (max-width:639px){.kd-split{grid-template-columns:1fr}}",
            ".kd-split>*{min-width:0}",
            f".kd table{{border-collapse:collapse;font-size:14px;min-width:100%;border:1px solid {RULE}}}",
            f".kd th,.kd td{{border-bottom:1px solid {RULE};padding:4px 8px;text-align:left;vertical-align:top}}",
            ".kd thead th{font-weight:600;background:#F7F7F5}",
            ".kd tbody th{font-weight:400}",
        )
    )
