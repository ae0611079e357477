"""What every command shares: the global state, option types, transactions and output.

Kept light: it imports Typer and the small core modules only, so `sanling --help` stays fast.
Heavy modules (SQLAlchemy, the ledger) are imported inside the functions that need them.
"""

from __future__ import annotations

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
@contextmanager
def writing() -> Iterator[Ledger]:
    """One write transaction (BEGIN IMMEDIATE on SQLite): all of the command or nothing."""
    from sanling.db import session_scope
    from sanling.ledger.base import Ledger

    with session_scope(state.url, write=True) as session:
        yield Ledger(session)


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
                tr("“{v}”不是可选值；可选：{c}", "'{v}' is not one of: {c}", v=value, c=choices(enum))
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
    typer.Option("--format", "-f", help="table, json, csv or markdown 输出格式",
                 metavar="table|json|csv|markdown"),
]
Output = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="write to this file instead of the screen 输出到文件",
                 dir_okay=False),
]


def check_format(fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        raise typer.BadParameter(
            tr("格式 {f} 不可用；可选：{a}", "format '{f}' is not one of: {a}", f=fmt, a=", ".join(allowed)),
            param_hint="'--format'",
        )
    return fmt


# ---- output ---------------------------------------------------------------------------
def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a whole file or nothing: a reader never sees half of it."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path = path.expanduser()
    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def emit(obj: Listing | Detail | Report, fmt: str = "table", output: Path | None = None,
         *, allowed: tuple[str, ...] | None = None) -> None:
    """Render a listing, record or report and print it or write it to `output`."""
    from sanling.render import FORMATS, render

    check_format(fmt, allowed or FORMATS)
    if fmt == "table" and output is None:
        from sanling.render.table import make_console, to_table

        to_table(obj, console=make_console())
        return
    data = render(obj, fmt)
    if output is not None:
        write_atomic(output, data)
        return
    if isinstance(data, bytes):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        sys.stdout.write(data)


def say(message: str) -> None:
    """A short confirmation on stderr, so stdout stays clean for pipes."""
    typer.echo(message, err=True)
