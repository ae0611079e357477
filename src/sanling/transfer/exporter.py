"""Exporting a kind of record as a file that `sanling import` reads back unchanged.

Headers are in the ledger language; values are labels in that language (codes in JSON), dates
as 2026-03-05 (real dates in Excel), yes/no as 是/否 or yes/no. The columns are those of the
import, with the reference number first for the reader (import gives records new numbers:
importing in the exported order into an empty ledger gives the same numbers again).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sanling.render import cell, plain
from sanling.safetext import csv_cell, sheet_cell
from sanling.transfer.specs import FLOAT, SPECS, Col, Spec

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger

FORMATS = ("csv", "xlsx", "json")


def columns(spec: Spec) -> list[Col]:
    return list(spec.columns)


def text_value(col: Col, value: Any) -> str:
    """A cell for CSV: what a person would type in the office's spreadsheet. As render.cell
    shows it, but numbers plainly (2.50 for money, 3 not 3.0) and a list's items each so."""
    if isinstance(value, list | tuple):
        return "、".join(text_value(col, v) for v in value)
    if isinstance(value, decimal.Decimal | float):
        number = decimal.Decimal(str(value))
        return f"{number:.2f}" if col.vtype == FLOAT else format(number.normalize(), "f")
    return cell(value)


def to_csv(spec: Spec, rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    cols = columns(spec)
    w.writerow([c.heading() for c in cols])
    for r in rows:
        w.writerow([csv_cell(r.get(c.key), text_value(c, r.get(c.key))) for c in cols])
    # With a BOM Excel opens UTF-8 as UTF-8 (otherwise it guesses GBK and garbles the text).
    return out.getvalue().encode("utf-8-sig")


def to_json(spec: Spec, rows: list[dict[str, Any]]) -> bytes:
    cols = columns(spec)
    data = [{c.key: plain(r.get(c.key)) for c in cols} for r in rows]
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_xlsx(spec: Spec, rows: list[dict[str, Any]]) -> bytes:
    """Real dates and numbers, text as text (an ID number must never become 1.1e17)."""
    from openpyxl import Workbook

    cols = columns(spec)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(spec.name()[:31] or spec.kind)
    for i, c in enumerate(cols):  # widths go before the first row in a write-only sheet
        wide = c.key in ("summary", "description", "plan", "result", "measures", "route", "note")
        sheet.column_dimensions[_column_letter(i + 1)].width = 40 if wide else 14
    sheet.append([c.heading() for c in cols])
    for r in rows:
        line: list[Any] = []
        for c in cols:
            value = r.get(c.key)
            if isinstance(value, bool | StrEnum | list | tuple | dt.time):
                cell: Any = text_value(c, value)
            elif isinstance(value, decimal.Decimal):
                cell = float(value)
            elif isinstance(value, dt.date | int | float) or value is None:
                cell = value
            else:
                cell = str(value)
            line.append(sheet_cell(sheet, cell))  # text that looks like a formula stays text
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def export(lx: Ledger, kind: str, fmt: str, *, reveal: bool = False) -> tuple[bytes, int]:
    """The file's bytes and the number of records in it."""
    spec = SPECS[kind]
    rows = spec.export(lx, reveal)
    writer = {"csv": to_csv, "json": to_json, "xlsx": to_xlsx}[fmt]
    return writer(spec, rows), len(rows)


def audit_reveal(lx: Ledger, file: str) -> None:
    """An unmasked export of key persons is in the audit log: who, which records, where to."""
    from sqlalchemy import select

    from sanling.ledger import person
    from sanling.models import Person

    refs = list(lx.session.scalars(select(Person.ref).order_by(Person.id)))
    person.record_reveal(lx, refs, f"export {file}")
