"""What every command shares: the global state, option types, transactions and output.

Kept light: it imports Typer and the small core modules only, so `sanling --help` stays fast.
Heavy modules (SQLAlchemy, the ledger) are imported inside the functions that need them.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanling.i18n import choices, parse_code, tr

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.render import Detail, Listing, Report


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
def writing() -> Iterator[Ledger]:
    """One write transaction (BEGIN IMMEDIATE on SQLite): all of the command or nothing.

    What the command emits inside the block is rendered there and printed after the commit.
    """
    global _deferred
    from sanling.db import session_scope
    from sanling.ledger.base import Ledger

    outer, _deferred = _deferred, []
    try:
        with session_scope(state.url, write=True) as session:
            yield Ledger(session)
        pending = _deferred
    finally:
        _deferred = outer
    for show in pending:
        show()


@contextmanager
def reading() -> Iterator[Ledger]:
    """A read-only transaction: never changes the ledger, never blocks a writer."""
    from sanling.db import session_scope
    from sanling.ledger.base import Ledger

    with session_scope(state.url, write=False) as session:
        yield Ledger(session)


# ---- option types ---------------------------------------------------------------------
def code_parser(enum: type[StrEnum]) -> Callable[[str], StrEnum]:
    """Accept a code or its label (`land` or `土地山林`); refuse anything else with the choices."""

    def parse(value: str) -> StrEnum:
        if isinstance(value, enum):
            return value
        member = parse_code(enum, str(value))
        if member is None:
            raise typer.BadParameter(
                tr(
                    "“{v}”不是可选值；可选：{c}",
                    "'{v}' is not one of: {c}",
                    v=value,
                    c=choices(enum),
                )
            )
        return member

    parse.__name__ = enum.__name__
    return parse


def metavar(enum: type[StrEnum]) -> str:
    return "|".join(m.value for m in enum)


def code_option(enum: type[StrEnum], *names: str, help: str, default: Any = None) -> Any:
    """A Typer option taking one code of `enum` (or its Chinese label)."""
    return typer.Option(default, *names, parser=code_parser(enum), metavar=metavar(enum), help=help)


Format = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="table, json, csv or markdown 输出格式",
        metavar="table|json|csv|markdown",
    ),
]
Output = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="write to this file instead of the screen 输出到文件", dir_okay=False
    ),
]


def check_format(fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        raise typer.BadParameter(
            tr(
                "格式 {f} 不可用；可选：{a}",
                "format '{f}' is not one of: {a}",
                f=fmt,
                a=", ".join(allowed),
            ),
            param_hint="'--format'",
        )
    return fmt


# ---- output ---------------------------------------------------------------------------
def write_atomic(path: Path, data: str | bytes, *, private: bool = False) -> None:
    """Write a whole file or nothing: a reader never sees half of it.

    `private` files (unmasked personal data) are readable by their owner only.
    """
    from sanling.errors import SanlingError

    raw = data.encode("utf-8") if isinstance(data, str) else data
    path = path.expanduser()
    directory = path.parent if str(path.parent) else Path(".")
    tmp = ""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600 if private else 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        raise SanlingError(
            tr("无法写入 {p}：{r}", "cannot write {p}: {r}", p=path, r=exc.strerror or exc),
            tr("检查路径和权限", "check the folder and its permissions"),
        )


def emit(
    obj: Listing | Detail | Report,
    fmt: str = "table",
    output: Path | None = None,
    *,
    allowed: tuple[str, ...] | None = None,
    private: bool = False,
) -> None:
    """Render a listing, record or report and print it or write it to `output`.

    Inside `writing()` the rendered output is held until the transaction commits.
    """
    from sanling.render import FORMATS, render

    check_format(fmt, allowed or FORMATS)
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


class _Capture(io.StringIO):
    """A buffer that renders like the real stdout (colour only on a terminal)."""

    def isatty(self) -> bool:
        return sys.stdout.isatty()


def say(message: str) -> None:
    """A short confirmation on stderr, so stdout stays clean for pipes."""
    typer.echo(message, err=True)
