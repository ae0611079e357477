"""sanling case: criminal and administrative cases (案件), each marked if it breaks 零案件."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanling.codes import CaseKind
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
from sanling.i18n import tr

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.models import Case
    from sanling.render import Detail

app = command_group()

COLUMNS = [
    "ref",
    "date",
    "village",
    "subject",
    "kind",
    "offence",
    "major",
    "summary",
    "source",
    "breaks_zero",
]


def _shown(ledger: "Ledger", case: "Case") -> "Detail":
    """The case as stored, with whether it breaks its zero (the ledger's policy)."""
    from sanling.ledger import case as cases
    from sanling.render import Detail

    return Detail(cases.row(case, ledger.policy))


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
    from sanling.ledger import case as cases
    from sanling.schemas import CaseIn

    add_record(CaseIn, locals(), cases.add, _shown, fmt, output)


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


@app.command("list")
def list_(
    village: OnlyVillage = None,
    kind: Annotated[
        CaseKind | None, code_option(CaseKind, "--kind", help="only this kind 案件类型")
    ] = None,
    breaking: Annotated[
        bool, typer.Option("--breaking", help="only those that break 零案件 破零")
    ] = False,
    from_: From = None,
    to: To = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """List cases, newest first; breaks_zero follows the ledger's 零案件 policy (案件台账)."""
    from sanling.ledger import case as cases

    filters = dict(village=village, kind=kind, breaking=breaking, town=town)
    emit_list(COLUMNS, cases.listing, filters, fmt, output, dates=(from_, to), totals=_totals)
