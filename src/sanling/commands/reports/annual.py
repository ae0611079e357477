"""sanling report annual: the year's 三零 account (年度)."""

from typing import Annotated

import typer

from sanling.commands.reports.common import Explain, Output, ReportFormat, TownOpt


def register(app: typer.Typer) -> None:
    """Adds `report annual` to the report group."""

    @app.command("annual")
    def annual(
        year: Annotated[
            int | None,
            typer.Option("--year", help="YYYY 年度 (default this year)", min=1900, max=9999),
        ] = None,
        town: TownOpt = None,
        by_town: Annotated[
            bool, typer.Option("--by-town", help="add a table of towns (county) 分乡镇")
        ] = False,
        fmt: ReportFormat = "table",
        output: Output = None,
        explain: Explain = None,
    ) -> None:
        """The year's headline figures and each subject's 三零 result (年度三零创建情况)."""
        from sanling.commands.common import reading
        from sanling.commands.reports.common import emit_report
        from sanling.reports import annual as report

        with reading() as lx:
            built = report.build(lx, year or lx.today.year, town=town, by_town=by_town)
            emit_report(built, fmt, output, explain)
