"""sanling sweep: half-monthly sweeps (半月一排查); one with no findings is a 零报告."""

from typing import Annotated

import typer

from sanling.codes import SweepScope
from sanling.commands.common import Format, Output, code_option, emit, reading, writing
from sanling.commands.options import command_group, date_range

app = command_group()

COLUMNS = ["ref", "date", "subject", "kind", "by", "scope", "findings_count", "zero_report", "note"]


@app.command("add")
def add(
    subject: Annotated[str, typer.Option(help="subject swept 排查主体")],
    by: Annotated[str, typer.Option(help="who swept 排查人")],
    date: Annotated[str | None, typer.Option(help="date 排查日期 (default today)")] = None,
    scope: SweepScope = code_option(
        SweepScope, "--scope", help="disputes|hazards|both 排查范围", default=SweepScope.both
    ),
    note: Annotated[str | None, typer.Option(help="note 备注")] = None,
    town: Annotated[str | None, typer.Option(help="town 乡镇")] = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Record a sweep of one subject (登记排查)."""
    from sanling.ledger import sweep as sweeps
    from sanling.render import Detail
    from sanling.schemas import SweepIn, validate

    data = validate(
        SweepIn, dict(subject=subject, by=by, date=date, scope=scope, note=note, town=town)
    )
    with writing() as lx:
        s = sweeps.add(lx, data)
        emit(
            Detail(sweeps.row(s, s.subject.name, s.subject.kind, s.subject.town.name, 0)),
            fmt,
            output,
        )


@app.command("list")
def list_(
    subject: Annotated[str | None, typer.Option(help="only this subject 主体")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="from date 起始日期")] = None,
    to: Annotated[str | None, typer.Option("--to", help="to date 截止日期")] = None,
    zero: Annotated[bool, typer.Option("--zero", help="zero reports only 仅零报告")] = False,
    town: Annotated[str | None, typer.Option(help="town 乡镇")] = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """List sweeps, newest first (排查记录)."""
    from sanling.ledger import sweep as sweeps
    from sanling.render import Listing

    with reading() as lx:
        start, end = date_range(lx, from_, to)
        rows = sweeps.listing(lx, subject=subject, town=town, start=start, end=end, zero_only=zero)
        emit(Listing.of(COLUMNS, rows), fmt, output)
