"""Supervision (督办) and deadline extensions (延期) of disputes, backlog cases and hazards.

A card (交办, 黄牌督办, 红牌督办) is given by a body on a date and stands until the record is done
(a dispute resolved or referred, a backlog case closed 办结, a hazard rectified) or the card is
lifted; a later card replaces the level (escalated or lowered), so the record's latest event on
or before a date says which card stood then. Events of a record come in date order, so that
latest one is the one with the highest id. A major hazard (重大隐患) is 挂牌督办 from the day it
is found until it is rectified: derived from its grade, no event needed.

An extension moves the record's `deadline`, the column every rule already reads (overdue, due
soon, the bulletin, reports, reminders), and keeps the deadline it replaced, so the original
is the first extension's `from_deadline`. An extension is approved on or before the deadline it
extends: a record once overdue stays overdue for those days, and whether it was overdue on a
past date reads the same after the extension (due soon before the approval does not: it is
judged by the one deadline column). A major hazard's extension is asked at least
`major_hazard_extension_workdays` working days (Monday to Friday; no holiday calendar) before
its deadline, and the deadline moves at most `major_hazard_extension_months` months in all from
the original.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, and_, func, not_, select

from sanling import periods
from sanling.codes import CardLevel, HazardGrade, Supervised, Supervision
from sanling.errors import InvalidState, InvalidValue
from sanling.i18n import label, tr
from sanling.ledger import dispute as disputes
from sanling.ledger import hazard as hazards
from sanling.ledger.base import Ledger, snapshot
from sanling.models import BacklogCase, Dispute, Extension, Hazard, SupervisionEvent

MODELS: dict[Supervised, Any] = {
    Supervised.dispute: Dispute,
    Supervised.backlog: BacklogCase,
    Supervised.hazard: Hazard,
}
# Cards by weight, heaviest first (how lists and findings order them).
ORDER = {Supervision.red: 0, Supervision.yellow: 1, Supervision.normal: 2, Supervision.listed: 3}


# ---- what a record is, as supervision sees it ----------------------------------------------
def first_date(kind: Supervised, obj: Any) -> dt.date:
    """The day the record began: found, or assigned (a backlog case)."""
    day: dt.date = obj.assigned_on if kind == Supervised.backlog else obj.found
    return day


def done_on(kind: Supervised, obj: Any) -> dt.date | None:
    """The day the record was done (resolved or referred; closed; rectified), if it was."""
    if kind == Supervised.dispute:
        days = [d for d in (obj.resolved_on, obj.referred_on) if d is not None]
        return min(days) if days else None
    if kind == Supervised.backlog:
        closed: dt.date | None = obj.closed_on
        return closed
    rectified: dt.date | None = obj.rectified_on
    return rectified


def done_sql(kind: Supervised, day: dt.date) -> ColumnElement[bool]:
    """Done by `day`, in SQL (the rules of ledger/dispute, backlog and hazard)."""
    if kind == Supervised.dispute:
        return disputes.done_by(day)
    if kind == Supervised.backlog:
        return and_(BacklogCase.closed_on.is_not(None), BacklogCase.closed_on <= day)
    return not_(hazards.not_done_sql(day))


def is_major(kind: Supervised, obj: Any) -> bool:
    return kind == Supervised.hazard and obj.grade == HazardGrade.major


# ---- the card standing on a date -------------------------------------------------------------
def _latest(kind: Supervised, day: dt.date) -> Any:
    """Each record's latest supervision event on or before `day` (its id)."""
    return (
        select(SupervisionEvent.record_id, func.max(SupervisionEvent.id).label("id"))
        .where(SupervisionEvent.kind == kind, SupervisionEvent.date <= day)
        .group_by(SupervisionEvent.record_id)
        .subquery()
    )


def carded(kind: Supervised, day: dt.date, level: CardLevel | None = None) -> Any:
    """The ids of the records of `kind` whose latest event on `day` gives a card (of `level`)."""
    latest = _latest(kind, day)
    query = (
        select(SupervisionEvent.record_id)
        .join(latest, latest.c.id == SupervisionEvent.id)
        .where(SupervisionEvent.lifted.is_(False))
    )
    return query if level is None else query.where(SupervisionEvent.level == level)


