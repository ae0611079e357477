"""Public-order hotspots (治安乱点): found in a village, rectified (整治) on a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import joinedload

from sanling import periods
from sanling.codes import RefPrefix
from sanling.ledger.base import Ledger
from sanling.ledger.filters import in_place, in_range, village_label
from sanling.ledger.hazard import mark_rectified
from sanling.models import Hotspot, Patrol
from sanling.schemas import HotspotIn


def add(lx: Ledger, data: HotspotIn) -> Hotspot:
    village = lx.village(data.village, town=data.town)
    found = lx.date(data.date, "--date")
    spot = lx.new(
        Hotspot,
        **lx.placed(RefPrefix.hotspot, found, village),
        found=found,
        description=lx.text(data.description, "description", required=True),
    )
    lx.created(spot, "hotspot.add")
    return spot


def rectify(lx: Ledger, ref: str, measures: str, date: str | dt.date | None = None) -> Hotspot:
    spot = lx.record(Hotspot, ref)
    lx.not_again(
        spot.ref,
        spot.rectified_on,
        "乱点 {ref} 已于 {d} 整治",
        "hotspot {ref} was rectified on {d} already",
    )
    return mark_rectified(lx, spot, "hotspot.rectify", measures, date, "整治日期")


def query(
    lx: Ledger,
    *,
    village: str | None = None,
    open_only: bool = False,
    start: dt.date | None = None,
    end: dt.date | None = None,
    town: str | None = None,
) -> Select[Any]:
    q = in_place(lx, select(Hotspot), Hotspot, town, village)
    if open_only:
        q = q.where(Hotspot.rectified_on.is_(None))
    return in_range(q, Hotspot.found, start, end)


def listing(lx: Ledger, **filters: Any) -> list[dict[str, Any]]:
    patrols = (
        select(func.count())
        .where(Patrol.hotspot_id == Hotspot.id)
        .correlate(Hotspot)
        .scalar_subquery()
    )
    q = (
        query(lx, **filters)
        .add_columns(patrols)
        .options(joinedload(Hotspot.village))
        .order_by(Hotspot.found.desc(), Hotspot.ref.desc())
    )
    return [row(s, patrols=n) for s, n in lx.session.execute(q)]


def summary(lx: Ledger, **filters: Any) -> dict[str, Any]:
    """Found, rectified and the rate (整治率) over the hotspots the filters select."""
    sub = query(lx, **filters).subquery()
    found, rectified = lx.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((sub.c.rectified_on.is_not(None), 1), else_=0)), 0),
        ).select_from(sub)
    ).one()
    return {"found": found, "rectified": rectified, "rate": periods.rate(rectified, found)}


def row(s: Hotspot, *, patrols: int | None = None) -> dict[str, Any]:
    return {
        "ref": s.ref,
        "village": village_label(s.village),
        "found": s.found,
        "description": s.description,
        "measures": s.measures,
        "rectified_on": s.rectified_on,
        "rectified": s.rectified_on is not None,
        "patrols": patrols,
    }


def detail(lx: Ledger, ref: str) -> dict[str, Any]:
    spot = lx.record(Hotspot, ref)
    n = lx.session.scalar(select(func.count()).where(Patrol.hotspot_id == spot.id)) or 0
    return row(spot, patrols=n)
