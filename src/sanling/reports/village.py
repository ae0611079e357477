"""A village's daily bulletin (村级一日一通报): what is open in one village and what falls due.

For one village or community, as of one date, with its units and enterprises (every record
located in the village): disputes new and resolved that day, open, due soon and overdue,
each open one with its first handler and the days left or overdue (the town bulletin's rules,
bulletin.conditions); hazards new, open (major ones first), due soon and overdue; hotspots
and backlog cases open; petitions of the day and of the last seven days; patrols of the last
seven days (count and hours, and how long since the last one); key persons whose visit is due
soon or overdue (masked name, category, cadre); and the village's 三零 this year: which zero
was broken, by which record, and whose zero (the village's own or one of its units').

Every figure is a figures.Block count, so `--explain KEY` lists the records behind it, and
every rule is an as-of rule of the ledger: a past date reads as that day was. `message()` is
the text for the village's group robot, cut to a byte limit with a line saying how many
items were left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, not_, or_, select
from sqlalchemy.orm import aliased

from sanling import periods, privacy, zeros
from sanling.codes import RESIDENTIAL, HazardGrade
from sanling.collate import name_key
from sanling.config import Policy
from sanling.i18n import get_lang, label, tr
from sanling.ledger import dispute as disputes
from sanling.ledger import hazard as hazards
from sanling.ledger import person as persons
from sanling.ledger.base import Ledger
from sanling.models import (
    Accident,
    BacklogCase,
    Case,
    Dispute,
    Hazard,
    Hotspot,
    Patrol,
    PatrolVillage,
    Person,
    Petition,
    Subject,
)
from sanling.render import Listing, Tile
from sanling.reports import bulletin, figures, queries
from sanling.reports.base import BuiltReport, Context, columns, compose
from sanling.reports.figures import Block, Count
from sanling.reports.queries import Cond

WINDOW_DAYS = 7  # patrols and petitions: the last seven days, the bulletin's day included

TILES = (
    Tile("disputes.open", ("在办纠纷", "disputes open")),
    Tile("disputes.overdue", ("逾期纠纷", "disputes overdue")),
    Tile("hazards.open", ("未整改隐患", "hazards open")),
    Tile("hazards.overdue", ("逾期隐患", "hazards overdue")),
    Tile("patrols.count", ("近7日巡逻", "patrols, 7 days")),
    Tile("key_persons.visits_overdue", ("走访逾期", "visits overdue")),
)


@dataclass
class Village(Context):
    """The bulletin's context: the village (its id and name) besides the date."""

    vid: int = 0
    name: str = ""

    def located(self, model: Any) -> list[Cond]:
        """The records located in the village (its units' and enterprises' included), in the
        report's scope (the lists below count what the figures count)."""
        return [*self.fig.scope(model), model.village_id == self.vid]


def window(day: dt.date) -> periods.Period:
    return periods.Period(day - dt.timedelta(days=WINDOW_DAYS - 1), day)


def _town_rule(key: str) -> figures.Rule:
    """A figure of the town bulletin, by its rule (bulletin.conditions)."""
    return lambda day, _policy: [bulletin.conditions(day)[key]]


DISPUTES = Block(
    Dispute,
    None,
    (
        *(Count(k, _town_rule(k)) for k in ("new", "resolved", "open", "overdue")),
        Count("due_soon", lambda day, p: [disputes.due_soon_on(day, p.due_soon_days)]),
    ),
)
HAZARDS = Block(
    Hazard,
    None,
    (
        Count("new", lambda day, _p: [Hazard.found == day]),
        Count("open", figures.on(queries.hazard_open)),
        Count(
            "major_open",
            lambda day, _p: [queries.hazard_open(day), Hazard.grade == HazardGrade.major],
        ),
        Count("due_soon", lambda day, p: [hazards.due_soon_sql(day, p.due_soon_days)]),
        Count("overdue", figures.on(queries.hazard_overdue)),
    ),
)
HOTSPOTS = Block(Hotspot, None, (Count("open", figures.on(queries.hotspot_open)),))


def backlog_overdue(day: dt.date) -> Cond:
    """Not settled and not closed (办结) by the date, past its deadline."""
    return and_(
        queries.backlog_open(day), not_(queries.backlog_closed(day)), BacklogCase.deadline < day
    )


