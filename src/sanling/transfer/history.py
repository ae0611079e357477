"""A record's history on its way out and back in: progress notes (with 集体研判), backlog
notes, visits to key persons and the grade history of villages.

`sanling export` writes them beside the records: a second sheet 历史记录 (history) in .xlsx, a
`history` list beside `rows` in .json; CSV holds the records only. `sanling import` reads them
back for the records it adds, so a ledger exported and imported into an empty one shows every
record as it was: the history sheet is each added record's history, entry for entry (dates,
texts, who wrote them), and what the entries decide follows from them (a dispute with a
collective review is reviewed, a key person's last visit is the latest one, a village's grade
is its latest). Records already in the ledger (skipped rows) are left as they are.

The history sheet names each record as the records' sheet does: by its 编号 (a subject by its
name and town). Entries are kept in the order they were written; no personal data is in it
(a key person is named by 编号 only, never by name or ID number).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanling.codes import DisputeStatus, Grade, NoteKind
from sanling.errors import SanlingError
from sanling.fields import CODE, DATE, FLAG, TEXT, Field
from sanling.i18n import get_lang, parse_code, tr

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.transfer.importer import Problem, _Import
    from sanling.transfer.specs import Spec

SHEET = ("历史记录", "history")  # the xlsx sheet's name, zh and en (either is read back)
JSON_KEY = "history"
BATCH = 500  # records read at a time when their history is written


def _f(key: str, vtype: str, zh: str, en: str, **kw: Any) -> Field:
    return Field(key, vtype, title=(zh, en), **kw)


DATE_F = _f("date", DATE, "日期", "date", required=True)
NOTE_KIND = _f("kind", CODE, "事项", "entry", enum=NoteKind, required=True)
TEXT_F = _f("text", TEXT, "内容", "text", required=True)
OPERATOR = _f("operator", TEXT, "记录人", "written by", required=True)


@dataclass(frozen=True)
class Part:
    """One kind's history: the table of its entries and how they belong to a record."""

    kind: str
    model: str  # models.py class of an entry
    owner: str  # the entry's foreign key to its record
    fields: tuple[Field, ...]  # the entry's columns, each an attribute of the entry
    order: tuple[str, ...] = ("date", "id")  # the order `show` lists them in
    key: tuple[str, ...] = ("ref",)  # how the history sheet names the record
    settle: Callable[[Any, list[dict[str, Any]]], None] | None = None  # what entries decide

    def entry_model(self) -> Any:
        from sanling import models

        return getattr(models, self.model)


def _reviewed(record: Any, entries: list[dict[str, Any]]) -> None:
    if any(e["kind"] == NoteKind.review for e in entries):
        record.reviewed = True  # 集体研判: what `dispute review` sets


def _last_visit(record: Any, entries: list[dict[str, Any]]) -> None:
    record.last_visit = max((e["date"] for e in entries), default=None)


def _grade(record: Any, entries: list[dict[str, Any]]) -> None:
    if entries:
        record.grade, record.grade_manual = entries[-1]["grade"], entries[-1]["manual"]


PARTS: dict[str, Part] = {
    p.kind: p
    for p in (
        Part(
            "disputes",
            "DisputeNote",
            "dispute_id",
            (
                DATE_F,
                NOTE_KIND,
                _f("status", CODE, "状态", "status", enum=DisputeStatus),
                TEXT_F,
                OPERATOR,
            ),
            settle=_reviewed,
        ),
        Part("backlog", "BacklogNote", "case_id", (DATE_F, NOTE_KIND, TEXT_F, OPERATOR)),
        Part(
            "persons",
            "Visit",
            "person_id",
            (
                DATE_F,
                _f("by", TEXT, "走访人", "visited by", required=True),
                _f("note", TEXT, "走访情况", "note"),
            ),
            settle=_last_visit,
        ),
        Part(
            "subjects",
            "GradeChange",
            "subject_id",
            (
                DATE_F,
                _f("grade", CODE, "等级", "grade", enum=Grade, required=True),
                _f("previous", CODE, "原等级", "previous", enum=Grade),
                _f("manual", FLAG, "人工评定", "manual"),
                _f("reason", TEXT, "原因", "reason", required=True),
                OPERATOR,
            ),
            order=("id",),
            key=("name", "town"),
            settle=_grade,
        ),
    )
}


def _key_fields(spec: Spec) -> list[Field]:
    return [spec.by_key[k] for k in PARTS[spec.kind].key]


