"""sanling accident: safety accidents (事故), each marked if it breaks 零事故."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanling.codes import AccidentKind
from sanling.commands import breaking, corrections
from sanling.commands.common import Filters, Format, Output, Rows, add_record
from sanling.commands.options import Subject, Town, Village, code_option, command_group, total

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger

app = command_group()

COLUMNS = breaking.columns("kind", "deaths", "serious_injuries", "injuries", "loss", "summary")
_shown = breaking.shown("accident")


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
    add_record("accident", locals(), _shown)


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


breaking.list_command(
    app,
    "accident",
    AccidentKind,
    (
        "only this kind 事故类型",
        "only those that break 零事故 破零",
        "List accidents, newest first; breaks_zero follows the ledger's 零事故 policy (事故台账).",
    ),
    COLUMNS,
    _totals,
)


corrections.register(app, "accident", _shown, show=True)
