"""`sanling db check`: integrity and consistency checks that list every problem found."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Enum, Integer, cast, func, select, text
from sqlalchemy.orm import aliased

from sanling import periods
from sanling.codes import PLACES, RESIDENTIAL, DisputeStatus, HazardStatus, SubjectKind
from sanling.i18n import header, tr
from sanling.ledger import audit, supervision
from sanling.ledger.base import Ledger
from sanling.models import (
    RECORD_MODELS,
    Accident,
    BacklogCase,
    Case,
    Dispute,
    Hazard,
    Hotspot,
    Person,
    Petition,
    RefCounter,
    Subject,
    Sweep,
)

_REF = r"^[A-Z]{2}-[0-9]{4}-[0-9]{4,}$"


Check = Callable[[Ledger], list[str]]


def validate_sqlite_file(lx: Ledger) -> list[str]:
    """SQLite's own integrity and foreign-key checks (PostgreSQL enforces both itself)."""
    s = lx.session
    if s.get_bind().dialect.name != "sqlite":
        return []
    found = [
        f"sqlite integrity: {msg}"
        for (msg,) in s.execute(text("PRAGMA integrity_check"))
        if msg != "ok"
    ]
    for row in s.execute(text("PRAGMA foreign_key_check")):
        found.append(
            tr(
                "外键：{t} 第 {r} 行指向不存在的 {m}",
                "foreign key: {t} row {r} points to a missing {m}",
                t=row[0],
                r=row[1],
                m=row[2],
            )
        )
    return found


def _unreadable(kind: Any, raw: Any) -> str | None:
    """Why a stored date, time or JSON text cannot be read, or None if it can."""
    if not isinstance(raw, str):
        return (
            None
            if isinstance(raw, (dt.date, dict, list))
            else tr("无法读取", "an unreadable value")
        )
    try:
        if isinstance(kind, DateTime):
            dt.datetime.fromisoformat(raw)
        elif isinstance(kind, Date):
            if not periods.MIN_YEAR <= dt.date.fromisoformat(raw).year <= periods.MAX_YEAR:
                return tr(
                    "年份不在 {lo}—{hi} 年内",
                    "a year outside {lo}-{hi}",
                    lo=periods.MIN_YEAR,
                    hi=periods.MAX_YEAR,
                )
        else:
            json.loads(raw)
    except (ValueError, RecursionError):
        if isinstance(kind, (Date, DateTime)):
            return tr("不是日期", "not a date")
        return tr("不是 JSON", "not JSON")
    return None


def _unreadable_value(kind: Any, raw: Any) -> str | None:
    """Why a stored value cannot be read (a date, JSON, or a code not in its list)."""
    if isinstance(kind, Enum):
        if raw in kind.enums:
            return None
        return tr("不在代码表中", "not one of its codes")
    return _unreadable(kind, raw)


def validate_stored_values(lx: Ledger) -> list[str]:
    """Every date, time, JSON value and code can be read (SQLite stores them as text and a
    CHECK can be switched off, so a value written behind sanling's back may be '2026-13-45',
    half a JSON document or a status no list has). Each one that cannot is listed by its
    record; the other checks would stop at the first, and so would a list
    (commands.common.unreadable names the first)."""
    from sanling.models import Base

    s = lx.session
    if s.get_bind().dialect.name != "sqlite":
        return []  # PostgreSQL types its date and JSON columns and keeps its CHECKs itself
    found: list[str] = []
    numbered = {model.__tablename__ for model in RECORD_MODELS.values()}  # refs unique per town
    for table in Base.metadata.sorted_tables:
        cols = [c for c in table.c if isinstance(c.type, (Date, DateTime, JSON, Enum))]
        if not cols:
            continue
        # A record by its number, any other row by its (first) primary key column.
        key = table.c.ref if table.name in numbered else next(iter(table.primary_key.columns))
        for col in cols:
            raw_query = text(
                f'SELECT "{key.name}", "{col.name}" FROM "{table.name}" '
                f'WHERE "{col.name}" IS NOT NULL'
            )
            for ident, raw in s.execute(raw_query):
                why = _unreadable_value(col.type, raw)
                if why:
                    shown = str(raw)[:40]
                    found.append(
                        tr(
                            "{t} {i}：{h}“{v}”{why}",
                            "{t} {i}: {c} '{v}' is {why}",
                            t=table.name,
                            i=ident,
                            c=col.name,
                            h=header(col.name),
                            v=shown,
                            why=why,
                        )
                    )
    return found


