"""The Excel workbook for staff: ``python -m kawasaki workbook export`` writes the
editable data files as one .xlsx (instructions in Japanese, a sheet per file, headings
in Japanese over the column ids, drop-downs); ``workbook import`` checks it with the
build's checks and writes the data files only when everything passes.

See docs/updating-data.md (the staff workflow) and docs/data.md (the layout).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kawasaki.problems import DataError
from kawasaki.workbook.export import export_workbook
from kawasaki.workbook.importer import ImportResult, import_workbook

__all__ = ["ImportResult", "export_command", "export_workbook", "import_command", "import_workbook"]


def export_command(data_dir: Path, out: Path) -> int:
    """Write the workbook of ``data_dir`` to ``out`` (atomically); print where."""
    try:
        data = export_workbook(data_dir)
    except DataError as exc:
        print(exc.report())
        print("ブックを書き出せませんでした（上のファイルを直してください）。")
        return 1
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)
    print(f"書き出しました：{out}（{len(data):,} バイト）")
    print(f"編集して保存したら：python -m kawasaki workbook import {out}")
    return 0


def import_command(path: Path, data_dir: Path) -> int:
    """Check and import a workbook; print every problem at its sheet, row and column."""
    result = import_workbook(path, data_dir)
    for p in sorted(result.problems, key=lambda p: p.severity != "error"):
        print(p)
    if result.errors:
        print(
            f"エラー {len(result.errors)}件。data/ のファイルには何も書き込んでいません。直してから、もう一度取り込みます。"
        )
        return 1
    if not result.written:
        print("変更はありません（ブックの内容は data/ のファイルと同じです）。")
        return 0
    print("書き込みました：" + "、".join(result.written))
    print("次に python -m kawasaki build --dry-run で変更点を確かめ、python -m kawasaki build で公開します。")
    return 0
