"""People's mediation records (人民调解): a dispute's agreement, its judicial confirmation and
the follow-up visits on its performance (issue 16).

The rules, from the 人民调解法 (2010), each a setting where it is a number:
- Art. 28: a mediation that succeeds ends in an agreement, written (调解协议书) or oral; an oral
  agreement is recorded (`--oral`). One agreement per dispute. An agreement on a dispute still
  open resolves it by mediation on the agreement's date (the mediation succeeded); a dispute
  resolved another way (litigation, administrative, petition) or referred takes none.
- Art. 29-30: the agreement takes effect on its date (`agreed_on`); its number is unique in the
  town ((2026)城人调字第12号).
- Art. 31: the parties perform it; the committee follows up (回访) on performance: due
  `mediation_followup_days` (30) days after the agreement.
- Art. 33: the parties may ask a court to confirm it (司法确认) within 30 days of its taking
  effect (`mediation_confirm_days`): a later request is refused unless --force, which the audit
  entry marks (`_late`). An oral agreement has no document to confirm.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, select

from sanling.codes import DisputeStatus, NoteKind, Performance, ResolutionMethod
from sanling.config import Policy
from sanling.errors import Duplicate, InvalidState, InvalidValue
from sanling.i18n import label, tr
from sanling.ledger.base import Ledger, snapshot
from sanling.ledger.dispute import _logged
from sanling.models import Dispute, DisputeFollowup

MAX_AMOUNT = Decimal("1000000000000")  # a trillion yuan: a typing error beyond it


# ---- as-of rules in SQL (the reports' figures) ---------------------------------------------
def performed_by(as_of: dt.date) -> ColumnElement[bool]:
    """A follow-up on or before `as_of` found the agreement performed in full."""
    return exists(
        select(DisputeFollowup.id).where(
            DisputeFollowup.dispute_id == Dispute.id,
            DisputeFollowup.performed == Performance.yes,
            DisputeFollowup.date <= as_of,
        )
    )


def confirmed_by(as_of: dt.date) -> ColumnElement[bool]:
    """Judicially confirmed on or before `as_of`."""
    return and_(Dispute.confirmed_on.is_not(None), Dispute.confirmed_on <= as_of)


# ---- the dates a dispute's agreement sets ---------------------------------------------------
def confirm_by(d: Dispute, policy: Policy) -> dt.date | None:
    """The last day to ask for judicial confirmation (Art. 33)."""
    if d.agreed_on is None:
        return None
    return d.agreed_on + dt.timedelta(days=policy.mediation_confirm_days)


def followup_due(d: Dispute, policy: Policy) -> dt.date | None:
    """The day the follow-up on performance is due."""
    if d.agreed_on is None:
        return None
    return d.agreed_on + dt.timedelta(days=policy.mediation_followup_days)


# ---- the steps -------------------------------------------------------------------------------
def _mediated(d: Dispute) -> None:
    """Refuse a dispute that was not, and is not being, resolved by mediation."""
    if d.status == DisputeStatus.referred or (
        d.status == DisputeStatus.resolved and d.method != ResolutionMethod.mediation
    ):
        how = label(d.method) if d.status == DisputeStatus.resolved and d.method else None
        raise InvalidState(
            tr(
                "{ref} 已{how}，不是经调解化解的纠纷",
                "{ref} was {how}, not resolved by mediation",
                ref=d.ref,
                how=tr("以“{m}”方式化解", "resolved by {m}", m=how) if how else label(d.status),
            ),
            tr(
                "调解协议只记在调解化解（或正在调解）的纠纷上",
                "an agreement is recorded on a dispute resolved, or being resolved, by mediation",
            ),
        )


def _amount(value: str | float | Decimal | None) -> Decimal | None:
    """An agreed amount in yuan: a finite number, 0 or more, below MAX_AMOUNT, to the fen
    (at most 2 decimals: 0.005 is refused, never rounded away)."""
    if value is None:
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except ArithmeticError:
        amount = Decimal("NaN")
    if (
        not amount.is_finite()
        or not Decimal(0) <= amount < MAX_AMOUNT
        or amount != amount.quantize(Decimal("0.01"))
    ):
        raise InvalidValue(
            tr("协议金额“{a}”无效", "invalid agreement amount '{a}'", a=str(value)[:40]),
            tr(
                "金额以元计：0 或以上、不到一万亿、最多两位小数，如 3500 或 3500.50",
                "the amount is in yuan: 0 or more, under a trillion, at most 2 decimals,"
                " e.g. 3500 or 3500.50",
            ),
        )
    return amount.quantize(Decimal("0.01"))


def _unique_number(lx: Ledger, d: Dispute, number: str) -> None:
    taken = lx.session.scalar(
        select(Dispute.ref).where(
            Dispute.town_id == d.town_id, Dispute.agreement_no == number, Dispute.id != d.id
        )
    )
    if taken:
        raise Duplicate(
            tr(
                "调解协议编号 {n} 已用于 {ref}",
                "agreement number {n} is used already by {ref}",
                n=number,
                ref=taken,
            ),
            tr("每份协议的编号在本乡镇唯一", "each agreement's number is unique in the town"),
        )


def agreement(
    lx: Ledger,
    ref: str,
    *,
    number: str,
    content: str,
    amount: str | float | Decimal | None = None,
    oral: bool = False,
    performance_due: str | dt.date | None = None,
    date: str | dt.date | None = None,
) -> Dispute:
    """Record the mediation agreement of dispute `ref` (its date: `date`, else the day it was
    resolved by mediation, else today)."""
    d = lx.record(Dispute, ref)
    if d.agreed_on is not None:
        raise InvalidState(
            tr(
                "{ref} 已有调解协议 {n}（{d}）",
                "{ref} has its agreement already: {n} of {d}",
                ref=d.ref,
                n=d.agreement_no,
                d=d.agreed_on.isoformat(),
            ),
            tr("一件纠纷一份调解协议", "a dispute has one agreement"),
        )
    _mediated(d)
    no = lx.text(number, "number", required=True, limit=100) or ""
    body = lx.text(content, "content", required=True, limit=4000) or ""
    money = _amount(amount)
    day = lx.date_since(
        date if date not in (None, "") else d.resolved_on,
        d.found,
        "协议日期 {day} 早于该纠纷的排查时间 {since}",
        "agreement date {day} is before the dispute was found ({since})",
    )
    due = lx.optional_date(performance_due, "--performance-due", allow_future=True)
    if due is not None:
        lx.not_before(
            due,
            day,
            "履行期限 {day} 早于协议日期 {since}",
            "performance due {day} is before the agreement's date {since}",
        )
    _unique_number(lx, d, no)
    before = snapshot(d)
    d.agreement_no, d.agreement_content, d.agreement_amount = no, body, money  # type: ignore[assignment]
    d.agreement_oral, d.agreed_on, d.performance_due = bool(oral), day, due
    if d.status == DisputeStatus.resolved:
        lx.session.flush()
        lx.audit("dispute.agreement", d.ref, before, snapshot(d))
        return d
    # Still open: the agreement is the mediation's success, so the dispute is resolved by it.
    d.status, d.resolved_on, d.method = DisputeStatus.resolved, day, ResolutionMethod.mediation
    # Stored as the office writes it, whatever the operator's language (like the content).
    d.result = f"达成调解协议{no}：{body}"[:4000]
    return _logged(
        lx, "dispute.agreement", d, before, day, NoteKind.resolve, d.result, DisputeStatus.resolved
    )


def _agreed(d: Dispute, action: str) -> dt.date:
    if d.agreed_on is None:
        raise InvalidState(
            tr(
                "{ref} 没有调解协议，不能{a}",
                "{ref} has no mediation agreement to {a}",
                ref=d.ref,
                a=action,
            ),
            tr(
                "先用 `sanling dispute agreement {ref} --number ... --content ...` 记录协议",
                "record it first: `sanling dispute agreement {ref} --number ... --content ...`",
                ref=d.ref,
            ),
        )
    return d.agreed_on


def confirm(
    lx: Ledger,
    ref: str,
    *,
    court: str,
    date: str | dt.date | None = None,
    force: bool = False,
) -> Dispute:
    """Record the request for judicial confirmation (司法确认) of the dispute's agreement."""
    d = lx.record(Dispute, ref)
    agreed = _agreed(d, tr("申请司法确认", "confirm"))
    lx.not_again(
        d.ref,
        d.confirmed_on,
        "{ref} 的调解协议已于 {d} 申请司法确认",
        "{ref}'s agreement was confirmed on {d} already",
    )
    if d.agreement_oral:
        raise InvalidState(
            tr(
                "{ref} 是口头协议，没有协议书可供司法确认",
                "{ref}'s agreement is oral: there is no document for a court to confirm",
                ref=d.ref,
            ),
            tr("司法确认须提交调解协议书", "a court confirms a written agreement"),
        )
    where = lx.text(court, "court", required=True, limit=200) or ""
    day = lx.date_since(
        date,
        agreed,
        "司法确认日期 {day} 早于协议日期 {since}",
        "confirmation {day} is before the agreement's date {since}",
    )
    last = confirm_by(d, lx.policy)
    assert last is not None
    late = day > last
    if late and not force:
        raise InvalidState(
            tr(
                "司法确认应自协议生效之日起 {n} 日内申请（至 {last}），{day} 已超期",
                "judicial confirmation is asked within {n} days of the agreement (by {last});"
                " {day} is late",
                n=lx.policy.mediation_confirm_days,
                last=last.isoformat(),
                day=day.isoformat(),
            ),
            tr(
                "确属逾期仍要记录，加 --force", "to record a late request all the same, add --force"
            ),
        )
    before = snapshot(d)
    d.confirm_court, d.confirmed_on = where, day
    lx.session.flush()
    lx.audit("dispute.confirm", d.ref, before, {**snapshot(d), **({"_late": True} if late else {})})
    return d