# ---- out -------------------------------------------------------------------------------------
def entries(lx: Ledger, spec: Spec, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The history of the exported records, theirs only, record by record in the file's order:
    each entry its record's key (编号, or a subject's name and town) and its own fields."""
    from sqlalchemy import select

    from sanling import models

    part = PARTS.get(spec.kind)
    if part is None or not records:
        return []
    entry = part.entry_model()
    table = spec.table()
    keys = [models.Town.name if k == "town" else getattr(table, k) for k in part.key]
    query = (
        select(*keys, *(getattr(entry, c.key) for c in part.fields))
        .join(entry, getattr(entry, part.owner) == table.id)
        .join(models.Town, models.Town.id == table.town_id)
        .order_by(table.id, *(getattr(entry, c) for c in part.order))
    )
    wanted = {tuple(r.get(k) for k in part.key) for r in records}
    names = [*part.key, *(c.key for c in part.fields)]
    width = len(part.key)
    return [
        dict(zip(names, row, strict=True))
        for row in lx.session.execute(query)
        if tuple(row[:width]) in wanted  # not a record left out of the export (a retired one)
    ]


def columns(spec: Spec) -> list[Field]:
    """The history sheet's columns: the record's key, then the entry's fields."""
    return [*_key_fields(spec), *PARTS[spec.kind].fields]


def sheet_name() -> str:
    return SHEET[0] if get_lang() == "zh" else SHEET[1]


# ---- back in -----------------------------------------------------------------------------------
def follow(job: _Import, path: Path) -> None:
    """Let an import bring the file's history in (the one call the importer makes).

    Notes which record each row of the file became; when every row is in (the import
    ledger's finish, reached only when no row is wrong), reads the history and writes it
    for the records this import added."""
    part = PARTS.get(job.spec.kind)
    if part is None:
        return
    added: dict[int, Any] = {}  # the row number in the file -> the record it added
    then = job.spec.after

    def after(lx: Any, obj: Any, row: Any) -> None:
        if then is not None:
            then(lx, obj, row)
        added[row.number] = obj

    job.spec = dataclasses.replace(job.spec, after=after)
    finish = job.fx.finish

    def finishing() -> None:
        finish()
        if added:
            _restore(job, part, path, added)

    job.fx.finish = finishing


def _restore(job: _Import, part: Part, path: Path, added: dict[int, Any]) -> None:
    from sanling.ledger.base import Ledger

    fx = job.fx
    lx = Ledger(fx.session, operator=fx.operator, today=fx.today)
    table = _read_history(path)
    if table is None:
        return
    sheet, rows = table
    if len(rows) < 2:
        return  # a header and no entry: the file says nothing of any record's history
    keys, known = _record_keys(job, path, added)
    problems: list[Problem] = []
    found = _entries(lx, job.spec, part, sheet, rows, known, problems)
    if problems:
        from sanling.transfer.importer import _fail

        _fail(problems)
    _write(lx, job, part, keys, added, found, path.name)


def _read_history(path: Path) -> tuple[str, list[list[Any]]] | None:
    """The history table of the file, header first, and where it is; None if it has none."""
    from sanling.transfer.read import EXCEL_SUFFIXES, decode, read

    suffix = path.suffix.lower()
    if suffix == ".json":
        data = json.loads(decode(path.read_bytes())[0])
        items = data.get(JSON_KEY) if isinstance(data, dict) else None
        if not isinstance(items, list) or not items:
            return None
        head = list(dict.fromkeys(k for o in items if isinstance(o, dict) for k in o))
        return JSON_KEY, [head, *([o.get(h) for h in head] for o in items if isinstance(o, dict))]
    if suffix not in EXCEL_SUFFIXES:
        return None
    for sheet in read(path):
        if sheet.name.strip().lower() in SHEET:
            return sheet.name, list(itertools.chain(sheet.rows, sheet.more))
    return None


