"""Backlog petition cases assigned from above (信访积案): one ledger and one plan per case.

Two outcomes are kept apart, as the county figures need them apart (92% closed, 57% settled):
closed (办结, `closed_on`) and settled (化解: settled 息诉罢访 / stabilized 稳控 / unsettled
未化解, `outcome` and `outcome_on`). `close` records both; `settle` changes the outcome later
(or records it before the case is closed). A case is overdue when it is not closed by the
as-of date and past its deadline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from sanling.codes import AssignedBy, BacklogOutcome, NoteKind, RefPrefix
from sanling.errors import InvalidState
from sanling.i18n import label, tr
from sanling.ledger.base import Ledger, snapshot
from sanling.ledger.filters import in_place, village_label
from sanling.models import BacklogCase, BacklogNote
from sanling.schemas import BacklogIn


def add(lx: Ledger, data: BacklogIn) -> BacklogCase:
    village = lx.village(data.village, town=data.town)
    assigned = lx.date(data.date, "--date")
    deadline = lx.date(data.deadline, "--deadline", allow_future=True)
    lx.not_before(
        deadline,
        assigned,
        "办结时限 {day} 早于交办日期 {since}",
        "deadline {day} is before the assignment date {since}",
    )
    case = lx.new(
        BacklogCase,
        **lx.placed(RefPrefix.backlog, assigned, village),
        assigned_by=data.assigned_by,
        assigned_on=assigned,
        petitioner=lx.text(data.petitioner, "petitioner", required=True, limit=200),
        summary=lx.text(data.summary, "summary", required=True),
        lead=lx.text(data.lead, "lead", required=True, limit=100),
        unit=lx.text(data.unit, "unit", limit=200),
        plan=lx.text(data.plan, "plan", required=True),
        deadline=deadline,
    )
    lx.created(case, "backlog.add")
    return case


def _event_date(lx: Ledger, case: BacklogCase, value: str | dt.date | None) -> dt.date:
    """A date in the case's ledger: not in the future, not before the case was assigned."""
    return lx.date_since(
        value,
        case.assigned_on,
        "日期 {day} 早于交办日期 {since}",
        "date {day} is before the case was assigned ({since})",
    )


def _log(
    lx: Ledger,
    action: str,
    case: BacklogCase,
    before: dict[str, Any] | None,
    day: dt.date,
    kind: NoteKind,
    text: str,
) -> None:
    note = BacklogNote(case_id=case.id, date=day, kind=kind, text=text, operator=lx.operator)
    lx.session.add(note)
    lx.session.flush()
    after = {**snapshot(case), "note": {"date": day.isoformat(), "kind": kind.value, "text": text}}
    lx.audit(action, case.ref, before, after)


def progress(lx: Ledger, ref: str, text: str, *, date: str | dt.date | None = None) -> BacklogCase:
    case = lx.record(BacklogCase, ref)
    body = lx.text(text, "text", required=True) or ""
    day = _event_date(lx, case, date)
    _log(lx, "backlog.progress", case, snapshot(case), day, NoteKind.progress, body)
    return case


def close(
    lx: Ledger, ref: str, *, outcome: BacklogOutcome, date: str | dt.date | None = None
) -> BacklogCase:
    """办结: the case is closed on a date, with its outcome as assessed then."""
    case = lx.record(BacklogCase, ref)
    lx.not_again(
        case.ref,
        case.closed_on,
        "{ref} 已于 {d} 办结",
        "{ref} was closed on {d} already",
        tr(
            "改变化解情况用 `sanling backlog settle`",
            "change its outcome with `sanling backlog settle`",
        ),
    )
    day = _event_date(lx, case, date)
    lx.not_before(
        day,
        case.outcome_on,
        "办结日期 {day} 早于已记录的化解情况日期 {since}",
        "closing date {day} is before the recorded outcome ({since})",
    )
    before = snapshot(case)
    case.closed_on = day
    case.outcome = outcome
    case.outcome_on = day
    # The note's text is stored in Chinese, as the ledger's other notes are (息诉罢访, not settled).
    _log(lx, "backlog.close", case, before, day, NoteKind.close, label(outcome, "zh"))
    return case


