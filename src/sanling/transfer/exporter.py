"""Exporting a kind of record as a file that `sanling import` reads back unchanged.

Headers are in the ledger language; values are labels in that language (codes in JSON), dates
as 2026-03-05 (real dates in Excel), yes/no as 是/否 or yes/no. The columns are those of the
import, with the reference number first for the reader (import gives records new numbers:
importing in the exported order into an empty ledger gives the same numbers again).

The records' history (progress notes, visits, grade history: transfer/history.py) goes with
them: a second sheet in .xlsx, a `history` list beside `rows` in JSON; CSV holds the records
only. `--layout ledger` writes the office's printed 台账 instead (transfer/layout.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sanling.render import cell, plain
from sanling.safetext import csv_cell, sheet_cell
from sanling.transfer import history
from sanling.transfer.specs import FLOAT, SPECS, Col, Spec

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger

FORMATS = ("csv", "xlsx", "json")
LAYOUTS = ("plain", "ledger")
History = tuple[list[Col], list[dict[str, Any]]] | None  # its columns and entries


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


def to_json(spec: Spec, rows: list[dict[str, Any]], past: History = None) -> bytes:
    """A list of records; with its history, {"rows": [...], "history": [...]}."""
    cols = columns(spec)
    data: Any = [{c.key: plain(r.get(c.key)) for c in cols} for r in rows]
    if past is not None:
        fields, entries = past
        data = {
            "rows": data,
            history.JSON_KEY: [{c.key: plain(e.get(c.key)) for c in fields} for e in entries],
        }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def xlsx_value(col: Col, value: Any) -> Any:
    """A cell's value for Excel: real dates and numbers, text as text (an ID number must never
    become 1.1e17), never a formula."""
    if isinstance(value, bool | StrEnum | list | tuple | dt.time):
        return text_value(col, value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.date | int | float) or value is None:
        return value
    return str(value)


def to_xlsx(spec: Spec, rows: list[dict[str, Any]], past: History = None) -> bytes:
    """The records' sheet first; with their history, a second sheet 历史记录 (history)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    tables = [(spec.name()[:31] or spec.kind, columns(spec), rows)]
    if past is not None:
        tables.append((history.sheet_name(), *past))
    for name, cols, lines in tables:
        sheet = book.create_sheet(name)
        for i, c in enumerate(cols):  # widths go before the first row in a write-only sheet
            wide = c.key in (
                *("summary", "description", "plan", "result", "measures", "route", "note"),
                *("text", "reason"),
            )
            sheet.column_dimensions[_column_letter(i + 1)].width = 40 if wide else 14
        sheet.append([c.heading() for c in cols])
        for r in lines:
            sheet.append([sheet_cell(sheet, xlsx_value(c, r.get(c.key))) for c in cols])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Exported:
    data: bytes
    count: int  # records
    history: int  # entries of their history (in the file unless it is CSV)


def export(
    lx: Ledger, kind: str, fmt: str, *, reveal: bool = False, layout: str = "plain"
) -> Exported:
    """The file's bytes, with how many records and history entries it has."""
    spec = SPECS[kind]
    rows = spec.export(lx, reveal)
    if layout == "ledger":
        from sanling.transfer.layout import to_ledger

        # The 台账 to file and print holds the records in force: a voided one is not filed.
        rows = [r for r in rows if not r.get("voided")]
        return Exported(to_ledger(lx, spec, rows), len(rows), 0)
    past: History = None
    if kind in history.PARTS:
        past = (history.columns(spec), history.entries(lx, spec, rows))
    if fmt == "csv":
        return Exported(to_csv(spec, rows), len(rows), len(past[1]) if past else 0)
    writer = to_json if fmt == "json" else to_xlsx
    return Exported(writer(spec, rows, past), len(rows), len(past[1]) if past else 0)


def personal(kind: str) -> bool:
    """Whether records of `kind` hold personal data (fields.py `mask`): --reveal shows them."""
    from sanling.fields import MASKED, TABLE_OF

    return TABLE_OF[kind] in MASKED


def audit_reveal(lx: Ledger, kind: str, file: str) -> None:
    """An unmasked export of personal data (key persons, backlog petitioners ...) is in the
    audit log: who, which records (voided ones too: they are in the file), where to."""
    from sqlalchemy import or_, select

    from sanling.fields import MASKED

    spec = SPECS[kind]
    table = spec.table()
    # the records whose personal data the file holds: a petition with no petitioner reveals none
    held = or_(*(getattr(table, key).is_not(None) for key in MASKED[table.__tablename__]))
    with lx.including_voided():
        refs = list(lx.session.scalars(select(table.ref).where(held).order_by(table.id)))
    lx.revealed(spec.noun, refs, f"export {file}")
