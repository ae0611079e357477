"""Petitions (信访): visits, letters, online and hotline complaints, whether each one breaks
its subject's 零上访 under the ledger's policy (zeros.py holds the rule), and each one's life
under the 信访工作条例 (2022):

    received ──(告知 within petition_accept_days, Art. 31)──> accepted | refused
    accepted ──(书面答复 within petition_reply_days, one extension, Art. 32-33)──> replied
    replied ──(复查 asked within 30 days, decided within 30, Art. 35)──> reviewed
    reviewed ──(复核 asked within 30 days, decided within 30, Art. 36)──> closed

Each step's deadline is fixed on the day the step before it was taken, under the settings of
that day (a deadline is what the petitioner was told). Where a petition stands on a date, and
its deadline then, are worked out from its dates (`stage_sql`, `deadline_sql`), so a report
on a past date reads the same whenever it is run.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, case, func

from sanling import privacy, zeros
from sanling.codes import PetitionStage, PetitionStep, RefPrefix
from sanling.config import Policy
from sanling.errors import InvalidState, InvalidValue
from sanling.i18n import tr
from sanling.ledger.base import Ledger, imported, snapshot
from sanling.ledger.dispute import subject_in_village
from sanling.ledger.filters import Breaking, dated_row
from sanling.models import Dispute, Petition

if TYPE_CHECKING:
    from sanling.schemas import PetitionIn

# The stages in which the office owes the next step (and can fall overdue).
OPEN = (
    PetitionStage.received,
    PetitionStage.accepted,
    PetitionStage.review,
    PetitionStage.recheck,
)
# The step the office owes in each open stage.
OWED = {
    PetitionStage.received: PetitionStep.accept,
    PetitionStage.accepted: PetitionStep.reply,
    PetitionStage.review: PetitionStep.review,
    PetitionStage.recheck: PetitionStep.recheck,
}
# `petition list --status` beside the stages: open, overdue, due-soon (as of a date).
STATUSES = (*(s.value for s in PetitionStage), "open", "overdue", "due-soon")


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# ---- where a petition stands on a date: SQL (lists, reports, reminders) ----------------------
def _by(column: Any, day: dt.date) -> ColumnElement[bool]:
    return and_(column.is_not(None), column <= day)


def stage_sql(day: dt.date) -> Any:
    """The stage (PetitionStage code) of each petition on `day`, from its dates."""
    return case(
        (_by(Petition.recheck_decided, day), PetitionStage.closed.value),
        (_by(Petition.recheck_requested, day), PetitionStage.recheck.value),
        (_by(Petition.review_decided, day), PetitionStage.reviewed.value),
        (_by(Petition.review_requested, day), PetitionStage.review.value),
        (_by(Petition.replied_on, day), PetitionStage.replied.value),
        (_by(Petition.refused_on, day), PetitionStage.refused.value),
        (_by(Petition.accepted_on, day), PetitionStage.accepted.value),
        else_=PetitionStage.received.value,
    )


def reply_deadline_sql(day: dt.date) -> Any:
    """The reply's deadline on `day`: extended once the extension was granted."""
    return case((_by(Petition.extended_on, day), Petition.extended_to), else_=Petition.reply_due)


def deadline_sql(day: dt.date) -> Any:
    """The deadline of the step the office owes on `day` (NULL when it owes none)."""
    stage = stage_sql(day)
    return case(
        (stage == PetitionStage.received.value, Petition.accept_due),
        (stage == PetitionStage.accepted.value, reply_deadline_sql(day)),
        (stage == PetitionStage.review.value, Petition.review_due),
        (stage == PetitionStage.recheck.value, Petition.recheck_due),
        else_=None,
    )


def open_sql(as_of: dt.date) -> ColumnElement[bool]:
    """Received by `as_of`, and the office owes a step on it then."""
    return and_(Petition.date <= as_of, stage_sql(as_of).in_([s.value for s in OPEN]))


