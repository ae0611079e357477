"""Disputes (矛盾纠纷): intake, the progress log, resolution or referral, and deadlines.

A dispute is *done* once it is resolved (已化解) or referred (移交); every other status
(open 未化解, in progress 化解中, stabilized 稳控) is still open: it counts as open in every
figure, can fall overdue, and is not resolved for the 化解率. Whether a dispute was open,
overdue or due soon on a date is computed from its dates (found, deadline, resolved_on,
referred_on), so a report on a past date reads the same whenever it is run.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, not_, or_, select
from sqlalchemy.orm import joinedload

from sanling.codes import (
    DisputeCategory,
    DisputeStatus,
    NoteKind,
    RefPrefix,
    ResolutionMethod,
    Risk,
)
from sanling.errors import InvalidState, InvalidValue
from sanling.i18n import label, tr
from sanling.ledger.base import Ledger, imported, snapshot
from sanling.ledger.filters import in_place, in_range, village_label
from sanling.models import Dispute, DisputeNote, Subject, Sweep

if TYPE_CHECKING:  # input models load only where records are added
    from sanling.schemas import DisputeIn

DONE = (DisputeStatus.resolved, DisputeStatus.referred)
# What `dispute progress --status` may set; resolving and referring have their own commands.
PROGRESS_STATUSES = (DisputeStatus.in_progress, DisputeStatus.stabilized)
DEFAULT_PEOPLE = 2


# ---- as-of rules, in SQL (reports count with these) and in Python (one record) ----------
def done_by(day: dt.date) -> ColumnElement[bool]:
    """Resolved or referred on or before `day`."""
    return or_(
        and_(Dispute.resolved_on.is_not(None), Dispute.resolved_on <= day),
        and_(Dispute.referred_on.is_not(None), Dispute.referred_on <= day),
    )


def open_on(day: dt.date) -> ColumnElement[bool]:
    """Found by `day` and not done by `day` (stabilized disputes are open)."""
    return and_(Dispute.found <= day, not_(done_by(day)))


def overdue_on(day: dt.date) -> ColumnElement[bool]:
    """Open on `day` and past its deadline."""
    return and_(open_on(day), Dispute.deadline < day)


def due_soon_on(day: dt.date, days: int) -> ColumnElement[bool]:
    """Open on `day`, deadline today or within `days` days (临期)."""
    return and_(
        open_on(day), Dispute.deadline >= day, Dispute.deadline <= day + dt.timedelta(days=days)
    )


def is_done(d: Dispute, day: dt.date) -> bool:
    return bool(
        (d.resolved_on is not None and d.resolved_on <= day)
        or (d.referred_on is not None and d.referred_on <= day)
    )


def is_open(d: Dispute, day: dt.date) -> bool:
    return d.found <= day and not is_done(d, day)


def days_overdue(d: Dispute, day: dt.date) -> int | None:
    """Days past the deadline on `day`, or None when not overdue."""
    if is_open(d, day) and d.deadline < day:
        return (day - d.deadline).days
    return None


def is_due_soon(d: Dispute, day: dt.date, days: int) -> bool:
    return is_open(d, day) and 0 <= (d.deadline - day).days <= days


def default_deadline(lx: Ledger, found: dt.date, risk: Risk) -> dt.date:
    policy = lx.policy
    days = policy.dispute_deadline_days_high if risk == Risk.high else policy.dispute_deadline_days
    return found + dt.timedelta(days=days)


# ---- intake -------------------------------------------------------------------------------
def subject_in_village(lx: Ledger, name: str, village: Subject, town: str | None) -> Subject:
    """An optional subject: the village itself or a unit or enterprise located in it."""
    subject = lx.subject(name, town=town)
    if subject.id != village.id and subject.parent_id != village.id:
        raise InvalidValue(
            tr(
                "主体“{s}”不在“{v}”",
                "subject '{s}' is not in '{v}'",
                s=subject.name,
                v=village.name,
            ),
            tr(
                "--subject 须是该村本身或其下的单位、企业",
                "--subject must be the village itself or a unit or enterprise in it",
            ),
        )
    return subject


def add(lx: Ledger, data: DisputeIn) -> Dispute:
    village = lx.village(data.village, town=data.town)
    subject = subject_in_village(lx, data.subject, village, data.town) if data.subject else None
    found = lx.date(data.found, "--found")
    if data.deadline not in (None, ""):
        deadline = lx.date(data.deadline, "--deadline", allow_future=True)
        lx.not_before(
            deadline,
            found,
            "化解时限 {day} 早于排查时间 {since}",
            "deadline {day} is before the found date {since}",
            tr("时限须在发现之日或之后", "a deadline is on or after the day the dispute was found"),
        )
    else:
        deadline = default_deadline(lx, found, data.risk)
    sweep = None
    if data.sweep:
        sweep = lx.record(Sweep, data.sweep)
        swept = sweep.subject
        if village.id not in (swept.id, swept.parent_id):
            raise InvalidValue(
                tr(
                    "排查记录 {ref} 不是对“{v}”的排查",
                    "sweep {ref} was not a sweep of '{v}'",
                    ref=sweep.ref,
                    v=village.name,
                ),
            )
        if found < sweep.date:
            raise InvalidValue(
                tr(
                    "排查时间 {f} 早于排查记录 {ref} 的日期 {d}",
                    "found date {f} is before sweep {ref} ({d})",
                    f=found.isoformat(),
                    ref=sweep.ref,
                    d=sweep.date.isoformat(),
                ),
            )
    people = data.people if data.people is not None else DEFAULT_PEOPLE
    dispute = lx.new(
        Dispute,
        **lx.of_subject(RefPrefix.dispute, found, village, subject),
        sweep_id=sweep.id if sweep else None,
        found=found,
        source=data.source,
        category=data.category,
        summary=lx.text(data.summary, "summary", required=True),
        parties=lx.text(data.parties, "parties", limit=1000),
        people=lx.count(people, "people", maximum=100_000),
        risk=data.risk,
        handler=lx.text(data.handler, "handler", required=True, limit=100),
        lead=lx.text(data.lead, "lead", limit=100),
        deadline=deadline,
        status=DisputeStatus.open,
        reviewed=False,
        prevented_criminal=bool(data.prevented_criminal),
        prevented_group_petition=bool(data.prevented_group_petition),
    )
    lx.created(dispute, "dispute.add")
    return dispute


# ---- the progress log and the workflow ----------------------------------------------------
def _still_open(d: Dispute, action: str) -> None:
    if d.status in DONE:
        when = d.resolved_on if d.status == DisputeStatus.resolved else d.referred_on
        raise InvalidState(
            tr(
                "{ref} 的状态是“{status}”（{when}），不能再{action}",
                "{ref} is already {status} ({when}); cannot {action} it",
                ref=d.ref,
                status=label(d.status),
                when=when.isoformat() if when else "?",
                action=action,
            ),
            tr("已办结的纠纷不再变更", "a finished dispute takes no further changes"),
        )


def _event_date(lx: Ledger, d: Dispute, value: str | dt.date | None) -> dt.date:
    """A date in the dispute's log: not in the future, not before the dispute was found."""
    return lx.date_since(
        value,
        d.found,
        "日期 {day} 早于该纠纷的排查时间 {since}",
        "date {day} is before the dispute was found ({since})",
    )


