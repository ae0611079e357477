"""Reading a spreadsheet into rows of cells, each with the row number the spreadsheet shows.

.xlsx (and .xls/.xlsm/.ods) through python-calamine, which reads far faster than openpyxl;
.csv in UTF-8 (with or without BOM) or GB18030, the two encodings Chinese offices produce;
.json as a list of objects (what `sanling export --format json` writes).

What is read is bounded (docs/import-export.md, "Limits"): at most MAX_ROWS rows and
MAX_COLUMNS columns a sheet, and an Excel sheet's parts are measured before the Excel reader
sees them, because it allocates every cell of the sheet's rectangle at once: one cell written
at XFD1048576 would ask for 512 GB.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanling.errors import InvalidValue, file_reason, os_reason
from sanling.i18n import tr

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
HEAD_ROWS = 30  # rows read ahead, where the header is looked for (title rows above it)
MAX_ROWS = 200_000  # rows of one sheet or CSV file
MAX_COLUMNS = 200  # columns (GR in Excel)
MAX_CELLS = 5_000_000  # rows x columns of one Excel sheet (the reader holds them all)
MAX_SHEET_XML = 160 * 2**20  # bytes of one sheet's XML, unpacked
MAX_STRINGS_XML = 48 * 2**20  # bytes of the workbook's shared strings, unpacked


@dataclass
class Sheet:
    """The cells of one sheet: rows[i] is spreadsheet row i + 1 (1-based, as Excel shows it).

    `rows` holds the first HEAD_ROWS rows; `more` yields the rest as they are read, so a
    hundred thousand rows are never held at once; `total` counts them all.
    """

    name: str
    rows: list[list[Any]]
    objects: list[dict[str, Any]] | None = None  # a JSON file: its objects, keyed already
    encoding: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    more: Iterator[list[Any]] = field(default_factory=lambda: iter(()))
    total: int = -1  # every row, head included; -1: len(rows)
    # merged ranges ((first row, first column), (last row, last column)), 0-based: every cell
    # of one reads as its first cell (a merged header, a village written once for five rows)
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.total < 0:
            self.total = len(self.rows)


def _sheet(name: str, rows: Iterator[list[Any]], total: int, **kw: Any) -> Sheet:
    """A sheet whose first rows are read now and the rest when asked for."""
    head = [r for _, r in zip(range(HEAD_ROWS), rows, strict=False)]
    return Sheet(name, head, more=rows, total=total, **kw)


def read(path: Path) -> list[Sheet]:
    """Every sheet of the file (a CSV or JSON file has one)."""
    if not path.exists():
        raise InvalidValue(tr("文件 {p} 不存在", "there is no file {p}", p=path))
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return read_excel(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return [read_csv(path)]
    if suffix == ".json":
        return [read_json(path)]
    raise InvalidValue(
        tr("不支持的文件类型 {s}", "cannot read {s} files", s=suffix or path.name),
        tr("用 .xlsx、.csv 或 .json 文件", "use an .xlsx, .csv or .json file"),
    )


def unreadable(path: Path, exc: Exception) -> InvalidValue:
    return InvalidValue(
        tr(
            "无法读取 Excel 文件 {p}：{e}",
            "cannot read the Excel file {p}: {e}",
            p=path.name,
            e=os_reason(exc)
            if isinstance(exc, OSError)
            else file_reason(exc, fallback=("文件损坏或不是 Excel 工作簿", "")),
        ),
        tr("用 Excel 另存为 .xlsx 后再试", "save it again as .xlsx from Excel and retry"),
    )


def read_excel(path: Path) -> list[Sheet]:
    from python_calamine import CalamineError, CalamineWorkbook

    guard_excel(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        return [_excel_sheet(book.get_sheet_by_name(name)) for name in book.sheet_names]
    except (CalamineError, OSError, ValueError) as exc:
        raise unreadable(path, exc) from None


def _excel_sheet(sheet: Any) -> Sheet:
    """Row i at index i - 1, as to_python(skip_empty_area=False) has it, so errors name the
    real row: iter_rows yields the empty rows above the cells, the empty columns to their
    left are put back."""
    if not sheet.height:
        return Sheet(sheet.name, [])
    _bound(sheet.end[0] + 1, sheet.end[1] + 1, sheet.name)
    pad: list[Any] = [""] * sheet.start[1]
    rows = (pad + r for r in sheet.iter_rows()) if pad else iter(sheet.iter_rows())
    # Only the part of a merged range inside the sheet's cells (a range may claim the whole
    # sheet, A1:XFD1048576, and is not measured by guard_excel).
    last_row, last_col = sheet.end
    merged = [
        ((r0, c0), (min(r1, last_row), min(c1, last_col)))
        for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []
        if r0 <= last_row and c0 <= last_col
    ]
    if merged:
        rows = _unmerged(rows, merged)
    return _sheet(sheet.name, rows, sheet.end[0] + 1, merged=merged)


def _unmerged(
    rows: Iterator[list[Any]], merged: list[tuple[tuple[int, int], tuple[int, int]]]
) -> Iterator[list[Any]]:
    """Each row with the cells of a merged range holding the range's first cell."""
    first: dict[tuple[int, int], Any] = {}
    by_row: dict[int, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    for r in merged:
        (r0, _c0), (r1, _c1) = r
        for n in range(r0, min(r1, r0 + MAX_ROWS) + 1):
            by_row.setdefault(n, []).append(r)
    for n, row in enumerate(rows):
        for (r0, c0), (_r1, c1) in by_row.get(n, ()):
            if n == r0:
                first[(r0, c0)] = row[c0] if c0 < len(row) else ""
            value = first.get((r0, c0), "")
            if len(row) <= c1:
                row = row + [""] * (c1 + 1 - len(row))
            for c in range(c0, c1 + 1):
                row[c] = value
        yield row


def _too_big(what: str, found: int, limit: int, where: str) -> InvalidValue:
    return InvalidValue(
        tr(
            "{w}的{what}超出上限：{n}（最多 {m}）",
            "{w} has too many {what}: {n} (at most {m})",
            w=where,
            what=what,
            n=f"{found:,}",
            m=f"{limit:,}",
        ),
        tr(
            "删去多余的行列或把文件拆开后再导入",
            "delete what lies beyond the table, or split the file, and import again",
        ),
    )


def _bound(rows: int, columns: int, where: str) -> None:
    """Refuse a sheet beyond the documented limits."""
    if rows > MAX_ROWS:
        raise _too_big(tr("行数", "rows"), rows, MAX_ROWS, where)
    if columns > MAX_COLUMNS:
        raise _too_big(tr("列数", "columns"), columns, MAX_COLUMNS, where)
    if rows * columns > MAX_CELLS:
        raise _too_big(
            tr("单元格（行×列）", "cells (rows x columns)"), rows * columns, MAX_CELLS, where
        )


_ROW_AT = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"(\d+)\"")
_CELL_AT = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]{2,3})(\d+)\"")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_TWO_LETTERS = re.compile(rb"\sr=\"[A-Z]{2}")
_FAR_ROW = re.compile(rb"\sr=\"[A-Z]{0,3}\d{6}")  # a row or cell at 100,000 or beyond


