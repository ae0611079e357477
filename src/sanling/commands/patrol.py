"""sanling patrol: public-order patrols (治安巡逻), with hours and person-hours."""

from typing import Annotated, Any

import typer

from sanling.codes import PatrolKind, TeamKind
from sanling.commands.common import Format, Output, code_option, emit, reading, writing
from sanling.commands.options import From, To, Town, command_group, date_range, titled
from sanling.i18n import tr

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


def _columns() -> list[Any]:
    titles = {"date": tr("巡逻日期", "date"), "people": tr("人数", "people")}
    return titled(COLUMNS, titles)


@app.command("add")
def add(
    team: TeamKind = code_option(TeamKind, "--team", help="team kind 队伍类型", default=...),
    leader: Annotated[str, typer.Option(help="who led it 带队人")] = ...,  # type: ignore[assignment]
    people: Annotated[int, typer.Option(help="headcount 人数", min=1, max=10_000)] = ...,  # type: ignore[assignment]
    village: Annotated[
        list[str] | None, typer.Option(help="village patrolled 巡逻村; repeat for several")
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            help="date the patrol started 巡逻日期 (default today; a night patrol takes the evening's date)"
        ),
    ] = None,
    start: Annotated[str | None, typer.Option(help="start time HH:MM 开始时间")] = None,
    end: Annotated[
        str | None,
        typer.Option(help="end time HH:MM 结束时间 (earlier than --start means past midnight)"),
    ] = None,
    kind: PatrolKind = code_option(
        PatrolKind,
        "--kind",
        help="routine|night|holiday|special 巡逻类型",
        default=PatrolKind.routine,
    ),
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
    from sanling.ledger import patrol as patrols
    from sanling.render import Detail
    from sanling.schemas import PatrolIn, validate

    data = validate(
        PatrolIn,
        dict(
            village=village or [],
            team=team,
            leader=leader,
            people=people,
            date=date,
            start=start,
            end=end,
            kind=kind,
            route=route,
            findings=findings,
            action=action,
            to_police=to_police,
            hotspot=hotspot,
            town=town,
        ),
    )
    with writing() as lx:
        p = patrols.add(lx, data)
        emit(Detail(patrols.row(p)), fmt, output)


@app.command("list")
def list_(
    village: Annotated[
        str | None, typer.Option(help="patrols that covered this village 巡逻村")
    ] = None,
    team: TeamKind | None = code_option(TeamKind, "--team", help="only this team kind 队伍类型"),
    kind: PatrolKind | None = code_option(PatrolKind, "--kind", help="only this kind 巡逻类型"),
    from_: From = None,
    to: To = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """List patrols, newest first, with a total row: count, hours, person-hours (巡逻台账)."""
    from sanling.ledger import patrol as patrols
    from sanling.render import Listing

    with reading() as lx:
        start, end = date_range(lx, from_, to)
        filters = dict(
            village=village,
            team=team,
            kind=kind,
            town=town,
            start=start,
            end=end,
        )
        rows = patrols.listing(lx, **filters)
        t = patrols.totals(lx, **filters)
        totals = {
            "ref": tr("合计 {n} 次", "total {n}", n=t["count"]),
            "hours": t["hours"],
            "people": t["people"],
            "person_hours": t["person_hours"],
        }
        emit(Listing(_columns(), rows, totals=totals), fmt, output)
