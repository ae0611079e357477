"""sanling report sweep: the half-monthly sweep (半月排查)."""

from typing import Annotated

import typer

from sanling.commands.reports.common import Explain, Output, ReportFormat, TownOpt


def register(app: typer.Typer) -> None:
    """Adds `report sweep` to the report group."""

    @app.command("sweep")
    def sweep(
        date: Annotated[
            str | None, typer.Option("--date", help="a day of the half-month 日期 (default today)")
        ] = None,
        town: TownOpt = None,
        fmt: ReportFormat = "table",
        output: Output = None,
        explain: Explain = None,
    ) -> None:
        """The half-month containing the date: coverage, zero reports, disputes and hazards (半月排查)."""
        from sanling.commands.common import reading
        from sanling.commands.reports.common import emit_report
        from sanling.reports import sweep as report

        with reading() as lx:
            day = lx.date(date, "--date")
            emit_report(report.build(lx, day, town=town), fmt, output, explain)