def guard_excel(path: Path) -> None:
    """Measure an .xlsx/.xlsm before the Excel reader allocates its sheets: the unpacked
    size of each sheet and of the shared strings, the last row and the widest column."""
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # not a zip (.xls, .ods...): the reader says what is wrong
    try:
        _guard(book)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as exc:
        raise unreadable(path, exc) from None


def _guard(book: zipfile.ZipFile) -> None:
    with book:
        for info in book.infolist():
            name = info.filename
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                where = tr("工作表", "a sheet")
                if info.file_size > MAX_SHEET_XML:
                    raise _too_big(tr("数据量", "bytes"), info.file_size, MAX_SHEET_XML, where)
                _measure(book, info, where)
            elif name.lower() == "xl/sharedstrings.xml" and info.file_size > MAX_STRINGS_XML:
                where = tr("工作簿的文字表", "the workbook's shared strings")
                raise _too_big(tr("数据量", "bytes"), info.file_size, MAX_STRINGS_XML, where)


def _measure(book: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> None:
    """The rows and columns a sheet's XML reaches, read a block at a time (the sizes in a
    zip's directory can lie: at most MAX_SHEET_XML bytes are unpacked)."""
    rows = columns = tags = 0
    read = 0
    tail = b""
    with book.open(info) as f:
        while block := f.read(1 << 20):
            read += len(block)
            if read > MAX_SHEET_XML:
                raise _too_big(tr("数据量", "bytes"), read, MAX_SHEET_XML, where)
            text = tail + block
            tail = text[-64:]
            tags += len(_ROW_TAG.findall(block))
            far = _FAR_ROW.search(text) is not None
            at = 0 if far else max(text.rfind(b"<row"), 0)  # rows come in order: the last
            for m in _ROW_AT.finditer(text, at):
                rows = max(rows, int(m[1]))
            if far or _TWO_LETTERS.search(text):  # columns beyond Z, rows far down
                for m in _CELL_AT.finditer(text):
                    columns = max(columns, _column_number(m[1]))
                    rows = max(rows, int(m[2]))
            _bound(max(rows, tags), max(columns, 1), where)
    _bound(max(rows, tags), max(columns, 1), where)


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (a BOM is dropped), else GB18030 (a superset of GBK and GB2312)."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise InvalidValue(
            tr(
                "无法识别文件编码（既不是 UTF-8 也不是 GB18030）",
                "the file is neither UTF-8 nor GB18030 text",
            ),
            tr("用 Excel 另存为“CSV UTF-8”", "save it from Excel as 'CSV UTF-8'"),
        )