def overdue_sql(as_of: dt.date) -> ColumnElement[bool]:
    """Open on `as_of` and past the deadline of its current step (逾期)."""
    return and_(open_sql(as_of), deadline_sql(as_of) < as_of)


def due_soon_sql(as_of: dt.date, days: int) -> ColumnElement[bool]:
    """Open on `as_of`, its current step due today or within `days` days (临期)."""
    due = deadline_sql(as_of)
    return and_(open_sql(as_of), due >= as_of, due <= as_of + _days(days))


def owed_label_sql(day: dt.date) -> Any:
    """The label of the step the office owes on `day` (NULL when it owes none): --explain."""
    stage = stage_sql(day)
    return case(*((stage == s.value, tr(step.zh, step.en)) for s, step in OWED.items()))


# ---- on-time rates: each petition counted once, in the period its deadline falls in --------
def told_by_sql() -> Any:
    """The day the petitioner was told whether it is accepted (受理 or 不予受理告知)."""
    return func.coalesce(Petition.accepted_on, Petition.refused_on)


def accept_fell_due_sql(as_of: dt.date) -> ColumnElement[bool]:
    """Its 告知 deadline has come by `as_of` (whether told or not): 按期受理率's denominator."""
    return and_(Petition.accept_due.is_not(None), Petition.accept_due <= as_of)


def accepted_on_time_sql() -> ColumnElement[bool]:
    """Told (accepted or refused) by its acceptance deadline: 按期受理."""
    told = told_by_sql()
    return and_(told.is_not(None), told <= Petition.accept_due)


def reply_limit_sql() -> Any:
    """The reply's deadline, the extension included (granted before the reply fell due)."""
    return func.coalesce(Petition.extended_to, Petition.reply_due)


def reply_fell_due_sql(as_of: dt.date) -> ColumnElement[bool]:
    """Its reply deadline has come by `as_of` (replied or not): 按期办结率's denominator."""
    limit = reply_limit_sql()
    return and_(limit.is_not(None), limit <= as_of)


def replied_on_time_sql() -> ColumnElement[bool]:
    """Replied by its reply deadline, the extension included: 按期办结."""
    return and_(Petition.replied_on.is_not(None), Petition.replied_on <= reply_limit_sql())


# ---- the same for one record (show, list, reminders) ----------------------------------------
def _on(value: dt.date | None, day: dt.date) -> bool:
    return value is not None and value <= day


def stage(p: Petition, day: dt.date) -> PetitionStage:
    for column, step in (
        (p.recheck_decided, PetitionStage.closed),
        (p.recheck_requested, PetitionStage.recheck),
        (p.review_decided, PetitionStage.reviewed),
        (p.review_requested, PetitionStage.review),
        (p.replied_on, PetitionStage.replied),
        (p.refused_on, PetitionStage.refused),
        (p.accepted_on, PetitionStage.accepted),
    ):
        if _on(column, day):
            return step
    return PetitionStage.received


def reply_deadline(p: Petition, day: dt.date) -> dt.date | None:
    return p.extended_to if _on(p.extended_on, day) else p.reply_due


def next_deadline(p: Petition, day: dt.date | None = None) -> dt.date | None:
    """The deadline of the step the office owes on `day` (default: every step recorded),
    None when it owes none."""
    when = day or dt.date.max
    now = stage(p, when)
    if now == PetitionStage.received:
        return p.accept_due
    if now == PetitionStage.accepted:
        return reply_deadline(p, when)
    if now == PetitionStage.review:
        return p.review_due
    if now == PetitionStage.recheck:
        return p.recheck_due
    return None


def is_open(p: Petition, day: dt.date) -> bool:
    return p.date <= day and stage(p, day) in OPEN


def days_overdue(p: Petition, day: dt.date) -> int | None:
    due = next_deadline(p, day)
    if is_open(p, day) and due is not None and due < day:
        return (day - due).days
    return None


def is_due_soon(p: Petition, day: dt.date, days: int) -> bool:
    due = next_deadline(p, day)
    return is_open(p, day) and due is not None and 0 <= (due - day).days <= days