def card_sql(kind: Supervised, day: dt.date, level: CardLevel) -> ColumnElement[bool]:
    """A card of `level` stands on `day` on the record (of `kind`'s model): the condition
    the grading and the monthly report count with."""
    model = MODELS[kind]
    return and_(model.id.in_(carded(kind, day, level)), not_(done_sql(kind, day)))


def listed_sql(day: dt.date) -> ColumnElement[bool]:
    """A major hazard found by `day` and not rectified by then: 挂牌督办."""
    return and_(Hazard.grade == HazardGrade.major, Hazard.found <= day, hazards.not_done_sql(day))


@dataclass(frozen=True)
class Card:
    """A card standing on a date: the record, its kind and village, the level (挂牌督办 for a
    major hazard without a card of its own), since when and by whom."""

    ref: str
    kind: Supervised
    village_id: int
    level: Supervision
    since: dt.date
    by: str | None


def standing_cards(lx: Ledger, as_of: dt.date, *, town_id: int | None = None) -> list[Card]:
    """Every card standing on `as_of` (voided records left out), heaviest first, then by
    reference; a major hazard without a card of its own is 挂牌督办 (listed) from the day it
    was found."""
    cards: list[Card] = []
    for kind, model in MODELS.items():
        latest = _latest(kind, as_of)
        query = (
            select(model.ref, model.village_id, SupervisionEvent.level, SupervisionEvent.date)
            .add_columns(SupervisionEvent.by)
            .join(SupervisionEvent, SupervisionEvent.record_id == model.id)
            .join(latest, latest.c.id == SupervisionEvent.id)
            .where(
                SupervisionEvent.kind == kind,
                SupervisionEvent.lifted.is_(False),
                not_(done_sql(kind, as_of)),
            )
        )
        if town_id is not None:
            query = query.where(model.town_id == town_id)
        for ref, vid, level, since, by in lx.session.execute(query):
            cards.append(Card(ref, kind, vid, Supervision(level.value), since, by))
    # a hazard by its number and village: a county ledger holds two towns' YH-2026-0001
    carded = {(c.ref, c.village_id) for c in cards if c.kind == Supervised.hazard}
    query = select(Hazard.ref, Hazard.village_id, Hazard.found).where(listed_sql(as_of))
    if town_id is not None:
        query = query.where(Hazard.town_id == town_id)
    for ref, vid, found in lx.session.execute(query):
        if (ref, vid) not in carded:
            cards.append(Card(ref, Supervised.hazard, vid, Supervision.listed, found, None))
    return sorted(cards, key=lambda c: (ORDER[c.level], c.ref))


def _events(lx: Ledger, kind: Supervised, obj: Any) -> list[SupervisionEvent]:
    return list(
        lx.session.scalars(
            select(SupervisionEvent)
            .where(SupervisionEvent.kind == kind, SupervisionEvent.record_id == obj.id)
            .order_by(SupervisionEvent.id)
        )
    )


def _extensions(lx: Ledger, kind: Supervised, obj: Any) -> list[Extension]:
    return list(
        lx.session.scalars(
            select(Extension)
            .where(Extension.kind == kind, Extension.record_id == obj.id)
            .order_by(Extension.id)
        )
    )


def card_on(lx: Ledger, kind: Supervised, obj: Any, day: dt.date) -> SupervisionEvent | None:
    """The event whose card stands on the record on `day`, or None."""
    done = done_on(kind, obj)
    if done is not None and done <= day:
        return None
    latest = [e for e in _events(lx, kind, obj) if e.date <= day]
    if not latest or latest[-1].lifted:
        return None
    return latest[-1]


# ---- supervise and lift ---------------------------------------------------------------------
def _record(lx: Ledger, noun: str, ref: str) -> tuple[Supervised, Any]:
    kind = Supervised(noun)
    return kind, lx.record(MODELS[kind], ref)


# The step that ends a record, by kind: a dispute 化解, a backlog case 办结, a hazard 整改完毕.
DONE_WORDS: dict[Supervised, tuple[str, str]] = {
    Supervised.dispute: ("化解", "resolved"),
    Supervised.backlog: ("办结", "closed"),
    Supervised.hazard: ("整改完毕", "rectified"),
}


