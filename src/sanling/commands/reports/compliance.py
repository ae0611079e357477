"""sanling report compliance: each subject's 三零 as of a month's end, against the targets
(三零达标)."""

from typing import Annotated

import typer

from sanling.commands.reports.common import (
    AsRecorded,
    ByTown,
    ExplainCompliance,
    Output,
    ReportFormat,
    TownOpt,
    show,
)


def compliance(
    month: Annotated[
        str | None,
        typer.Option("--month", help="YYYY-MM 月份 (default this month)", metavar="YYYY-MM"),
    ] = None,
    town: TownOpt = None,
    by_town: ByTown = False,
    fmt: ReportFormat = "table",
    output: Output = None,
    explain: ExplainCompliance = None,
    as_recorded: AsRecorded = None,
) -> None:
    """Which subjects hold 零上访, 零事故 and 零案件 this year as of the month's end, the
    rate of each kind against its target and the gap (三零达标)."""
    from sanling import periods
    from sanling.reports import compliance as report

    show(
        lambda lx: report.build(
            lx,
            periods.parse_month(month) if month else periods.month(lx.today),
            town=town,
            by_town=by_town,
        ),
        fmt,
        output,
        explain,
        as_recorded,
    )