# ---- intake -------------------------------------------------------------------------------
def add(lx: Ledger, data: PetitionIn) -> Petition:
    village = lx.village(data.village, town=data.town)
    subject = subject_in_village(lx, data.subject, village, data.town) if data.subject else None
    day = lx.date(data.date, "--date")
    dispute = lx.record(Dispute, data.dispute) if data.dispute else None
    phone = lx.text(data.phone, "phone", limit=40)
    petition = lx.new(
        Petition,
        **lx.of_subject(RefPrefix.petition, day, village, subject),
        date=day,
        form=data.form,
        level=data.level,
        people=lx.count(data.people, "people", minimum=1),
        repeated=data.repeated,
        abnormal=data.abnormal,
        summary=lx.text(data.summary, "summary", required=True),
        dispute_id=dispute.id if dispute else None,
        handled_at_source=data.handled_at_source,
        petitioner=lx.text(data.petitioner, "petitioner", limit=100),
        phone=privacy.normalise_phone(phone) if phone else None,
        handler=lx.text(data.handler, "handler", limit=100),
        accept_due=day + _days(lx.policy.petition_accept_days),
    )
    lx.created(petition, "petition.add")
    return petition


# ---- the steps of its life ------------------------------------------------------------------
def _refuse_order(p: Petition, zh: str, en: str, hint_zh: str, hint_en: str) -> InvalidState:
    return InvalidState(tr(zh, en, ref=p.ref), tr(hint_zh, hint_en, ref=p.ref))


def _not_closed(p: Petition) -> None:
    """After the 复核 the same matter is not accepted again (Art. 36): no step at all."""
    if p.recheck_decided is not None:
        raise InvalidState(
            tr(
                "{ref} 已于 {d} 复核终结，不能再办理",
                "{ref} was closed by its recheck on {d}; it takes no further step",
                ref=p.ref,
                d=p.recheck_decided.isoformat(),
            ),
            tr(
                "复核后同一事项不再受理（信访工作条例第三十六条）",
                "after the 复核 the same matter is not accepted again (Art. 36)",
            ),
        )


def _step_date(lx: Ledger, value: str | dt.date | None, since: dt.date, what: str) -> dt.date:
    return lx.date_since(
        value,
        since,
        "日期 {day} 早于" + what + "（{since}）",
        "date {day} is before " + what + " ({since})",
    )


def _done(lx: Ledger, action: str, p: Petition, before: dict[str, Any]) -> Petition:
    lx.audit(action, p.ref, before, snapshot(p))
    return p


def _awaiting_acceptance(lx: Ledger, ref: str) -> tuple[Petition, dict[str, Any]]:
    p = lx.record(Petition, ref)
    _not_closed(p)
    if p.accepted_on is not None or p.refused_on is not None:
        accepted = p.accepted_on is not None
        raise InvalidState(
            tr(
                "{ref} 已于 {d} {what}",
                "{ref} was already {what} on {d}",
                ref=p.ref,
                d=(p.accepted_on if accepted else p.refused_on).isoformat(),  # type: ignore[union-attr]
                what=tr("受理", "accepted") if accepted else tr("不予受理", "refused"),
            ),
            tr("受理与否只告知一次", "a petition is accepted or refused once"),
        )
    return p, snapshot(p)


def accept(lx: Ledger, ref: str, *, date: str | dt.date | None = None) -> Petition:
    """Accepted (受理), the petitioner told: the reply is due petition_reply_days later."""
    p, before = _awaiting_acceptance(lx, ref)
    day = _step_date(lx, date, p.date, tr("登记日期", "the day it was received"))
    p.accepted_on = day
    p.reply_due = day + _days(lx.policy.petition_reply_days)
    return _done(lx, "petition.accept", p, before)


def refuse(lx: Ledger, ref: str, *, reason: str, date: str | dt.date | None = None) -> Petition:
    """Not accepted (不予受理), the petitioner told why: the office owes no further step."""
    p, before = _awaiting_acceptance(lx, ref)
    text = lx.text(reason, "reason", required=True, limit=1000)
    day = _step_date(lx, date, p.date, tr("登记日期", "the day it was received"))
    p.refused_on, p.refuse_reason = day, text
    return _done(lx, "petition.refuse", p, before)