def _not_done(kind: Supervised, obj: Any, what: str) -> None:
    done = done_on(kind, obj)
    if done is not None:
        word, past = DONE_WORDS[kind]
        raise InvalidState(
            tr(
                "{ref} 已于 {d} {word}，不能再{what}",
                "{ref} was {past} on {d}; it cannot be {what}",
                ref=obj.ref,
                d=done.isoformat(),
                what=what,
                word=word,
                past=past,
            ),
            tr(
                "督办和延期只用于未办结的记录",
                "supervision and extensions apply to records still open",
            ),
        )


def _event_state(e: SupervisionEvent) -> dict[str, Any]:
    data = snapshot(e)
    data.pop("operator", None)
    return data


def supervise(
    lx: Ledger,
    noun: str,
    ref: str,
    *,
    level: CardLevel,
    by: str,
    date: str | dt.date | None = None,
    note: str | None = None,
) -> Any:
    """Give the record a card (交办, 黄牌督办, 红牌督办); a later card replaces the level."""
    kind, obj = _record(lx, noun, ref)
    _not_done(kind, obj, tr("督办", "supervised"))
    body = lx.text(by, "by", required=True, limit=200)
    text = lx.text(note, "note", limit=1000)
    events = _events(lx, kind, obj)
    since = max([first_date(kind, obj), *[e.date for e in events]])
    day = lx.date(date, "--date")
    lx.not_before(
        day,
        since,
        "督办日期 {day} 早于 {since}（该记录的起始日期或上次督办）",
        "supervision date {day} is before {since} (the record's start or its last card)",
        tr(
            "--date 写 {s} 当天或之后；`show {r}` 查看督办记录",
            "give a --date on or after {s}; `show {r}` lists its cards",
            s=since.isoformat(),
            r=obj.ref,
        ),
    )
    standing = events[-1] if events and not events[-1].lifted else None
    if standing is not None and standing.level == level:
        raise InvalidState(
            tr(
                "{ref} 自 {d} 起已是{lv}",
                "{ref} has stood under a {lv} since {d}",
                ref=obj.ref,
                d=standing.date.isoformat(),
                lv=label(level),
            ),
            tr(
                "换用另一等级，或用 --lift 解除督办",
                "give another level, or lift the card with --lift",
            ),
        )
    assert body is not None
    return _logged(lx, noun, obj, kind, day, level, body, text, lifted=False)


def lift(
    lx: Ledger, noun: str, ref: str, *, date: str | dt.date | None = None, note: str | None = None
) -> Any:
    """Lift the card standing on the record (解除督办)."""
    kind, obj = _record(lx, noun, ref)
    events = _events(lx, kind, obj)
    standing = events[-1] if events and not events[-1].lifted else None
    if standing is None or done_on(kind, obj) is not None:
        raise InvalidState(
            tr("{ref} 没有正在进行的督办", "{ref} stands under no card", ref=obj.ref),
            tr(
                "已办结的记录督办自然结束；`show` 查看督办记录",
                "a card ends when the record is done; `show` lists its cards",
            ),
        )
    day = lx.date(date, "--date")
    lx.not_before(
        day,
        standing.date,
        "解除日期 {day} 早于督办日期 {since}",
        "lift date {day} is before the card was given ({since})",
        tr(
            "--date 写 {s} 当天或之后",
            "give a --date on or after {s}",
            s=standing.date.isoformat(),
        ),
    )
    text = lx.text(note, "note", limit=1000)
    return _logged(lx, noun, obj, kind, day, standing.level, standing.by, text, lifted=True)


def _logged(
    lx: Ledger,
    noun: str,
    obj: Any,
    kind: Supervised,
    day: dt.date,
    level: CardLevel,
    by: str,
    note: str | None,
    *,
    lifted: bool,
) -> Any:
    event = SupervisionEvent(
        kind=kind,
        record_id=obj.id,
        date=day,
        level=level,
        by=by,
        note=note,
        lifted=lifted,
        operator=lx.operator,
    )
    lx.session.add(event)
    lx.session.flush()
    state = snapshot(obj)
    action = f"{noun}.{'lift' if lifted else 'supervise'}"
    lx.audit(action, obj.ref, state, {**state, "supervision": _event_state(event)})
    return obj


