"""Importing a spreadsheet: all rows or none, every bad row reported, re-imports add nothing.

Each row goes through what the matching `add` command does: the input model of schemas.py,
then the same ledger function (`sanling.ledger.<noun>.add`), then the operation that records
what happened later where the row says so (a resolution, a rectification, a closure). The
whole file is one transaction; a bad row does not stop the others from being checked, so the
office sees every problem at once, and nothing is written until none is left.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanling.errors import InvalidValue, SanlingError
from sanling.i18n import parse_code, tr
from sanling.transfer import history, officedates, vocab
from sanling.transfer.read import HEAD_ROWS, Sheet, read
from sanling.transfer.shape import OPTION_KEYS, Options, Shape, dated, footer, pick_sheet
from sanling.transfer.specs import (
    DATE,
    DEADLINE,
    FLAG,
    FLOAT,
    IGNORED,
    INT,
    LIST,
    SPECS,
    TIME,
    Col,
    ColumnError,
    Field,
    Row,
    Spec,
    norm,
)
from sanling.usage_zh import pydantic_error

HEADER_SCAN_ROWS = HEAD_ROWS  # title rows an office puts above the header
FLUSH_EVERY = 2000
MAX_WRONG_ROWS = 50  # rows whose problems are listed; the rest are counted
PROGRESS_EVERY = 500
EXCEL_EPOCH = dt.date(1899, 12, 30)
_LIST_SPLIT = re.compile(r"[、,，;；/／|]+")
_DATETIME_TEXT = re.compile(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")

Progress = Callable[[int, int], None]
# The kinds of column whose text is read into something else (a date, a number, a list...).
_READ_FROM_TEXT = frozenset({DATE, DEADLINE, TIME, INT, FLOAT, LIST})


@dataclass
class Problem:
    row: int | None  # as the spreadsheet shows it (1-based, header rows counted)
    column: str | None  # the header as written in the file
    reason: str
    sheet: str | None = None  # named when a workbook's sheets are imported together

    def line(self) -> str:
        where = []
        if self.sheet:
            where.append(tr("工作表“{s}”", "sheet '{s}'", s=self.sheet))
        if self.row is not None:
            where.append(tr("第 {n} 行", "row {n}", n=self.row))
        if self.column:
            where.append(tr("“{c}”列", "column '{c}'", c=self.column))
        head = tr("，", ", ").join(where)
        return f"{head}{tr('：', ': ')}{self.reason}" if head else self.reason


class ImportFailed(InvalidValue):
    """Some rows are wrong: nothing was written; `problems` lists every one."""

    def __init__(
        self, problems: list[Problem], message: str, hint: str | None = None, more: int = 0
    ) -> None:
        super().__init__(message, hint)
        self.problems = problems
        self.more = more  # wrong rows beyond the first MAX_WRONG_ROWS, counted, not listed

    def data(self) -> dict[str, Any]:
        """The problems as `--format json` prints them."""
        return {
            "error": self.message,
            "problems": [
                {"sheet": p.sheet, "row": p.row, "column": p.column, "reason": p.reason}
                for p in self.problems
            ],
            "more_wrong_rows": self.more,
        }


@dataclass
class Outcome:
    kind: str
    file: str
    sheet: str
    header_row: int
    rows: int = 0
    added: int = 0
    skipped: int = 0
    refs: list[str] = field(default_factory=list)  # first and last reference numbers given
    ignored: list[str] = field(default_factory=list)  # headers with no field: kept on records
    dry_run: bool = False
    encoding: str | None = None
    inferred: dict[str, int] = field(default_factory=dict)  # field -> rows it was inferred for
    undated: int = 0  # rows said done without a date: dated by vocab.OUTCOME_DATE_RULE
    done: int = 0  # rows whose words say resolved or rectified
    # (sheet, rows) of each sheet imported, and (sheet, why) of each one left
    sheets: list[tuple[str, int]] = field(default_factory=list)
    left_sheets: list[tuple[str, str]] = field(default_factory=list)
    cleaner: Any = None  # transfer.cleancells.Cleaner: what it cleaned is counted there

    def data(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "rows": self.rows,
            "added": self.added,
            "skipped": self.skipped,
            "first_ref": self.refs[0] if self.refs else None,
            "last_ref": self.refs[-1] if self.refs else None,
            "ignored_columns": self.ignored,
            "kept_columns": self.ignored,
            "inferred": self.inferred,
            "done": self.done,
            "dated_by_rule": self.undated,
            "dry_run": self.dry_run,
            "sheets": [{"sheet": n, "rows": r} for n, r in self.sheets],
            "sheets_left": [{"sheet": n, "reason": w} for n, w in self.left_sheets],
            "cleaned_characters": self.cleaner.count if self.cleaner else 0,
        }

    def notes(self) -> list[str]:
        """What the summary says beside the count: kept columns, inferred values, dates."""
        from sanling.i18n import header

        lines = []
        if self.ignored:
            lines.append(
                tr(
                    "无对应字段的列（已保留在记录中，show 可见）：{c}",
                    "columns with no field (kept on each record, shown by show): {c}",
                    c="、".join(self.ignored),
                )
            )
        if self.done:
            lines.append(tr("已化解/已整改：{n} 条", "resolved or rectified: {n}", n=self.done))
        for key, n in self.inferred.items():
            lines.append(tr("{h}为推断值：{n} 条", "{h} inferred: {n} rows", h=header(key), n=n))
        if self.undated:
            lines.append(
                tr(
                    "写明办结但无日期、按规则（{r}）定日期：{n} 条",
                    "said done without a date, dated by the rule ({r}): {n}",
                    r=tr(*vocab.OUTCOME_DATE_RULE),
                    n=self.undated,
                )
            )
        return lines


# ---- cells ---------------------------------------------------------------------------------
def _integral(value: float) -> bool:
    return float(value).is_integer()


def to_date(value: Any) -> Any:
    """A date cell: an Excel date, an Excel serial number, or text left for the ledger to read."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if 1 <= value < 2958466:  # Excel's serial day numbers up to 9999-12-31
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        return str(value)
    raw = str(value).strip()
    m = _DATETIME_TEXT.match(raw)
    if m:
        return m[1]
    m = _COMPACT_DATE.match(raw)
    if m:
        return f"{m[1]}-{m[2]}-{m[3]}"
    return officedates.read(raw)  # 2026年3月5日9时, 3月底, 立即整改, 长期 ...