def followup(
    lx: Ledger,
    ref: str,
    *,
    performed: Performance,
    note: str,
    date: str | dt.date | None = None,
) -> Dispute:
    """Record a follow-up visit (回访) on whether the agreement was performed."""
    d = lx.record(Dispute, ref)
    agreed = _agreed(d, tr("回访", "follow up"))
    body = lx.text(note, "note", required=True, limit=4000) or ""
    day = lx.date_since(
        date,
        agreed,
        "回访日期 {day} 早于协议日期 {since}",
        "follow-up {day} is before the agreement's date {since}",
    )
    before = snapshot(d)
    visit = DisputeFollowup(
        dispute_id=d.id, date=day, performed=performed, note=body, operator=lx.operator
    )
    lx.session.add(visit)
    lx.session.flush()
    entry = {"date": day.isoformat(), "performed": performed.value, "note": body}
    lx.audit("dispute.followup", d.ref, before, {**snapshot(d), "followup": entry})
    return d


# ---- output -----------------------------------------------------------------------------------
FOLLOWUP_COLUMNS = ("date", "performed", "note", "operator")


def fields(d: Dispute, policy: Policy) -> dict[str, Any]:
    """The agreement and its confirmation as `show` prints them; nothing without one."""
    if d.agreed_on is None:
        return {}
    return {
        "agreement_no": d.agreement_no,
        "agreed_on": d.agreed_on,
        "agreement_oral": d.agreement_oral,
        "agreement_content": d.agreement_content,
        "agreement_amount": d.agreement_amount,
        "performance_due": d.performance_due,
        "followup_due": followup_due(d, policy),
        "confirm_by": confirm_by(d, policy),
        "confirm_court": d.confirm_court,
        "confirmed_on": d.confirmed_on,
    }


def followups(d: Dispute) -> list[dict[str, Any]]:
    return [{key: getattr(f, key) for key in FOLLOWUP_COLUMNS} for f in d.followups]