# ---- extensions -----------------------------------------------------------------------------
def workdays_before(day: dt.date, n: int) -> dt.date:
    """The date `n` working days (Monday to Friday) before `day`."""
    while n > 0:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (29 February + 12 months is
    28 February)."""
    index = day.year * 12 + day.month - 1 + months
    first = dt.date(index // 12, index % 12 + 1, 1)
    return first.replace(day=min(day.day, periods.month_end(first).day))


def extend(
    lx: Ledger,
    noun: str,
    ref: str,
    *,
    to: str | dt.date,
    reason: str,
    approved_by: str,
    date: str | dt.date | None = None,
) -> Any:
    """Extend the record's deadline to `to` (延期), approved by a named person, with a reason."""
    kind, obj = _record(lx, noun, ref)
    _not_done(kind, obj, tr("延期", "extended"))
    why = lx.text(reason, "reason", required=True, limit=1000)
    who = lx.text(approved_by, "approved-by", required=True, limit=100)
    earlier = _extensions(lx, kind, obj)
    since = max([first_date(kind, obj), *[x.date for x in earlier]])
    day = lx.date_since(
        date,
        since,
        "批准日期 {day} 早于 {since}（该记录的起始日期或上次延期）",
        "approval date {day} is before {since} (the record's start or its last extension)",
    )
    new = lx.date(to, "--to", allow_future=True)
    current: dt.date = obj.deadline
    if new <= current:
        raise InvalidValue(
            tr(
                "新时限 {to} 不晚于现时限 {d}",
                "the new deadline {to} is not after the current one, {d}",
                to=new.isoformat(),
                d=current.isoformat(),
            ),
            tr("延期须推后时限", "an extension moves the deadline later"),
        )
    if day > current:
        raise InvalidValue(
            tr(
                "{ref} 的时限 {d} 已过（批准日期 {day}），不能延期",
                "{ref} was due on {d}, before the approval on {day}: it cannot be extended",
                ref=obj.ref,
                d=current.isoformat(),
                day=day.isoformat(),
            ),
            tr(
                "延期须在时限届满前批准；逾期的天数照计",
                "an extension is approved on or before the deadline; days overdue stand",
            ),
        )
    original = earlier[0].from_deadline if earlier else current
    if is_major(kind, obj):
        _major_rules(lx, obj, day, current, original, new)
    extension = Extension(
        kind=kind,
        record_id=obj.id,
        date=day,
        from_deadline=current,
        to_deadline=new,
        reason=why,
        approved_by=who,
        operator=lx.operator,
    )
    lx.session.add(extension)
    before = snapshot(obj)
    obj.deadline = new
    lx.session.flush()
    data = snapshot(extension)
    data.pop("operator", None)
    lx.audit(f"{noun}.extend", obj.ref, before, {**snapshot(obj), "extension": data})
    return obj


def _major_rules(
    lx: Ledger, obj: Any, day: dt.date, current: dt.date, original: dt.date, new: dt.date
) -> None:
    """A major hazard's extension: asked early enough, and within the limit in all."""
    policy = lx.policy
    n = policy.major_hazard_extension_workdays
    latest = workdays_before(current, n)
    if day > latest:
        raise InvalidValue(
            tr(
                "重大隐患 {ref} 的延期须在时限 {d} 前 {n} 个工作日（{latest}）或之前申请，"
                "收到 {day}",
                "major hazard {ref}: an extension is asked {n} working days before its deadline"
                " {d}, on or before {latest}; got {day}",
                ref=obj.ref,
                d=current.isoformat(),
                n=n,
                latest=latest.isoformat(),
                day=day.isoformat(),
            ),
            tr(
                "工作日按周一至周五计（不计节假日）；逾期后按逾期处理",
                "working days are Monday to Friday (no holiday calendar)",
            ),
        )
    months = policy.major_hazard_extension_months
    limit = add_months(original, months)
    if new > limit:
        raise InvalidValue(
            tr(
                "重大隐患 {ref} 的时限最多延长 {m} 个月：原定时限 {o}，最晚 {limit}，收到 {to}",
                "major hazard {ref}: its deadline moves at most {m} months in all: original"
                " {o}, at the latest {limit}; got {to}",
                ref=obj.ref,
                m=months,
                o=original.isoformat(),
                limit=limit.isoformat(),
                to=new.isoformat(),
            ),
            tr(
                "设置项 major_hazard_extension_months 规定上限",
                "the setting major_hazard_extension_months sets the limit",
            ),
        )


