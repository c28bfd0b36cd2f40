"""Lists of KPIs (and other rows of text) as real text in the page: ``st.table``, not the
canvas data grid of ``st.dataframe``, so that find-in-page (ページ内検索), copying and
screen readers reach every name and value.

    text_table(kpi_table(kpis, lang))     # any DataFrame or {column: values} of texts

st.table renders its cells as Markdown, so every cell is escaped (kawasaki.present.md).
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import streamlit as st

from kawasaki.present import md


def escaped(data: Any) -> pd.DataFrame:
    """``data`` (a DataFrame or {column: values}) with every cell as escaped Markdown text;
    a missing value stays visible as "—"."""
    frame = pd.DataFrame(data)
    return frame.map(lambda v: "—" if v is None or (isinstance(v, float) and v != v) else md(v))


def text_table(data: Any) -> None:
    """``data`` as an st.table without the index, every cell escaped."""
    st.table(escaped(data), hide_index=True)


# Plain text as it is typed (monospace, wrapped): not st.code, whose highlighter is a
# 400 KB (brotli) chunk of its own and whose colours fail WCAG contrast.
PRE_STYLE = (
    "white-space:pre-wrap;overflow-wrap:anywhere;margin:0 0 1rem;padding:12px 16px;"
    "background:#F7F7F5;border-radius:8px;font-size:14px;line-height:1.5;color:#1A1A1A"
)


def preformatted(text: str) -> None:
    """``text`` (escaped) as preformatted, wrapped plain text that one can select and copy."""
    st.html(f'<pre style="{PRE_STYLE}">{html.escape(text)}</pre>')
