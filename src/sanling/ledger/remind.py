"""Reminders to each handler (到期提醒): what is overdue or falls due within N days, by handler.

The kinds of record a reminder covers are a registry, `SOURCES`: one `Source` per kind, naming
its model, the field that names its handler, its overdue and due-soon rules (the ledger's own,
in SQL, so a reminder agrees with every list and report) and the day it is due. A handler is
matched by name to the town's staff roster (ledger/staff.py), whose phone a robot message
@-mentions; a handler not on the roster is listed all the same, marked as one that cannot be
@-mentioned.

What was sent is recorded (`reminders_sent`): one row per day, handler, item and robot, written
in one transaction with its audit entry right after the robot took the message, so a second run
of the same day (cron retrying, a clerk by hand) sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from sanling import privacy
from sanling.codes import Supervision
from sanling.collate import name_key
from sanling.config import Policy
from sanling.ledger import backlog, dispute, hazard, person, petition
from sanling.ledger.base import Ledger
from sanling.ledger.filters import village_label
from sanling.models import BacklogCase, Dispute, Hazard, Person, Petition, ReminderSent, Staff, Town

OVERDUE = "overdue"
DUE_SOON = "due_soon"


@dataclass(frozen=True)
class Source:
    """One kind of record a reminder covers."""

    kind: str  # the JSON code of the kind
    label: tuple[str, str]  # zh, en
    model: Any
    handler: str  # the field naming its handler (首办责任人, 责任人, 包案领导, 包联干部)
    overdue: Callable[[Policy, dt.date], Any]  # SQL: overdue on the day
    due_soon: Callable[[Policy, dt.date, int], Any]  # SQL: due within N days, not overdue
    # what it is on the day: {"what": a code}, and more fields
    what: Callable[[Any, dt.date], dict[str, Any]]
    due: Callable[[Any, Any, Policy], dt.date]  # the day it is due: (record, extra, policy)
    extra: Callable[[dt.date], Any] | None = None  # one more column `due` reads (as of the day)


def _visit_due(p: Person, last: dt.date | None, policy: Policy) -> dt.date:
    return (last or p.listed) + dt.timedelta(days=person.interval(p.category, p.risk, policy))


SOURCES: list[Source] = [
    Source(
        "dispute",
        ("纠纷", "dispute"),
        Dispute,
        "handler",
        lambda _p, day: dispute.overdue_on(day),
        lambda _p, day, n: dispute.due_soon_on(day, n),
        lambda d, _day: {"what": d.category},
        lambda d, _x, _p: d.deadline,
    ),
    Source(
        "petition",
        ("信访", "petition"),
        Petition,
        "handler",
        lambda _p, day: petition.overdue_sql(day),
        lambda _p, day, n: petition.due_soon_sql(day, n),
        lambda p, day: {"what": petition.OWED[petition.stage(p, day)]},  # the step owed
        lambda _p, deadline, _policy: deadline,  # the deadline of the step owed on the day
        petition.deadline_sql,
    ),
    Source(
        "backlog",
        ("积案", "backlog case"),
        BacklogCase,
        "lead",
        lambda _p, day: backlog.overdue_on(day),
        lambda _p, day, n: backlog.due_soon_on(day, n),
        lambda c, _day: {"what": c.assigned_by},
        lambda c, _x, _p: c.deadline,
    ),
    Source(
        "hazard",
        ("隐患", "hazard"),
        Hazard,
        "responsible",
        lambda _p, day: hazard.overdue_sql(day),
        lambda _p, day, n: hazard.due_soon_sql(day, n),
        lambda h, _day: {"what": h.area},
        lambda h, _x, _p: h.deadline,
    ),
    Source(
        "visit",
        ("走访", "visit"),
        Person,
        "cadre",
        lambda policy, day: person.visit_overdue_sql(policy, day),
        lambda policy, day, n: person.visit_due_sql(policy, day, n),
        lambda p, _day: {"what": p.category, "name": privacy.mask_name(p.name)},
        _visit_due,
        person.last_visit_sql,
    ),
]


@dataclass
class Handler:
    """One handler's reminder: the items, and whether (and whom) a robot can @-mention."""

    name: str | None  # None: the record names nobody (a key person with no cadre)
    items: list[dict[str, Any]] = field(default_factory=list)
    on_roster: bool = False
    role: str | None = None
    village: str | None = None
    mobiles: list[str] = field(default_factory=list)  # for the robot only: never printed

    @property
    def key(self) -> str:
        """The handler as the record of what was sent names them."""
        return self.name or ""

    def counts(self) -> dict[str, int]:
        return {
            OVERDUE: sum(1 for i in self.items if i["state"] == OVERDUE),
            DUE_SOON: sum(1 for i in self.items if i["state"] == DUE_SOON),
        }


