"""Key persons (重点人员): registered, visited (走访) and de-listed; their data kept private.

Name, ID number and phone are sensitive personal information (PIPL): `row()` masks them
unless `reveal=True`, and whoever reveals them records it with `record_reveal()` in the same
transaction (the audit log names the operator and the records). Every output path (list,
show, add, visit, delist, export) goes through `row()`.

The next visit is due `visit_days_high` days (risk at or above `visit_high_risk_from`) or
`visit_days` days after the last visit, or after the listed date when there was none.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload

from sanling import privacy
from sanling.codes import PersonCategory, RefPrefix, Sex
from sanling.config import Policy
from sanling.errors import Duplicate, InvalidState, InvalidValue
from sanling.i18n import label, tr
from sanling.ledger.base import Ledger, imported, snapshot
from sanling.ledger.filters import in_place, village_label
from sanling.models import Person, Visit

if TYPE_CHECKING:  # input models load only where records are added
    from sanling.schemas import PersonIn


def add(lx: Ledger, data: PersonIn) -> Person:
    village = lx.village(data.village, town=data.town)
    number = privacy.normalise_id(data.id_number, lx.today)
    # A voided record keeps its number (nothing is deleted): it is found too.
    taken = lx.session.scalar(
        select(Person.ref)
        .where(Person.id_number == number, *lx.others(Person))
        .execution_options(include_voided=True)
    )
    if taken:
        raise Duplicate(
            tr(
                "公民身份号码 {id} 已登记为 {ref}",
                "ID number {id} is registered already as {ref}",
                id=privacy.mask_id(number),
                ref=taken,
            ),
            tr("用 `person show {ref}` 查看", "see `person show {ref}`", ref=taken),
        )
    sex = Sex(privacy.sex_from_id(number))
    if data.sex is not None and data.sex != sex:
        raise InvalidValue(
            tr(
                "性别“{s}”与公民身份号码不符（号码表明{t}）",
                "sex '{s}' does not match the ID number (which says {t})",
                s=label(data.sex),
                t=label(sex),
            ),
            tr(
                "核对号码或去掉 --sex（按号码自动填写）",
                "check the number, or leave --sex out (it follows the number)",
            ),
        )
    if data.risk == 0 and data.category != PersonCategory.mental:
        raise InvalidValue(
            tr(
                "风险等级 0 只用于精神障碍患者（0-5 级）；其他类别为 1-5",
                "risk 0 is for mental disorder only (its 0-5 scale); other categories use 1-5",
            ),
        )
    listed = lx.date(data.listed, "--listed")
    person = lx.new(
        Person,
        **lx.placed(RefPrefix.person, listed, village),
        category=data.category,
        name=lx.text(data.name, "name", required=True, limit=100),
        sex=sex,
        id_number=number,
        phone=privacy.normalise_phone(data.phone) if data.phone else None,
        address=lx.text(data.address, "address", limit=200),
        risk=data.risk,
        guardian=lx.text(data.guardian, "guardian", limit=200),
        cadre=lx.text(data.cadre, "cadre", limit=100),
        listed=listed,
    )
    lx.created(person, "person.add")
    return person


def visit(
    lx: Ledger, ref: str, by: str, note: str | None = None, date: str | dt.date | None = None
) -> Visit:
    """Record a visit (走访); the person's last visit moves forward, never back."""
    p = lx.record(Person, ref)
    day = lx.date_since(
        date,
        p.listed,
        "走访日期 {day} 早于列管日期 {since}",
        "visit {day} is before the listed date {since}",
    )
    if p.delisted is not None and day > p.delisted:
        raise InvalidState(
            tr(
                "{ref} 已于 {d} 撤管",
                "{ref} was de-listed on {d}",
                ref=p.ref,
                d=p.delisted.isoformat(),
            ),
            tr("撤管后不再走访", "de-listed persons are not visited"),
        )
    before = snapshot(p)
    v = Visit(
        person_id=p.id,
        date=day,
        by=lx.text(by, "by", required=True, limit=100) or "",
        note=lx.text(note, "note"),
    )
    lx.session.add(v)
    if p.last_visit is None or day > p.last_visit:
        p.last_visit = day
    lx.audit(
        "person.visit",
        p.ref,
        before,
        {**snapshot(p), "visit": {"date": day.isoformat(), "by": v.by}},
    )
    return v


def delist(lx: Ledger, ref: str, reason: str, date: str | dt.date | None = None) -> Person:
    p = lx.record(Person, ref)
    lx.not_again(p.ref, p.delisted, "{ref} 已于 {d} 撤管", "{ref} was de-listed on {d} already")
    day = lx.date_since(
        date,
        p.listed,
        "撤管日期 {day} 早于列管日期 {since}",
        "de-listed {day} is before the listed date {since}",
    )
    before = snapshot(p)
    p.delisted = day
    p.delist_reason = lx.text(reason, "reason", required=True, limit=1000)
    lx.audit("person.delist", p.ref, before, snapshot(p))
    return p


