"""Download buttons: a table as CSV and Excel, made only when a button is clicked."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from kawasaki.i18n import t
from kawasaki.spreadsheet import csv_bytes, xlsx_bytes


def downloads(df: pd.DataFrame | Callable[[], pd.DataFrame], stem: str, lang: str, key: str) -> None:
    """CSV and Excel download buttons for one table (a DataFrame, or a function making it).

    The files are made only when a button is clicked (a callable as ``data``): making
    an Excel file costs ~10 ms, and a page with five tables paid that on every rerun.
    """
    table = df if callable(df) else (lambda: df)
    # one row of two buttons: a horizontal container is one block, two columns are three
    row = st.container(horizontal=True)
    row.download_button(
        t("word.download_csv", lang),
        lambda: csv_bytes(table()),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"csv_{key}",
        icon=":material/download:",
        on_click="ignore",
    )
    row.download_button(
        t("word.download_xlsx", lang),
        lambda: xlsx_bytes(table(), stem),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{key}",
        icon=":material/download:",
        on_click="ignore",
    )
