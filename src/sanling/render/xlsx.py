"""xlsx: one sheet per table, headers in the ledger language, numbers and dates as such."""

from __future__ import annotations

import datetime as dt
import io
import re
from enum import StrEnum
from typing import Any

from sanling.i18n import header, tr
from sanling.render import Detail, Listing, Report, cell, sections_of
from sanling.safetext import sheet_cell

_BAD = re.compile(r"[\[\]:*?/\\]")


def _value(value: Any) -> Any:
    """Numbers and dates stay numbers and dates (Excel can sum them); the rest as people read it."""
    if isinstance(value, bool) or value is None or isinstance(value, StrEnum | list | tuple | dict):
        return cell(value) if not isinstance(value, dict) else str(value)
    if isinstance(value, int | float | dt.date):
        return value
    return cell(value)


def _sheet_name(title: str | None, index: int, taken: set[str]) -> str:
    base = _BAD.sub(" ", title or tr("表{n}", "table {n}", n=index)).strip()[:28] or f"{index}"
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base[:26]}~{n}"
        n += 1
    taken.add(name.lower())
    return name


def _tables(part: Listing | Detail) -> list[tuple[str | None, list[str], list[list[Any]]]]:
    if isinstance(part, Detail):
        rows = [[header(k), _value(v)] for k, v in part.fields.items()]
        out = [(part.title, [header("card_item"), header("value")], rows)]
        for section in part.sections:
            out += _tables(section)
        return out
    return [
        (
            part.title,
            [c.heading() for c in part.columns],
            [[_value(row.get(c.key)) for c in part.columns] for row in part.rows],
        )
    ]


def to_xlsx(obj: Listing | Detail | Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    taken: set[str] = set()
    index = 0
    for part in sections_of(obj):
        if isinstance(part, Listing) and part.key == "trend_chart":
            continue
        for title, headings, rows in _tables(part):
            index += 1
            ws = wb.create_sheet(_sheet_name(title, index, taken))
            ws.append(headings)
            for c in ws[1]:
                c.font = Font(bold=True)
            for row in rows:
                ws.append([sheet_cell(ws, v) for v in row])
            ws.freeze_panes = "A2"
            for i, h in enumerate(headings, start=1):
                longest = max(
                    [len(str(h)) * 2, *[len(str(r[i - 1])) for r in rows if r[i - 1] is not None]]
                )
                ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
    if not wb.worksheets:
        wb.create_sheet(tr("空", "empty"))
    out = io.BytesIO()
    wb.save(out)
    return _steady(out.getvalue())


# openpyxl stamps the file with the time it was saved (in the document's properties and in
# every zip entry): the same report would never be the same file twice (--as-recorded).
_STAMPED = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
_STAMP = (1980, 1, 1, 0, 0, 0)


def _steady(data: bytes) -> bytes:
    """The workbook with fixed times, so the same report gives the same bytes."""
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "docProps/core.xml":
                body = _STAMPED.sub(rb"\g<1>1980-01-01T00:00:00Z\g<2>", body)
            dst.writestr(zipfile.ZipInfo(item.filename, _STAMP), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()
