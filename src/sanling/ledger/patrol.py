"""Public-order patrols (治安巡逻): who went, where, when and for how long.

A patrol covers one or more villages (patrol_villages) or a route. Start and end are clock
times; an end earlier than the start is past midnight, and the patrol belongs to the date it
started (the evening's date). Minutes are stored; hours and person-hours are computed.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import selectinload

from sanling.codes import PatrolKind, RefPrefix, TeamKind
from sanling.collate import name_key
from sanling.errors import InvalidValue, UsageError
from sanling.i18n import tr
from sanling.ledger.base import Ledger
from sanling.ledger.filters import in_range, in_town, village_id
from sanling.models import Hotspot, Patrol, PatrolVillage
from sanling.schemas import PatrolIn

_TIME = re.compile(r"^\s*(\d{1,2})\s*[:：.]\s*(\d{2})\s*$")


def parse_time(text: str, field: str) -> dt.time:
    """HH:MM (also H:MM and a full-width colon), 00:00 to 23:59."""
    m = _TIME.match(text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise InvalidValue(
            tr(
                "{field} 时间“{t}”无法识别",
                "{field}: cannot read the time '{t}'",
                field=field,
                t=text[:20],
            ),
            tr(
                "写成 HH:MM，如 22:00；过了午夜写 02:30",
                "write HH:MM, e.g. 22:00; after midnight 02:30",
            ),
        )
    return dt.time(int(m[1]), int(m[2]))


def duration(start: dt.time, end: dt.time) -> int:
    """Minutes from start to end; an end before the start is on the next day (night patrol)."""
    a = start.hour * 60 + start.minute
    b = end.hour * 60 + end.minute
    return b - a if b > a else b + 24 * 60 - a


def hours(minutes: int | None) -> float | None:
    """Minutes as hours, one decimal, half up."""
    if minutes is None:
        return None
    return float((Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def add(lx: Ledger, data: PatrolIn) -> Patrol:
    names = list(dict.fromkeys(v.strip() for v in data.village if v and v.strip()))
    route = lx.text(data.route, "route")
    if not names and not route:
        raise UsageError(
            tr(
                "巡逻需要至少一个村（--village）或路线（--route）",
                "a patrol needs at least one --village or a --route",
            ),
        )
    villages = [lx.village(name, town=data.town) for name in names]
    town_id = villages[0].town_id if villages else lx.town(data.town).id
    if any(v.town_id != town_id for v in villages):
        raise InvalidValue(
            tr("一次巡逻的村须属于同一乡镇", "a patrol's villages must be in one town")
        )
    day = lx.date(data.date, "--date")
    start = end = None
    minutes = 0
    if (data.start is None) != (data.end is None):
        raise UsageError(
            tr("--start 和 --end 须同时给出", "give both --start and --end, or neither")
        )
    if data.start is not None and data.end is not None:
        start, end = parse_time(data.start, "--start"), parse_time(data.end, "--end")
        if start == end:
            raise InvalidValue(
                tr("开始和结束时间相同", "start and end are the same time"),
                tr(
                    "过了午夜的巡逻，结束时间写次日时刻（如 22:00 到 02:30）",
                    "a patrol past midnight ends at the next day's time (22:00 to 02:30)",
                ),
            )
        minutes = duration(start, end)
    hotspot = None
    if data.hotspot:
        hotspot = lx.record(Hotspot, data.hotspot)
        if hotspot.town_id != town_id:
            raise InvalidValue(
                tr("乱点 {ref} 不在本乡镇", "hotspot {ref} is in another town", ref=hotspot.ref)
            )
    patrol = lx.new(
        Patrol,
        ref=lx.next_ref(RefPrefix.patrol, day.year),
        town_id=town_id,
        date=day,
        start=start,
        end=end,
        minutes=minutes,
        kind=data.kind,
        team=data.team,
        leader=lx.text(data.leader, "leader", required=True, limit=100),
        people=lx.count(data.people, "people", minimum=1, maximum=10_000),
        route=route,
        findings=lx.text(data.findings, "findings"),
        action=lx.text(data.action, "action"),
        to_police=data.to_police,
        hotspot_id=hotspot.id if hotspot else None,
    )
    patrol.villages = villages
    lx.created(patrol, "patrol.add")
    return patrol


def query(
    lx: Ledger,
    *,
    village: str | None = None,
    team: TeamKind | None = None,
    kind: PatrolKind | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    town: str | None = None,
) -> Select[Any]:
    q = in_town(lx, select(Patrol), Patrol, town)
    if village:
        vid = village_id(lx, village, town)
        q = q.where(
            exists().where(PatrolVillage.patrol_id == Patrol.id, PatrolVillage.village_id == vid)
        )
    if team:
        q = q.where(Patrol.team == team)
    if kind:
        q = q.where(Patrol.kind == kind)
    return in_range(q, Patrol.date, start, end)


def listing(lx: Ledger, **filters: Any) -> list[dict[str, Any]]:
    hotspot_ref = select(Hotspot.ref).where(Hotspot.id == Patrol.hotspot_id).scalar_subquery()
    q = (
        query(lx, **filters)
        .add_columns(hotspot_ref)
        .options(selectinload(Patrol.villages))
        .order_by(Patrol.date.desc(), Patrol.start.desc().nulls_last(), Patrol.ref.desc())
    )
    return [row(p, hotspot_ref=ref) for p, ref in lx.session.execute(q)]


def totals(lx: Ledger, **filters: Any) -> dict[str, Any]:
    """Count, hours and person-hours of the patrols the filters select (SQL sums of minutes)."""
    sub = query(lx, **filters).subquery()
    count, minutes, person_minutes, people = lx.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(sub.c.minutes), 0),
            func.coalesce(func.sum(sub.c.minutes * sub.c.people), 0),
            func.coalesce(func.sum(sub.c.people), 0),
        ).select_from(sub)
    ).one()
    return {
        "count": count,
        "hours": hours(int(minutes)),
        "person_hours": hours(int(person_minutes)),
        "people": int(people),
    }


def row(p: Patrol, *, hotspot_ref: str | None = None) -> dict[str, Any]:
    timed = p.start is not None
    return {
        "ref": p.ref,
        "date": p.date,
        "start": p.start,
        "end": p.end,
        "hours": hours(p.minutes) if timed else None,
        "kind": p.kind,
        "team": p.team,
        "leader": p.leader,
        "people": p.people,
        "person_hours": hours(p.minutes * p.people) if timed else None,
        "villages": sorted((v.name for v in p.villages), key=name_key),
        "route": p.route,
        "findings": p.findings,
        "action": p.action,
        "to_police": p.to_police,
        "hotspot": hotspot_ref
        if hotspot_ref is not None
        else (p.hotspot.ref if p.hotspot else None),
    }
