"""sanling accident: safety accidents (事故), each marked if it breaks 零事故."""

from typing import Annotated

import typer

from sanling.codes import AccidentKind
from sanling.commands.common import Format, Output, code_option, emit, reading, writing
from sanling.commands.options import (
    From,
    OnlyVillage,
    Subject,
    To,
    Town,
    Village,
    command_group,
    date_range,
    total,
)

app = command_group()

COLUMNS = [
    "ref",
    "date",
    "village",
    "subject",
    "kind",
    "deaths",
    "serious_injuries",
    "injuries",
    "loss",
    "summary",
    "breaks_zero",
]


@app.command("add")
def add(
    village: Village,
    kind: AccidentKind = code_option(
        AccidentKind,
        "--kind",
        help="production|road|fire|drowning|geological|other 事故类型",
        default=...,
    ),
    summary: Annotated[str, typer.Option(help="what happened 简要情况")] = ...,  # type: ignore[assignment]
    subject: Subject = None,
    deaths: Annotated[int, typer.Option(help="deaths 死亡人数", min=0)] = 0,
    serious_injuries: Annotated[
        int, typer.Option("--serious-injuries", help="serious injuries 重伤人数", min=0)
    ] = 0,
    injuries: Annotated[int, typer.Option(help="other injuries 轻伤人数", min=0)] = 0,
    loss: Annotated[float, typer.Option(help="direct loss in yuan 直接经济损失（元）", min=0)] = 0,
    date: Annotated[str | None, typer.Option(help="date 事故日期 (default today)")] = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Record a safety accident (登记事故)."""
    from sanling.ledger import accident as accidents
    from sanling.render import Detail
    from sanling.schemas import AccidentIn, validate

    data = validate(
        AccidentIn,
        dict(
            village=village,
            subject=subject,
            kind=kind,
            summary=summary,
            deaths=deaths,
            serious_injuries=serious_injuries,
            injuries=injuries,
            loss=loss,
            date=date,
            town=town,
        ),
    )
    with writing() as lx:
        a = accidents.add(lx, data)
        emit(Detail(accidents.row(a, lx.policy)), fmt, output)


@app.command("list")
def list_(
    village: OnlyVillage = None,
    kind: AccidentKind | None = code_option(AccidentKind, "--kind", help="only this kind 事故类型"),
    breaking: Annotated[
        bool, typer.Option("--breaking", help="only those that break 零事故 破零")
    ] = False,
    from_: From = None,
    to: To = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """List accidents, newest first; breaks_zero follows the ledger's 零事故 policy (事故台账)."""
    from sanling.ledger import accident as accidents
    from sanling.render import Listing

    with reading() as lx:
        start, end = date_range(lx, from_, to)
        filters = dict(
            village=village,
            kind=kind,
            breaking=breaking,
            town=town,
            start=start,
            end=end,
        )
        rows = accidents.listing(lx, **filters)
        t = accidents.totals(lx, **filters)
        totals = {
            "ref": total(t["count"]),
            "deaths": t["deaths"],
            "serious_injuries": t["serious_injuries"],
            "injuries": t["injuries"],
            "loss": t["loss"],
            "breaks_zero": t["breaking"],
        }
        emit(Listing.of(COLUMNS, rows, totals=totals), fmt, output)