def _items(lx: Ledger, src: Source, town: Town, day: dt.date, days: int) -> list[Any]:
    policy = lx.policy
    late, soon = src.overdue(policy, day), src.due_soon(policy, day, days)
    columns = [src.model, late.label("late")]
    if src.extra is not None:
        columns.append(src.extra(day).label("extra"))
    query = (
        select(*columns)
        .options(joinedload(src.model.village))
        .where(src.model.town_id == town.id, or_(late, soon))
    )
    out = []
    for row in lx.session.execute(query):
        record = row[0]
        due = src.due(record, row.extra if src.extra is not None else None, policy)
        gap = (due - day).days
        out.append(
            (
                getattr(record, src.handler),
                {
                    "kind": src.kind,
                    "ref": record.ref,
                    "village": village_label(record.village),
                    **src.what(record, day),
                    "due": due,
                    "state": OVERDUE if row.late else DUE_SOON,
                    "days_overdue": -gap if gap < 0 else None,
                    "days_left": gap if gap >= 0 else None,
                },
            )
        )
    return out


def collect(lx: Ledger, town: Town, day: dt.date, days: int) -> list[Handler]:
    """Every handler with something overdue or due within `days` days of `day`, in the town:
    on the roster or not, by name (nobody named last); items overdue first, then by day due."""
    roster = {m.name: m for m in lx.session.scalars(_roster_query(town.id))}
    cards = carded(lx, town, day)
    handlers: dict[str | None, Handler] = {}
    for src in SOURCES:
        for name, item in _items(lx, src, town, day, days):
            item["card"] = cards.get((src.kind, item["ref"]))
            member = _on_roster(roster, (name or "").strip())
            # one reminder per person: `副镇长 王五` is 王五 when 王五 is on the roster
            key = member.name if member else (name or "").strip() or None
            if key not in handlers:
                handlers[key] = _handler(key, member)
            handlers[key].items.append(item)
    for h in handlers.values():
        h.items.sort(key=lambda i: (i["state"] != OVERDUE, i["due"], i["ref"]))
    return sorted(handlers.values(), key=lambda h: (h.name is None, name_key(h.name or "")))


# The cards a reminder marks (黄牌督办, 红牌督办): the heavy ones, which a handler must not miss.
MARKED = (Supervision.red, Supervision.yellow)


def carded(lx: Ledger, town: Town, day: dt.date) -> dict[tuple[str, str], Supervision]:
    """(kind, ref) -> the yellow or red card standing on the record on `day`
    (ledger/supervision.standing_cards, the rule of every list and report)."""
    from sanling.ledger.supervision import standing_cards

    return {
        (c.kind.value, c.ref): c.level
        for c in standing_cards(lx, day, town_id=town.id)
        if c.level in MARKED
    }


def _on_roster(roster: dict[str, Staff], name: str | None) -> Staff | None:
    """The member a handler's name names: the whole name, or its last word when the name
    carries a title first (`副镇长 高明亮`, as backlog leads are often written)."""
    if not name:
        return None
    return roster.get(name) or roster.get(name.split()[-1])


def _roster_query(town_id: int) -> Any:
    return (
        select(Staff)
        .options(joinedload(Staff.village))
        .where(Staff.town_id == town_id, Staff.active.is_(True))
    )


def _handler(name: str | None, member: Staff | None) -> Handler:
    if member is None:
        return Handler(name)
    return Handler(
        name,
        on_roster=True,
        role=member.role,
        village=village_label(member.village) if member.village else None,
        mobiles=[member.phone],
    )


# ---- what was sent ---------------------------------------------------------------------
def robot_key(url: str) -> str:
    """What the record of sent reminders keeps of a robot: a digest of its URL, never the URL
    (its key is a credential)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def sent_on(lx: Ledger, town_id: int, day: dt.date) -> set[tuple[str, str, str]]:
    """(handler, ref, robot) of every reminder item of the town delivered on `day` (reference
    numbers are unique per town: a county ledger holds two towns' JF-2026-0001)."""
    rows = lx.session.execute(
        select(ReminderSent.handler, ReminderSent.ref, ReminderSent.robot).where(
            ReminderSent.town_id == town_id, ReminderSent.day == day
        )
    )
    return {(h, r, b) for h, r, b in rows}


def record_sent(
    lx: Ledger, town_id: int, day: dt.date, handler: str, refs: list[str], robot: str, shown: str
) -> None:
    """Record one handler's reminder of `day` delivered to a robot (`robot` its digest,
    `shown` its masked URL), with its audit entry, in the caller's transaction."""
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    for ref in refs:
        lx.session.add(
            ReminderSent(
                town_id=town_id, day=day, handler=handler, ref=ref, robot=robot, sent_at=at
            )
        )
    lx.audit(
        "remind.sent",
        None,
        None,
        {"date": day.isoformat(), "handler": handler, "refs": refs, "robot": shown},
    )
