"""Key persons (重点人员): registered, visited (走访) and de-listed; their data kept private.

Name, ID number and phone are sensitive personal information (PIPL): `row()` masks them
unless `reveal=True`, and whoever reveals them records it with `record_reveal()` in the same
transaction (the audit log names the operator and the records). Every output path (list,
show, add, visit, delist, export) goes through `row()`.

The next visit is due a number of days after the last visit (or the listed date when there was
none) that depends on the category and the risk level (`schedule`): severe mental disorder by
the levels of 严重精神障碍管理治疗工作规范 (2018: level 0 every 3 months, 1-2 every 2 months,
3-5 every 2 weeks), released prisoners and drug users monthly, every other category
`visit_days_high` days (risk at or above `visit_high_risk_from`) or `visit_days` days.

A listing ends (`listing_ends`) on its term's end when one is given (a 社区矫正 term ends with
the sentence), else 5 years after release for 安置帮教 and 3 years after the start of 社区戒毒
(禁毒法 第三十三条), counted from `term_from` or, without it, the listed date; other categories
have no end. The person stays listed until de-listed (`delist`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload

from sanling import periods, privacy
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
    term_from, term_end = _term(lx, data.term_from, data.term_end)
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
        term_from=term_from,
        term_end=term_end,
    )
    lx.created(person, "person.add")
    return person


def _term(
    lx: Ledger, start: str | dt.date | None, end: str | dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """The listing term: its start has happened (a release, a start); its end may lie ahead
    and is not before the start."""
    first = lx.optional_date(start, "--term-from")
    last = lx.optional_date(end, "--term-end", allow_future=True)
    if first is not None and last is not None:
        lx.not_before(
            last,
            first,
            "期满日期 {day} 早于起始日期 {since}",
            "term end {day} is before the term's start {since}",
        )
    return first, last


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
    lx.not_again(
        p.ref,
        p.delisted,
        "{ref} 已于 {d} 撤管",
        "{ref} was de-listed on {d} already",
        tr(
            "一人只撤管一次；`sanling person show {ref}` 列出撤管日期和原因",
            "a person is de-listed once; `sanling person show {ref}` gives its date and reason",
            ref=p.ref,
        ),
    )
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
@dataclass(frozen=True)
class Band:
    """Persons of these categories with a risk level from `low` to `high` are visited every
    `days` days."""

    categories: tuple[PersonCategory, ...]
    low: int
    high: int
    days: int


SCHEDULED = (PersonCategory.mental, PersonCategory.released, PersonCategory.drug)


def schedule(policy: Policy) -> tuple[Band, ...]:
    """The visit intervals, one band per (categories, risk levels); every person is in one."""
    mental, released, drug = SCHEDULED
    others = tuple(c for c in PersonCategory if c not in SCHEDULED)
    high = policy.visit_high_risk_from
    return (
        Band((mental,), 0, 0, policy.visit_days_mental_0),
        Band((mental,), 1, 2, policy.visit_days_mental_1_2),
        Band((mental,), 3, 5, policy.visit_days_mental_3_5),
        Band((released,), 0, 5, policy.visit_days_released),
        Band((drug,), 0, 5, policy.visit_days_drug),
        Band(others, high, 5, policy.visit_days_high),
        Band(others, 0, high - 1, policy.visit_days),
    )


def interval(category: PersonCategory, risk: int, policy: Policy) -> int:
    """Days between visits for a person of `category` at `risk`."""
    for band in schedule(policy):
        if category in band.categories and band.low <= risk <= band.high:
            return band.days
    return policy.visit_days  # a risk outside 0-5 (never stored): the general rule


def next_visit(p: Person, policy: Policy) -> dt.date | None:
    """(last visit or listed date) + the interval of the person's category and risk; None
    once de-listed."""
    if p.delisted is not None:
        return None
    return (p.last_visit or p.listed) + dt.timedelta(days=interval(p.category, p.risk, policy))


def _by_band(policy: Policy, test: Any) -> Any:
    """Persons whose band's interval passes `test(days)` (SQL): one OR branch per band."""
    return or_(
        *(
            and_(
                Person.category.in_(band.categories),
                Person.risk >= band.low,
                Person.risk <= band.high,
                test(band.days),
            )
            for band in schedule(policy)
            if band.low <= band.high
        )
    )