def _awaiting_reply(lx: Ledger, ref: str, verb: tuple[str, str]) -> Petition:
    p = lx.record(Petition, ref)
    _not_closed(p)
    if p.accepted_on is None:
        zh, en = verb
        if p.refused_on is not None:
            raise _refuse_order(
                p,
                f"{{ref}} 已不予受理，不能{zh}",
                f"{{ref}} was not accepted; it cannot be {en}",
                "不予受理的信访事项不再办理",
                "a petition not accepted takes no further step",
            )
        raise _refuse_order(
            p,
            f"{{ref}} 尚未受理，不能{zh}",
            f"{{ref}} is not accepted yet; it cannot be {en}",
            "先 `sanling petition accept {ref}` 记录受理",
            "record the acceptance first: `sanling petition accept {ref}`",
        )
    if p.replied_on is not None:
        raise InvalidState(
            tr(
                "{ref} 已于 {d} 答复",
                "{ref} was already replied on {d}",
                ref=p.ref,
                d=p.replied_on.isoformat(),
            ),
            tr(
                "对答复不服的用 `sanling petition review {ref} --stage review`",
                "a petitioner who disputes the reply asks a 复查: `sanling petition review {ref}"
                " --stage review`",
                ref=p.ref,
            ),
        )
    return p


def reply(
    lx: Ledger, ref: str, *, date: str | dt.date | None = None, note: str | None = None
) -> Petition:
    """The written reply (书面答复): the petition is 办结."""
    p = _awaiting_reply(lx, ref, ("答复", "replied"))
    before = snapshot(p)
    text = lx.text(note, "note", limit=4000)
    assert p.accepted_on is not None
    day = _step_date(lx, date, p.accepted_on, tr("受理日期", "its acceptance"))
    p.replied_on, p.reply_note = day, text
    return _done(lx, "petition.reply", p, before)


def extend(
    lx: Ledger,
    ref: str,
    *,
    days: int,
    reason: str,
    approved_by: str,
    date: str | dt.date | None = None,
) -> Petition:
    """One extension of the reply (Art. 33): at most petition_extend_max_days, approved by a
    named person, the reason told to the petitioner; granted before the reply falls due."""
    p = _awaiting_reply(lx, ref, ("延期", "extended"))
    if p.extended_on is not None:
        raise InvalidState(
            tr(
                "{ref} 已于 {d} 延期至 {to}，只能延期一次",
                "{ref} was already extended on {d} (to {to}); it can be extended once",
                ref=p.ref,
                d=p.extended_on.isoformat(),
                to=p.extended_to.isoformat() if p.extended_to else "?",
            ),
            tr(
                "办理期限只能延长一次（信访工作条例第三十三条）",
                "the reply can be extended once (Art. 33)",
            ),
        )
    most = lx.policy.petition_extend_max_days
    if not 1 <= days <= most:
        raise InvalidValue(
            tr(
                "延期天数须在 1 到 {m} 之间，收到 {n}",
                "the extension must be 1 to {m} days, got {n}",
                m=most,
                n=days,
            ),
            tr(
                "延长期限不得超过 {m} 日（petition_extend_max_days）",
                "an extension is at most {m} days (setting petition_extend_max_days)",
                m=most,
            ),
            field="days",
        )
    before = snapshot(p)
    why = lx.text(reason, "reason", required=True, limit=1000)
    who = lx.text(approved_by, "approved-by", required=True, limit=100)
    assert p.accepted_on is not None and p.reply_due is not None
    day = _step_date(lx, date, p.accepted_on, tr("受理日期", "its acceptance"))
    if day > p.reply_due:
        raise InvalidState(
            tr(
                "{ref} 的答复时限 {due} 已过，不能在 {day} 延期",
                "{ref}'s reply was due {due}; it cannot be extended on {day}",
                ref=p.ref,
                due=p.reply_due.isoformat(),
                day=day.isoformat(),
            ),
            tr("延期须在答复时限届满前批准", "an extension is approved before the reply falls due"),
        )
    p.extended_on, p.extended_to = day, p.reply_due + _days(days)
    p.extend_reason, p.extend_approved_by = why, who
    return _done(lx, "petition.extend", p, before)


