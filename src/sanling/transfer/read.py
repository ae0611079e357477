"""Reading a spreadsheet into rows of cells, each with the row number the spreadsheet shows.

.xlsx (and .xls/.xlsm/.ods) through python-calamine, which reads far faster than openpyxl;
.csv in UTF-8 (with or without BOM) or GB18030, the two encodings Chinese offices produce;
.json as a list of objects (what `sanling export --format json` writes).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanling.errors import InvalidValue
from sanling.i18n import tr

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
HEAD_ROWS = 30  # rows read ahead, where the header is looked for (title rows above it)


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


def read_excel(path: Path) -> list[Sheet]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        return [_excel_sheet(book.get_sheet_by_name(name)) for name in book.sheet_names]
    except (CalamineError, OSError, ValueError) as exc:
        raise InvalidValue(
            tr(
                "无法读取 Excel 文件 {p}：{e}",
                "cannot read the Excel file {p}: {e}",
                p=path.name,
                e=str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__,
            ),
            tr("用 Excel 另存为 .xlsx 后再试", "save it again as .xlsx from Excel and retry"),
        )


def _excel_sheet(sheet: Any) -> Sheet:
    """Row i at index i - 1, as to_python(skip_empty_area=False) has it, so errors name the
    real row: iter_rows yields the empty rows above the cells, the empty columns to their
    left are put back."""
    if not sheet.height:
        return Sheet(sheet.name, [])
    pad: list[Any] = [""] * sheet.start[1]
    rows = (pad + r for r in sheet.iter_rows()) if pad else iter(sheet.iter_rows())
    return _sheet(sheet.name, rows, sheet.end[0] + 1)


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
        for _ in records():
            total += 1
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
    return Sheet(path.name, [], objects=data, encoding=encoding)