BACKLOG = Block(
    BacklogCase,
    None,
    (
        Count("open", figures.on(queries.backlog_open)),
        Count("overdue", figures.on(backlog_overdue)),
    ),
)
PETITIONS = Block(
    Petition,
    None,
    (
        Count("new", lambda day, _p: [Petition.date == day]),
        Count("recent", lambda day, _p: [queries.between(Petition.date, window(day))]),
    ),
)
VISITS = Block(
    Person,
    None,
    (
        Count("visits_due", lambda day, p: [persons.visit_due_sql(p, day, p.due_soon_days)]),
        Count("visits_overdue", lambda day, p: [persons.visit_overdue_sql(p, day)]),
    ),
)
# 三零: the records located in the village that broke a zero this year, by kind.
BREAKING: dict[str, tuple[Any, Callable[[Policy], Cond]]] = {
    "zero_petition": (Petition, zeros.petition_breaking),
    "zero_accident": (Accident, zeros.accident_breaking),
    "zero_case": (Case, zeros.case_breaking),
}


def days(deadline: dt.date | None, day: dt.date) -> dict[str, int | None]:
    """Days left to a deadline (the day itself: 0), or days past it."""
    if deadline is None:
        return {"days_left": None, "days_overdue": None}
    gap = (deadline - day).days
    return {"days_left": gap if gap >= 0 else None, "days_overdue": -gap if gap < 0 else None}


def _rows(ctx: Village, query: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in ctx.lx.session.execute(query)]


def _unit() -> tuple[Any, Callable[[Any], Any]]:
    """The unit or enterprise a record names (none when it is the village's own)."""
    unit = aliased(Subject)
    return unit, lambda model: and_(unit.id == model.subject_id, unit.id != model.village_id)


# ---- sections: each adds its keys to the JSON -------------------------------------------
def _disputes(ctx: Village) -> dict[str, Any]:
    day = ctx.as_of
    out = DISPUTES.count(ctx.fig, "disputes", None, day, where=ctx.located(Dispute))
    unit, joined = _unit()
    query = (
        select(
            Dispute.ref,
            unit.name.label("subject"),
            Dispute.category,
            Dispute.handler,
            Dispute.found,
            Dispute.deadline,
            Dispute.resolved_on,
        )
        .outerjoin(unit, joined(Dispute))
        .where(*ctx.located(Dispute), or_(disputes.open_on(day), Dispute.resolved_on == day))
        .order_by(Dispute.deadline, Dispute.ref)
    )
    items = []
    for r in _rows(ctx, query):
        resolved = r.pop("resolved_on") == day
        items.append(
            {
                **r,
                "new": r["found"] == day,
                "resolved": resolved,
                **(days(None, day) if resolved else days(r["deadline"], day)),
            }
        )
    out["items"] = items
    return {"disputes": out}


def _hazards(ctx: Village) -> dict[str, Any]:
    day = ctx.as_of
    out = HAZARDS.count(ctx.fig, "hazards", None, day, where=ctx.located(Hazard))
    unit, joined = _unit()
    major_first = case((Hazard.grade == HazardGrade.major, 0), else_=1)
    query = (
        select(
            Hazard.ref,
            unit.name.label("subject"),
            Hazard.grade,
            Hazard.area,
            Hazard.responsible,
            Hazard.found,
            Hazard.deadline,
        )
        .outerjoin(unit, joined(Hazard))
        .where(*ctx.located(Hazard), queries.hazard_open(day))
        .order_by(major_first, Hazard.deadline, Hazard.ref)
    )
    out["items"] = [
        {**r, "new": r["found"] == day, **days(r["deadline"], day)} for r in _rows(ctx, query)
    ]
    return {"hazards": out}


def _hotspots(ctx: Village) -> dict[str, Any]:
    day = ctx.as_of
    out = HOTSPOTS.count(ctx.fig, "hotspots", None, day, where=ctx.located(Hotspot))
    query = (
        select(Hotspot.ref, Hotspot.found, Hotspot.description)
        .where(*ctx.located(Hotspot), queries.hotspot_open(day))
        .order_by(Hotspot.found, Hotspot.ref)
    )
    out["items"] = _rows(ctx, query)
    return {"hotspots": out}


