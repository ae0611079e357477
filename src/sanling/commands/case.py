"""sanling case: criminal and administrative cases (案件), each marked if it breaks 零案件."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanling.codes import CaseKind
from sanling.commands import breaking, corrections
from sanling.commands.common import Filters, Format, Output, Rows, add_record
from sanling.commands.options import Subject, Town, Village, code_option, command_group, total
from sanling.i18n import tr

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger

app = command_group()

COLUMNS = breaking.columns("kind", "offence", "major", "summary", "source")
_shown = breaking.shown("case")


@app.command("add")
def add(
    kind: Annotated[
        CaseKind, code_option(CaseKind, "--kind", help="criminal|administrative 刑事/行政（治安）")
    ],
    village: Village,
    summary: Annotated[str, typer.Option(help="what happened 简要案情")],
    subject: Subject = None,
    offence: Annotated[str | None, typer.Option(help="offence 案由 (e.g. 盗窃)")] = None,
    major: Annotated[bool, typer.Option("--major", help="has major impact 有重大影响")] = False,
    source: Annotated[str | None, typer.Option(help="reported by 来源 (e.g. 派出所)")] = None,
    date: Annotated[str | None, typer.Option(help="date 发案日期 (default today)")] = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Record a criminal or administrative case (登记案件)."""
    add_record("case", locals(), _shown)


def _totals(ledger: "Ledger", rows: Rows, filters: Filters) -> dict[str, Any]:
    from sanling.ledger import case as cases

    counts = cases.totals(ledger, **filters)
    return {
        "ref": total(counts["count"]),
        "kind": tr(
            "刑事 {c} / 行政 {a}",
            "criminal {c} / administrative {a}",
            c=counts["criminal"],
            a=counts["administrative"],
        ),
        "major": counts["major"],
        "breaks_zero": counts["breaking"],
    }


breaking.list_command(
    app,
    "case",
    CaseKind,
    (
        "only this kind 案件类型",
        "only those that break 零案件 破零",
        "List cases, newest first; breaks_zero follows the ledger's 零案件 policy (案件台账).",
    ),
    COLUMNS,
    _totals,
)


corrections.register(app, "case", _shown, show=True)
