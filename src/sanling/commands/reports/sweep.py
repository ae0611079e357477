"""sanling report sweep: the half-monthly sweep (半月排查)."""

from typing import Annotated

import typer

from sanling.commands.reports.common import AsRecorded, Explain, Output, ReportFormat, TownOpt, show


def sweep(
    date: Annotated[
        str | None, typer.Option("--date", help="a day of the half-month 日期 (default today)")
    ] = None,
    town: TownOpt = None,
    fmt: ReportFormat = "table",
    output: Output = None,
    explain: Explain = None,
    as_recorded: AsRecorded = None,
) -> None:
    """The half-month containing the date: coverage, zero reports, disputes and hazards
    (半月排查)."""
    from sanling.reports import sweep as report

    show(
        lambda lx: report.build(lx, lx.date(date, "--date"), town=town),
        fmt,
        output,
        explain,
        as_recorded,
    )