def _backlog(ctx: Village) -> dict[str, Any]:
    day = ctx.as_of
    out = BACKLOG.count(ctx.fig, "backlog", None, day, where=ctx.located(BacklogCase))
    query = (
        select(
            BacklogCase.ref,
            BacklogCase.assigned_by,
            BacklogCase.lead,
            BacklogCase.deadline,
            queries.backlog_closed(day).label("closed"),
        )
        .where(*ctx.located(BacklogCase), queries.backlog_open(day))
        .order_by(BacklogCase.deadline, BacklogCase.ref)
    )
    items = []
    for r in _rows(ctx, query):
        closed = bool(r.pop("closed"))
        items.append({**r, "closed": closed, **days(None if closed else r["deadline"], day)})
    out["items"] = items
    return {"backlog": out}


def _petitions(ctx: Village) -> dict[str, Any]:
    day, policy = ctx.as_of, ctx.lx.policy
    out = PETITIONS.count(ctx.fig, "petitions", None, day, where=ctx.located(Petition))
    unit, joined = _unit()
    query = (
        select(
            Petition.ref,
            unit.name.label("subject"),
            Petition.date,
            Petition.form,
            Petition.level,
            Petition.people,
            zeros.petition_breaking(policy).label("breaks_zero"),
        )
        .outerjoin(unit, joined(Petition))
        .where(*ctx.located(Petition), queries.between(Petition.date, window(day)))
        .order_by(Petition.date, Petition.ref)
    )
    out["items"] = [{**r, "breaks_zero": bool(r["breaks_zero"])} for r in _rows(ctx, query)]
    return {"petitions": out}


def _patrols(ctx: Village) -> dict[str, Any]:
    """Patrols of the last seven days through the village, and the day of the last one."""
    day = ctx.as_of
    through = Patrol.id.in_(
        select(PatrolVillage.patrol_id).where(PatrolVillage.village_id == ctx.vid)
    )
    out = figures.PATROLS.count(ctx.fig, "patrols", window(day), day, where=[through])
    last = ctx.lx.session.scalar(
        select(func.max(Patrol.date)).where(*ctx.fig.scope(Patrol), through, Patrol.date <= day)
    )
    out["window"] = {"start": window(day).start, "end": day}
    out["last"] = last
    out["days_since"] = (day - last).days if last else None
    return {"patrols": out}


def _key_persons(ctx: Village) -> dict[str, Any]:
    """Visits due soon or overdue: masked name, category, cadre and the day due."""
    day, policy = ctx.as_of, ctx.lx.policy
    out = VISITS.count(ctx.fig, "key_persons", None, day, where=ctx.located(Person))
    last = func.coalesce(persons.last_visit_sql(day), Person.listed)
    query = (
        select(
            Person.ref, Person.name, Person.category, Person.cadre, Person.risk, last.label("last")
        )
        .where(
            *ctx.located(Person),
            or_(
                persons.visit_overdue_sql(policy, day),
                persons.visit_due_sql(policy, day, policy.due_soon_days),
            ),
        )
        .order_by(last, Person.ref)
    )
    items = []
    for r in _rows(ctx, query):
        interval = persons.interval(r["category"], r.pop("risk"), policy)
        due = r.pop("last") + dt.timedelta(days=interval)
        items.append(
            {**r, "name": privacy.mask_name(r["name"]), "next_visit": due, **days(due, day)}
        )
    out["items"] = items
    return {"key_persons": out}


def _policy_rule(rule: Callable[[Policy], Cond]) -> figures.Rule:
    return lambda _day, policy: [rule(policy)]


def _sanling(ctx: Village) -> dict[str, Any]:
    """This year's 三零: the village's own zeros, and every record located in it that broke
    one (a unit's record breaks the unit's zero, and is named with it)."""
    day, policy = ctx.as_of, ctx.lx.policy
    year = periods.year_to_date(day)
    out: dict[str, Any] = {"year": day.year}
    broken_by: list[dict[str, Any]] = []
    for key, (model, rule) in BREAKING.items():
        block = Block(model, model.date, (Count(f"{key}_broken", _policy_rule(rule)),))
        out |= block.count(ctx.fig, "sanling", year, day, where=ctx.located(model))
        whose = aliased(Subject)
        query = (
            select(model.ref, model.date, whose.id.label("sid"), whose.name.label("subject"))
            .join(whose, whose.id == zeros.broken_subject(model))
            .where(
                *ctx.located(model),
                rule(policy),
                queries.between(model.date, year),
            )
            .order_by(model.date, model.ref)
        )
        for r in _rows(ctx, query):
            broken_by.append({"zero": key, **r})
    own = {b["zero"] for b in broken_by if b.pop("sid") == ctx.vid}
    for key in BREAKING:
        out[key] = key not in own  # True: the village kept this zero
    out["achieved"] = not own
    out["broken_by"] = sorted(broken_by, key=lambda b: (b["date"], b["ref"]))
    return {"sanling": out}


