"""What every command shares: the global state, transactions, the output options and output,
and the shapes of the nouns' commands (add or change, show, list).

Kept light: it imports Typer and the small core modules only, so `sanling --help` stays fast.
Heavy modules (SQLAlchemy, the ledger) are imported inside the functions that need them.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.models import OptionInfo

from sanling.commands.options import date_range, refused
from sanling.errors import os_reason
from sanling.i18n import tr

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.render import Column, Detail, Listing, Report
    from sanling.schemas import Input

Record = TypeVar("Record")
Rows = list[dict[str, Any]]
Filters = dict[str, Any]  # a list command's filters, as the ledger's listing takes them


@dataclass
class State:
    db: str | None = None
    lang: str = "zh"

    @property
    def url(self) -> str:
        from sanling.db import resolve_url

        return resolve_url(self.db)


state = State()


# ---- transactions ---------------------------------------------------------------------
# Output of a writing command waits here until its transaction has committed, so a closed
# pipe or a full disk can never undo (or half-do) a change that was asked for.
_deferred: list[Callable[[], None]] | None = None


@contextmanager
def writing(*, commit: bool = True) -> Iterator[Ledger]:
    """One write transaction (BEGIN IMMEDIATE on SQLite): all of the command or nothing.

    What the command emits inside the block is rendered there and printed after the commit.
    `commit=False` rolls the transaction back at the end (a dry run sees what a run would).
    """
    global _deferred
    from sanling.db import session_scope
    from sanling.ledger.base import Ledger

    outer, _deferred = _deferred, []
    try:
        with session_scope(state.url, write=True, commit=commit) as session:
            yield Ledger(session)
        pending = _deferred
    finally:
        _deferred = outer
    committed.append(commit)
    for show in pending:
        show()


# Whether this process has committed a change (so a Ctrl-C after it does not claim that
# nothing was saved); reset by the root command.
committed: list[bool] = []


def saved() -> bool:
    return any(committed)


@contextmanager
def reading(*, lock: bool = False) -> Iterator[Ledger]:
    """A read-only transaction: never changes the ledger, never blocks a writer.

    `lock=True` takes the writer's lock for a reader that changes rows only to look at them
    (--as-recorded rewinds the ledger): the transaction is always rolled back."""
    from sanling.db import session_scope
    from sanling.ledger.base import Ledger

    with session_scope(state.url, write=lock, commit=False) as session:
        yield Ledger(session)


def unreadable(reason: str) -> str | None:
    """The value stored in the ledger that cannot be read (a code not in its list, a
    malformed date: written with SQL behind sanling's back), named by its record as `db
    check` names it: the one `reason` (the reading's error) quotes, else the first, with how
    many more there are. None if none is found."""
    from sanling.ledger.check import validate_stored_values

    try:
        with reading() as ledger:
            found = validate_stored_values(ledger)
    except Exception:  # the ledger cannot be read even so: the caller says what it knows
        return None
    if not found:
        return None
    quoted = [p for p in found if any(f"'{v}'" in reason for v in _quoted(p))]
    first = (quoted or found)[0]
    if len(found) == 1:
        return first
    return tr("{p}，另有 {n} 处", "{p}, and {n} more", p=first, n=len(found) - 1)


def _quoted(problem: str) -> list[str]:
    """The values a problem of validate_stored_values quotes ('bogus', “bogus”)."""
    import re

    return [a or b for a, b in re.findall(r"'([^']*)'|“([^”]*)”", problem)]


# ---- reveals of personal data -----------------------------------------------------------
@contextmanager
def revealing(record: Callable[[Ledger], None], output: Path | None) -> Iterator[Ledger]:
    """A read of unmasked personal data, audited when (and only when) the data left.

    What the block emits is delivered inside the transaction: then `record(ledger)` writes
    the reveal to the audit log and the transaction commits. Nothing written (a folder that
    cannot be written to, a render that failed): nothing recorded. Data that began to reach
    the screen before a failure is recorded all the same, in a transaction of its own.
    """
    global _deferred
    from sanling.db import session_scope
    from sanling.ledger.base import Ledger

    outer, _deferred = _deferred, []
    left = False
    try:
        with session_scope(state.url, write=True) as session:
            ledger = Ledger(session)
            yield ledger
            pending, _deferred = _deferred, None  # delivered now, not after the commit
            for show in pending:
                left = left or output is None  # the screen: it left as printing began
                show()
                left = True
            record(ledger)
    except BaseException:
        if left:
            _deferred = None
            with writing() as ledger:
                record(ledger)
        raise
    finally:
        _deferred = outer


def reading_personal(
    noun: str, reveal: bool, refs: list[str], via: str, output: Path | None
) -> AbstractContextManager[Ledger]:
    """A read transaction, or with --reveal one that audits (`<noun>.reveal`) the reveal of
    `refs` (filled in by the block: the records shown) once the data has left."""
    if not reveal:
        return reading()
    return revealing(lambda ledger: ledger.revealed(noun, refs, via), output)


def later(show: Callable[[], None]) -> None:
    """Run `show` when the command's output is delivered (after the commit in `writing()`,
    before it in `revealing()`), or now outside both."""
    if _deferred is None:
        show()
    else:
        _deferred.append(show)


# ---- output options: one set for every command ---------------------------------------
def _format_option(formats: str) -> OptionInfo:
    """--format / -f taking `formats` (a|b|c), its help spelled from them."""
    *most, last = formats.split("|")
    return typer.Option(
        "--format", "-f", help=f"{', '.join(most)} or {last} 输出格式", metavar=formats
    )


def _output_option(help: str) -> OptionInfo:
    return typer.Option("--output", "-o", help=help, dir_okay=False)


# render.FORMATS and render.REPORT_FORMATS, spelled out: `sanling --help` does not import render.
Format = Annotated[str, _format_option("table|json|csv|markdown")]
Output = Annotated[
    Path | None, _output_option("write to this file instead of the screen 输出到文件")
]
# A report also renders as text, HTML or a workbook; its file is written atomically.
ReportFormat = Annotated[str, _format_option("table|json|csv|markdown|text|html|xlsx")]
ReportOutput = Annotated[Path | None, _output_option("write to this file (atomically) 输出到文件")]


# --limit of every list command: a terminal table shows TABLE_LIMIT rows unless told;
# CSV, JSON and files get every row unless told. The rows kept are the newest records (the
# highest reference numbers), shown in the list's own order; rows that are not numbered
# records (subjects, towns, settings) are kept from the top.
Limit = Annotated[
    int | None,
    typer.Option(
        "--limit",
        min=0,
        metavar="N",
        help="the N newest records (0: all; a table on screen shows 50 unless given)"
        " 最多显示条数（最新的）",
    ),
]
TABLE_LIMIT = 50


def limited(rows: Rows, limit: int | None, fmt: str, output: Path | None) -> tuple[Rows, int, bool]:
    """The rows to show under --limit, how many are left out, and whether those left out are
    the older records (numbered records: the newest are kept) or just the rest."""
    most = limit if limit is not None else TABLE_LIMIT if fmt == "table" and not output else 0
    if not most or len(rows) <= most:
        return rows, 0, False
    order = [key for row in rows if (key := _ref_order(row.get("ref"))) is not None]
    if len(order) < len(rows):
        return rows[:most], len(rows) - most, False
    newest = set(sorted(range(len(rows)), key=order.__getitem__)[-most:])
    return [row for i, row in enumerate(rows) if i in newest], len(rows) - most, True


def _ref_order(ref: Any) -> tuple[int, int] | None:
    """JF-2026-0123 -> (2026, 123): the order records were numbered in; None if not a number."""
    parts = ref.split("-") if isinstance(ref, str) else []
    if len(parts) != 3 or not (parts[1].isdigit() and parts[2].isdigit()):
        return None
    return int(parts[1]), int(parts[2])


def check_format(fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        raise refused(
            "格式 {f} 不可用；可选：{a}",
            "format '{f}' is not one of: {a}",
            "'--format'",
            f=fmt,
            a=", ".join(allowed),
        )
    return fmt


# ---- output ---------------------------------------------------------------------------
def write_atomic(path: Path, data: str | bytes, *, private: bool = False) -> None:
    """Write a whole file or nothing: a reader never sees half of it.

    Only a regular file is replaced (through a temporary file renamed over it); a symbolic
    link's target is the file replaced. A FIFO, a terminal or another device (`-o
    /dev/stdout`) is written to as it is, never replaced; a folder is refused, and so is a
    folder that does not exist (it is not created). A new file
    takes the umask's mode (0666 less the umask), an existing one keeps its mode; `private`
    files (personal data) are readable by their owner only (0600).
    """
    from sanling.errors import SanlingError

    raw = data.encode("utf-8") if isinstance(data, str) else data
    path = path.expanduser()
    hint = tr("检查路径和权限", "check the folder and its permissions")
    try:
        found = os.stat(path)  # through any symbolic link
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise SanlingError(
            tr("无法写入 {p}：{r}", "cannot write {p}: {r}", p=path, r=os_reason(exc)), hint
        )
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise SanlingError(
            tr("{p} 是文件夹，不是文件", "{p} is a folder, not a file", p=path),
            tr("在 -o 后写文件名，如 {p}/out.csv", "name a file, e.g. {p}/out.csv", p=path),
        )
    if found is not None and (
        not stat.S_ISREG(found.st_mode) or os.path.abspath(path).startswith(("/dev/", "/proc/"))
    ):
        _write_through(path, raw, hint)
        return
    target = Path(os.path.realpath(path))  # a symbolic link: its target is replaced
    if private:
        mode = 0o600
    elif found is not None:
        mode = stat.S_IMODE(found.st_mode)
    else:
        mode = 0o666 & ~_umask()
    directory = target.parent
    if not directory.is_dir():  # a mistyped folder is not made: the file would be lost in it
        raise SanlingError(
            tr("文件夹 {d} 不存在", "the folder {d} does not exist", d=directory),
            tr("先建好文件夹（mkdir -p {d}）再写入", "create it first (mkdir -p {d})", d=directory),
        )
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)  # 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        raise SanlingError(
            tr("无法写入 {p}：{r}", "cannot write {p}: {r}", p=path, r=os_reason(exc)), hint
        )


def _write_through(path: Path, raw: bytes, hint: str) -> None:
    """Write into what is there (a FIFO, a terminal, /dev/stdout): appended, never created,
    never truncated (a shell's `>>` file behind /dev/stdout keeps what it held)."""
    from sanling.errors import SanlingError

    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
    except OSError as exc:
        raise SanlingError(
            tr("无法写入 {p}：{r}", "cannot write {p}: {r}", p=path, r=os_reason(exc)), hint
        )


def _umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _masked(obj: Listing | Detail | Report) -> Listing | Detail | Report:
    """A listing or record with each record's personal fields masked (privacy.masked_record:
    by the kind its reference names); a report as it is (reports never name people)."""
    from dataclasses import replace

    from sanling.privacy import masked_record
    from sanling.render import Detail, Listing

    if isinstance(obj, Listing):
        return replace(obj, rows=[masked_record(row) for row in obj.rows])
    if isinstance(obj, Detail):
        return replace(obj, fields=masked_record(obj.fields))
    return obj


def emit(
    obj: Listing | Detail | Report,
    fmt: str = "table",
    output: Path | None = None,
    *,
    allowed: tuple[str, ...] | None = None,
    private: bool = False,
    reveal: bool = False,
) -> None:
    """Render a listing, record or report and print it or write it to `output`.

    Inside `writing()` the rendered output is held until the transaction commits. The
    personal data of a record (fields.py `mask`) is masked unless `reveal` (a --reveal the
    caller audits).
    """
    from sanling.render import FORMATS, render

    check_format(fmt, allowed or FORMATS)
    if not reveal:
        obj = _masked(obj)
    show: Callable[[], None]
    if fmt == "table" and output is None:
        from sanling.render.table import make_console, to_table

        def show() -> None:
            to_table(obj, console=make_console())

        if _deferred is None:
            show()
        else:
            # Rendered now (a failure rolls back), printed in colour after the commit.
            capture = _Capture()
            to_table(obj, console=make_console(capture))

            def show_captured() -> None:
                sys.stdout.write(capture.getvalue())

            _deferred.append(show_captured)
        return
    if fmt == "json" and output is None and _deferred is None:
        # A reading command prints JSON as it is encoded: a province's report never sits
        # in memory twice over as text.
        from sanling.render.jsonfmt import json_chunks

        try:
            for chunk in json_chunks(obj):
                sys.stdout.write(chunk)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader stopped (`| head`): stop writing, quietly, as a single write did.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    data = render(obj, fmt)
    if output is not None:
        target = output

        def show() -> None:
            write_atomic(target, data, private=private)
    elif isinstance(data, bytes):
        raw = data

        def show() -> None:
            sys.stdout.buffer.write(raw)
            sys.stdout.flush()
    else:
        text_out = data

        def show() -> None:
            sys.stdout.write(text_out)

    if _deferred is None:
        show()
    else:
        _deferred.append(show)


# ---- the shapes every noun's commands share ---------------------------------------------
def add_record(noun: str, params: dict[str, Any], show: Callable[[Ledger, Any], Detail]) -> None:
    """An add command: its input validated before any transaction, the record added by the
    ledger's `<noun>.add`, then shown as stored. The input is schemas' `<Noun>In`, each field
    taken from the command's parameter of that name (`params`: `locals()` on entry, which
    also hold fmt and output), so no field is written out a second time."""
    from importlib import import_module

    from sanling import schemas

    add = import_module(f"sanling.ledger.{noun}").add
    schema: type[Input] = getattr(schemas, f"{noun.capitalize()}In")
    fields = {name: params[name] for name in schema.model_fields if name in params}
    data = schemas.validate(schema, fields)
    change(lambda ledger: add(ledger, data), show, params["fmt"], params["output"])


def change(
    act: Callable[[Ledger], Record],
    show: Callable[[Ledger, Record], Detail],
    fmt: str,
    output: Path | None,
) -> None:
    """One change in one write transaction, then the record as it now stands."""
    with writing() as ledger:
        record = act(ledger)
        emit(show(ledger, record), fmt, output)


def by_ref(detail: Callable[[Ledger, str], Detail]) -> Callable[[Ledger, Any], Detail]:
    """A changed record shown as `detail` shows it by its reference (the show command's)."""
    return lambda ledger, record: detail(ledger, record.ref)


def step(
    noun: str,
    action: str,
    show: Callable[[Ledger, Any], Detail],
    fmt: str,
    output: Path | None,
    *args: Any,
    **kwargs: Any,
) -> None:
    """A command that takes one step on a record: the ledger's `<noun>.<action>(ledger,
    *args, **kwargs)` in one write transaction, then the record as it now stands."""
    from importlib import import_module

    act = getattr(import_module(f"sanling.ledger.{noun}"), action)
    change(lambda ledger: act(ledger, *args, **kwargs), show, fmt, output)


def emit_read(
    read: Callable[[Ledger], Detail], fmt: str, output: Path | None, *, reveal: str | None = None
) -> None:
    """A show command: one record read in a read-only transaction, then printed; a voided
    record too, stamped, with its corrections (commands/corrections.annotate). `reveal` (a
    noun): personal data is not masked, and the reveal is audited once it has left (a file
    of it is its owner's only)."""
    from sanling.commands.corrections import annotate
    from sanling.render import FORMATS

    refs: list[str] = []
    if reveal:
        check_format(fmt, FORMATS)  # a refused format reveals nothing, records nothing
    context = reading_personal(reveal or "", bool(reveal), refs, f"{reveal} show", output)
    with context as ledger, ledger.showing():
        detail = annotate(ledger, read(ledger))
        refs.append(str(detail.fields.get("ref")))
        emit(detail, fmt, output, private=bool(reveal), reveal=bool(reveal))


def emit_list(
    columns: list[str] | list[Column],
    listing: Callable[..., Rows],
    filters: Filters,
    fmt: str,
    output: Path | None,
    *,
    dates: tuple[str | None, str | None] | None = None,
    totals: Callable[[Ledger, Rows, Filters], dict[str, Any]] | None = None,
    voided: str | None = None,
    limit: int | None = None,
    reveal: str | None = None,
) -> None:
    """A list command: its filters (a value given as a function of the ledger is worked out
    first, in order, then --from/--to), the rows, and the total row if the noun has one.
    `voided` (a noun): its voided records only (`list --voided`), with their void stamp.
    `reveal` (a noun): personal data is not masked, and the rows shown are audited as
    revealed once they have left (a file of them is its owner's only)."""
    from sanling.render import Column, Listing

    refs: list[str] = []
    context = reading_personal(reveal or "", bool(reveal), refs, f"{reveal} list", output)
    with context as ledger, voided_only(ledger, voided):
        filters = {
            name: value(ledger) if callable(value) else value for name, value in filters.items()
        }
        if dates is not None:
            filters["start"], filters["end"] = date_range(ledger, *dates)
        rows = listing(ledger, **filters)
        total_row = totals(ledger, rows, filters) if totals else None  # of every row
        heads = [key if isinstance(key, Column) else Column(key) for key in columns]
        if voided:
            from sanling.commands.corrections import stamped

            heads += stamped(ledger, voided, rows)
        shown, more, older = limited(rows, limit, fmt, output)
        refs += [str(row["ref"]) for row in shown if row.get("ref")]
        listing_ = Listing(heads, shown, totals=total_row, more=more, older=older)
        emit(listing_, fmt, output, private=bool(reveal), reveal=bool(reveal))


@contextmanager
def voided_only(ledger: Ledger, noun: str | None) -> Iterator[None]:
    """Inside the block the records of kind `noun` are its voided ones only (its links and
    figures of other kinds as always); nothing changes when `noun` is None."""
    if noun is None:
        yield
        return
    from sanling.ledger.corrections import KINDS
    from sanling.models import ONLY_VOIDED

    ledger.session.info[ONLY_VOIDED] = KINDS[noun].model
    try:
        yield
    finally:
        ledger.session.info.pop(ONLY_VOIDED, None)


class _Capture(io.StringIO):
    """A buffer that renders like the real stdout (colour only on a terminal)."""

    def isatty(self) -> bool:
        return sys.stdout.isatty()


def say(message: str) -> None:
    """A short confirmation on stderr, so stdout stays clean for pipes."""
    typer.echo(message, err=True)
