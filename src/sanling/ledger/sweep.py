"""Half-monthly sweeps (半月一排查): one subject checked on a date; no findings is a 零报告."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from sanling.codes import RefPrefix
from sanling.ledger.base import Ledger
from sanling.ledger.filters import in_range, in_town
from sanling.models import Dispute, Hazard, Subject, Sweep, Town
from sanling.schemas import SweepIn


def add(lx: Ledger, data: SweepIn) -> Sweep:
    subject = lx.subject(data.subject, town=data.town)
    day = lx.date(data.date, "date")
    sweep = lx.new(
        Sweep,
        ref=lx.next_ref(RefPrefix.sweep, day.year),
        town_id=subject.town_id,
        subject_id=subject.id,
        date=day,
        by=lx.text(data.by, "by", required=True, limit=100),
        scope=data.scope,
        note=lx.text(data.note, "note"),
    )
    lx.created(sweep, "sweep.add")
    return sweep


def listing(
    lx: Ledger,
    *,
    subject: str | None = None,
    town: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    zero_only: bool = False,
) -> list[dict[str, Any]]:
    disputes = (
        select(Dispute.sweep_id, func.count().label("n"))
        .where(Dispute.sweep_id.is_not(None))
        .group_by(Dispute.sweep_id)
        .subquery()
    )
    hazards = (
        select(Hazard.sweep_id, func.count().label("n"))
        .where(Hazard.sweep_id.is_not(None))
        .group_by(Hazard.sweep_id)
        .subquery()
    )
    found = func.coalesce(disputes.c.n, 0) + func.coalesce(hazards.c.n, 0)
    query = (
        select(Sweep, Subject.name, Subject.kind, Town.name, found)
        .join(Subject, Subject.id == Sweep.subject_id)
        .join(Town, Town.id == Sweep.town_id)
        .outerjoin(disputes, disputes.c.sweep_id == Sweep.id)
        .outerjoin(hazards, hazards.c.sweep_id == Sweep.id)
        .order_by(Sweep.date.desc(), Sweep.ref.desc())
    )
    if subject:
        query = query.where(Sweep.subject_id == lx.subject(subject, town=town).id)
    query = in_range(in_town(lx, query, Sweep, town), Sweep.date, start, end)
    if zero_only:
        query = query.where(found == 0)
    return [
        row(s, name, kind, town_name, n)
        for s, name, kind, town_name, n in lx.session.execute(query)
    ]


def row(s: Sweep, subject: str, kind: Any, town: str, findings: int) -> dict[str, Any]:
    return {
        "ref": s.ref,
        "date": s.date,
        "subject": subject,
        "kind": kind,
        "town": town,
        "by": s.by,
        "scope": s.scope,
        "note": s.note,
        "findings_count": findings,
        "zero_report": findings == 0,
    }
