"""Who may correct what: the settings that lock reported months and old records.

A record's day is the one that places it in a period (ledger.recorded.DAY_COLUMN: found, date,
assigned, listed). With `lock_reported_periods` on, a month counts as reported once it is over
and `lock_grace_days` days of the next month have passed (0: any month before the current one);
with `edit_max_age_days` above 0, a record dated more days before today than that is old.
Correcting (editing, voiding, unvoiding, or editing an entry of its log) a record of a reported
month or an old one needs --force: `guard` refuses it otherwise, and returns the marks its
audit entry carries when forced, so the monthly analysis of the month the correction was made
in names it (`forced_in`). Subjects, towns and settings have no day and are never locked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Text, cast, select

from sanling import periods
from sanling.errors import InvalidState
from sanling.i18n import tr
from sanling.ledger.base import Ledger, State
from sanling.ledger.recorded import DAY_COLUMN, MODELS, kind_of, local, record_day
from sanling.models import AuditEntry, Base

FORCED = "_forced"  # the key of a forced correction's audit entry: the settings overridden


def noun_of(record: Base) -> str | None:
    """The noun of a record's model (dispute, hazard ...): its actions' prefix."""
    return next((noun for noun, model in MODELS.items() if isinstance(record, model)), None)


def locks(lx: Ledger, day: dt.date) -> list[str]:
    """The settings that lock a record dated `day` today (none: it may be corrected)."""
    policy, today = lx.policy, lx.today
    found = []
    if policy.lock_reported_periods:
        reported_from = periods.month_end(day) + dt.timedelta(days=policy.lock_grace_days)
        if today > reported_from:
            found.append("lock_reported_periods")
    if policy.edit_max_age_days and (today - day).days > policy.edit_max_age_days:
        found.append("edit_max_age_days")
    return found


def guard(lx: Ledger, record: Base, *, force: bool, before: State = None) -> dict[str, Any]:
    """Check that `record` may be corrected: call it after the change is applied, with the
    record's snapshot from before it (`before`), so a record moved into or out of a locked
    month is caught either way. A locked record without `force` raises InvalidState (the
    transaction rolls back); with it, the marks to merge into the audit entry's `after` are
    returned ({"_forced": [setting, ...]}); an unlocked record gives {}."""
    noun = noun_of(record)
    if noun is None or noun not in DAY_COLUMN:
        return {}
    days = {d for d in (getattr(record, DAY_COLUMN[noun], None), record_day(noun, before)) if d}
    found: list[str] = []
    for day in sorted(days):
        found += [key for key in locks(lx, day) if key not in found]
    if not found:
        return {}
    if not force:
        ref = getattr(record, "ref", "?")
        reasons = []
        for day in sorted(days):
            if "lock_reported_periods" in locks(lx, day):
                reasons.append(
                    tr(
                        "{day} 所在的 {m} 月已报送（lock_reported_periods）",
                        "{day} lies in {m}, a month already reported (lock_reported_periods)",
                        day=day.isoformat(),
                        m=f"{day:%Y-%m}",
                    )
                )
            if "edit_max_age_days" in locks(lx, day):
                reasons.append(
                    tr(
                        "{day} 已超过 {n} 天（edit_max_age_days）",
                        "{day} is more than {n} days ago (edit_max_age_days)",
                        day=day.isoformat(),
                        n=lx.policy.edit_max_age_days,
                    )
                )
        raise InvalidState(
            tr(
                "{ref} 已锁定，不能直接更正：{why}",
                "{ref} is locked against corrections: {why}",
                ref=ref,
                why=tr("；", "; ").join(reasons),
            ),
            tr(
                "确需更正的加 --force，当月研判会列出这次更正",
                "add --force if it must be corrected; the month's analysis will list it",
            ),
        )
    return {FORCED: found}


def forced_in(lx: Ledger, span: periods.Period, town_id: int | None = None) -> list[dict[str, Any]]:
    """The forced corrections logged on the days of `span` (the town's time), oldest first,
    of records of `town_id` (None: every town): when, who, what, which record, why."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(lx.policy.timezone)

    def utc(day: dt.date) -> dt.datetime:
        start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
        return start.astimezone(dt.UTC).replace(tzinfo=None)

    query = (
        select(AuditEntry)
        .where(
            AuditEntry.at >= utc(span.start),
            AuditEntry.at < utc(span.end + dt.timedelta(days=1)),
            # Only the entries that may carry the mark are decoded.
            cast(AuditEntry.after, Text).like(f'%"{FORCED}"%'),
        )
        .order_by(AuditEntry.id)
    )
    found = []
    for e in lx.session.scalars(query):
        after = e.after if isinstance(e.after, dict) else {}
        if not after.get(FORCED) or not e.ref:
            continue
        model = MODELS.get(e.action.partition(".")[0])
        if town_id is not None and model is not None and "town_id" in model.__table__.c:
            table: Any = model.__table__
            if lx.session.scalar(select(table.c.town_id).where(table.c.ref == e.ref)) != town_id:
                continue
        found.append(
            {
                "at": local(e.at, lx.policy.timezone),
                "operator": e.operator,
                "change": kind_of(e.action),
                "ref": e.ref,
                "locks": list(after[FORCED]),
                "reason": after.get("_reason") or after.get("void_reason") or "",
            }
        )
    return found
