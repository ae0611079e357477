"""Imported cells made safe before they are read: control characters dropped (counted for
the summary) and, in a CSV file, the `'` that `sanling export` put before formula-like text
taken off again, so export then import gives back the same text (safetext.csv_cell)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sanling.safetext import MULTILINE, clean, csv_uncell, refusal

Rows = Iterator[tuple[int, list[Any]]]


class Cleaner:
    """Cleans the rows of one file; `count` is how many characters it dropped or replaced."""

    def __init__(self, columns: list[tuple[int, Any, str]], *, from_csv: bool) -> None:
        self.use(columns)
        self.from_csv = from_csv
        self.count = 0

    def use(self, columns: list[tuple[int, Any, str]]) -> None:
        """The columns of the sheet cleaned next (a workbook's sheets may differ)."""
        from sanling.transfer import vocab

        # A combined cell (责任单位⏎责任人) keeps its line break: vocab splits it there.
        self.lines = {
            i: col.key in MULTILINE or bool(vocab.combined_parts(text)) for i, col, text in columns
        }

    def rows(self, rows: Rows) -> Rows:
        for number, cells in rows:
            yield number, [self.cell(i, value) for i, value in enumerate(cells)]

    def cell(self, index: int, value: Any) -> Any:
        if value.__class__ is not str or not value:
            return value
        if self.from_csv:
            value = csv_uncell(value.strip())
        lines = self.lines.get(index, True)
        if refusal(value, lines) is None:
            return value
        value, dropped = clean(value, lines)
        self.count += dropped
        return value