def _note(
    lx: Ledger,
    d: Dispute,
    day: dt.date,
    kind: NoteKind,
    text: str,
    status: DisputeStatus | None = None,
) -> DisputeNote:
    note = DisputeNote(
        dispute_id=d.id, date=day, kind=kind, status=status, text=text, operator=lx.operator
    )
    lx.session.add(note)
    return note


def _audit(lx: Ledger, action: str, d: Dispute, before: dict[str, Any], note: DisputeNote) -> None:
    lx.session.flush()
    after = {
        **snapshot(d),
        "note": {
            "date": note.date.isoformat(),
            "kind": note.kind.value,
            "status": note.status.value if note.status else None,
            "text": note.text,
        },
    }
    lx.audit(action, d.ref, before, after)


def _logged(
    lx: Ledger,
    action: str,
    d: Dispute,
    before: dict[str, Any],
    day: dt.date,
    kind: NoteKind,
    body: str,
    status: DisputeStatus | None = None,
) -> Dispute:
    """A step written down: its note in the dispute's log, then the audit entry."""
    _audit(lx, action, d, before, _note(lx, d, day, kind, body, status))
    return d


def progress(
    lx: Ledger,
    ref: str,
    text: str,
    *,
    status: DisputeStatus | None = None,
    date: str | dt.date | None = None,
) -> Dispute:
    """A dated progress note; with `status`, also a change to in progress or stabilized."""
    d = lx.record(Dispute, ref)
    _still_open(d, tr("记进展", "log progress on"))
    if status is not None and status not in PROGRESS_STATUSES:
        raise InvalidValue(
            tr(
                "进展只能把状态改为 化解中 或 稳控，收到 {s}",
                "progress can set in_progress or stabilized only, got {s}",
                s=status.value,
            ),
            tr(
                "化解用 `sanling dispute resolve`，移交用 `sanling dispute refer`",
                "use `sanling dispute resolve` or `sanling dispute refer`",
            ),
        )
    body = lx.text(text, "text", required=True) or ""
    day = _event_date(lx, d, date)
    before = snapshot(d)
    changed = status is not None and status != d.status
    if changed:
        assert status is not None
        d.status = status
    kind = NoteKind.status if changed else NoteKind.progress
    return _logged(lx, "dispute.progress", d, before, day, kind, body, status if changed else None)


def _step(
    lx: Ledger, ref: str, verb: str, text: str, field: str, date: str | dt.date | None, limit: int
) -> tuple[Dispute, str, dt.date, dict[str, Any]]:
    """A step that closes or marks an open dispute: the dispute, the step's text and date
    (checked in this order), and the dispute as it stood before."""
    d = lx.record(Dispute, ref)
    _still_open(d, verb)
    body = lx.text(text, field, required=True, limit=limit) or ""
    return d, body, _event_date(lx, d, date), snapshot(d)


