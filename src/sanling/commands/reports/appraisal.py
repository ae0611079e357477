"""sanling report appraisal: the year's appraisal on the score sheet (年度考评)."""

from typing import Annotated

import typer

from sanling.commands.reports.common import (
    AsRecorded,
    ExplainAppraisal,
    Output,
    ReportFormat,
    TownOpt,
    show,
)


def appraisal(
    year: Annotated[
        int | None,
        typer.Option("--year", help="YYYY 年度 (default this year)", min=1900, max=9999),
    ] = None,
    town: TownOpt = None,
    subject: Annotated[
        str | None,
        typer.Option("--subject", help="one subject, with its points by item 单个主体分项得分"),
    ] = None,
    fmt: ReportFormat = "table",
    output: Output = None,
    explain: ExplainAppraisal = None,
    as_recorded: AsRecorded = None,
) -> None:
    """Each subject's appraisal: the quarters averaged, vetoes and the pass mark (年度考评).

    --explain subjects.NAME.quarters.Q3 lists a quarter's items and where their points came
    from; subjects.NAME.quarters.Q3.ITEM the records a computed item used;
    subjects.NAME.vetoed_by the records that veto the subject."""
    from sanling.reports import appraisal as report

    show(
        lambda lx: report.build(lx, year or lx.today.year, town=town, subject=subject),
        fmt,
        output,
        explain,
        as_recorded,
    )
