"""Options and parsers that several command modules share, so each is written once.

Light like commands/common.py: Typer and the small core modules only (`sanling --help`
must not import SQLAlchemy); the ledger is named for type checking only.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanling.i18n import choices, parse_code, tr

if TYPE_CHECKING:
    from typer.models import OptionInfo

    from sanling.ledger.base import Ledger
    from sanling.render import Column


def command_group() -> typer.Typer:
    """A command group. Help is Click's plain text: Typer's Rich help imports rich.markdown
    and friends, which would double the time of `sanling --help` (README, Performance)."""
    return typer.Typer(no_args_is_help=True, rich_markup_mode=None)


def refused(zh: str, en: str, hint: str | None = None, **values: Any) -> typer.BadParameter:
    """A value refused, said in the ledger's language (`hint`: the parameter, as Click
    names it)."""
    return typer.BadParameter(tr(zh, en, **values), param_hint=hint)


def code_parser(
    enum: type[StrEnum], also: tuple[tuple[str, str], ...] = ()
) -> Callable[[str], StrEnum]:
    """Accept a code or its label (`land` or `土地山林`); refuse anything else with the choices
    (and `also`, the (code, 中文) pairs the caller takes beside the enum's)."""

    def parse(value: str) -> StrEnum:
        if isinstance(value, enum):
            return value
        member = parse_code(enum, str(value))
        if member is None:
            raise refused(
                "“{v}”不是可选值；可选：{c}",
                "'{v}' is not one of: {c}",
                v=value,
                c=choices(enum, also),
            )
        return member

    parse.__name__ = enum.__name__
    return parse


def metavar(enum: type[StrEnum]) -> str:
    return "|".join(member.value for member in enum)


def code_option(enum: type[StrEnum], *names: str, help: str) -> OptionInfo:
    """A Typer option taking one code of `enum` (or its Chinese label), for `Annotated[...]`.

    Required when the parameter has no default (Typer's way: no `= ...`)."""
    return typer.Option(*names, parser=code_parser(enum), metavar=metavar(enum), help=help)


Village = Annotated[str, typer.Option("--village", help="village or community 所属村（社区）")]
Subject = Annotated[
    str | None, typer.Option("--subject", help="unit or enterprise in the village 创建主体")
]
# The day something happened (a log entry, a petition): today unless given.
Date = Annotated[str | None, typer.Option("--date", help="date 日期 (default today)")]
Town = Annotated[str | None, typer.Option("--town", help="town, where two towns share a name 乡镇")]

# Counts and contacts of a town or subject.
Households = Annotated[int | None, typer.Option(help="households 户数", min=0)]
Population = Annotated[int | None, typer.Option(help="population 人口", min=0)]
Phone = Annotated[str | None, typer.Option(help="phone 联系电话")]

# The filters of a list command.
OnlyVillage = Annotated[str | None, typer.Option("--village", help="only this village 所属村")]
OnlyTown = Annotated[str | None, typer.Option("--town", help="only this town 乡镇")]  # reports
# --from / --to on the record's own date (accident, case, patrol) ...
From = Annotated[str | None, typer.Option("--from", help="on or after 起始日期")]
To = Annotated[str | None, typer.Option("--to", help="on or before 截止日期")]
# ... the same in other words (petition, sweep) ...
FromDate = Annotated[str | None, typer.Option("--from", help="from date 起始日期")]
ToDate = Annotated[str | None, typer.Option("--to", help="to date 截止日期")]
# ... and on the date a hazard or hotspot was found (发现日期).
FoundFrom = Annotated[str | None, typer.Option("--from", help="found on or after 发现日期起")]
FoundTo = Annotated[str | None, typer.Option("--to", help="found on or before 发现日期止")]


def date_range(
    ledger: Ledger, from_: str | None, to: str | None
) -> tuple[dt.date | None, dt.date | None]:
    """The --from and --to of a list command: either may be left out; future dates allowed."""
    return (
        ledger.optional_date(from_, "--from", allow_future=True),
        ledger.optional_date(to, "--to", allow_future=True),
    )


def total(n: int) -> str:
    """The first cell of a list's total row."""
    return tr("合计 {n}", "total {n}", n=n)


def rectified(summary: dict[str, Any]) -> str:
    """The rectified cell of a total row: how many, and the rate of those found (整改率)."""
    rate = "-" if summary["rate"] is None else f"{summary['rate']:.1f}%"
    return tr("{r}（{rate}）", "{r} ({rate})", r=summary["rectified"], rate=rate)


def titled(keys: list[str], titles: dict[str, str]) -> list[Column]:
    """The columns of a listing; `titles` overrides the catalog header of a few of them."""
    from sanling.render import Column

    return [Column(key, titles.get(key)) for key in keys]


# The --status values the ledger computes as of a date, beside a kind's own statuses.
DATED_STATUSES = (("overdue", "逾期"), ("due-soon", "临期"))


def status_parser(
    enum: type[StrEnum], also: tuple[tuple[str, str], ...] = ()
) -> Callable[[str], str]:
    """A --status taking a code or label of `enum`, or overdue (逾期) / due-soon (临期),
    which the ledger computes as of a date (and `also`, more (code, 中文) values the caller
    takes: each is returned as its code)."""
    code = code_parser(enum, also=(*also, *DATED_STATUSES))

    def parse(value: str) -> str:
        low = str(value).strip().lower().replace("_", "-")
        for extra, zh in also:
            if low in (extra, zh):
                return extra
        if low in ("overdue", "逾期"):
            return "overdue"
        if low in ("due-soon", "临期"):
            return "due-soon"
        return code(value)

    parse.__name__ = enum.__name__
    return parse


# ---- record options: one per field of a kind's add, from fields.py (issue 14) -----------
def record_options(kind: str) -> list[inspect.Parameter]:
    """The options of the fields `kind`'s add takes (fields.inputs), all optional: an edit
    changes the fields given and keeps the rest. Each is named, typed, bounded and helped
    from its declaration, so a field declared once is an add input, an import column and an
    edit option alike."""
    from sanling import fields

    params = []
    for f in fields.inputs(kind):
        name = "--" + f.key.replace("_", "-")
        help = f"{f.label('en')} {f.label('zh')}"
        lo, hi = f.bounds or (None, None)
        annotation: Any
        if f.vtype == fields.CODE:
            assert f.enum is not None
            annotation = Annotated[f.enum | None, code_option(f.enum, name, help=help)]
        elif f.vtype == fields.FLAG:
            flag = f"{name}/--no-{name[2:]}"
            annotation = Annotated[bool | None, typer.Option(flag, help=help)]
        elif f.vtype == fields.INT:
            low, high = (int(f.bounds[0]), int(f.bounds[1])) if f.bounds else (None, None)
            annotation = Annotated[int | None, typer.Option(name, help=help, min=low, max=high)]
        elif f.vtype == fields.FLOAT:
            annotation = Annotated[float | None, typer.Option(name, help=help, min=lo, max=hi)]
        elif f.vtype == fields.LIST:
            annotation = Annotated[list[str] | None, typer.Option(name, help=help)]
        else:
            annotation = Annotated[str | None, typer.Option(name, help=help)]
        params.append(
            inspect.Parameter(
                f.key, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation
            )
        )
    return params


def command_of(run: Callable[..., None], params: list[inspect.Parameter], doc: str) -> Any:
    """A Typer command calling `run(**options)` whose options are `params` (built, not
    written out: Typer reads the signature)."""

    def command(**options: Any) -> None:
        run(**options)

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    command.__doc__ = doc
    return command