def to_time(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%H:%M")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    if isinstance(value, float) and 0 <= value < 1:  # a time typed into Excel: part of a day
        minutes = round(value * 24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return str(value).strip().replace("：", ":")


def to_text(value: Any) -> str:
    """Text cells that Excel turned into numbers (phones, ID numbers) or dates keep their text."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and _integral(value):
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def cell_value(col: Col, value: Any) -> Any:
    """A cell as the input model takes it; None for an empty cell."""
    if value is None:
        return None
    kind = col.vtype
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        if kind not in _READ_FROM_TEXT:
            return value  # text stays text (the common case, a hundred thousand times)
    if kind in (DATE, DEADLINE):
        return to_date(value)
    if kind == TIME:
        return to_time(value)
    if kind == INT:
        if isinstance(value, float) and _integral(value):
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"[+-]?\d+\.0*", value):
            return int(float(value))
        return value
    if kind == FLOAT:
        return value if isinstance(value, int | float) else str(value).replace(",", "")
    if kind == FLAG:
        if isinstance(value, float) and _integral(value):
            return str(int(value))
        return value
    if kind == LIST:
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()]
        return [p.strip() for p in _LIST_SPLIT.split(to_text(value)) if p.strip()]
    return to_text(value)


# ---- finding the header ------------------------------------------------------------------------
@dataclass
class Layout:
    sheet: Sheet
    header_row: int  # index into sheet.rows
    columns: list[tuple[int, Col, str]]  # (cell index, column, header text)
    ignored: list[str]


Mapped = dict[str, str]  # normalised header -> column key ("" for a column left out)


def _column(spec: Spec, text: str, mapped: Mapped | None) -> Col | bool | None:
    """The column a header names: the map's word first, then the kind's headers; False for a
    header the map leaves out."""
    if mapped:
        key = mapped.get(norm(text))
        if key is not None:
            return spec.by_key[key] if key else False
    return spec.column(text)


def _score(spec: Spec, cells: list[Any], mapped: Mapped | None = None) -> int:
    keys = set()
    for c in cells:
        if isinstance(c, str) and c.strip():
            col = _column(spec, c, mapped)
            if isinstance(col, Field):
                keys.add(col.key)
    return len(keys)


def _text(cell: Any) -> str:
    return str(cell).strip() if cell is not None else ""


def _header_row(spec: Spec, sheet: Sheet, mapped: Mapped | None) -> int | None:
    """The row among the first ones with most known headers."""
    if sheet.objects is not None:
        sheet.rows = [list(dict.fromkeys(k for o in sheet.objects for k in o))]
    best: tuple[int, int] | None = None
    for index, cells in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        score = _score(spec, cells, mapped)
        if score and (best is None or score > best[0]):
            best = (score, index)
    if best is None:
        return None
    score, index = best
    # Not merged (a CSV): the upper level of a two-level header may name more columns than
    # its lower row; the header is then the lower row read with the upper one.
    if index + 1 < min(len(sheet.rows), HEADER_SCAN_ROWS):
        both = [text or above for _i, text, above in _headers(spec, sheet, index + 1, mapped)]
        if _score(spec, both, mapped) > score:
            return index + 1
    return index


def _headers(
    spec: Spec, sheet: Sheet, index: int, mapped: Mapped | None
) -> list[tuple[int, str, str]]:
    """Each column's header (cell index, text, the text of the row above). A two-level header
    (整改情况 over 整改措施/整改时限) reads as its lower row, or as the upper one where the lower
    cell is empty; merged cells already hold their first cell's text. The row above is a
    header's upper level when it names a column or shares a cell with the header (merged down
    over both rows), not when it is a title or a 填报单位 line."""
    lower = sheet.rows[index]
    upper = sheet.rows[index - 1] if index > 0 else []
    shared = any(_text(a) and _text(a) == _text(b) for a, b in zip(upper, lower, strict=False))
    if not shared and not _score(spec, upper, mapped):
        upper = []
    out = []
    for i in range(max(len(lower), len(upper))):
        text = _text(lower[i]) if i < len(lower) else ""
        above = _text(upper[i]) if i < len(upper) else ""
        out.append((i, text, above if above != text else ""))
    return out


def layout_of(
    spec: Spec, sheet: Sheet, index: int, mapped: Mapped | None = None
) -> tuple[Layout, dict[str, str]]:
    """The columns under the header in row `index`; and which column gives each key."""
    columns: list[tuple[int, Col, str]] = []
    ignored: list[str] = []
    taken: dict[str, str] = {}
    skip = {norm(x) for x in IGNORED}
    for i, text, above in _headers(spec, sheet, index, mapped):
        col: Col | bool | None = None
        if text:
            col = _column(spec, text, mapped)
            if col is None and above:
                col = _column(spec, above + text, mapped)  # 整改情况 + 措施 written as one
        elif above:
            col = _column(spec, above, mapped)
            text = above
            if col is None:
                continue  # a title above a blank header cell is not a column
        if not text or col is False:
            continue
        if col is None:
            if norm(text) not in skip:
                ignored.append(text)
            continue
        assert isinstance(col, Field)
        if col.key in taken and not col.joins:
            earlier = taken[col.key]
            if _is_fallback(col, text):
                ignored.append(text)  # another header gives the field: this one is kept
                continue
            if _is_fallback(col, earlier):
                ignored.append(earlier)
                columns = [c for c in columns if c[2] != earlier]
                taken[col.key] = text
                columns.append((i, col, text))
                continue
            raise InvalidValue(
                tr(
                    "“{a}”和“{b}”两列都是{k}",
                    "columns '{a}' and '{b}' both give {k}",
                    a=taken[col.key],
                    b=text,
                    k=col.heading(),
                ),
                tr("删去或改名其中一列", "remove or rename one of them"),
            )
        taken[col.key] = text
        columns.append((i, col, text))
    return Layout(sheet, index, columns, ignored), taken


def _missing(spec: Spec, taken: dict[str, str], given: Any, index: int) -> InvalidValue | None:
    given = {*given, *(["village"] if "subject" in taken else [])}  # a subject gives its village
    date = dated(spec)
    wanted = [c for c in spec.columns if c.key == date or (c.is_input and c.required)]
    inferable = vocab.INFERABLE.get(spec.kind, ())  # by vocab.settle when the file has none
    missing = [
        c for c in wanted if c.key not in taken and c.key not in given and c.key not in inferable
    ]
    if not missing:
        return None
    options = " ".join(
        f"--{'found' if c.key == date else c.key} ..."
        for c in missing
        if c.key in OPTION_KEYS or c.key == date
    )
    return InvalidValue(
        tr(
            "缺少必填列：{m}",
            "missing required columns: {m}",
            m="、".join(f"{c.heading('zh')} ({c.key})" for c in missing),
        ),
        tr("表头在第 {n} 行", "the header was found in row {n}", n=index + 1)
        + tr("；", "; ")
        + (
            tr(
                "整个文件同一个值可用选项给出：{o}；其他列用 --map 指明（--suggest-map 生成草稿）",
                "a value for the whole file can be given as {o}; name other columns in a map"
                " (--map; --suggest-map writes a starter)",
                o=options,
            )
            if options
            else tr(
                "用 --map 指明表头对应的字段（--suggest-map 生成草稿）",
                "name the columns in a map (--map; --suggest-map writes a starter)",
            )
        ),
    )


def _no_header(spec: Spec) -> InvalidValue:
    names = "、".join(c.heading() for c in spec.required())
    return InvalidValue(
        tr("文件中找不到{kind}的表头", "no {kind} header row found in the file", kind=spec.name()),
        tr("表头至少要有：{names}", "the header needs at least: {names}", names=names),
    )


def layouts(
    spec: Spec,
    sheets: list[Sheet],
    given: Any = (),
    mapped: Mapped | None = None,
) -> tuple[list[Layout], list[tuple[str, str]]]:
    """Every sheet with a complete header of the kind, and the others with why each is left
    (a workbook with a sheet per month imports every month; none is dropped silently).
    `given`: the keys the command line or the map gives for the whole file."""
    found: list[Layout] = []
    left: list[tuple[str, str]] = []
    first_error: InvalidValue | None = None
    for sheet in sheets:
        index = _header_row(spec, sheet, mapped)
        if index is None:
            empty = not any(_text(c) for r in sheet.rows for c in r)
            left.append(
                (sheet.name, tr("空表", "empty") if empty else tr("没有表头", "no header row"))
            )
            continue
        layout, taken = layout_of(spec, sheet, index, mapped)
        wrong = _missing(spec, taken, given, index)
        if wrong is not None:
            first_error = first_error or wrong
            left.append((sheet.name, wrong.message))
            continue
        found.append(layout)
    if not found:
        raise first_error or _no_header(spec)
    return found, left


def _is_fallback(col: Col, text: str) -> bool:
    return norm(text) in {norm(x) for x in col.fallbacks}


# ---- the import ------------------------------------------------------------------------------
def _pydantic_problems(exc: Any, row: int, headers: dict[str, str]) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = [p for p in err.get("loc", ()) if not isinstance(p, int)]
        key = str(loc[0]) if loc else ""
        msg = pydantic_error(err)  # the words schemas.validate uses too
        out.append(Problem(row, headers.get(key, key or None), msg))
    return out


def _guess_column(message: str, row: Row) -> str | None:
    """The column an error from the ledger is about: the one its message names first."""
    from sanling.i18n import header

    low = message.lower()
    best: tuple[int, str] | None = None
    for key, text in row.columns.items():
        for name in (key, key.replace("_", " "), header(key, "zh"), text):
            at = low.find(name.lower()) if name else -1
            if at >= 0 and (best is None or at < best[0]):
                best = (at, text)
    return best[1] if best else None


def _check_refs(lx: Any, spec: Spec, values: dict[str, Any]) -> tuple[str, SanlingError] | None:
    """Names and reference numbers the row points to, checked where the column is known."""
    from sanling import models

    town = values.get("town")
    village = values.get("village")
    key = "town"
    try:
        if town:
            lx.town(town)
        key = "village"
        for name in village if isinstance(village, list) else [village] if village else []:
            lx.village(name, town=town)
        key = "subject"
        if values.get("subject"):
            lx.subject(values["subject"], town=town)
        for key, (_column, model, by) in spec.relations.items():
            if by == "ref" and values.get(key):  # another record named by its number
                lx.record(getattr(models, model), values[key])
    except SanlingError as exc:
        return key, exc
    return None


@dataclass
class _Import:
    """One file on its way in: what every step of the pipeline reads and adds to."""

    fx: Any  # the ImportLedger
    spec: Spec
    layout: Layout
    outcome: Outcome
    headers: dict[str, str]  # column key -> header as written in the file
    # A row is new when the file holds its natural key more often than the ledger does: a
    # file imported twice adds nothing, two identical records of an export both come back.
    seen: Counter[tuple[Any, ...]]
    met: Counter[tuple[Any, ...]] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    # (cell index, column, header, whether _checked has work to do): worked out once
    columns: list[tuple[int, Col, str, bool]] = field(default_factory=list)
    add: Callable[[Any, Any], Any] = field(init=False)  # the ledger's add, looked up once
    kept: list[tuple[int, str]] = field(default_factory=list)  # columns with no field
    fallback_keys: set[str] = field(default_factory=set)  # fields given by a fallback header
    layouts: list[Layout] = field(default_factory=list)  # every sheet to import
    shape: Shape = field(default_factory=lambda: Shape({}))  # the whole file's values, places
    wrong_rows: int = 0
    more: int = 0  # wrong rows beyond MAX_WRONG_ROWS

    def __post_init__(self) -> None:
        self.add = self.spec.module().add
        self.use(self.layout)

    def use(self, layout: Layout) -> None:
        """Import the rows of this sheet next."""
        self.layout = layout
        self.shape.use(self.spec, layout)
        self.headers = {col.key: text for _i, col, text in layout.columns}
        self.headers.update(self.shape.headers)
        # A status is read by vocab.settle (words, sentences), not looked up cell by cell.
        self.columns = [
            (
                i,
                col,
                text,
                col.vtype in (DATE, DEADLINE)
                or (col.extra and col.enum is not None and col.key != "status"),
            )
            for i, col, text in [*layout.columns, *self.shape.columns]
        ]
        sheet = self.layout.sheet
        head = sheet.rows[self.layout.header_row] if sheet.rows else []
        kept = set(self.layout.ignored)
        self.kept = [
            (i, str(h).strip())
            for i, h in enumerate(head)
            if h is not None and str(h).strip() in kept
        ]
        self.fallback_keys = {
            col.key for _i, col, text in self.layout.columns if _is_fallback(col, text)
        }

    def wrong(self, number: int | None, column: str | None, reason: str) -> None:
        self.problems.append(Problem(number, column, reason))

    def column_of(self, exc: SanlingError, row: Row) -> str | None:
        """The column an error from the ledger is about: the field it names, else the one
        its message names first."""
        if exc.field:
            key = exc.field.lstrip("-").replace("-", "_")
            if key in row.columns:
                return row.columns[key]
        return _guess_column(exc.message, row)


def run(
    lx: Any,
    kind: str,
    path: Path,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    options: Options | None = None,
) -> Outcome:
    """Import `path` as records of `kind` in the transaction of `lx`: every row or none.

    Every sheet of a workbook with the kind's header is imported (or `options.sheet`);
    `options` gives values for the whole file and a map. Raises ImportFailed if any row is
    wrong (the caller's transaction then rolls back); a dry run checks every row the same way,
    and its caller rolls back (`writing(commit=False)`).
    """
    job = _start(lx, kind, path, dry_run, options or Options())
    history.follow(job, path)  # the file's history sheet, for the records it adds
    try:
        _sheets(job, progress)
    finally:
        job.fx.stop()
    if job.problems or job.more:
        _fail(job.problems, job.more)
    return job.outcome


def _start(lx: Any, kind: str, path: Path, dry_run: bool, options: Options) -> _Import:
    """Read the file, find its header and set up the import ledger."""
    from sanling.transfer.cleancells import Cleaner
    from sanling.transfer.fastledger import ImportLedger

    spec = SPECS[kind]
    # A history sheet (transfer/history.py) is the records' history, not records.
    sheets = [s for s in read(path) if s.name.strip().lower() not in history.SHEET]
    sheets = pick_sheet(sheets, options.sheet)
    shape = Shape.of(spec, options)
    found, left = layouts(spec, sheets, shape.given(), options.mapped())
    layout = found[0]
    sheet = layout.sheet
    outcome = Outcome(
        kind,
        path.name,
        sheet.name,
        layout.header_row + 1,
        ignored=list(dict.fromkeys(x for lay in found for x in lay.ignored)),
        dry_run=dry_run,
        encoding=sheet.encoding,
        left_sheets=left,
        cleaner=Cleaner(layout.columns, from_csv=sheet.objects is None and bool(sheet.encoding)),
    )
    fx = ImportLedger(lx)
    shape.start(fx)
    _check_given(fx, shape)
    if "town" not in {c.key for _i, c, _t in layout.columns} and "town" not in shape.given():
        fx.town(None)  # several towns and no 所属乡镇 column: say so once, not on every row
    fx.start()
    job = _Import(fx, spec, layout, outcome, {}, spec.existing(fx), shape=shape)
    job.layouts = found
    return job


def _check_given(fx: Any, shape: Shape) -> None:
    """A date given for the whole file is read once, before any row: a wrong `--found` is one
    error, not one per row."""
    for col, named, value in shape.defaults.values():
        if col.vtype in (DATE, DEADLINE):
            try:
                _checked(fx, col, named, cell_value(col, value))
            except _Refused as exc:
                said = str(exc)
                raise InvalidValue(
                    said if named in said else f"{named}{tr('：', ': ')}{said}"
                ) from None


def _sheets(job: _Import, progress: Progress | None) -> None:
    """Every sheet's rows through the pipeline, then what is left written."""
    from sqlalchemy.exc import DBAPIError

    try:
        for layout in job.layouts:
            job.use(layout)
            before = job.outcome.rows
            total, body = _body(layout)
            cleaner = job.outcome.cleaner
            cleaner.use(layout.columns)
            body = cleaner.rows(body)  # control characters out, export's quotes off
            _rows(job, total, body, progress)
            job.outcome.sheets.append((layout.sheet.name, job.outcome.rows - before))
            if progress is not None:
                progress(total, total)
        if not job.problems and not job.more:
            job.fx.finish()
    except DBAPIError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0][:300]
        job.wrong(
            None, None, tr("数据库拒绝写入：{r}", "the database refused the rows: {r}", r=reason)
        )


def _body(layout: Layout) -> tuple[int, Iterator[tuple[int, list[Any]]]]:
    """How many rows lie under the header, and each with its number as the spreadsheet
    shows it (made as they are read: a list of a hundred thousand would be held to the end)."""
    sheet = layout.sheet
    if sheet.objects is not None:
        head = sheet.rows[0]
        objects = sheet.objects
        return len(objects), ((n + 1, [o.get(h) for h in head]) for n, o in enumerate(objects))
    first = layout.header_row + 1
    rows = itertools.chain(itertools.islice(sheet.rows, first, None), sheet.more)
    numbered = enumerate(rows, start=first + 1)
    return max(sheet.total - first, 0), ((n, r) for n, r in numbered if not footer(r))


def _rows(
    job: _Import,
    total: int,
    body: Iterator[tuple[int, list[Any]]],
    progress: Progress | None,
) -> None:
    """Every row of a sheet through the pipeline; written in batches while no row is wrong.
    The problems of the first MAX_WRONG_ROWS wrong rows are kept, the other rows counted."""
    shape = job.shape
    name = job.layout.sheet.name if len(job.layouts) > 1 else None
    for done, (number, cells) in enumerate(body, start=1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
        known = len(job.problems)
        shaped = shape.row(job, number, cells) if shape.active else cells
        parsed = _cells(job, number, shaped) if shaped is not None else None
        added = parsed is not None and _row(job, number, *parsed)
        if len(job.problems) > known:
            job.wrong_rows += 1
            if job.wrong_rows > MAX_WRONG_ROWS:
                del job.problems[known:]
                job.more += 1
            elif name:
                for problem in job.problems[known:]:
                    problem.sheet = name
        if added and job.outcome.added % FLUSH_EVERY == 0 and not job.problems:
            job.fx.flush()


def _fail(problems: list[Problem], more: int = 0) -> None:
    bad_rows = len({(p.sheet, p.row) for p in problems}) + more
    raise ImportFailed(
        problems,
        tr(
            "{n} 行有错误，未导入任何记录",
            "{n} rows are wrong; nothing was imported",
            n=bad_rows,
        )
        if bad_rows != 1
        else tr("1 行有错误，未导入任何记录", "1 row is wrong; nothing was imported"),
        tr("改正上面列出的行后重新导入", "correct the rows listed above and import again"),
        more,
    )


# ---- the steps of one row ------------------------------------------------------------------------
class _Refused(Exception):
    """A cell that cannot be read: its reason, reported against its column."""


def _cells(
    job: _Import, number: int, cells: list[Any]
) -> tuple[dict[str, Any], dict[str, Any], bool] | None:
    """The row's cells as input values and extras, and whether any was refused; None for an
    empty row (or one with only a 序号), which is skipped silently."""
    values: dict[str, Any] = {}
    extras: dict[str, Any] = {}
    bad = False
    width = len(cells)
    for i, col, text, check in job.columns:
        value = cells[i] if i < width else None
        if value.__class__ is str and col.vtype not in _READ_FROM_TEXT:
            value = value.strip()  # cell_value's common case, without the call per cell
            if not value:
                continue
        else:
            value = cell_value(col, value)
            if value is None or value == []:
                continue
        if check:
            try:
                value = _checked(job.fx, col, text, value)
            except _Refused as exc:
                job.wrong(number, text, str(exc))
                bad = True
                continue
        target = extras if col.extra else values
        if col.joins and col.key in target:
            target[col.key] = f"{target[col.key]}、{value}"  # 申请人、被申请人
        else:
            target[col.key] = value
    kept = {
        text: to_text(cells[i])
        for i, text in job.kept
        if i < width and cells[i] is not None and to_text(cells[i])
    }
    if not values and not extras and not bad:
        return None
    job.outcome.rows += 1
    # Whole-file values (options) belong in `values` before this: the words only fill what
    # neither the file nor an option gives.
    return values, extras, _words(job, number, values, extras, kept) or bad


def _words(
    job: _Import, number: int, values: dict[str, Any], extras: dict[str, Any], kept: dict[str, str]
) -> bool:
    """The row's office words (vocab.settle): outcomes, dates, inferred values, kept columns.
    True when one is refused."""
    spec = job.spec
    done = vocab.settle(spec.kind, job.fx, job.headers, job.fallback_keys, values, extras, kept)
    for key, reason in done.problems:
        job.wrong(number, job.headers.get(key) if key else None, reason)
    extras["_extra"] = done.extra
    counts = job.outcome
    for key in done.inferred:
        counts.inferred[key] = counts.inferred.get(key, 0) + 1
    counts.undated += done.undated
    counts.done += done.done
    return bool(done.problems)


def _checked(fx: Any, col: Col, text: str, value: Any) -> Any:
    """A date read against today (not in the future, unless a deadline), a code of the
    extras looked up; raises _Refused with the reason."""
    if isinstance(value, officedates.Pending):
        return value  # 3月底, 立即整改, 长期: read with the row (vocab.settle)
    if col.vtype in (DATE, DEADLINE) and not isinstance(value, dt.date):
        try:
            return fx.date(value, text, allow_future=col.vtype == DEADLINE)
        except SanlingError as exc:
            raise _Refused(exc.message) from exc
    if col.vtype == DATE and value > fx.today:
        raise _Refused(
            tr(
                "{d} 晚于今天 {t}",
                "{d} is in the future (today is {t})",
                d=value.isoformat(),
                t=fx.today.isoformat(),
            )
        )
    if col.extra and col.enum is not None:
        member = parse_code(col.enum, str(value))
        if member is None:
            from sanling.i18n import choices

            raise _Refused(
                tr(
                    "“{v}”不是可选值；可选：{c}",
                    "'{v}' is not one of: {c}",
                    v=value,
                    c=choices(col.enum),
                )
            )
        return member
    return value


def _row(
    job: _Import, number: int, values: dict[str, Any], extras: dict[str, Any], bad: bool
) -> bool:
    """Validate the row, check what it names, skip it if the ledger has it, add it and what
    it says happened later. True when it was added."""
    from pydantic import ValidationError

    spec, fx, headers = job.spec, job.fx, job.headers
    try:
        data = spec.schema.model_validate(values)
    except ValidationError as exc:
        found = _pydantic_problems(exc, number, headers)
        job.problems.extend(found)
        wrong = _check_refs(fx, spec, values)
        if wrong is not None and headers.get(wrong[0]) not in {p.column for p in found}:
            job.wrong(number, headers.get(wrong[0]), wrong[1].message)
        return False
    if bad:
        return False
    wrong = _check_refs(fx, spec, values)
    if wrong is not None:
        job.wrong(number, headers.get(wrong[0]), wrong[1].message)
        return False
    row = Row(number, data, extras, headers)
    try:
        key = spec.key(fx, data)
        job.met[key] += 1
        if job.met[key] <= job.seen[key] or (spec.unique and job.met[key] > 1):
            job.outcome.skipped += 1
            return False
        fx.extra = extras.pop("_extra", None)  # kept columns and notes, on the new record
        obj = job.add(fx, data)
        fx.extra = None
    except SanlingError as exc:
        fx.extra = None
        job.wrong(number, job.column_of(exc, row), exc.message)
        return False
    if not _after(job, obj, row):
        return False
    _added(job.outcome, obj)
    return True


def _after(job: _Import, obj: Any, row: Row) -> bool:
    """What the row says happened after the record was added (a resolution, a closure...),
    and last whether it was voided."""
    try:
        if job.spec.after is not None:
            job.spec.after(job.fx, obj, row)
        if _flag(row.extras, "voided"):
            _voided(job.fx, job.spec.noun, obj, row)
    except ColumnError as exc:
        job.wrong(row.number, job.headers.get(exc.key), str(exc.error))
        return False
    except SanlingError as exc:
        job.wrong(row.number, _later_column(job, exc, row), exc.message)
        return False
    return True


def _flag(extras: dict[str, Any], key: str) -> bool:
    """A yes/no cell of the extras (是/否, yes/no, 1/0 ...), read as an input's flag is."""
    if extras.get(key) is None:
        return False
    from sanling.schemas import _flag as flag

    try:
        return bool(flag(extras[key]))
    except ValueError as exc:
        raise ColumnError(key, exc) from None


def _voided(lx: Any, noun: str, obj: Any, row: Row) -> None:
    """A row exported voided is voided again, with its stamp (who, when, why) kept."""
    from sanling.ledger import corrections

    x = row.extras
    if not x.get("void_reason"):
        raise ColumnError(
            "void_reason", InvalidValue(tr("作废需要原因", "a voided record needs the reason"))
        )
    at = None
    if x.get("voided_at"):
        try:
            at = dt.datetime.fromisoformat(str(x["voided_at"]).strip()).replace(tzinfo=None)
        except ValueError as exc:
            raise ColumnError("voided_at", exc) from None
    corrections.void(lx, noun, obj.ref, x["void_reason"], at=at, by=x.get("voided_by"))


def _later_column(job: _Import, exc: SanlingError, row: Row) -> str | None:
    """The column of an error about the later state: among the extras (a closing date, a
    method...), the one it names, else the date if it is about a date, else the first."""
    extras = row.extras
    later = Row(row.number, row.data, extras, {k: v for k, v in job.headers.items() if k in extras})
    if exc.field and (named := job.column_of(exc, later)) is not None:
        return named
    dated = [
        job.headers[c.key]
        for c in job.spec.columns
        if c.extra and c.vtype == DATE and c.key in extras
    ]
    about_date = "date" in exc.message.lower() or "日期" in exc.message
    return (
        _guess_column(exc.message, later)
        or (dated[0] if dated and about_date else None)
        or next(iter(later.columns.values()), None)
    )


def _added(outcome: Outcome, obj: Any) -> None:
    """Count the record and keep the first and last reference numbers given."""
    outcome.added += 1
    ref = getattr(obj, "ref", None) or getattr(obj, "name", None)
    if ref:
        if len(outcome.refs) < 2:
            outcome.refs.append(str(ref))
        else:
            outcome.refs[1] = str(ref)
