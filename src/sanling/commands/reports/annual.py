"""sanling report annual: the year's 三零 account (年度)."""

from typing import Annotated

import typer

from sanling.commands.reports.common import (
    AsRecorded,
    ByTown,
    Explain,
    Output,
    ReportFormat,
    TownOpt,
    show,
)


def annual(
    year: Annotated[
        int | None,
        typer.Option("--year", help="YYYY 年度 (default this year)", min=1900, max=9999),
    ] = None,
    town: TownOpt = None,
    by_town: ByTown = False,
    fmt: ReportFormat = "table",
    output: Output = None,
    explain: Explain = None,
    as_recorded: AsRecorded = None,
) -> None:
    """The year's headline figures and each subject's 三零 result (年度三零创建情况)."""
    from sanling.reports import annual as report

    show(
        lambda lx: report.build(lx, year or lx.today.year, town=town, by_town=by_town),
        fmt,
        output,
        explain,
        as_recorded,
    )
