"""Problems found in the data files, reported as ``file:row: column: what is wrong``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a warning) in one cell of one data file.

    ``row`` is the row number a spreadsheet shows (the header is row 1), or the line
    number in a YAML file; 0 when the problem is with the file as a whole.
    """

    file: str
    row: int
    column: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        column = f" {self.column}:" if self.column else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}:{column} {prefix}{self.message}"


class DataError(Exception):
    """The data files have errors; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in the data files")

    def report(self) -> str:
        """All problems, one per line, errors first."""
        ordered = sorted(self.problems, key=lambda p: (p.severity != "error", p))
        return "\n".join(str(p) for p in ordered)