def _main_rows(job: _Import, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each row of the records' sheet by its number, as its key columns give it."""
    from sanling.transfer.read import read
    from sanling.transfer.specs import norm

    spec = job.spec
    wanted = PARTS[spec.kind].key
    layout = job.layout
    if layout.sheet.objects is not None:
        for n, o in enumerate(layout.sheet.objects, start=1):
            yield n, {k: o.get(k) for k in wanted}
        return
    sheet = next(s for s in read(path) if s.name == layout.sheet.name)
    rows = itertools.chain(sheet.rows, sheet.more)
    head = next(itertools.islice(rows, layout.header_row, None))
    where: dict[str, int] = {}
    for i, text in enumerate(head):
        for k in wanted:
            names = {norm(n) for n in (k, *(spec.by_key[k].title or ()), *_catalog(k))}
            if k not in where and text is not None and norm(text) in names:
                where[k] = i
    for n, cells in enumerate(rows, start=layout.header_row + 2):
        yield n, {k: _text(cells[i]) if i < len(cells) else None for k, i in where.items()}


def _catalog(key: str) -> tuple[str, ...]:
    from sanling.i18n import HEADERS

    return HEADERS.get(key, ())


def _text(value: Any) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def _key(lx: Ledger, part: Part, values: dict[str, Any]) -> tuple[Any, ...]:
    """A record's key as compared: its 编号, or a subject's name and town id."""
    out: list[Any] = []
    for k in part.key:
        text = _text(values.get(k))
        if k == "town":  # by its id: a blank town is the ledger's only one
            try:
                out.append(lx.town(text).id)
            except SanlingError:
                out.append(None)
        else:
            out.append(text)
    return tuple(out)


def _record_keys(
    job: _Import, path: Path, added: dict[int, Any]
) -> tuple[dict[int, tuple[Any, ...]], set[tuple[Any, ...]]]:
    """The key of each added row, and those of every row of the records' sheet."""
    part = PARTS[job.spec.kind]
    keys = {}
    known = set()
    for n, values in _main_rows(job, path):
        key = _key(job.fx, part, values)
        known.add(key)
        if n in added:
            keys[n] = key
    return keys, known


def _entries(
    lx: Ledger,
    spec: Spec,
    part: Part,
    sheet: str,
    rows: list[list[Any]],
    known: set[tuple[Any, ...]],
    problems: list[Problem],
) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    """The history table's entries by record key; each bad cell a problem."""
    from sanling.transfer.importer import Problem
    from sanling.transfer.specs import norm

    cols = columns(spec)
    head = rows[0] if rows else []
    where: dict[str, tuple[int, str]] = {}
    for i, text in enumerate(head):
        if text is None:
            continue
        for c in cols:
            names = {norm(n) for n in (c.key, *(c.title or ()), *_catalog(c.key))}
            if c.key not in where and norm(text) in names:
                where[c.key] = (i, str(text))
    missing = [c for c in cols if c.required or c in _key_fields(spec)]
    missing = [c for c in missing if c.key not in where and c.key != "town"]
    for c in missing:
        problems.append(
            Problem(1, f"{sheet}", tr("缺少列：{c}", "missing column: {c}", c=c.heading()))
        )
    if missing:
        return {}
    out: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for number, cells in enumerate(rows[1:], start=2):
        values = {k: cells[i] if i < len(cells) else None for k, (i, _) in where.items()}
        if all(_text(v) is None for v in values.values()):
            continue
        key = _key(lx, part, {k: values.get(k) for k in part.key})
        if key not in known:
            header = where[part.key[0]][1]
            problems.append(
                Problem(
                    number,
                    f"{sheet}!{header}",
                    tr(
                        "记录表中没有“{k}”",
                        "'{k}' is not in the records' sheet",
                        k=_text(values.get(part.key[0])),
                    ),
                )
            )
            continue
        entry: dict[str, Any] = {}
        for c in part.fields:
            header = f"{sheet}!{where[c.key][1]}" if c.key in where else sheet
            try:
                entry[c.key] = _value(lx, c, values.get(c.key))
            except _Bad as exc:
                problems.append(Problem(number, header, str(exc)))
        out.setdefault(key, []).append(entry)
    return out


class _Bad(Exception):
    """A history cell that cannot be read."""


def _value(lx: Ledger, col: Field, raw: Any) -> Any:
    from sanling.i18n import choices
    from sanling.transfer.importer import to_date, to_text

    empty = raw is None or (isinstance(raw, str) and not raw.strip())
    if empty:
        if col.required:
            raise _Bad(tr("不能为空", "must not be empty"))
        return False if col.vtype == FLAG else None
    if col.vtype == DATE:
        try:
            return lx.date(to_date(raw), col.heading())
        except SanlingError as exc:
            raise _Bad(exc.message) from exc
    if col.vtype == CODE and col.enum is not None:
        member = parse_code(col.enum, to_text(raw))
        if member is None:
            raise _Bad(
                tr(
                    "“{v}”不是可选值；可选：{c}",
                    "'{v}' is not one of: {c}",
                    v=raw,
                    c=choices(col.enum),
                )
            )
        return member
    if col.vtype == FLAG:
        from sanling.schemas import _flag  # the yes/no words every import reads

        try:
            return _flag(raw)
        except ValueError as exc:
            raise _Bad(str(exc)) from exc
    return to_text(raw)


def _write(
    lx: Ledger,
    job: _Import,
    part: Part,
    keys: dict[int, tuple[Any, ...]],
    added: dict[int, Any],
    found: dict[tuple[Any, ...], list[dict[str, Any]]],
    file: str,
) -> None:
    """Each added record's history becomes the file's, and what it decides follows."""
    from sqlalchemy import delete, select

    from sanling.ledger.base import snapshot

    entry = part.entry_model()
    table = job.spec.table()
    owner = getattr(entry, part.owner)
    numbers = list(added)
    for start in range(0, len(numbers), BATCH):
        batch = {added[n].id: n for n in numbers[start : start + BATCH]}
        records = lx.session.scalars(select(table).where(table.id.in_(batch)).order_by(table.id))
        for record in records:
            items = found.get(keys.get(batch[record.id], ()), [])
            before = snapshot(record)
            done: Any = lx.session.execute(delete(entry).where(owner == record.id))
            gone = done.rowcount
            for item in items:
                lx.session.add(entry(**{part.owner: record.id}, **item))
            if part.settle is not None:
                part.settle(record, items)
            if not items and not gone:
                continue  # no history, none made by the import: nothing changed
            name = getattr(record, "ref", None) or getattr(record, "name", None)
            after = {**snapshot(record), JSON_KEY: len(items), "file": file}
            lx.audit(f"{job.spec.noun}.history", name, before, after)
    lx.session.flush()
