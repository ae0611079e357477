"""Safety hazards (安全隐患): found, rectified (整改) and closed after a re-check (复查销号).

The cycle is open -> rectifying -> rectified -> closed. `start` marks work under way
(整改中); `rectify` may also be reached straight from open (a hazard fixed on the spot);
`close` needs a rectified hazard and the name of the person who re-checked it. A major hazard
is supervised (挂牌督办). Overdue and due soon are computed as of any date: a hazard counts
as done on the date it was rectified.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from sanling import periods
from sanling.codes import HazardArea, HazardGrade, HazardStatus, RefPrefix
from sanling.errors import InvalidState, InvalidValue
from sanling.i18n import label, tr
from sanling.ledger.base import Ledger, imported, snapshot
from sanling.ledger.filters import in_place, in_range, village_label
from sanling.models import Hazard, Hotspot, Subject, Sweep

if TYPE_CHECKING:  # input models load only where records are added
    from sanling.schemas import HazardIn

# Status filters beyond the stored codes: computed as of a date.
OVERDUE = "overdue"
DUE_SOON = "due-soon"

R = TypeVar("R", Hazard, Hotspot)  # a record rectified


def located(
    lx: Ledger, village: str, subject: str | None, town: str | None
) -> tuple[Subject, Subject | None]:
    """The village (or community) of a record and its optional subject, which must lie in it."""
    v = lx.village(village, town=town)
    if not subject:
        return v, None
    s = lx.subject(subject, town=town)
    if s.id != v.id and s.parent_id != v.id:
        raise InvalidValue(
            tr("“{s}”不在“{v}”", "'{s}' is not in '{v}'", s=s.name, v=v.name),
            tr(
                "--subject 须是该村本身或其下的单位、企业",
                "--subject must be the village itself or a unit or enterprise in it",
            ),
        )
    return v, (None if s.id == v.id else s)


def default_deadline(lx: Ledger, found: dt.date, grade: HazardGrade) -> dt.date:
    major = grade == HazardGrade.major
    policy = lx.policy
    days = policy.hazard_deadline_days_major if major else policy.hazard_deadline_days_general
    return found + dt.timedelta(days=days)


def add(lx: Ledger, data: HazardIn) -> Hazard:
    village, subject = located(lx, data.village, data.subject, data.town)
    sweep = None
    if data.sweep:
        sweep = lx.record(Sweep, data.sweep)
        allowed = {village.id, subject.id if subject else village.id}
        if sweep.subject_id not in allowed and sweep.subject.parent_id != village.id:
            raise InvalidValue(
                tr(
                    "排查记录 {ref} 是“{s}”的，不是“{v}”的",
                    "sweep {ref} is of '{s}', not of '{v}'",
                    ref=sweep.ref,
                    s=sweep.subject.name,
                    v=village.name,
                ),
            )
    # A hazard found in a sweep was found on the sweep's date unless told otherwise.
    found = lx.date(data.found, "--found", default=sweep.date if sweep else None)
    if sweep:
        lx.not_before(
            found,
            sweep.date,
            "发现日期 {day} 早于排查日期 {since}",
            "found {day} is before the sweep's date {since}",
        )
    if data.deadline:
        deadline = lx.date(data.deadline, "--deadline", allow_future=True)
        lx.not_before(
            deadline,
            found,
            "完成时限 {day} 早于发现日期 {since}",
            "deadline {day} is before the found date {since}",
        )
    else:
        deadline = default_deadline(lx, found, data.grade)
    hazard = lx.new(
        Hazard,
        **lx.of_subject(RefPrefix.hazard, found, village, subject),
        sweep_id=sweep.id if sweep else None,
        found=found,
        area=data.area,
        grade=data.grade,
        location=lx.text(data.location, "location", limit=200),
        description=lx.text(data.description, "description", required=True),
        measures=lx.text(data.measures, "measures"),
        responsible=lx.text(data.responsible, "responsible", required=True, limit=200),
        deadline=deadline,
        status=HazardStatus.open,
    )
    lx.created(hazard, "hazard.add")
    return hazard


def _refuse(h: Hazard, wanted: str) -> InvalidState:
    return InvalidState(
        tr(
            "隐患 {ref} 状态为“{s}”，不能{w}",
            "hazard {ref} is {s}: it cannot be {w}",
            ref=h.ref,
            s=label(h.status),
            w=wanted,
        ),
        {
            HazardStatus.open: tr(
                "先 `hazard rectify` 登记整改",
                "record the rectification with `hazard rectify` first",
            ),
            HazardStatus.rectifying: tr(
                "整改完成后用 `hazard rectify`", "use `hazard rectify` when the work is done"
            ),
            HazardStatus.rectified: tr(
                "复查后用 `hazard close --checked-by`",
                "after the re-check use `hazard close --checked-by`",
            ),
            HazardStatus.closed: tr(
                "已销号的隐患不能再变更", "a closed hazard takes no further changes"
            ),
        }[h.status],
    )


def start(lx: Ledger, ref: str, measures: str | None = None) -> Hazard:
    """open -> rectifying (整改中), optionally with the planned measures."""
    h = lx.record(Hazard, ref)
    if h.status != HazardStatus.open:
        raise _refuse(h, tr("开始整改", "started"))
    before = snapshot(h)
    h.status = HazardStatus.rectifying
    if measures is not None:
        h.measures = lx.text(measures, "measures", required=True)
    lx.audit("hazard.start", h.ref, before, snapshot(h))
    return h


def rectify(lx: Ledger, ref: str, measures: str, date: str | dt.date | None = None) -> Hazard:
    """open or rectifying -> rectified (已整改), with the measures taken and the date."""
    h = lx.record(Hazard, ref)
    if h.status not in (HazardStatus.open, HazardStatus.rectifying):
        raise _refuse(h, tr("整改", "rectified"))
    return mark_rectified(
        lx, h, "hazard.rectify", measures, date, "整改日期", status=HazardStatus.rectified
    )


def mark_rectified(
    lx: Ledger,
    record: R,
    action: str,
    measures: str,
    date: str | dt.date | None,
    zh: str,
    **also: Any,
) -> R:
    """A hazard or hotspot rectified: the measures and the date (`zh` names it; not before the
    found date) and `also`, audited as `action`."""
    day = lx.date_since(
        date,
        record.found,
        zh + " {day} 早于发现日期 {since}",
        "rectified {day} is before the found date {since}",
    )
    before = snapshot(record)
    record.measures = lx.text(measures, "measures", required=True)
    record.rectified_on = day
    for key, value in also.items():
        setattr(record, key, value)
    lx.audit(action, record.ref, before, snapshot(record))
    return record


def close(lx: Ledger, ref: str, checked_by: str, date: str | dt.date | None = None) -> Hazard:
    """rectified -> closed (已销号) after a re-check by a named person (复查销号)."""
    h = lx.record(Hazard, ref)
    if h.status != HazardStatus.rectified:
        raise _refuse(h, tr("销号", "closed"))
    assert h.rectified_on is not None
    day = lx.date_since(
        date,
        h.rectified_on,
        "销号日期 {day} 早于整改日期 {since}",
        "closed {day} is before the rectified date {since}",
    )
    before = snapshot(h)
    h.checked_by = lx.text(checked_by, "checked-by", required=True, limit=100)
    h.closed_on = day
    h.status = HazardStatus.closed
    lx.audit("hazard.close", h.ref, before, snapshot(h))
    return h


# ---- as-of figures -------------------------------------------------------------------
def is_done(h: Hazard, as_of: dt.date) -> bool:
    return h.rectified_on is not None and h.rectified_on <= as_of


def is_overdue(h: Hazard, as_of: dt.date) -> bool:
    return h.found <= as_of and not is_done(h, as_of) and h.deadline < as_of


def is_due_soon(h: Hazard, as_of: dt.date, days: int) -> bool:
    return (
        h.found <= as_of
        and not is_done(h, as_of)
        and as_of <= h.deadline <= as_of + dt.timedelta(days=days)
    )


def not_done_sql(as_of: dt.date) -> Any:
    return or_(Hazard.rectified_on.is_(None), Hazard.rectified_on > as_of)


def overdue_sql(as_of: dt.date) -> Any:
    return and_(Hazard.found <= as_of, not_done_sql(as_of), Hazard.deadline < as_of)


def due_soon_sql(as_of: dt.date, days: int) -> Any:
    return and_(
        Hazard.found <= as_of,
        not_done_sql(as_of),
        Hazard.deadline >= as_of,
        Hazard.deadline <= as_of + dt.timedelta(days=days),
    )


def query(
    lx: Ledger,
    *,
    village: str | None = None,
    area: HazardArea | None = None,
    grade: HazardGrade | None = None,
    status: HazardStatus | str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    as_of: dt.date | None = None,
    town: str | None = None,
) -> Select[Any]:
    """The hazards a list shows: found in [start, end] and no later than the as-of date."""
    day = as_of or lx.today
    q = in_place(lx, select(Hazard).where(Hazard.found <= day), Hazard, town, village)
    if area:
        q = q.where(Hazard.area == area)
    if grade:
        q = q.where(Hazard.grade == grade)
    if status == OVERDUE:
        q = q.where(overdue_sql(day))
    elif status == DUE_SOON:
        q = q.where(due_soon_sql(day, lx.policy.due_soon_days))
    elif status:
        q = q.where(Hazard.status == status)
    return in_range(q, Hazard.found, start, end)


def listing(lx: Ledger, *, as_of: dt.date | None = None, **filters: Any) -> list[dict[str, Any]]:
    day = as_of or lx.today
    sweep_ref = select(Sweep.ref).where(Sweep.id == Hazard.sweep_id).scalar_subquery()
    q = (
        query(lx, as_of=day, **filters)
        .add_columns(sweep_ref)
        .options(joinedload(Hazard.village), joinedload(Hazard.subject))
        .order_by(Hazard.found.desc(), Hazard.ref.desc())
    )
    soon = lx.policy.due_soon_days
    return [
        row(h, as_of=day, due_soon_days=soon, sweep_ref=ref)
        for h, ref in lx.session.execute(q).unique()
    ]


def summary(lx: Ledger, *, as_of: dt.date | None = None, **filters: Any) -> dict[str, Any]:
    """Found, rectified (incl. closed) by the as-of date, the rate 整改率, open, overdue,
    due soon."""
    day = as_of or lx.today
    sub = query(lx, as_of=day, **filters).subquery()
    h = sub.c
    done = and_(h.rectified_on.is_not(None), h.rectified_on <= day)
    not_done = or_(h.rectified_on.is_(None), h.rectified_on > day)
    soon = day + dt.timedelta(days=lx.policy.due_soon_days)

    def n(cond: Any) -> Any:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    found, rectified, still_open, overdue, due_soon, major = lx.session.execute(
        select(
            func.count(),
            n(done),
            n(not_done),
            n(and_(not_done, h.deadline < day)),
            n(and_(not_done, h.deadline >= day, h.deadline <= soon)),
            n(h.grade == HazardGrade.major),
        ).select_from(sub)
    ).one()
    return {
        "found": found,
        "rectified": rectified,
        "rate": periods.rate(rectified, found),
        "open": still_open,
        "overdue": overdue,
        "due_soon": due_soon,
        "major": major,
        "as_of": day,
    }


def row(
    h: Hazard, *, as_of: dt.date, due_soon_days: int = 3, sweep_ref: str | None = None
) -> dict[str, Any]:
    overdue = is_overdue(h, as_of)
    return {
        "ref": h.ref,
        "village": village_label(h.village),
        "subject": h.subject.name if h.subject else None,
        "found": h.found,
        "area": h.area,
        "grade": h.grade,
        "supervised": h.grade == HazardGrade.major,
        "location": h.location,
        "description": h.description,
        "measures": h.measures,
        "responsible": h.responsible,
        "deadline": h.deadline,
        "status": h.status,
        "rectified_on": h.rectified_on,
        "closed_on": h.closed_on,
        "checked_by": h.checked_by,
        "sweep": sweep_ref,
        "overdue": overdue,
        "due_soon": is_due_soon(h, as_of, due_soon_days),
        "days_overdue": (as_of - h.deadline).days if overdue else None,
    }


def detail(lx: Ledger, ref: str, as_of: dt.date | None = None) -> dict[str, Any]:
    h = lx.record(Hazard, ref)
    sweep_ref = (
        lx.session.scalar(select(Sweep.ref).where(Sweep.id == h.sweep_id)) if h.sweep_id else None
    )
    fields = row(
        h, as_of=as_of or lx.today, due_soon_days=lx.policy.due_soon_days, sweep_ref=sweep_ref
    )
    return {**fields, **imported(h)}
