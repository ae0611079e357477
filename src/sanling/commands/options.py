"""Options and parsers that several command modules share, so each is written once.

Light like commands/common.py: Typer and the small core modules only (`sanling --help`
must not import SQLAlchemy); the ledger is named for type checking only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanling.i18n import choices, parse_code, tr

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger


def command_group() -> typer.Typer:
    """A command group. Help is Click's plain text: Typer's Rich help imports rich.markdown
    and friends, which would double the time of `sanling --help` (README, Performance)."""
    return typer.Typer(no_args_is_help=True, rich_markup_mode=None)


Village = Annotated[str, typer.Option("--village", help="village or community 所属村（社区）")]
Subject = Annotated[
    str | None, typer.Option("--subject", help="unit or enterprise in the village 创建主体")
]
# The day something happened (a log entry, a petition): today unless given.
Date = Annotated[str | None, typer.Option("--date", help="date 日期 (default today)")]
Town = Annotated[str | None, typer.Option("--town", help="town, where two towns share a name 乡镇")]

# The filters of a list command.
OnlyVillage = Annotated[str | None, typer.Option("--village", help="only this village 所属村")]
# --from / --to on the record's own date (accident, case, patrol) ...
From = Annotated[str | None, typer.Option("--from", help="on or after 起始日期")]
To = Annotated[str | None, typer.Option("--to", help="on or before 截止日期")]
# ... and on the date a hazard or hotspot was found (发现日期).
FoundFrom = Annotated[str | None, typer.Option("--from", help="found on or after 发现日期起")]
FoundTo = Annotated[str | None, typer.Option("--to", help="found on or before 发现日期止")]


def date_range(
    lx: Ledger, from_: str | None, to: str | None
) -> tuple[dt.date | None, dt.date | None]:
    """The --from and --to of a list command: either may be left out; future dates allowed."""
    return (
        lx.optional_date(from_, "--from", allow_future=True),
        lx.optional_date(to, "--to", allow_future=True),
    )


def total(n: int) -> str:
    """The first cell of a list's total row."""
    return tr("合计 {n}", "total {n}", n=n)


def titled(keys: list[str], titles: dict[str, str]) -> list[Any]:
    """The columns of a listing; `titles` overrides the catalog header of a few of them."""
    from sanling.render import Column

    return [Column(k, titles.get(k)) for k in keys]


def status_parser(enum: type[StrEnum]) -> Callable[[str], str]:
    """A --status taking a code or label of `enum`, or overdue (逾期) / due-soon (临期),
    which the ledger computes as of a date."""

    def parse(value: str) -> str:
        low = str(value).strip().lower().replace("_", "-")
        if low in ("overdue", "逾期"):
            return "overdue"
        if low in ("due-soon", "临期"):
            return "due-soon"
        member = parse_code(enum, str(value))
        if member is None:
            raise typer.BadParameter(
                tr(
                    "“{v}”不是可选值；可选：{c}、overdue 逾期、due-soon 临期",
                    "'{v}' is not one of: {c}, overdue 逾期, due-soon 临期",
                    v=value,
                    c=choices(enum),
                )
            )
        return member

    parse.__name__ = enum.__name__
    return parse