# ---- the listing term -----------------------------------------------------------------
def term_years(category: PersonCategory, policy: Policy) -> int | None:
    """Years a listing lasts by law: 安置帮教 5 from release, 社区戒毒 3 from its start."""
    years = {
        PersonCategory.released: policy.listing_years_released,
        PersonCategory.drug: policy.listing_years_drug,
    }
    return years.get(category)


def listing_ends(p: Person, policy: Policy) -> dt.date | None:
    """The last day of the listing term: its given end, else its start (or the listed date)
    plus the category's years (the same date that many years on, 民法典 第二百零三条; 29
    February ends on 28 February), else None."""
    if p.term_end is not None:
        return p.term_end
    years = term_years(p.category, policy)
    if years is None:
        return None
    return periods.shift_year(p.term_from or p.listed, years)


def _latest_start(day: dt.date, years: int) -> dt.date:
    """The latest start whose term of `years` years ends on or before `day`."""
    start = periods.shift_year(day, -years)
    while periods.shift_year(start + dt.timedelta(days=1), years) <= day:
        start += dt.timedelta(days=1)  # 28 February ends the term of a 29 February start
    return start


def listing_ends_sql(policy: Policy, day: dt.date) -> Any:
    """The listing term ends on or before `day` (SQL)."""
    start = func.coalesce(Person.term_from, Person.listed)
    by_years = [
        and_(
            Person.term_end.is_(None),
            Person.category == category,
            start <= _latest_start(day, years),
        )
        for category in (PersonCategory.released, PersonCategory.drug)
        for years in (term_years(category, policy),)
        if years is not None
    ]
    return or_(and_(Person.term_end.is_not(None), Person.term_end <= day), *by_years)


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
    """Listed as of `as_of` and the next visit due before it (SQL, for lists and reports):
    per band of `schedule`, the last visit (or listed date) before `as_of` - its interval."""
    base = func.coalesce(last_visit_sql(as_of), Person.listed)
    return and_(
        active_sql(as_of),
        _by_band(policy, lambda days: base < as_of - dt.timedelta(days=days)),
    )


def visit_due_sql(policy: Policy, as_of: dt.date, days: int) -> Any:
    """Listed as of `as_of`, not overdue, and the next visit due within `days` days (临期)."""
    base = func.coalesce(last_visit_sql(as_of), Person.listed)

    def within(interval: int) -> Any:
        first = as_of - dt.timedelta(days=interval)
        return and_(base >= first, base <= first + dt.timedelta(days=days))

    return and_(active_sql(as_of), _by_band(policy, within))


# ---- listing ---------------------------------------------------------------------------
def query(
    lx: Ledger,
    *,
    category: PersonCategory | None = None,
    village: str | None = None,
    visit_overdue: bool = False,
    status: str | None = None,
    days: int | None = None,
    include_delisted: bool = False,
    town: str | None = None,
) -> Select[Any]:
    """Key persons by place and category; `status` one of STATUSES, as of today, looking
    `days` ahead (default: the setting of that status)."""
    q = in_place(lx, select(Person), Person, town, village)
    if category:
        q = q.where(Person.category == category)
    if not include_delisted or status:
        q = q.where(active_sql(lx.today))
    if visit_overdue or status == "visit-overdue":
        q = q.where(visit_overdue_sql(lx.policy, lx.today))
    elif status == "visit-due":
        ahead = lx.policy.visit_due_days if days is None else days
        q = q.where(visit_due_sql(lx.policy, lx.today, ahead))
    elif status == "listing-ends":
        ahead = lx.policy.listing_ends_days if days is None else days
        q = q.where(listing_ends_sql(lx.policy, lx.today + dt.timedelta(days=ahead)))
    return q


# What `person list --status` takes.
STATUSES = ("visit-overdue", "visit-due", "listing-ends")


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
            "term_from": p.term_from,
            "term_end": p.term_end,
            "listing_ends": listing_ends(p, policy),
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