def review(
    lx: Ledger,
    ref: str,
    *,
    stage: str,
    requested: str | dt.date | None = None,
    decided: str | dt.date | None = None,
    result: str | None = None,
    force: bool = False,
) -> Petition:
    """A 复查 (stage review, Art. 35) or 复核 (stage recheck, Art. 36): asked within the
    request window after the decision it contests (or --force), decided within its limit.
    The request and the decision may be recorded together or one after the other."""
    p = lx.record(Petition, ref)
    _not_closed(p)
    recheck = stage == "recheck"
    contested = _contested(p, recheck)
    before = snapshot(p)
    cols = ("recheck_requested", "recheck_due", "recheck_decided", "recheck_result")
    if not recheck:
        cols = ("review_requested", "review_due", "review_decided", "review_result")
    asked_col, due_col, decided_col, result_col = cols
    asked: dt.date | None = getattr(p, asked_col)
    if asked is None:
        asked = _request(lx, p, requested, contested, recheck, force)
        setattr(p, asked_col, asked)
        days = lx.policy.petition_recheck_days if recheck else lx.policy.petition_review_days
        setattr(p, due_col, asked + _days(days))
    elif requested not in (None, "") and lx.date(requested, "--requested") != asked:
        raise InvalidState(
            tr(
                "{ref} 的{what}已于 {d} 申请",
                "{ref}'s {what} was requested on {d}",
                ref=p.ref,
                what=_what(recheck),
                d=asked.isoformat(),
            ),
            tr("记录决定时可省略 --requested", "leave out --requested to record the decision"),
        )
    elif decided in (None, ""):
        raise InvalidValue(
            tr(
                "{ref} 的{what}已申请，请用 --decided 记录决定",
                "{ref}'s {what} is requested already: record its decision with --decided",
                ref=p.ref,
                what=_what(recheck),
            )
        )
    if decided not in (None, ""):
        if getattr(p, decided_col) is not None:
            raise InvalidState(
                tr(
                    "{ref} 的{what}已决定",
                    "{ref}'s {what} is decided already",
                    ref=p.ref,
                    what=_what(recheck),
                )
            )
        since = tr("申请日期", "its request")
        setattr(p, decided_col, _step_date(lx, decided, asked, since))
        setattr(p, result_col, lx.text(result, "result", limit=4000))
    elif result:
        raise InvalidValue(
            tr("--result 需与 --decided 一起给出", "--result goes with --decided"),
            field="result",
        )
    return _done(lx, f"petition.{'recheck' if recheck else 'review'}", p, before)


def _what(recheck: bool) -> str:
    return tr("复核", "recheck (复核)") if recheck else tr("复查", "review (复查)")


def _contested(p: Petition, recheck: bool) -> dt.date:
    """The decision a 复查 (the reply) or a 复核 (the 复查's decision) contests."""
    if recheck:
        if p.review_decided is None:
            raise _refuse_order(
                p,
                "{ref} 尚无复查决定，不能申请复核",
                "{ref} has no 复查 decision yet; a 复核 contests one",
                "先 `sanling petition review {ref} --stage review ... --decided D`",
                "record the review's decision first: `sanling petition review {ref} --stage"
                " review --decided D`",
            )
        return p.review_decided
    if p.replied_on is None:
        raise _refuse_order(
            p,
            "{ref} 尚未答复，不能申请复查",
            "{ref} is not replied yet; a 复查 contests the reply",
            "先 `sanling petition reply {ref}` 记录答复",
            "record the reply first: `sanling petition reply {ref}`",
        )
    return p.replied_on