def read_csv(path: Path) -> Sheet:
    text, encoding = decode(path.read_bytes())  # the whole file decodes, or it is refused
    sample = text[:4096]
    del text  # read again below, a block at a time
    delimiter = ","
    if path.suffix.lower() == ".tsv" or (sample.count("\t") > sample.count(",")):
        delimiter = "\t"
    codec = "utf-8-sig" if encoding == "utf-8" else encoding

    def records() -> Iterator[list[str]]:
        with path.open(encoding=codec, newline="") as f:
            yield from csv.reader(f, delimiter=delimiter)

    # Newlines inside quoted cells are allowed; the row number counts records, as Excel
    # shows them when it opens the file. A first pass counts them (and meets a bad record
    # now, before any row is imported); the second yields them one by one.
    total = 0
    try:
        for record in records():
            total += 1
            if total > MAX_ROWS or len(record) > MAX_COLUMNS:
                _bound(total, len(record), path.name)
    except csv.Error as exc:  # a cell over csv.field_size_limit() (131,072), a NUL ...
        raise InvalidValue(
            tr(
                "第 {n} 行无法读取：{e}",
                "row {n} cannot be read: {e}",
                n=total + 1,
                e=tr(
                    "单元格超过 {k} 个字符",
                    "a cell is longer than {k} characters",
                    k=f"{csv.field_size_limit():,}",
                )
                if "field limit" in str(exc)
                else exc,
            ),
            tr(
                "检查该行（单元格过长或引号不配对）",
                "check that row (a huge cell or a stray quote)",
            ),
        )
    return _sheet(path.name, records(), total, encoding=encoding)


def read_json(path: Path) -> Sheet:
    text, encoding = decode(path.read_bytes())
    try:
        # A number too long to be a count stays text, so its row is refused like any bad cell.
        data = json.loads(text, parse_int=lambda s: int(s) if len(s) <= 30 else s)
    except json.JSONDecodeError as exc:
        raise InvalidValue(tr("JSON 无法解析：{e}", "cannot parse the JSON: {e}", e=exc))
    except RecursionError:
        raise InvalidValue(
            tr("JSON 嵌套过深，无法读取", "cannot parse the JSON: it is nested too deeply"),
            tr("导入应为对象列表", "an import is a list of objects"),
        )
    if isinstance(data, dict):
        # {"rows": [...]} as the listing renderer writes, or one object
        data = data.get("rows", [data])
    if not isinstance(data, list) or not all(isinstance(o, dict) for o in data):
        raise InvalidValue(tr("JSON 应为对象列表", "the JSON must be a list of objects"))
    _bound(len(data), max((len(o) for o in data), default=0), path.name)
    return Sheet(path.name, [], objects=data, encoding=encoding)