# The dates of things that happened (not deadlines): none may lie after the real date.
_EVENT_DATES: list[tuple[Any, tuple[str, ...]]] = [
    (Dispute, ("found", "resolved_on", "referred_on")),
    (
        Petition,
        (
            "date",
            "accepted_on",
            "refused_on",
            "extended_on",
            "replied_on",
            "review_requested",
            "review_decided",
            "recheck_requested",
            "recheck_decided",
        ),
    ),
    (BacklogCase, ("assigned_on", "closed_on", "outcome_on")),
    (Hazard, ("found", "rectified_on", "closed_on")),
    (Hotspot, ("found", "rectified_on")),
    (Case, ("date",)),
    (Accident, ("date",)),
    (Person, ("listed", "delisted", "last_visit")),
    (Sweep, ("date",)),
]


def validate_future_dates(lx: Ledger) -> list[str]:
    """No record is dated after the real date of the check (the clock, not SANLING_TODAY):
    a pinned future today could have let one in."""
    real = periods.clock_today(lx.policy.timezone)
    rules = [
        (
            select(m.ref).where(getattr(m, col) > real),
            tr("{h}晚于今天（{d}）", "{c} is after today ({d})", c=col, h=header(col), d=real),
        )
        for m, cols in _EVENT_DATES
        for col in cols
    ]
    return _refs(lx, rules)


def _refs(lx: Ledger, rules: list[tuple[Any, str]]) -> list[str]:
    """`REF: describe` for every record each query finds, rule by rule."""
    return [
        tr("{ref}：{d}", "{ref}: {d}", ref=ref, d=describe)
        for query, describe in rules
        for (ref,) in lx.session.execute(query)
    ]


def validate_villages(lx: Ledger) -> list[str]:
    """A record's village is a village or community, of the record's own town."""
    village = aliased(Subject)
    rules: list[tuple[Any, str]] = []
    for model in (Dispute, Hazard, Petition, Case, Accident, Hotspot, Person, BacklogCase):
        joined = select(model.ref).join(village, village.id == model.village_id)
        rules += [
            (
                joined.where(village.kind.not_in(list(PLACES))),
                tr("所属村不是行政村或社区", "its village is not a village or community"),
            ),
            (
                joined.where(village.town_id != model.town_id),
                tr("所属乡镇与所属村的乡镇不同", "its town differs from its village's town"),
            ),
        ]
    return _refs(lx, rules)