def _request(
    lx: Ledger,
    p: Petition,
    requested: str | dt.date | None,
    contested: dt.date,
    recheck: bool,
    force: bool,
) -> dt.date:
    """The day a 复查 or 复核 was asked: not before the decision it contests, and within the
    request window after it unless forced."""
    if requested in (None, ""):
        raise InvalidValue(
            tr("请用 --requested 给出申请日期", "give the day it was asked with --requested"),
            field="requested",
        )
    since = tr("被复查（复核）的决定", "the decision it contests")
    day = lx.date_since(
        requested,
        contested,
        "日期 {day} 早于" + since + "（{since}）",
        "date {day} is before " + since + " ({since})",
    )
    policy = lx.policy
    window = (
        policy.petition_recheck_request_days if recheck else policy.petition_review_request_days
    )
    last = contested + _days(window)
    if day > last and not force:
        raise InvalidState(
            tr(
                "{ref} 的{what}申请日 {day} 已超过 {w} 日期限（截至 {last}）",
                "{ref}'s {what} was asked on {day}, after the {w}-day window (to {last})",
                ref=p.ref,
                what=_what(recheck),
                day=day.isoformat(),
                w=window,
                last=last.isoformat(),
            ),
            tr(
                "逾期申请一般不予受理；确需登记的加 --force",
                "a late request is normally not accepted; add --force to record it anyway",
            ),
        )
    return day


# ---- output -------------------------------------------------------------------------------
def row(p: Petition, policy: Policy | None = None, *, reveal: bool = False) -> dict[str, Any]:
    """A petition's fields for list and show (`timing` adds its stage and deadline), its
    personal data masked unless `reveal`: privacy.masked, by the `mask` of fields.PETITIONS."""
    rules = policy or Policy()
    return privacy.masked(
        "petitions",
        {
            **dated_row(p),
            "form": p.form,
            "level": p.level,
            "people": p.people,
            "collective": p.people >= rules.petition_collective_people,
            "repeated": p.repeated,
            "abnormal": p.abnormal,
            "summary": p.summary,
            "petitioner": p.petitioner,
            "phone": p.phone,
            "handler": p.handler,
            "dispute": p.dispute.ref if p.dispute else None,
            "handled_at_source": p.handled_at_source,
            "breaks_zero": zeros.petition_breaks(p, rules),
        },
        reveal,
    )


def timing(p: Petition, day: dt.date, due_soon_days: int) -> dict[str, Any]:
    """Its stage and current deadline on `day`: overdue, by how many days, due soon."""
    late = days_overdue(p, day)
    return {
        "stage": stage(p, day),
        "due": next_deadline(p, day),
        "overdue": late is not None,
        "days_overdue": late,
        "due_soon": is_due_soon(p, day, due_soon_days),
    }


STEP_KEYS = (
    "accept_due",
    "accepted_on",
    "refused_on",
    "refuse_reason",
    "reply_due",
    "extended_on",
    "extended_to",
    "extend_reason",
    "extend_approved_by",
    "replied_on",
    "reply_note",
    "review_requested",
    "review_due",
    "review_decided",
    "review_result",
    "recheck_requested",
    "recheck_due",
    "recheck_decided",
    "recheck_result",
)


# The steps `show` lists, each named as the office ledger names it.
STEP_NAMES = {
    "accept": ("受理告知", "acceptance told"),
    "refuse": ("不予受理告知", "refusal told"),
    "reply": ("书面答复", "written reply"),
    "review": ("复查决定", "review decided"),
    "recheck": ("复核决定", "recheck decided"),
}


# Each step's date, and the fields it brings with it: on a day before the step was taken
# they are not there yet (`show --as-of`: the picture of that day).
STEP_GROUPS = {
    "accepted_on": ("accepted_on", "reply_due"),
    "refused_on": ("refused_on", "refuse_reason"),
    "extended_on": ("extended_on", "extended_to", "extend_reason", "extend_approved_by"),
    "replied_on": ("replied_on", "reply_note"),
    "review_requested": ("review_requested", "review_due"),
    "review_decided": ("review_decided", "review_result"),
    "recheck_requested": ("recheck_requested", "recheck_due"),
    "recheck_decided": ("recheck_decided", "recheck_result"),
}


