"""sanling accident: safety accidents (事故), each marked if it breaks 零事故."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanling.codes import AccidentKind
from sanling.commands.common import Filters, Format, Output, Rows, add_record, emit_list
from sanling.commands.options import (
    From,
    OnlyVillage,
    Subject,
    To,
    Town,
    Village,
    code_option,
    command_group,
    total,
)

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.models import Accident
    from sanling.render import Detail

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


def _shown(ledger: "Ledger", accident: "Accident") -> "Detail":
    """The accident as stored, with whether it breaks its zero (the ledger's policy)."""
    from sanling.ledger import accident as accidents
    from sanling.render import Detail

    return Detail(accidents.row(accident, ledger.policy))


@app.command("add")
def add(
    village: Village,
    kind: Annotated[
        AccidentKind,
        code_option(
            AccidentKind, "--kind", help="production|road|fire|drowning|geological|other 事故类型"
        ),
    ],
    summary: Annotated[str, typer.Option(help="what happened 简要情况")],
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
    from sanling.schemas import AccidentIn

    add_record(AccidentIn, locals(), accidents.add, _shown, fmt, output)


def _totals(ledger: "Ledger", rows: Rows, filters: Filters) -> dict[str, Any]:
    from sanling.ledger import accident as accidents

    counts = accidents.totals(ledger, **filters)
    return {
        "ref": total(counts["count"]),
        "deaths": counts["deaths"],
        "serious_injuries": counts["serious_injuries"],
        "injuries": counts["injuries"],
        "loss": counts["loss"],
        "breaks_zero": counts["breaking"],
    }


@app.command("list")
def list_(
    village: OnlyVillage = None,
    kind: Annotated[
        AccidentKind | None, code_option(AccidentKind, "--kind", help="only this kind 事故类型")
    ] = None,
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

    filters = dict(village=village, kind=kind, breaking=breaking, town=town)
    emit_list(COLUMNS, accidents.listing, filters, fmt, output, dates=(from_, to), totals=_totals)