def validate_dates(lx: Ledger) -> list[str]:
    """Dates in their order, and a state with the date it needs (and none it must not have)."""
    deadlines = [
        (
            select(m.ref).where(m.deadline < m.found),
            tr("时限早于发现日期", "deadline before the found date"),
        )
        for m in (Dispute, Hazard)
    ]
    done = [HazardStatus.rectified, HazardStatus.closed]
    return _refs(
        lx,
        [
            *deadlines,
            (
                select(Dispute.ref).where(Dispute.resolved_on < Dispute.found),
                tr("化解日期早于发现日期", "resolved before it was found"),
            ),
            (
                select(Dispute.ref).where(
                    Dispute.status == DisputeStatus.resolved, Dispute.resolved_on.is_(None)
                ),
                tr("已化解但没有化解日期", "resolved without a resolution date"),
            ),
            (
                select(Dispute.ref).where(
                    Dispute.status != DisputeStatus.resolved, Dispute.resolved_on.is_not(None)
                ),
                tr("有化解日期但未化解", "has a resolution date but is not resolved"),
            ),
            (
                select(Hazard.ref).where(Hazard.rectified_on < Hazard.found),
                tr("整改日期早于发现日期", "rectified before it was found"),
            ),
            (
                select(Hazard.ref).where(Hazard.status.in_(done), Hazard.rectified_on.is_(None)),
                tr("已整改但没有整改日期", "rectified without a date"),
            ),
            (
                select(Hazard.ref).where(
                    Hazard.status == HazardStatus.closed, Hazard.checked_by.is_(None)
                ),
                tr("未经复查即销号", "closed without a re-check"),
            ),
            (
                select(Hotspot.ref).where(Hotspot.rectified_on < Hotspot.found),
                tr("整治日期早于发现日期", "rectified before it was found"),
            ),
            (
                select(BacklogCase.ref).where(BacklogCase.closed_on < BacklogCase.assigned_on),
                tr("办结日期早于交办日期", "closed before it was assigned"),
            ),
            (
                select(Person.ref).where(Person.delisted < Person.listed),
                tr("撤管日期早于列管日期", "de-listed before listed"),
            ),
            *_petition_order(),
        ],
    )


def _petition_order() -> list[tuple[Any, str]]:
    """A petition's steps in their order (ledger/petition.py): each after the one before."""
    p = Petition
    pairs = [
        (p.accepted_on, p.date, tr("受理早于登记", "accepted before it was received")),
        (p.refused_on, p.date, tr("不予受理早于登记", "refused before it was received")),
        (p.replied_on, p.accepted_on, tr("答复早于受理", "replied before it was accepted")),
        (p.review_requested, p.replied_on, tr("复查申请早于答复", "review asked before the reply")),
        (
            p.recheck_requested,
            p.review_decided,
            tr("复核申请早于复查决定", "recheck asked before the review's decision"),
        ),
    ]
    rules: list[tuple[Any, str]] = [
        (select(p.ref).where(later < first), why) for later, first, why in pairs
    ]
    rules += [
        (
            select(p.ref).where(p.replied_on.is_not(None), p.accepted_on.is_(None)),
            tr("已答复但没有受理日期", "replied without an acceptance date"),
        ),
        (
            select(p.ref).where(p.accepted_on.is_not(None), p.refused_on.is_not(None)),
            tr("既受理又不予受理", "both accepted and refused"),
        ),
    ]
    return rules


def validate_subjects(lx: Ledger) -> list[str]:
    """A unit or enterprise belongs to a village or community; a sweep to its subject's town."""
    s = lx.session
    parent = aliased(Subject)
    found = [
        tr(
            "创建主体 {n}：所属村不是行政村或社区",
            "subject {n}: its parent is not a village or community",
            n=name,
        )
        for (name,) in s.execute(
            select(Subject.name)
            .join(parent, parent.id == Subject.parent_id)
            .where(parent.kind.not_in(list(RESIDENTIAL)))
        )
    ]
    found += [
        tr(
            "创建主体 {n}：单位或企业没有所属村",
            "subject {n}: a unit or enterprise without a village",
            n=name,
        )
        for (name,) in s.execute(
            select(Subject.name).where(
                Subject.kind.in_([SubjectKind.unit, SubjectKind.enterprise]),
                Subject.parent_id.is_(None),
            )
        )
    ]
    swept = (
        select(Sweep.ref)
        .join(Subject, Subject.id == Sweep.subject_id)
        .where(Subject.town_id != Sweep.town_id)
    )
    differs = tr("所属乡镇与创建主体的乡镇不同", "its town differs from its subject's town")
    return found + _refs(lx, [(swept, differs)])


