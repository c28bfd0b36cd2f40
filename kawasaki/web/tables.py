"""Lists of KPIs (and other rows of text) as real text in the page: ``st.table``, not the
canvas data grid of ``st.dataframe``, so that find-in-page (ページ内検索), copying and
screen readers reach every name and value.

    text_table(kpi_table(kpis, lang))     # any DataFrame or {column: values} of texts

st.table renders its cells as Markdown, so every cell is escaped (kawasaki.present.md).
"""

from __future__ import annotations

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