SECTIONS = (
    _disputes,
    _hazards,
    _hotspots,
    _backlog,
    _petitions,
    _patrols,
    _key_persons,
    _sanling,
)


def quiet(p: dict[str, Any]) -> bool:
    """Nothing open and nothing new: no message unless asked for (--all)."""
    open_now = (
        p["disputes"]["open"]
        + p["hazards"]["open"]
        + p["hotspots"]["open"]
        + p["backlog"]["open"]
        + p["key_persons"]["visits_due"]
        + p["key_persons"]["visits_overdue"]
    )
    new = p["disputes"]["new"] + p["disputes"]["resolved"] + p["hazards"]["new"]
    return not (open_now or new or p["petitions"]["new"])


# ---- the report -------------------------------------------------------------------------
@dataclass
class VillageBulletin(BuiltReport):
    """A village's bulletin: JSON, tables, --explain, and its group message."""

    village: str = ""
    day: dt.date = field(default_factory=dt.date.today)

    @property
    def quiet(self) -> bool:
        return bool(self.payload["quiet"])

    def text(self) -> str:
        return "\n".join(text for text, _item in lines(self.payload)) + "\n"

    def message(self, limit: int, overhead: int = 0) -> str:
        """The group message in at most `limit` UTF-8 bytes (`overhead`: bytes the robot's
        format adds to each line); items that do not fit are counted in a last line."""
        return fit(lines(self.payload), limit, overhead, self.village)


def build(
    lx: Ledger, day: dt.date, village: str | Subject, *, town: str | None = None
) -> VillageBulletin:
    """The bulletin of `village` (a name, or the subject) as of `day`."""
    v = (
        village
        if isinstance(village, Subject)
        else lx.subject(
            village, town=town, kinds=RESIDENTIAL, field="village", include_retired=True
        )
    )
    fig = queries.Figures(lx, v.town_id)
    ctx = Village(lx, fig, day, window(day), town, v.id, v.name)
    head = {"date": day, "town": v.town.name, "village": v.name}
    payload = compose(ctx, head, SECTIONS)
    payload["quiet"] = quiet(payload)
    return VillageBulletin(
        title=tr(
            "{v}平安通报 {day}",
            "{v} daily bulletin {day}",
            v=v.name,
            day=day.isoformat(),
        ),
        payload=payload,
        explainers=fig.explainers,
        make_parts=lambda: _parts(payload),
        tiles=TILES,
        village=v.name,
        day=day,
    )


def each(
    lx: Ledger, day: dt.date, *, town: str | None = None
) -> Iterable[tuple[Subject, VillageBulletin]]:
    """Every village and community of the town on the day, with its bulletin."""
    tid = lx.town(town).id
    found = lx.session.scalars(
        select(Subject).where(
            Subject.town_id == tid, queries.residential(), queries.subject_active(day)
        )
    ).all()
    for v in sorted(found, key=lambda v: name_key(v.name)):  # pinyin order, as every list
        yield v, build(lx, day, v)


# ---- the message ------------------------------------------------------------------------
Line = tuple[str, bool]  # the text, and whether it is an item (may be left out at the end)


def _md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日" if get_lang() == "zh" else day.isoformat()


