"""sanling report monthly: the monthly analysis (一月一研判)."""

from typing import Annotated

import typer

from sanling.commands.reports.common import Explain, Output, ReportFormat, TownOpt


def register(app: typer.Typer) -> None:
    """Adds `report monthly` to the report group."""

    @app.command("monthly")
    def monthly(
        month: Annotated[
            str | None,
            typer.Option("--month", help="YYYY-MM 月份 (default this month)", metavar="YYYY-MM"),
        ] = None,
        town: TownOpt = None,
        by_town: Annotated[
            bool, typer.Option("--by-town", help="add a table of towns (county) 分乡镇")
        ] = False,
        fmt: ReportFormat = "table",
        output: Output = None,
        explain: Explain = None,
    ) -> None:
        """The month against the month before and the same month last year, with findings (一月一研判)."""
        from sanling import periods
        from sanling.commands.common import reading
        from sanling.commands.reports.common import emit_report
        from sanling.reports import monthly as report

        with reading() as lx:
            period = periods.parse_month(month) if month else periods.month(lx.today)
            built = report.build(lx, period, town=town, by_town=by_town)
            if fmt == "table" and not explain:
                # The twelve-month trend drawn as bars: for the terminal only.
                built.parts.insert(1, report.trend_chart(built))
            emit_report(built, fmt, output, explain)
