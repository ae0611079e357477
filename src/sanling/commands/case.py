"""sanling case: criminal and administrative cases (案件), each marked if it breaks 零案件."""

from typing import Annotated

import typer

from sanling.codes import CaseKind
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
from sanling.i18n import tr

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


@app.command("add")
def add(
    kind: CaseKind = code_option(
        CaseKind, "--kind", help="criminal|administrative 刑事/行政（治安）", default=...
    ),
    village: Village = ...,  # type: ignore[assignment]
    summary: Annotated[str, typer.Option(help="what happened 简要案情")] = ...,  # type: ignore[assignment]
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
    from sanling.render import Detail
    from sanling.schemas import CaseIn, validate

    data = validate(
        CaseIn,
        dict(
            kind=kind,
            village=village,
            subject=subject,
            summary=summary,
            offence=offence,
            major=major,
            source=source,
            date=date,
            town=town,
        ),
    )
    with writing() as lx:
        c = cases.add(lx, data)
        emit(Detail(cases.row(c, lx.policy)), fmt, output)


@app.command("list")
def list_(
    village: OnlyVillage = None,
    kind: CaseKind | None = code_option(CaseKind, "--kind", help="only this kind 案件类型"),
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
        rows = cases.listing(lx, **filters)
        t = cases.totals(lx, **filters)
        totals = {
            "ref": total(t["count"]),
            "kind": tr(
                "刑事 {c} / 行政 {a}",
                "criminal {c} / administrative {a}",
                c=t["criminal"],
                a=t["administrative"],
            ),
            "major": t["major"],
            "breaks_zero": t["breaking"],
        }
        emit(Listing.of(COLUMNS, rows, totals=totals), fmt, output)