def validate_reference_numbers(lx: Ledger) -> list[str]:
    """Reference numbers: well formed, and never ahead of the counter (or a new add would
    clash), nor behind it (a number handed out belongs to a record that is there).
    The numbers of a merged town's records were handed out by its own ledger: they are checked
    against its trail (audit.validate_records), not against this ledger's counters."""
    from sanling.models import RECORD_MODELS, MergedTown

    merged = list(lx.session.scalars(select(MergedTown.town_id)))
    found: list[str] = []
    for prefix, record_model in RECORD_MODELS.items():
        col: Any = record_model.__table__.c.ref
        for (ref,) in lx.session.execute(select(col).where(~col.like(f"{prefix}-____-%"))):
            found.append(tr("{ref}：编号格式不对", "{ref}: malformed reference number", ref=ref))
        own = [record_model.__table__.c.town_id.not_in(merged)] if merged else []
        found += _numbering(lx, prefix, col, own)
    return found


def _numbering(lx: Ledger, prefix: str, col: Any, own: list[Any]) -> list[str]:
    s = lx.session
    year = func.substr(col, 4, 4)
    number = cast(func.substr(col, 9), Integer)
    used = s.execute(
        select(year, func.max(number), func.count())
        .where(col.like(f"{prefix}-____-%"), *own)
        .group_by(year)
    )
    counters = {
        y: n
        for y, n in s.execute(
            select(RefCounter.year, RefCounter.last).where(RefCounter.prefix == prefix)
        )
    }
    found: list[str] = []
    seen: set[int] = set()
    for y, n, count in used:
        seen.add(int(y))
        last = counters.get(int(y))
        if last is None or n > last:
            found.append(
                tr(
                    "{p}-{y}：已用到 {n} 号，但计数器为 {c}",
                    "{p}-{y}: numbers up to {n} used but the counter is at {c}",
                    p=prefix,
                    y=y,
                    n=n,
                    c=last or 0,
                )
            )
        elif last > n:
            # Numbers are handed out in the transaction that adds the record: a number
            # past the highest used means its record was removed.
            found.append(
                tr(
                    "{p}-{y}：计数器为 {c}，但最大已用编号为 {n}（缺少记录）",
                    "{p}-{y}: the counter is at {c} but the highest number used is {n} "
                    "(a record is missing)",
                    p=prefix,
                    y=y,
                    c=last,
                    n=n,
                )
            )
        if count != n:
            found.append(
                tr(
                    "{p}-{y}：1 至 {n} 号只有 {k} 条记录（缺少记录）",
                    "{p}-{y}: {k} records for numbers 1 to {n} (a record is missing)",
                    p=prefix,
                    y=y,
                    k=count,
                    n=n,
                )
            )
    for y, last in counters.items():
        if int(y) not in seen and last:
            found.append(
                tr(
                    "{p}-{y}：计数器为 {c}，但没有记录使用（缺少记录）",
                    "{p}-{y}: the counter is at {c} but no record uses it (a record is missing)",
                    p=prefix,
                    y=y,
                    c=last,
                )
            )
    return found


# Every check of `sanling db check`, in the order its problems are listed.
CHECKS: list[Check] = [
    validate_sqlite_file,
    validate_stored_values,
    validate_villages,
    validate_dates,
    validate_future_dates,
    validate_subjects,
    validate_reference_numbers,
    audit.chain_problems,
    audit.state_problems,
    supervision.problems,
]


def problems(lx: Ledger) -> list[str]:
    """Every problem every check finds, voided records checked like every other. A check
    that cannot run to its end (a value it must read is unreadable: validate_stored_values
    names it) is listed as a problem itself, and the others still run."""
    from sqlalchemy.exc import SQLAlchemyError

    found: list[str] = []
    with lx.including_voided():
        for check in CHECKS:
            try:
                with lx.session.begin_nested():
                    found.extend(check(lx))
            except (ValueError, TypeError, LookupError, RecursionError, SQLAlchemyError) as exc:
                reason = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
                found.append(
                    tr(
                        "检查 {c} 未能完成：{r}",
                        "check {c} could not finish: {r}",
                        c=check.__name__,
                        r=reason,
                    )
                )
    return found
