"""Tables as files people open in a spreadsheet: CSV with a BOM, and Excel workbooks."""

from __future__ import annotations

from io import BytesIO

import pandas as pd


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV with a BOM, so that Excel opens Japanese text correctly."""
    return df.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """An Excel workbook of one sheet (Japanese text intact)."""
    buf = BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        df.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buf.getvalue()
