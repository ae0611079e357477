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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanling.errors import InvalidValue, SanlingError
from sanling.i18n import parse_code, tr
from sanling.transfer.read import HEAD_ROWS, Sheet, read
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
    Row,
    Spec,
    norm,
)
from sanling.usage_zh import pydantic_error

HEADER_SCAN_ROWS = HEAD_ROWS  # title rows an office puts above the header
FLUSH_EVERY = 2000
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

    def line(self) -> str:
        where = []
        if self.row is not None:
            where.append(tr("第 {n} 行", "row {n}", n=self.row))
        if self.column:
            where.append(tr("“{c}”列", "column '{c}'", c=self.column))
        head = tr("，", ", ").join(where)
        return f"{head}{tr('：', ': ')}{self.reason}" if head else self.reason


class ImportFailed(InvalidValue):
    """Some rows are wrong: nothing was written; `problems` lists every one."""

    def __init__(self, problems: list[Problem], message: str, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.problems = problems


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
    ignored: list[str] = field(default_factory=list)  # headers not used
    dry_run: bool = False
    encoding: str | None = None

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
            "dry_run": self.dry_run,
        }


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
    return raw


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


def _score(spec: Spec, cells: list[Any]) -> int:
    keys = set()
    for c in cells:
        if isinstance(c, str) and c.strip():
            col = spec.column(c)
            if col is not None:
                keys.add(col.key)
    return len(keys)


def locate(spec: Spec, sheets: list[Sheet]) -> Layout:
    """The sheet and row holding the header: the row among the first ones with most known
    headers."""
    best: tuple[int, Sheet, int] | None = None
    for sheet in sheets:
        if sheet.objects is not None:
            headers = list(dict.fromkeys(k for o in sheet.objects for k in o))
            sheet.rows = [headers]
        for index, cells in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
            score = _score(spec, cells)
            if score and (best is None or score > best[0]):
                best = (score, sheet, index)
        if best is not None and best[0] >= len(spec.required()):
            break  # the first sheet with a complete header wins
    if best is None:
        names = "、".join(c.heading() for c in spec.required())
        raise InvalidValue(
            tr(
                "文件中找不到{kind}的表头",
                "no {kind} header row found in the file",
                kind=spec.name(),
            ),
            tr("表头至少要有：{names}", "the header needs at least: {names}", names=names),
        )
    _, sheet, index = best
    columns: list[tuple[int, Col, str]] = []
    ignored: list[str] = []
    taken: dict[str, str] = {}
    for i, raw in enumerate(sheet.rows[index]):
        text = str(raw).strip() if raw is not None else ""
        if not text:
            continue
        col = spec.column(text)
        if col is None:
            if norm(text) not in {norm(x) for x in IGNORED}:
                ignored.append(text)
            continue
        if col.key in taken:
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
    missing = [c for c in spec.required() if c.key not in taken]
    if missing:
        raise InvalidValue(
            tr(
                "缺少必填列：{m}",
                "missing required columns: {m}",
                m="、".join(f"{c.heading('zh')} ({c.key})" for c in missing),
            ),
            tr("表头在第 {n} 行", "the header was found in row {n}", n=index + 1),
        )
    return Layout(sheet, index, columns, ignored)


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
    seen: set[tuple[Any, ...]]
    problems: list[Problem] = field(default_factory=list)
    # (cell index, column, header, whether _checked has work to do): worked out once
    columns: list[tuple[int, Col, str, bool]] = field(default_factory=list)
    add: Callable[[Any, Any], Any] = field(init=False)  # the ledger's add, looked up once

    def __post_init__(self) -> None:
        self.add = self.spec.module().add
        self.columns = [
            (i, col, text, col.vtype in (DATE, DEADLINE) or (col.extra and col.enum is not None))
            for i, col, text in self.layout.columns
        ]

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
    lx: Any, kind: str, path: Path, *, dry_run: bool = False, progress: Progress | None = None
) -> Outcome:
    """Import `path` as records of `kind` in the transaction of `lx`: every row or none.

    Raises ImportFailed if any row is wrong (the caller's transaction then rolls back); a dry
    run checks every row the same way, and its caller rolls back (`writing(commit=False)`).
    """
    job = _start(lx, kind, path, dry_run)
    total, body = _body(job.layout)
    try:
        _rows(job, total, body, progress)
    finally:
        job.fx.stop()
    if progress is not None:
        progress(total, total)
    if job.problems:
        _fail(job.problems)
    return job.outcome


def _start(lx: Any, kind: str, path: Path, dry_run: bool) -> _Import:
    """Read the file, find its header and set up the import ledger."""
    from sanling.transfer.fastledger import ImportLedger

    spec = SPECS[kind]
    layout = locate(spec, read(path))
    sheet = layout.sheet
    outcome = Outcome(
        kind,
        path.name,
        sheet.name,
        layout.header_row + 1,
        ignored=layout.ignored,
        dry_run=dry_run,
        encoding=sheet.encoding,
    )
    headers = {col.key: text for _i, col, text in layout.columns}
    fx = ImportLedger(lx)
    if "town" not in headers:
        fx.town(None)  # several towns and no 所属乡镇 column: say so once, not on every row
    fx.start()
    return _Import(fx, spec, layout, outcome, headers, spec.existing(fx))


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
    return max(sheet.total - first, 0), enumerate(rows, start=first + 1)


def _rows(
    job: _Import,
    total: int,
    body: Iterator[tuple[int, list[Any]]],
    progress: Progress | None,
) -> None:
    """Every row through the pipeline; written in batches while no row is wrong."""
    from sqlalchemy.exc import DBAPIError

    try:
        for done, (number, cells) in enumerate(body, start=1):
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, total)
            parsed = _cells(job, number, cells)
            added = parsed is not None and _row(job, number, *parsed)
            if added and job.outcome.added % FLUSH_EVERY == 0 and not job.problems:
                job.fx.flush()
        if not job.problems:
            job.fx.finish()
    except DBAPIError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0][:300]
        job.wrong(
            None, None, tr("数据库拒绝写入：{r}", "the database refused the rows: {r}", r=reason)
        )


def _fail(problems: list[Problem]) -> None:
    bad_rows = len({p.row for p in problems})
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
        (extras if col.extra else values)[col.key] = value
    if not values and not extras and not bad:
        return None
    job.outcome.rows += 1
    if job.spec.kind == "disputes" and "status" not in extras and extras.get("result"):
        # Offices often write 已化解 / 未化解 in the 化解情况 column.
        from sanling.codes import DisputeStatus

        status = parse_code(DisputeStatus, str(extras["result"]))
        if status is not None:
            extras["status"] = status
    return values, extras, bad


def _checked(fx: Any, col: Col, text: str, value: Any) -> Any:
    """A date read against today (not in the future, unless a deadline), a code of the
    extras looked up; raises _Refused with the reason."""
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
        if key in job.seen:
            job.outcome.skipped += 1
            return False
        obj = job.add(fx, data)
    except SanlingError as exc:
        job.wrong(number, job.column_of(exc, row), exc.message)
        return False
    if not _after(job, obj, row):
        return False
    job.seen.add(key)
    _added(job.outcome, obj)
    return True


def _after(job: _Import, obj: Any, row: Row) -> bool:
    """What the row says happened after the record was added (a resolution, a closure...)."""
    if job.spec.after is None:
        return True
    try:
        job.spec.after(job.fx, obj, row)
    except ColumnError as exc:
        job.wrong(row.number, job.headers.get(exc.key), str(exc.error))
        return False
    except SanlingError as exc:
        job.wrong(row.number, _later_column(job, exc, row), exc.message)
        return False
    return True


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
