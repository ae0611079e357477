"""sanling patrol: public-order patrols (治安巡逻), with hours and person-hours."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanling.codes import PatrolKind, TeamKind
from sanling.commands import corrections
from sanling.commands.common import Filters, Format, Limit, Output, Rows, add_record, emit_list
from sanling.commands.options import From, To, Town, code_option, command_group, titled
from sanling.i18n import tr

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.models import Patrol
    from sanling.render import Column, Detail

app = command_group()

COLUMNS = [
    "ref",
    "date",
    "start",
    "end",
    "hours",
    "kind",
    "team",
    "leader",
    "people",
    "person_hours",
    "villages",
    "route",
    "findings",
    "action",
    "to_police",
    "hotspot",
]


def _columns() -> list["Column"]:
    titles = {"date": tr("巡逻日期", "date"), "people": tr("人数", "people")}
    return titled(COLUMNS, titles)


def _shown(ledger: "Ledger", patrol: "Patrol") -> "Detail":
    from sanling.ledger import patrol as patrols
    from sanling.render import Detail

    return Detail(patrols.row(patrol))


@app.command("add")
def add(
    team: Annotated[TeamKind, code_option(TeamKind, "--team", help="team kind 队伍类型")],
    leader: Annotated[str, typer.Option(help="who led it 带队人")],
    people: Annotated[int, typer.Option(help="headcount 人数", min=1, max=10_000)],
    village: Annotated[
        list[str] | None, typer.Option(help="village patrolled 巡逻村; repeat for several")
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            help="date the patrol started 巡逻日期"
            " (default today; a night patrol takes the evening's date)"
        ),
    ] = None,
    start: Annotated[str | None, typer.Option(help="start time HH:MM 开始时间")] = None,
    end: Annotated[
        str | None,
        typer.Option(help="end time HH:MM 结束时间 (earlier than --start means past midnight)"),
    ] = None,
    kind: Annotated[
        PatrolKind,
        code_option(PatrolKind, "--kind", help="routine|night|holiday|special 巡逻类型"),
    ] = PatrolKind.routine,
    route: Annotated[
        str | None, typer.Option(help="route 路线 (instead of, or besides, villages)")
    ] = None,
    findings: Annotated[str | None, typer.Option(help="what was found 发现问题")] = None,
    action: Annotated[str | None, typer.Option(help="what was done 处置情况")] = None,
    to_police: Annotated[
        bool, typer.Option("--to-police", help="handed to the police 移交公安")
    ] = False,
    hotspot: Annotated[
        str | None, typer.Option(help="hotspot patrolled, e.g. LD-2026-0001 关联乱点")
    ] = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Log a patrol (登记治安巡逻)."""
    params = {**locals(), "village": village or []}
    add_record("patrol", params, _shown)


def _totals(ledger: "Ledger", rows: Rows, filters: Filters) -> dict[str, Any]:
    from sanling.ledger import patrol as patrols

    counts = patrols.totals(ledger, **filters)
    return {
        "ref": tr("合计 {n} 次", "total {n}", n=counts["count"]),
        "hours": counts["hours"],
        "people": counts["people"],
        "person_hours": counts["person_hours"],
    }


@app.command("list")
def list_(
    village: Annotated[
        str | None, typer.Option(help="patrols that covered this village 巡逻村")
    ] = None,
    team: Annotated[
        TeamKind | None, code_option(TeamKind, "--team", help="only this team kind 队伍类型")
    ] = None,
    kind: Annotated[
        PatrolKind | None, code_option(PatrolKind, "--kind", help="only this kind 巡逻类型")
    ] = None,
    from_: From = None,
    to: To = None,
    town: Town = None,
    voided: corrections.Voided = False,
    fmt: Format = "table",
    output: Output = None,
    limit: Limit = None,
) -> None:
    """List patrols, newest first, with a total row: count, hours, person-hours (巡逻台账)."""
    from sanling.ledger import patrol as patrols

    filters = dict(village=village, team=team, kind=kind, town=town)
    emit_list(
        _columns(),
        patrols.listing,
        filters,
        fmt,
        output,
        dates=(from_, to),
        totals=_totals,
        voided="patrol" if voided else None,
        limit=limit,
    )


corrections.register(app, "patrol", _shown, show=True)