def steps_on(p: Petition, day: dt.date | None = None) -> dict[str, Any]:
    """Its step fields (STEP_KEYS) as they stood on `day` (default: all recorded): a step
    taken after `day`, and what it brought (its deadline, note, the next step's deadline),
    reads as not yet done."""
    values = {key: getattr(p, key) for key in STEP_KEYS}
    if day is None:
        return values
    for taken, keys in STEP_GROUPS.items():
        if values[taken] is not None and values[taken] > day:
            values.update(dict.fromkeys(keys))
    return values


def steps(v: dict[str, Any]) -> list[dict[str, Any]]:
    """Its life as `show` lists it, from its step fields (`steps_on`): each step with its
    deadline and the day it was taken (the reply's deadline with its extension)."""
    told = (
        _step_row("refuse", v["accept_due"], v["refused_on"], v["refuse_reason"])
        if v["refused_on"] is not None
        else _step_row("accept", v["accept_due"], v["accepted_on"], None)
    )
    out = [
        told,
        _step_row("reply", v["extended_to"] or v["reply_due"], v["replied_on"], v["reply_note"]),
        _step_row("review", v["review_due"], v["review_decided"], v["review_result"]),
        _step_row("recheck", v["recheck_due"], v["recheck_decided"], v["recheck_result"]),
    ]
    return [r for r in out if r["step_due"] is not None or r["done_on"] is not None]


def _step_row(
    step: str, due: dt.date | None, done: dt.date | None, note: str | None
) -> dict[str, Any]:
    return {
        "step": tr(*STEP_NAMES[step]),
        "step_due": due,
        "done_on": done,
        "on_time": None if done is None or due is None else done <= due,
        "note": note,
    }


# The filters every record that may break a 零 shares (village, town, form, level, --breaking,
# dates); `listing` adds the stage, the handler and the masking.
BREAKING = Breaking(Petition, zeros.petition_breaking, row, (Petition.dispute,))


def listing(
    lx: Ledger,
    *,
    status: str | None = None,
    handler: str | None = None,
    reveal: bool = False,
    as_of: dt.date | None = None,
    **filters: Any,
) -> list[dict[str, Any]]:
    """Petitions newest first, filtered as Breaking's listing and by `status` (a stage, open,
    overdue or due-soon on `as_of`) and handler; each with its stage and current deadline."""
    from sqlalchemy.orm import joinedload

    day = as_of or lx.today
    soon = lx.policy.due_soon_days
    q = BREAKING.query(lx, **filters)
    q = q.where(*status_where(status, day, soon))
    if handler:
        q = q.where(Petition.handler == handler.strip())
    q = q.options(
        joinedload(Petition.village), joinedload(Petition.subject), joinedload(Petition.dispute)
    ).order_by(Petition.date.desc(), Petition.ref.desc())
    policy = lx.policy
    return [
        {**row(p, policy, reveal=reveal), **timing(p, day, soon)}
        for p in lx.session.scalars(q).unique()
    ]


def status_where(status: str | None, day: dt.date, soon: int) -> list[Any]:
    """The condition of `petition list --status` on `day`."""
    if not status:
        return []
    if status == "open":
        return [open_sql(day)]
    if status == "overdue":
        return [overdue_sql(day)]
    if status == "due-soon":
        return [due_soon_sql(day, soon)]
    return [Petition.date <= day, stage_sql(day) == PetitionStage(status).value]


def detail(
    lx: Ledger, ref: str, *, reveal: bool = False, as_of: dt.date | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A petition's fields, its stage and deadline on `as_of`, and its steps as they stood
    then (steps taken after `as_of` not yet done)."""
    p = lx.record(Petition, ref)
    day = as_of or lx.today
    taken = steps_on(p, as_of)
    fields = {
        **row(p, lx.policy, reveal=reveal),
        **timing(p, day, lx.policy.due_soon_days),
        **taken,
        **imported(p, hide=False),
    }
    return fields, steps(taken)
