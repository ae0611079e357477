"""SQL shared by the sweep, monthly, grading and annual reports.

Two things live here:

- the "as of" rules: what open, resolved, rectified, overdue and listed mean on a given date,
  read from the dates on the records (`resolved_on <= as_of`), never from today's status, so
  a report on a past period reads the same whenever it is run;
- `Figures`, which counts a report's figures in SQL (one `SUM(CASE ...)` query per family,
  or a GROUP BY) and remembers, for every figure, the WHERE clause that produced it, so
  `--explain KEY` lists exactly the records that were counted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, not_, or_, select, true, union_all
from sqlalchemy.orm import aliased

from sanling import periods, zeros
from sanling.codes import RESIDENTIAL, BacklogOutcome, SubjectKind
from sanling.collate import name_key
from sanling.errors import InvalidValue
from sanling.i18n import header_in, tr
from sanling.ledger import dispute as disputes
from sanling.ledger import hazard as hazards
from sanling.ledger import person as persons
from sanling.ledger.base import Ledger
from sanling.models import (
    Accident,
    BacklogCase,
    Base,
    Case,
    Dispute,
    Hazard,
    Hotspot,
    Patrol,
    Person,
    Petition,
    Subject,
    Sweep,
    Title,
    Town,
)
from sanling.render import Column, Listing
from sanling.reports.base import Explainers

Cond = ColumnElement[bool]


# ---- periods --------------------------------------------------------------------------
def shift_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 + months
    first = dt.date(index // 12, index % 12 + 1, 1)
    return min(
        first.replace(day=min(day.day, periods.month_end(first).day)), periods.month_end(first)
    )


def refuse_future(period: periods.Period, today: dt.date) -> None:
    if period.start > today:
        raise InvalidValue(
            tr(
                "{start} 起的时段还没有开始（今天是 {today}）",
                "the period starting {start} has not begun (today is {today})",
                start=period.start.isoformat(),
                today=today.isoformat(),
            ),
            tr("选一个已开始的时段", "choose a period that has begun"),
        )


def clipped(period: periods.Period, as_of: dt.date) -> periods.Period:
    """The part of `period` up to the as-of date (a current period is not over yet)."""
    return periods.Period(period.start, min(period.end, as_of))


def hours(minutes: int) -> float:
    return float((Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def between(column: Any, period: periods.Period) -> Cond:
    return and_(column >= period.start, column <= period.end)


# ---- what a record's state was on a date ----------------------------------------------
def dispute_resolved(as_of: dt.date) -> Cond:
    return and_(Dispute.resolved_on.is_not(None), Dispute.resolved_on <= as_of)


def dispute_open(as_of: dt.date) -> Cond:
    """Found by the date, and neither resolved nor referred elsewhere by then.

    The rule lives once, in ledger/dispute.py, so the bulletin and every report agree.
    """
    return disputes.open_on(as_of)


def dispute_overdue(as_of: dt.date) -> Cond:
    return disputes.overdue_on(as_of)


def hazard_rectified(as_of: dt.date) -> Cond:
    """Rectified (closed ones included: a hazard is closed after it is rectified) by the date.

    The rule lives once, in ledger/hazard.py (`not_done_sql`), shared with `hazard list`.
    """
    return not_(hazards.not_done_sql(as_of))


def hazard_open(as_of: dt.date) -> Cond:
    return and_(Hazard.found <= as_of, hazards.not_done_sql(as_of))


def hazard_overdue(as_of: dt.date) -> Cond:
    return hazards.overdue_sql(as_of)


def hotspot_rectified(as_of: dt.date) -> Cond:
    return and_(Hotspot.rectified_on.is_not(None), Hotspot.rectified_on <= as_of)


def hotspot_open(as_of: dt.date) -> Cond:
    return and_(
        Hotspot.found <= as_of, or_(Hotspot.rectified_on.is_(None), Hotspot.rectified_on > as_of)
    )


def backlog_closed(as_of: dt.date) -> Cond:
    return and_(BacklogCase.closed_on.is_not(None), BacklogCase.closed_on <= as_of)


def backlog_settled(as_of: dt.date) -> Cond:
    """Settled (息诉罢访) by the date; closed (办结) alone is not settled."""
    return and_(
        BacklogCase.outcome == BacklogOutcome.settled,
        func.coalesce(BacklogCase.outcome_on, BacklogCase.closed_on) <= as_of,
    )


def backlog_open(as_of: dt.date) -> Cond:
    """Assigned by the date and not settled by then."""
    return and_(
        BacklogCase.assigned_on <= as_of,
        or_(
            BacklogCase.outcome != BacklogOutcome.settled,
            BacklogCase.outcome.is_(None),
            func.coalesce(BacklogCase.outcome_on, BacklogCase.closed_on) > as_of,
        ),
    )


def person_listed(as_of: dt.date) -> Cond:
    """Listed on the date (ledger/person.py states the rule, for its lists too)."""
    return persons.active_sql(as_of)


def person_visit_overdue(lx: Ledger, as_of: dt.date) -> Cond:
    """Listed on the date and not visited within the interval its risk level asks for; the
    last visit is the latest on or before the date, so a later visit does not change a past
    report (the rule is ledger/person.py's, shared with `person list --visit-overdue`)."""
    return persons.visit_overdue_sql(lx.policy, as_of)


def subject_active(as_of: dt.date) -> Cond:
    """Registered and not retired by the date (the registration date is when it was typed in,
    not when the village came to be, so it does not limit past reports)."""
    return or_(
        Subject.active.is_(True), and_(Subject.retired_on.is_not(None), Subject.retired_on > as_of)
    )


def residential() -> Cond:
    return Subject.kind.in_(RESIDENTIAL)


# ---- listing the records behind a figure -----------------------------------------------
@dataclass
class RecordSpec:
    columns: Callable[[Any], list[Any]]  # given the village alias, the selected columns
    village: Callable[[Any], Any] | None  # the join condition to the village alias
    order: Callable[[], list[Any]]


def _spec(model: Any, names: str, order: str, *, in_village: bool = True) -> RecordSpec:
    """A listing of `model`'s own columns (`village` is its village's name), by `order`."""

    def columns(v: Any) -> list[Any]:
        return [
            v.name.label("village") if n == "village" else getattr(model, n) for n in names.split()
        ]

    return RecordSpec(
        columns,
        (lambda v: v.id == model.village_id) if in_village else None,
        lambda: [getattr(model, n) for n in order.split()],
    )


SPECS: dict[type[Base], RecordSpec] = {
    Dispute: _spec(
        Dispute,
        "ref village category found deadline status resolved_on handler",
        "found ref",
    ),
    Hazard: _spec(
        Hazard,
        "ref village area grade found deadline status rectified_on responsible",
        "found ref",
    ),
    Petition: _spec(
        Petition,
        "ref village date form level people accept_due accepted_on refused_on reply_due"
        " extended_to replied_on handler",
        "date ref",
    ),
    Accident: _spec(
        Accident,
        "ref village date kind deaths serious_injuries injuries",
        "date ref",
    ),
    Case: _spec(Case, "ref village date kind major offence", "date ref"),
    Hotspot: _spec(Hotspot, "ref village found rectified_on description", "found ref"),
    BacklogCase: _spec(
        BacklogCase,
        "ref village assigned_by assigned_on deadline closed_on outcome lead",
        "assigned_on ref",
    ),
    Patrol: _spec(
        Patrol,
        "ref date kind team leader people minutes",
        "date ref",
        in_village=False,
    ),
    # Key persons: reference, village and category only; never a name (privacy).
    Person: _spec(Person, "ref village category risk listed delisted", "ref"),
    Sweep: RecordSpec(
        lambda v: [
            Sweep.ref,
            Sweep.date,
            v.name.label("subject"),
            v.kind.label("kind"),
            Sweep.by,
            Sweep.scope,
        ],
        lambda v: v.id == Sweep.subject_id,
        lambda: [Sweep.date, Sweep.ref],
    ),
    Title: RecordSpec(
        lambda v: [
            v.name.label("subject"),
            v.kind.label("kind"),
            Title.year,
            Title.title,
            Title.named_on,
            Title.revoked_on,
            Title.revoke_reason,
            Title.revoke_ref,
        ],
        lambda v: v.id == Title.subject_id,
        lambda: [Title.year, Title.named_on, Title.id],
    ),
    Subject: RecordSpec(
        lambda v: [Subject.name, Subject.kind, v.name.label("parent"), Subject.grade],
        None,
        lambda: [Subject.kind, Subject.name],
    ),
}


# A computed column of an explanation: (SQL expression, heading), and how its cells may break
# at 80 columns (render ITEMS for a list of references).
Extra = tuple[Any, str] | tuple[Any, str, str]


def records(
    lx: Ledger,
    model: type[Base],
    where: Iterable[Any],
    *,
    title: str,
    extra: Mapping[str, Extra] | None = None,
) -> Listing:
    """The records of `model` matching `where`, as a listing; `extra` adds computed columns
    (key -> (SQL expression, heading)), e.g. whether a record counts to a rate."""
    spec = SPECS[model]
    v = aliased(Subject)
    cols = spec.columns(v)
    extras = extra or {}
    query = select(*cols, *[e[0].label(key) for key, e in extras.items()])
    if model is Subject:
        query = query.select_from(Subject).outerjoin(v, v.id == Subject.parent_id)
    elif spec.village is not None:
        query = query.select_from(model).join(v, spec.village(v))
    else:
        query = query.select_from(model)
    query = query.where(*where).order_by(*spec.order())
    keys = [c.key for c in cols]
    rows = [dict(r._mapping) for r in lx.session.execute(query)]
    if model is Subject:  # names in pinyin order, within each kind
        rows.sort(key=lambda r: (r["kind"], name_key(r["name"])))
    for row in rows:
        for key in extras:
            if key in row and row[key] is not None and not isinstance(row[key], bool | float):
                row[key] = bool(row[key]) if key == "counted" else row[key]
    table: str = model.__tablename__
    columns = [Column(k, header_in(table, k)) for k in keys]
    columns += [Column(k, *e[1:]) for k, e in extras.items()]
    return Listing(columns, rows, title=title)


# ---- counting figures -----------------------------------------------------------------
def _sum(cond: Any) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


class Figures:
    """The figures of one report: counted in SQL, each remembered with its WHERE clause."""

    def __init__(self, lx: Ledger, town_id: int | None) -> None:
        self.lx = lx
        self.town_id = town_id
        self.explainers = Explainers()

    def scope(self, model: type[Base]) -> list[Cond]:
        if self.town_id is None:
            return []
        col: Any = model.__table__.c.town_id
        return [col == self.town_id]

    def lister(
        self,
        key: str,
        model: type[Base],
        where: list[Any],
        *,
        extra: Mapping[str, Extra] | None = None,
    ) -> Callable[[], Listing]:
        """The explainer listing the records of `model` matching `where`."""
        lx = self.lx

        def fn() -> Listing:
            return records(lx, model, where, title=key, extra=extra)

        return fn

    def explain_records(
        self,
        key: str,
        model: type[Base],
        where: list[Any],
        *,
        extra: Mapping[str, Extra] | None = None,
    ) -> None:
        self.explainers[key] = self.lister(key, model, where, extra=extra)

    def counts(
        self,
        prefix: str,
        model: type[Base],
        base: list[Any],
        figures: dict[str, list[Any]],
        extra: Mapping[str, Extra] | None = None,
    ) -> dict[str, int]:
        """Several counts over one table in one query: SUM(CASE WHEN ... THEN 1 ELSE 0 END);
        `extra` adds computed columns to their --explain listings."""
        where = [*self.scope(model), *base]
        cols = [_sum(and_(true(), *conds)).label(k) for k, conds in figures.items()]
        row = self.lx.session.execute(select(*cols).select_from(model).where(*where)).one()
        result = {k: int(row._mapping[k]) for k in figures}
        for k, conds in figures.items():
            key = f"{prefix}.{k}" if prefix else k
            self.explain_records(key, model, [*where, *conds], extra=extra)
        return result

    def rate(
        self, key: str, model: type[Base], base: list[Any], numerator: list[Any], heading: str
    ) -> None:
        """Register the explainer of a rate: the records found, each marked counted or not."""
        where = [*self.scope(model), *base]
        self.explain_records(
            key,
            model,
            where,
            extra={"counted": (case((and_(true(), *numerator), True), else_=False), heading)},
        )

    def grouped(
        self, prefix: str, model: type[Base], base: list[Any], column: Any, keys: Iterable[StrEnum]
    ) -> dict[str, int]:
        """Counts by a code column (every code shown, zeros included)."""
        where = [*self.scope(model), *base]
        query = select(column, func.count()).select_from(model).where(*where).group_by(column)
        found = {
            (k.value if isinstance(k, StrEnum) else str(k)): int(n)
            for k, n in self.lx.session.execute(query)
        }
        result: dict[str, int] = {}
        for k in keys:
            result[k.value] = found.get(k.value, 0)
            self.explain_records(f"{prefix}.{k.value}", model, [*where, column == k])
        return result

    def spans(
        self, prefix: str, model: type[Base], column: Any, spans: dict[str, periods.Period]
    ) -> dict[str, int]:
        """Counts of the records whose `column` falls in each of several disjoint spans: one
        GROUP BY over their whole range (a SUM(CASE) per span reads every row of the table once
        per span: seconds on a million disputes)."""
        ordered = sorted(spans.values(), key=lambda s: s.start)
        assert all(a.end < b.start for a, b in pairwise(ordered))
        which = case(*[(between(column, s), k) for k, s in spans.items()])
        query = (
            select(which, func.count())
            .select_from(model)
            .where(*self.scope(model), column >= ordered[0].start, column <= ordered[-1].end)
            .group_by(which)
        )
        found = {k: int(n) for k, n in self.lx.session.execute(query)}
        for k, span in spans.items():
            self.explain_records(
                f"{prefix}.{k}", model, [*self.scope(model), between(column, span)]
            )
        return {k: found.get(k, 0) for k in spans}

    def by_village(
        self, model: type[Base], base: list[Any], figures: dict[str, list[Any]], village_col: Any
    ) -> dict[int, dict[str, int]]:
        """Counts per village in one GROUP BY query: village id -> figure -> count."""
        where = [*self.scope(model), *base]
        cols = [_sum(and_(true(), *conds)).label(k) for k, conds in figures.items()]
        query = (
            select(village_col.label("vid"), *cols)
            .select_from(model)
            .where(*where)
            .group_by(village_col)
        )
        return {
            vid: {k: int(n) for k, n in zip(figures, ns, strict=True)}
            for vid, *ns in self.lx.session.execute(query)
        }

    def village_explainers(
        self,
        prefix: str,
        model: type[Base],
        base: list[Any],
        figures: dict[str, list[Any]],
        village_col: Any,
        villages: Mapping[str, int],
        *,
        suffix: str = "",
    ) -> None:
        """Explainers of every village's figures, keys `{prefix}{village}.{suffix}{figure}`
        (e.g. "by_village.X.disputes_found"); the clauses are built when one is explained."""

        def make(vid: int, key: str, figure: str) -> Callable[[], Listing]:
            where = [*self.scope(model), *base, village_col == vid]
            return self.lister(key, model, [*where, *figures[figure[len(suffix) :]]])

        keys = tuple(f"{suffix}{k}" for k in figures)
        self.explainers.family(prefix, villages, keys, make)


def villages(lx: Ledger, town_id: int | None, as_of: dt.date) -> list[tuple[int, str, str]]:
    """The villages and communities on the date: (id, name, town name), by town then name.

    A name two towns share is shown as `name（town）` so every row (and --explain key) is one
    village.
    """
    query = (
        select(Subject.id, Subject.name, Town.name)
        .join(Town, Town.id == Subject.town_id)
        .where(residential(), subject_active(as_of))
        .order_by(Town.name, Subject.name)
    )
    if town_id is not None:
        query = query.where(Subject.town_id == town_id)
    rows = sorted(lx.session.execute(query), key=lambda r: (name_key(r[2]), name_key(r[1])))
    names = Counter(n for _i, n, _t in rows)
    return [(i, f"{n}（{t}）" if names[n] > 1 else n, t) for i, n, t in rows]


def town_id(lx: Ledger, town: str | None) -> int | None:
    """--town: that town's id; without it every town of the ledger (a county sees all)."""
    return lx.town(town).id if town else None


def towns(lx: Ledger) -> list[tuple[int, str]]:
    found = lx.session.execute(select(Town.id, Town.name)).all()
    return [(i, n) for i, n in sorted(found, key=lambda r: name_key(r[1]))]


def per_town(
    lx: Ledger, figures: dict[str, tuple[type[Base], list[Any]]]
) -> dict[int, dict[str, Any]]:
    """Counts for every town of the ledger at once: figure -> (model, WHERE), one GROUP BY
    town per table; town id -> figure -> count (0 when none). A county's table of towns, one
    query where building each town's report took minutes on a province."""
    by_model: dict[type[Base], dict[str, list[Any]]] = {}
    for key, (model, conds) in figures.items():
        by_model.setdefault(model, {})[key] = conds
    counts: dict[int, dict[str, Any]] = {tid: dict.fromkeys(figures, 0) for tid, _ in towns(lx)}
    for model, same in by_model.items():
        tcol: Any = model.__table__.c.town_id
        cols = [func.sum(case((and_(true(), *conds), 1), else_=0)) for conds in same.values()]
        query = (
            select(tcol, *cols)
            .select_from(model)
            .where(or_(*[and_(true(), *conds) for conds in same.values()]))
            .group_by(tcol)
        )
        for tid, *ns in lx.session.execute(query):
            if tid in counts:
                counts[tid].update((k, int(n or 0)) for k, n in zip(same, ns, strict=True))
    return counts


# ---- what broke a zero -----------------------------------------------------------------
ZERO_KEYS = ("zero_petition", "zero_accident", "zero_case")


def _zero_rules(policy: Any) -> tuple[tuple[str, Any, Cond], ...]:
    """Each zero's key, the model of the records that break it and its clause (zeros.py)."""
    return (
        ("zero_petition", Petition, zeros.petition_breaking(policy)),
        ("zero_accident", Accident, zeros.accident_breaking(policy)),
        ("zero_case", Case, zeros.case_breaking(policy)),
    )


def assessed_break(model: Any) -> Cond:
    """A record's broken subject is assessed: the town itself (镇直) is not, so its records
    break no subject's zero."""
    town_itself = select(Subject.id).where(Subject.kind == SubjectKind.town_office)
    return zeros.broken_subject(model).not_in(town_itself)


def breaking_rule(zero: str) -> Callable[[dt.date, Any], list[Cond]]:
    """A figure's rule (figures.Rule): the records that break `zero` of an assessed subject."""

    def rule(_as_of: dt.date, policy: Any) -> list[Cond]:
        model, clause = next((m, c) for k, m, c in _zero_rules(policy) if k == zero)
        return [clause, assessed_break(model)]

    return rule


def broke(policy: Any, span: periods.Period, zero: str | None = None) -> Cond:
    """`Subject.id IN` the subjects that broke a zero (`zero`, or any) in the span, found once
    (an EXISTS per subject on COALESCE(subject, village) can use no index and rescans the
    span's records for each)."""
    return Subject.id.in_(
        union_all(
            *[
                select(zeros.broken_subject(model)).where(clause, between(model.date, span))
                for key, model, clause in _zero_rules(policy)
                if zero is None or key == zero
            ]
        )
    )


def breaking(
    lx: Ledger, town_id: int | None, span: periods.Period
) -> list[tuple[str, str, int, dt.date]]:
    """Every record in the span that broke a zero: (zero key, ref, subject id, date), by date.
    The town itself (镇直) is not assessed: its records break no subject's zero."""
    out: list[tuple[str, str, int, dt.date]] = []
    for key, model, clause in _zero_rules(lx.policy):
        m: Any = model
        sid = zeros.broken_subject(m)
        query = select(m.ref, sid, m.date).where(clause, between(m.date, span), assessed_break(m))
        if town_id is not None:
            query = query.where(m.town_id == town_id)
        out += [(key, ref, sid, day) for ref, sid, day in lx.session.execute(query)]
    return sorted(out, key=lambda r: (r[3], r[1]))


def zero_label(key: str) -> str:
    return {
        "zero_petition": tr("零上访", "zero petitions (零上访)"),
        "zero_accident": tr("零事故", "zero accidents (零事故)"),
        "zero_case": tr("零案件", "zero cases (零案件)"),
    }[key]
