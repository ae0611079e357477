"""What was sent: a village's bulletin of a day, once delivered to its robot, is recorded, so
a second run of the same day (cron retrying, a clerk running it by hand) sends nothing twice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from sanling.ledger.base import Ledger
from sanling.models import BulletinSent, Subject


def sent_on(lx: Ledger, day: dt.date) -> set[int]:
    """The villages whose bulletin of `day` was delivered already."""
    return set(lx.session.scalars(select(BulletinSent.village_id).where(BulletinSent.day == day)))


def record_sent(lx: Ledger, village_id: int, day: dt.date, robot: str) -> bool:
    """Record the delivery of a village's bulletin of `day` to `robot` (masked), audited;
    False when another run recorded it first."""
    if village_id in sent_on(lx, day):
        return False
    village = lx.session.get_one(Subject, village_id)
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    lx.session.add(BulletinSent(village_id=village_id, day=day, sent_at=at))
    lx.audit("bulletin.sent", village.name, None, {"date": day.isoformat(), "robot": robot})
    return True