def resolve(
    lx: Ledger,
    ref: str,
    *,
    method: ResolutionMethod,
    result: str,
    date: str | dt.date | None = None,
) -> Dispute:
    d, body, day, before = _step(lx, ref, tr("化解", "resolve"), result, "result", date, 4000)
    d.status = DisputeStatus.resolved
    d.resolved_on, d.method, d.result = day, method, body
    return _logged(
        lx, "dispute.resolve", d, before, day, NoteKind.resolve, body, DisputeStatus.resolved
    )


def refer(lx: Ledger, ref: str, *, to: str, date: str | dt.date | None = None) -> Dispute:
    d, where, day, before = _step(lx, ref, tr("移交", "refer"), to, "to", date, 200)
    d.status = DisputeStatus.referred
    d.referred_to, d.referred_on = where, day
    return _logged(
        lx, "dispute.refer", d, before, day, NoteKind.refer, where, DisputeStatus.referred
    )


def review(lx: Ledger, ref: str, *, note: str, date: str | dt.date | None = None) -> Dispute:
    """A collective review (集体研判): marks the dispute reviewed and logs the decision."""
    d, body, day, before = _step(lx, ref, tr("集体研判", "review"), note, "note", date, 4000)
    d.reviewed = True
    return _logged(lx, "dispute.review", d, before, day, NoteKind.review, body)


# ---- output -------------------------------------------------------------------------------
def row(
    d: Dispute, as_of: dt.date | None = None, *, due_soon_days: int = 3, sweep: str | None = None
) -> dict[str, Any]:
    """A dispute for list/show; overdue and due soon are computed as of `as_of`."""
    late = days_overdue(d, as_of) if as_of else None
    return {
        "ref": d.ref,
        "village": village_label(d.village),
        "subject": d.subject.name if d.subject else None,
        "found": d.found,
        "source": d.source,
        "category": d.category,
        "summary": d.summary,
        "parties": d.parties,
        "people": d.people,
        "risk": d.risk,
        "handler": d.handler,
        "lead": d.lead,
        "deadline": d.deadline,
        "status": d.status,
        "overdue": late is not None if as_of else None,
        "days_overdue": late,
        "due_soon": is_due_soon(d, as_of, due_soon_days) if as_of else None,
        "resolved_on": d.resolved_on,
        "method": d.method,
        "result": d.result,
        "referred_to": d.referred_to,
        "referred_on": d.referred_on,
        "reviewed": d.reviewed,
        "prevented_criminal": d.prevented_criminal,
        "prevented_group_petition": d.prevented_group_petition,
        "sweep": sweep,
    }


NOTE_COLUMNS = ("date", "kind", "status", "text", "operator")


def note_row(n: DisputeNote) -> dict[str, Any]:
    return {key: getattr(n, key) for key in NOTE_COLUMNS}


def query(
    lx: Ledger,
    *,
    village: str | None = None,
    town: str | None = None,
    status: str | None = None,
    category: DisputeCategory | None = None,
    handler: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    as_of: dt.date | None = None,
) -> Any:
    """The disputes a list shows, sorted by deadline. `status` is a status code,
    `overdue` or `due-soon` (both as of `as_of`)."""
    day = as_of or lx.today
    q = (
        select(Dispute)
        .options(joinedload(Dispute.village), joinedload(Dispute.subject))
        .order_by(Dispute.deadline, Dispute.ref)
    )
    q = in_place(lx, q, Dispute, town, village)
    if status == "overdue":
        q = q.where(overdue_on(day))
    elif status == "due-soon":
        q = q.where(due_soon_on(day, lx.policy.due_soon_days))
    elif status:
        q = q.where(Dispute.status == DisputeStatus(status))
    if category:
        q = q.where(Dispute.category == category)
    if handler:
        q = q.where(Dispute.handler == handler.strip())
    return in_range(q, Dispute.found, start, end)


def listing(lx: Ledger, *, as_of: dt.date | None = None, **filters: Any) -> list[dict[str, Any]]:
    day = as_of or lx.today
    rows = lx.session.scalars(query(lx, as_of=day, **filters)).unique()
    return [row(d, day, due_soon_days=lx.policy.due_soon_days) for d in rows]


def detail(
    lx: Ledger, ref: str, *, as_of: dt.date | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A dispute's fields (as of `as_of`) and its progress log in order."""
    d = lx.record(Dispute, ref)
    sweep = (
        lx.session.scalar(select(Sweep.ref).where(Sweep.id == d.sweep_id)) if d.sweep_id else None
    )
    notes = lx.session.scalars(
        select(DisputeNote)
        .where(DisputeNote.dispute_id == d.id)
        .order_by(DisputeNote.date, DisputeNote.id)
    )
    fields = row(d, as_of or lx.today, due_soon_days=lx.policy.due_soon_days, sweep=sweep)
    return {**fields, **imported(d)}, [note_row(n) for n in notes]
