"""sanling report monthly: the monthly analysis (一月一研判)."""

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


def monthly(
    month: Annotated[
        str | None,
        typer.Option("--month", help="YYYY-MM 月份 (default this month)", metavar="YYYY-MM"),
    ] = None,
    town: TownOpt = None,
    by_town: ByTown = False,
    fmt: ReportFormat = "table",
    output: Output = None,
    explain: Explain = None,
    as_recorded: AsRecorded = None,
    changes_since: Annotated[
        str | None,
        typer.Option(
            "--changes-since",
            help="also list the records added, corrected or voided since this moment "
            "(ISO 8601) 此后的变动",
            metavar="DATETIME",
        ),
    ] = None,
) -> None:
    """The month against the month before and the same month last year, with findings
    (一月一研判)."""
    from sanling import periods
    from sanling.ledger.base import Ledger
    from sanling.reports import monthly as report

    def build(lx: Ledger) -> report.BuiltReport:
        period = periods.parse_month(month) if month else periods.month(lx.today)
        built = report.build(lx, period, town=town, by_town=by_town)
        if changes_since is not None:
            from sanling.ledger.recorded import parse_moment
            from sanling.reports import changes, queries

            since = parse_moment(changes_since, lx.policy.timezone, option="--changes-since")
            tid = queries.town_id(lx, town)
            changes.add_to(built, lx, since, built.payload["as_of"], tid)
        if fmt == "table" and not explain:
            # The twelve-month trend drawn as bars: for the terminal only.
            built.parts.insert(1, report.trend_chart(built))
        return built

    show(build, fmt, output, explain, as_recorded)