# ---- what show and log list ----------------------------------------------------------------
def fields(lx: Ledger, noun: str, obj: Any, as_of: dt.date) -> dict[str, Any]:
    """The fields `show` adds: the card standing on `as_of` (挂牌督办 for a major hazard
    without one) and, once extended, the original deadline."""
    kind = Supervised(noun)
    event = card_on(lx, kind, obj, as_of)
    shown = Supervision(event.level.value) if event else None
    major = event is None and is_major(kind, obj) and obj.found <= as_of
    if major and not hazards.is_done(obj, as_of):
        shown = Supervision.listed
    out: dict[str, Any] = {"supervision": shown}
    out["supervised_since"] = event.date if event else None
    out["supervised_by"] = event.by if event else None
    extended = _extensions(lx, kind, obj)
    out["original_deadline"] = extended[0].from_deadline if extended else None
    return out


def card_rows(lx: Ledger, noun: str, obj: Any) -> list[dict[str, Any]]:
    """The record's cards, oldest first: date, card, by whom, whether it lifted the card, note."""
    return [
        {
            "date": e.date,
            "card": e.level,
            "supervised_by": e.by,
            "lifted": e.lifted,
            "note": e.note,
            "operator": e.operator,
        }
        for e in _events(lx, Supervised(noun), obj)
    ]


def extension_rows(lx: Ledger, noun: str, obj: Any) -> list[dict[str, Any]]:
    """The record's extensions, oldest first."""
    return [
        {
            "date": x.date,
            "from_deadline": x.from_deadline,
            "to_deadline": x.to_deadline,
            "reason": x.reason,
            "approved_by": x.approved_by,
            "operator": x.operator,
        }
        for x in _extensions(lx, Supervised(noun), obj)
    ]


# ---- corrections (ledger/corrections.edit) -------------------------------------------------
def check_edit(lx: Ledger, noun: str, obj: Any, deadline_before: dt.date | None) -> None:
    """An edit of a supervised or extended record: its deadline, once extended, moves only by
    `extend` (the edit would lose the extension's trail), and its cards and extensions still
    come on or after the record's first date."""
    if noun not in {k.value for k in MODELS}:
        return
    kind = Supervised(noun)
    extensions = _extensions(lx, kind, obj)
    if extensions and obj.deadline != deadline_before:
        raise InvalidState(
            tr(
                "{ref} 的时限已于 {d} 延期至 {to}，不能用 edit 更正",
                "{ref}'s deadline was extended on {d} to {to}: edit cannot change it",
                ref=obj.ref,
                d=extensions[-1].date.isoformat(),
                to=extensions[-1].to_deadline.isoformat(),
            ),
            tr(
                "延期后的时限只随 `extend` 变更；原定时限见 show",
                "an extended deadline moves with `extend` only; show lists the original",
            ),
        )
    first = first_date(kind, obj)
    dates = [e.date for e in _events(lx, kind, obj)] + [x.date for x in extensions]
    if dates and min(dates) < first:
        raise InvalidValue(
            tr(
                "起始日期 {f} 晚于该记录的督办或延期日期 {d}",
                "the record's first date {f} is after its card or extension of {d}",
                f=first.isoformat(),
                d=min(dates).isoformat(),
            ),
            tr(
                "日期须早于或等于后续步骤的日期",
                "the first date must come on or before the later steps' dates",
            ),
        )