def _days_en(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _when(item: dict[str, Any]) -> str:
    zh = get_lang() == "zh"
    if item.get("days_overdue") is not None:
        n = item["days_overdue"]
        return f"逾期{n}天" if zh else f"{_days_en(n)} overdue"
    if item.get("days_left") is not None:
        n = item["days_left"]
        if n == 0:
            return "当日到期" if zh else "due that day"
        return f"剩{n}天" if zh else f"{_days_en(n)} left"
    return ""


def _where(item: dict[str, Any]) -> str:
    return f" {item['subject']}" if item.get("subject") else ""


def lines(p: dict[str, Any]) -> list[Line]:
    """The message: the figures first, then the items, each list under its heading."""
    zh = get_lang() == "zh"
    d, h, hs, b = p["disputes"], p["hazards"], p["hotspots"], p["backlog"]
    pt, kp, pa, s = p["petitions"], p["key_persons"], p["patrols"], p["sanling"]
    day: dt.date = p["date"]
    out: list[str] = []
    if zh:
        out += [
            f"【{p['village']}平安通报】{day.year}年{day.month}月{day.day}日",
            f"纠纷：当日新增{d['new']}件，化解{d['resolved']}件；在办{d['open']}件，"
            f"其中逾期{d['overdue']}件、临期{d['due_soon']}件。",
            f"隐患：未整改{h['open']}处（重大{h['major_open']}处），"
            f"临期{h['due_soon']}处，逾期{h['overdue']}处。",
            f"治安乱点{hs['open']}处未整治；信访积案{b['open']}件未化解；"
            f"近7日信访{pt['recent']}件。",
        ]
    else:
        out += [
            f"{p['village']} daily bulletin, {day.isoformat()}",
            f"Disputes: {d['new']} new, {d['resolved']} resolved that day; {d['open']} open, "
            f"{d['overdue']} overdue, {d['due_soon']} due soon.",
            f"Hazards: {h['open']} open ({h['major_open']} major), {h['due_soon']} due soon, "
            f"{h['overdue']} overdue.",
            f"Hotspots open: {hs['open']}; backlog cases open: {b['open']}; "
            f"petitions in 7 days: {pt['recent']}.",
        ]
    out.append(_patrol_line(pa))
    if zh:
        out.append(f"重点人员走访：逾期{kp['visits_overdue']}人，临期{kp['visits_due']}人。")
    else:
        out.append(
            f"Key-person visits: {kp['visits_overdue']} overdue, {kp['visits_due']} due soon."
        )
    out.append(_sanling_line(s, p["village"]))
    result: list[Line] = [(t, False) for t in out]
    for heading, items, show in _lists(p):
        if items:
            result.append((heading, False))
            result += [(show(i), True) for i in items]
    return result


def _patrol_line(pa: dict[str, Any]) -> str:
    zh = get_lang() == "zh"
    if pa["count"]:
        return (
            f"巡逻：近7日{pa['count']}次，共{pa['hours']:g}小时。"
            if zh
            else f"Patrols: {pa['count']} in 7 days, {pa['hours']:g} hours."
        )
    if pa["days_since"] is None:
        return "巡逻：没有巡逻记录。" if zh else "Patrols: none recorded."
    n = pa["days_since"]
    return f"巡逻：已{n}天无巡逻。" if zh else f"Patrols: no patrol for {n} days."


def _sanling_line(s: dict[str, Any], village: str) -> str:
    """Kept, or each zero broken with its records (a unit's named with the unit)."""
    zh = get_lang() == "zh"
    if not s["broken_by"]:
        return f"三零：{s['year']}年以来保持。" if zh else f"三零: kept so far in {s['year']}."
    parts = []
    for key in BREAKING:
        refs = [
            b["ref"] if b["subject"] == village else f"{b['subject']} {b['ref']}"
            for b in s["broken_by"]
            if b["zero"] == key
        ]
        if refs:
            what = queries.zero_label(key)
            parts.append(
                f"{what}被打破（{'、'.join(refs)}）" if zh else f"{what} broken ({', '.join(refs)})"
            )
    if zh:
        return f"三零：{'；'.join(parts)}。"
    return f"三零: {'; '.join(parts)}."


def _lists(
    p: dict[str, Any],
) -> list[tuple[str, list[dict[str, Any]], Callable[[dict[str, Any]], str]]]:
    zh = get_lang() == "zh"

    def dispute(i: dict[str, Any]) -> str:
        who = f"{i['ref']}{_where(i)}"
        if i["resolved"]:
            if zh:
                return f"{who} 首办{i['handler']} 当日化解"
            return f"{who}, handler {i['handler']}, resolved that day"
        new = ("（当日新增）" if zh else " (new)") if i["new"] else ""
        what, due = label(i["category"]), _md(i["deadline"])
        if zh:
            return f"{who} {what} 首办{i['handler']} {_when(i)}（时限{due}）{new}"
        return f"{who} {what}, handler {i['handler']}, {_when(i)} (deadline {due}){new}"

    def hazard(i: dict[str, Any]) -> str:
        who, grade, area = f"{i['ref']}{_where(i)}", label(i["grade"]), label(i["area"])
        if zh:
            return f"{who} {area}（{grade}）责任人{i['responsible']} {_when(i)}"
        return f"{who} {grade} {area}, {i['responsible']}, {_when(i)}"

    def hotspot(i: dict[str, Any]) -> str:
        return f"{i['ref']} {i['description']}"

    def backlog(i: dict[str, Any]) -> str:
        state = ("已办结未化解" if zh else "closed, not settled") if i["closed"] else _when(i)
        if zh:
            return f"{i['ref']} 包案{i['lead']} {state}"
        return f"{i['ref']}, lead {i['lead']}, {state}"

    def petition(i: dict[str, Any]) -> str:
        mark = ("（破零）" if zh else " (breaks 零上访)") if i["breaks_zero"] else ""
        return (
            f"{i['ref']}{_where(i)} {_md(i['date'])} {label(i['form'])} {label(i['level'])}{mark}"
        )

    def visit(i: dict[str, Any]) -> str:
        cadre = i["cadre"] or "-"
        if zh:
            return f"{i['ref']} {i['name']} {label(i['category'])} 包联{cadre} 走访{_when(i)}"
        return f"{i['ref']} {i['name']} {label(i['category'])}, cadre {cadre}, visit {_when(i)}"

    return [
        (tr("纠纷明细：", "Disputes:"), p["disputes"]["items"], dispute),
        (tr("隐患明细（重大在前）：", "Hazards (major first):"), p["hazards"]["items"], hazard),
        (tr("治安乱点：", "Hotspots:"), p["hotspots"]["items"], hotspot),
        (tr("信访积案：", "Backlog cases:"), p["backlog"]["items"], backlog),
        (tr("近7日信访：", "Petitions, 7 days:"), p["petitions"]["items"], petition),
        (tr("走访提醒：", "Visits due:"), p["key_persons"]["items"], visit),
    ]


def _cut(text: str, size: int) -> str:
    """The longest start of `text` in `size` UTF-8 bytes (never half a character)."""
    return text.encode("utf-8")[: max(size, 0)].decode("utf-8", "ignore")


def fit(found: list[Line], limit: int, overhead: int, village: str) -> str:
    """Lines in order while they fit in `limit` bytes (each costs its bytes, a newline and
    `overhead`); once one does not, the items left are counted in a last line, and headings
    with none of their items shown go too."""

    def size(text: str) -> int:
        return len(text.encode("utf-8")) + 1 + overhead

    if sum(size(t) for t, _ in found) - 1 <= limit:
        return "\n".join(t for t, _ in found)
    items = sum(1 for _, item in found if item)
    note_text: Callable[[int], str] = lambda n: tr(  # noqa: E731
        "……另有{n}项未列出，完整通报见 sanling report bulletin --village {v}",
        "... {n} more items not shown: sanling report bulletin --village {v}",
        n=n,
        v=village,
    )
    budget = limit - size(note_text(items))
    kept: list[Line] = []
    for text, item in found:
        if size(text) > budget:
            if not kept:  # even the first line is too long: its start, cut at a character
                kept.append((_cut(text, budget - 1 - overhead), item))
            break
        kept.append((text, item))
        budget -= size(text)
    while kept and not kept[-1][1] and kept[-1][0].endswith(("：", ":")):
        kept.pop()  # a heading whose items were all left out
    left = items - sum(1 for _, item in kept if item)
    return _cut("\n".join([*(t for t, _ in kept), note_text(left)]), limit)


# ---- tables -----------------------------------------------------------------------------
def _summary(p: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [
        (("当日新增纠纷", "disputes new that day"), p["disputes"]["new"]),
        (("当日化解纠纷", "disputes resolved that day"), p["disputes"]["resolved"]),
        (("在办纠纷", "disputes open"), p["disputes"]["open"]),
        (("逾期纠纷", "disputes overdue"), p["disputes"]["overdue"]),
        (("临期纠纷", "disputes due soon"), p["disputes"]["due_soon"]),
        (("当日新增隐患", "hazards new that day"), p["hazards"]["new"]),
        (("未整改隐患", "hazards open"), p["hazards"]["open"]),
        (("其中重大隐患", "of which major"), p["hazards"]["major_open"]),
        (("临期隐患", "hazards due soon"), p["hazards"]["due_soon"]),
        (("逾期隐患", "hazards overdue"), p["hazards"]["overdue"]),
        (("未整治乱点", "hotspots open"), p["hotspots"]["open"]),
        (("未化解积案", "backlog cases open"), p["backlog"]["open"]),
        (("逾期积案", "backlog cases overdue"), p["backlog"]["overdue"]),
        (("当日信访", "petitions that day"), p["petitions"]["new"]),
        (("近7日信访", "petitions, 7 days"), p["petitions"]["recent"]),
        (("近7日巡逻（次）", "patrols, 7 days"), p["patrols"]["count"]),
        (("近7日巡逻（小时）", "patrol hours, 7 days"), p["patrols"]["hours"]),
        (("距上次巡逻（天）", "days since the last patrol"), p["patrols"]["days_since"]),
        (("走访逾期", "visits overdue"), p["key_persons"]["visits_overdue"]),
        (("走访临期", "visits due soon"), p["key_persons"]["visits_due"]),
    ]
    return [{"what": tr(*what), "value": value} for what, value in rows]


def _parts(p: dict[str, Any]) -> list[Any]:
    deadline = ("deadline", "时限", "deadline")
    left = ("days_left", "剩余天数", "days left")
    s = p["sanling"]
    zero_rows = [
        {
            "zero": queries.zero_label(key),
            "kept": s[key],
            "refs": "、".join(
                f"{b['subject']} {b['ref']}" for b in s["broken_by"] if b["zero"] == key
            ),
        }
        for key in BREAKING
    ]
    return [
        Listing(
            columns(("what", "项目", "item"), ("value", "数值", "value")),
            _summary(p),
            title=tr("{v} {d}", "{v} {d}", v=p["village"], d=p["date"].isoformat()),
            key="summary",
        ),
        Listing(
            columns(
                "ref",
                "subject",
                "category",
                "handler",
                "found",
                deadline,
                left,
                "days_overdue",
                ("new", "当日新增", "new that day"),
                ("resolved", "当日化解", "resolved that day"),
            ),
            p["disputes"]["items"],
            title=tr("在办与当日化解的纠纷", "Disputes open or resolved that day"),
            key="disputes",
        ),
        Listing(
            columns(
                "ref",
                "subject",
                ("grade", "隐患等级", "grade"),
                "area",
                "responsible",
                deadline,
                left,
                "days_overdue",
            ),
            p["hazards"]["items"],
            title=tr("未整改隐患（重大在前）", "Hazards open (major first)"),
            key="hazards",
        ),
        Listing(
            columns("ref", "found", ("description", "乱点情况", "description")),
            p["hotspots"]["items"],
            title=tr("未整治乱点", "Hotspots open"),
            key="hotspots",
        ),
        Listing(
            columns(
                "ref",
                "assigned_by",
                "lead",
                deadline,
                ("closed", "已办结", "closed"),
                left,
                "days_overdue",
            ),
            p["backlog"]["items"],
            title=tr("未化解信访积案", "Backlog cases open"),
            key="backlog",
        ),
        Listing(
            columns("ref", "subject", "date", "form", "level", "people", "breaks_zero"),
            p["petitions"]["items"],
            title=tr("近7日信访", "Petitions, last 7 days"),
            key="petitions",
        ),
        Listing(
            columns(
                "ref",
                ("name", "姓名", "name"),
                "category",
                "cadre",
                "next_visit",
                left,
                "days_overdue",
            ),
            p["key_persons"]["items"],
            title=tr("走访临期或逾期的重点人员", "Key persons due or overdue for a visit"),
            key="key_persons",
        ),
        Listing(
            columns(
                ("zero", "三零", "zero"),
                ("kept", "保持", "kept"),
                ("refs", "破零记录", "broken by"),
            ),
            zero_rows,
            title=tr("{y}年三零情况", "三零 in {y}", y=s["year"]),
            key="sanling",
        ),
    ]
