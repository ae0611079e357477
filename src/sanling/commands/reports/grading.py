"""sanling report grading: village scores and proposed grades (分级)."""

from typing import Annotated

import typer

from sanling.commands.reports.common import AsRecorded, Explain, Output, ReportFormat, TownOpt, show


def grading(
    date: Annotated[
        str | None, typer.Option("--date", help="score as of this date 日期 (default today)")
    ] = None,
    apply: Annotated[
        bool,
        typer.Option("--apply", help="record the proposed grades in the history 应用建议等级"),
    ] = False,
    town: TownOpt = None,
    fmt: ReportFormat = "table",
    output: Output = None,
    explain: Explain = None,
    as_recorded: AsRecorded = None,
) -> None:
    """Every village's score, its parts, current and proposed grade (村级分级); --apply records
    them."""
    from sanling.commands.common import say, writing
    from sanling.commands.reports.common import emit_report
    from sanling.errors import InvalidValue
    from sanling.i18n import tr
    from sanling.reports import grading as report

    if not apply:
        show(
            lambda lx: report.build(lx, lx.date(date, "--date"), town=town),
            fmt,
            output,
            explain,
            as_recorded,
        )
        return
    if explain or as_recorded:
        from sanling.errors import UsageError

        other = "--explain" if explain else "--as-recorded"
        raise UsageError(
            tr(
                "--apply 与 {o} 不能同时使用",
                "--apply and {o} do not go together",
                o=other,
            )
        )
    with writing() as lx:
        day = lx.date(date, "--date")
        if day != lx.today:
            raise InvalidValue(
                tr("--apply 只能用今天的评分", "--apply records today's grading only"),
                tr(
                    "去掉 --date，或不带 --apply 查看过去的评分",
                    "drop --date, or look at a past date without --apply",
                ),
            )
        built = report.build(lx, day, town=town)
        applied = report.apply(lx, built)
        # Show the report after the change: the grades now current.
        built = report.build(lx, day, town=town)
        emit_report(built, fmt, output, None)
    say(tr("已记录 {n} 个村的等级", "recorded the grade of {n} villages", n=len(applied)))