# ---- db check ----------------------------------------------------------------------------------
def problems(lx: Ledger) -> list[str]:
    """`db check`: every card and extension names a record of its kind and equals the row its
    audit entry logged (none added, changed or deleted behind sanling's back); an extended
    record's deadline is its last extension's, and each extension starts where the one before
    ended."""
    found: list[str] = []
    tables: tuple[tuple[str, Any], ...] = (
        ("supervision", SupervisionEvent),
        ("extension", Extension),
    )
    logged = _logged_rows(lx, tables)
    for key, model in tables:
        for row in lx.session.scalars(select(model).order_by(model.id)):
            found += _row_problems(lx, key, row, logged.pop((key, row.id), None))
    for (key, ident), row in sorted(logged.items(), key=lambda x: (x[0][0], x[0][1])):
        found.append(
            tr(
                "{ref}：{k} 第 {i} 行在日志中但已不在台账中（被绕过 sanling 删除）",
                "{ref}: {k} row {i} is in the audit log but missing from the ledger (deleted"
                " behind sanling's back)",
                ref=row["_ref"],
                k=key,
                i=ident,
            )
        )
    return found + _chain_problems(lx)


def _logged_rows(
    lx: Ledger, tables: tuple[tuple[str, Any], ...]
) -> dict[tuple[str, int], dict[str, Any]]:
    """Every card and extension as its audit entry logged it, by (key, id): the ledger's own
    trail, and each merged town's with its ids as this ledger has them (audit.trails)."""
    from sanling.ledger.audit import trails

    logged: dict[tuple[str, int], dict[str, Any]] = {}
    actions = [f"{k.value}.{v}" for k in MODELS for v in ("supervise", "lift", "extend")]
    for trail in trails(lx):
        entry = trail.entry
        query = select(entry.ref, entry.after).where(entry.action.in_(actions), *trail.entries())
        query = query.order_by(entry.id)  # a row's latest entry last
        for ref, after in lx.session.execute(query):
            for key, model in tables:
                row = after.get(key) if isinstance(after, dict) else None
                row = trail.snapshot(model.__table__, row)
                if isinstance(row, dict) and isinstance(row.get("id"), int):
                    logged[(key, row["id"])] = {**row, "_ref": f"{trail.label}{ref}"}
    return logged


def _row_problems(lx: Ledger, key: str, row: Any, logged: dict[str, Any] | None) -> list[str]:
    model = MODELS.get(row.kind)
    ref = (
        lx.session.scalar(select(model.ref).where(model.id == row.record_id))
        if model is not None
        else None
    )
    who = ref or f"{key} {row.id}"
    if ref is None:
        return [
            tr(
                "{w}：指向不存在的记录",
                "{w}: names a record that is not there",
                w=who,
            )
        ]
    state = snapshot(row)
    state.pop("operator", None)
    if logged is None or {k: v for k, v in logged.items() if k != "_ref"} != state:
        why = tr("不在审计日志中", "not in the audit log") if logged is None else ""
        return [
            tr(
                "{w}：{k} 第 {i} 行与审计记录不符（被绕过 sanling 改动）{why}",
                "{w}: {k} row {i} differs from its audit trail (changed behind sanling's"
                " back) {why}",
                w=who,
                k=key,
                i=row.id,
                why=why,
            ).rstrip()
        ]
    return []


def _chain_problems(lx: Ledger) -> list[str]:
    found: list[str] = []
    chains: dict[tuple[Supervised, int], list[Extension]] = {}
    for x in lx.session.scalars(select(Extension).order_by(Extension.id)):
        chains.setdefault((x.kind, x.record_id), []).append(x)
    for (kind, rid), chain in chains.items():
        model = MODELS[kind]
        row = lx.session.execute(select(model.ref, model.deadline).where(model.id == rid)).first()
        if row is None:
            continue  # listed above
        ref, deadline = row
        steps = all(a.to_deadline == b.from_deadline for a, b in pairwise(chain))
        if deadline != chain[-1].to_deadline or not steps:
            found.append(
                tr(
                    "{ref}：时限 {d} 与延期记录（延至 {to}）不符",
                    "{ref}: its deadline {d} disagrees with its extensions (to {to})",
                    ref=ref,
                    d=deadline.isoformat(),
                    to=chain[-1].to_deadline.isoformat(),
                )
            )
    return found