def settle(
    lx: Ledger, ref: str, *, outcome: BacklogOutcome, date: str | dt.date | None = None
) -> BacklogCase:
    """A later change of the outcome (化解情况), e.g. stabilized, then settled."""
    case = lx.record(BacklogCase, ref)
    if case.outcome == outcome:
        raise InvalidState(
            tr("{ref} 的化解情况已是{o}", "{ref} is {o} already", ref=case.ref, o=label(outcome)),
        )
    day = _event_date(lx, case, date)
    lx.not_before(
        day,
        case.outcome_on,
        "日期 {day} 早于上次化解情况的日期 {since}",
        "date {day} is before the last outcome ({since})",
    )
    before = snapshot(case)
    previous = label(case.outcome, "zh") if case.outcome else "-"
    case.outcome = outcome
    case.outcome_on = day
    text = f"{previous} → {label(outcome, 'zh')}"  # in Chinese, as the close's note
    _log(lx, "backlog.settle", case, before, day, NoteKind.settle, text)
    return case


def overdue_on(day: dt.date) -> Any:
    """Not closed by `day` and past the deadline."""
    not_closed = or_(BacklogCase.closed_on.is_(None), BacklogCase.closed_on > day)
    return and_(BacklogCase.assigned_on <= day, not_closed, BacklogCase.deadline < day)


def due_soon_on(day: dt.date, days: int) -> Any:
    """Not closed by `day`, deadline today or within `days` days (临期)."""
    not_closed = or_(BacklogCase.closed_on.is_(None), BacklogCase.closed_on > day)
    return and_(
        BacklogCase.assigned_on <= day,
        not_closed,
        BacklogCase.deadline >= day,
        BacklogCase.deadline <= day + dt.timedelta(days=days),
    )


def row(c: BacklogCase, as_of: dt.date | None = None) -> dict[str, Any]:
    overdue = None
    if as_of is not None:
        overdue = (c.closed_on is None or c.closed_on > as_of) and c.deadline < as_of
    return {
        "ref": c.ref,
        "assigned_by": c.assigned_by,
        "assigned_on": c.assigned_on,
        "village": village_label(c.village),
        "petitioner": c.petitioner,
        "summary": c.summary,
        "lead": c.lead,
        "unit": c.unit,
        "plan": c.plan,
        "deadline": c.deadline,
        "overdue": overdue,
        "closed_on": c.closed_on,
        "outcome": c.outcome,
        "outcome_on": c.outcome_on,
    }


def note_row(n: BacklogNote) -> dict[str, Any]:
    return {"date": n.date, "kind": n.kind, "text": n.text, "operator": n.operator}


def listing(
    lx: Ledger,
    *,
    village: str | None = None,
    town: str | None = None,
    assigned_by: AssignedBy | None = None,
    open_only: bool = False,
    overdue: bool = False,
    outcome: BacklogOutcome | None = None,
    as_of: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Backlog cases, soonest deadline first."""
    day = as_of or lx.today
    q = (
        select(BacklogCase)
        .options(joinedload(BacklogCase.village))
        .order_by(BacklogCase.deadline, BacklogCase.ref)
    )
    q = in_place(lx, q, BacklogCase, town, village)
    if assigned_by:
        q = q.where(BacklogCase.assigned_by == assigned_by)
    if open_only:
        q = q.where(BacklogCase.closed_on.is_(None))
    if overdue:
        q = q.where(overdue_on(day))
    if outcome:
        q = q.where(BacklogCase.outcome == outcome)
    return [row(c, day) for c in lx.session.scalars(q).unique()]


def detail(lx: Ledger, ref: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    case = lx.record(BacklogCase, ref)
    notes = lx.session.scalars(
        select(BacklogNote)
        .where(BacklogNote.case_id == case.id)
        .order_by(BacklogNote.date, BacklogNote.id)
    )
    return row(case, lx.today), [note_row(n) for n in notes]