def record_reveal(lx: Ledger, refs: list[str], via: str) -> None:
    """Write the audit entry of an unmasked read: who (the operator), which records, how."""
    lx.revealed("person", refs, via)


# ---- visits due ------------------------------------------------------------------------
def interval(risk: int, policy: Policy) -> int:
    return policy.visit_days_high if risk >= policy.visit_high_risk_from else policy.visit_days


def next_visit(p: Person, policy: Policy) -> dt.date | None:
    """(last visit or listed date) + the interval of the person's risk; None once de-listed."""
    if p.delisted is not None:
        return None
    return (p.last_visit or p.listed) + dt.timedelta(days=interval(p.risk, policy))


def last_visit_sql(as_of: dt.date) -> Any:
    """The last visit on or before `as_of` (a correlated subquery)."""
    return (
        select(func.max(Visit.date))
        .where(Visit.person_id == Person.id, Visit.date <= as_of)
        .correlate(Person)
        .scalar_subquery()
    )


def active_sql(as_of: dt.date) -> Any:
    return and_(Person.listed <= as_of, or_(Person.delisted.is_(None), Person.delisted > as_of))


def visit_overdue_sql(policy: Policy, as_of: dt.date) -> Any:
    """Listed as of `as_of` and the next visit due before it (SQL, for lists and reports)."""
    base = func.coalesce(last_visit_sql(as_of), Person.listed)
    high = Person.risk >= policy.visit_high_risk_from
    return and_(
        active_sql(as_of),
        or_(
            and_(high, base < as_of - dt.timedelta(days=policy.visit_days_high)),
            and_(~high, base < as_of - dt.timedelta(days=policy.visit_days)),
        ),
    )


def visit_due_sql(policy: Policy, as_of: dt.date, days: int) -> Any:
    """Listed as of `as_of`, not overdue, and the next visit due within `days` days (临期)."""
    base = func.coalesce(last_visit_sql(as_of), Person.listed)
    high = Person.risk >= policy.visit_high_risk_from

    def within(interval: int) -> Any:
        first = as_of - dt.timedelta(days=interval)
        return and_(base >= first, base <= first + dt.timedelta(days=days))

    return and_(
        active_sql(as_of),
        or_(and_(high, within(policy.visit_days_high)), and_(~high, within(policy.visit_days))),
    )


# ---- listing ---------------------------------------------------------------------------
def query(
    lx: Ledger,
    *,
    category: PersonCategory | None = None,
    village: str | None = None,
    visit_overdue: bool = False,
    include_delisted: bool = False,
    town: str | None = None,
) -> Select[Any]:
    q = in_place(lx, select(Person), Person, town, village)
    if category:
        q = q.where(Person.category == category)
    if not include_delisted:
        q = q.where(active_sql(lx.today))
    if visit_overdue:
        q = q.where(visit_overdue_sql(lx.policy, lx.today))
    return q


def listing(lx: Ledger, *, reveal: bool = False, **filters: Any) -> list[dict[str, Any]]:
    q = query(lx, **filters).options(joinedload(Person.village)).order_by(Person.ref)
    policy, today = lx.policy, lx.today
    return [row(p, policy, today, reveal=reveal) for p in lx.session.scalars(q)]


def row(p: Person, policy: Policy, as_of: dt.date, *, reveal: bool = False) -> dict[str, Any]:
    """A key person for output: name, ID number and phone masked unless `reveal`."""
    due = next_visit(p, policy)
    overdue = due is not None and due < as_of
    return privacy.masked(
        "persons",
        {
            "ref": p.ref,
            "category": p.category,
            "name": p.name,
            "sex": p.sex,
            "id_number": p.id_number,
            "phone": p.phone,
            "village": village_label(p.village),
            "address": p.address,
            "risk": p.risk,
            "guardian": p.guardian,
            "cadre": p.cadre,
            "listed": p.listed,
            "delisted": p.delisted,
            "delist_reason": p.delist_reason,
            "last_visit": p.last_visit,
            "next_visit": due,
            "visit_overdue": overdue,
            "days_overdue": (as_of - due).days if overdue and due else None,
        },
        reveal,
    )


def visits(p: Person) -> list[dict[str, Any]]:
    return [{"date": v.date, "by": v.by, "note": v.note} for v in p.visits]


def detail(
    lx: Ledger, ref: str, *, reveal: bool = False
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    p = lx.record(Person, ref)
    return {**row(p, lx.policy, lx.today, reveal=reveal), **imported(p, hide=not reveal)}, visits(p)
