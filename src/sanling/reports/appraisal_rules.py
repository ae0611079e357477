"""The appraisal items the ledger scores itself, and the vetoes, from its records.

Each rule gives, per subject and quarter, the points earned and the evidence: the weeks (or
half-months, or cases) it looked at, so `report appraisal --explain` shows exactly what was
counted. Counting is in SQL (sums per village and day); the evidence rows name the records.

- night_patrol (夜间巡逻): a week counts when the night patrols (kind night) that cover the
  subject's village add up to at least 3 hours (180 minutes); weeks are calendar weeks, Monday
  to Sunday, each belonging to the quarter its Thursday falls in (ISO 8601). Points: the
  item's points times the weeks that count over the quarter's weeks, one decimal, half up.
- creation_ledger (创建台账): a half-month counts when the subject has a sweep recorded in it;
  points: the item's points times the half-months that count over six.
- no_criminal_case (无刑事案件): the item's points when the subject has no criminal case in
  the quarter, else 0 (criminal only, whatever the settings make break 零案件).
- vetoes over the year to the as-of date: accident_death, an accident of kind production with
  a death; criminal_case, a criminal case. A record counts for the subject it names, else its
  village (zeros.broken_subject), as for 三零.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select

from sanling import periods, zeros
from sanling.codes import AccidentKind, AppraisalRule, CaseKind, PatrolKind, VetoRule
from sanling.i18n import tr
from sanling.ledger.base import Ledger
from sanling.models import Accident, Case, Patrol, PatrolVillage, Sweep
from sanling.render import Column, Listing

NIGHT_MINUTES = 180  # 3 hours a week
ONE = Decimal("0.1")


@dataclass(frozen=True)
class Span:
    """A quarter: its number and dates."""

    number: int
    period: periods.Period


@dataclass
class Earned:
    """What a rule gave one subject in one quarter: points and the evidence rows."""

    points: Decimal
    rows: list[dict[str, Any]] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)

    def listing(self, title: str) -> Listing:
        return Listing(self.columns, self.rows, title=title)


def share(points: Decimal, part: int, whole: int) -> Decimal:
    """`points` times part / whole, one decimal, half up."""
    if not whole:
        return Decimal(0).quantize(ONE)
    return (points * part / whole).quantize(ONE, rounding=ROUND_HALF_UP)


def weeks(span: periods.Period) -> list[periods.Period]:
    """The calendar weeks (Monday to Sunday) whose Thursday falls in the span."""
    thursday = span.start + dt.timedelta(days=(3 - span.start.weekday()) % 7)
    out = []
    while thursday <= span.end:
        out.append(periods.Period(thursday - dt.timedelta(3), thursday + dt.timedelta(3)))
        thursday += dt.timedelta(7)
    return out


def halves(span: periods.Period) -> list[periods.Period]:
    out = []
    day = span.start
    while day <= span.end:
        half = periods.half_month(day)
        out.append(half)
        day = half.end + dt.timedelta(1)
    return out


Rule = Callable[
    [Ledger, dict[int, int], list[Span], Decimal], dict[tuple[int, int], Earned]
]  # (ledger, subject id -> its village id, quarters, item points) -> (subject, quarter) -> earned


def night_patrol(
    lx: Ledger, places: dict[int, int], spans: list[Span], points: Decimal
) -> dict[tuple[int, int], Earned]:
    if not spans:
        return {}
    per_week = {s.number: weeks(s.period) for s in spans}
    first = min(w[0].start for w in per_week.values() if w)
    last = max(w[-1].end for w in per_week.values() if w)
    minutes: dict[tuple[int, dt.date], tuple[int, int]] = {}
    query = (
        select(PatrolVillage.village_id, Patrol.date, func.sum(Patrol.minutes), func.count())
        .join(PatrolVillage, PatrolVillage.patrol_id == Patrol.id)
        .where(
            Patrol.kind == PatrolKind.night,
            Patrol.date >= first,
            Patrol.date <= last,
            PatrolVillage.village_id.in_(set(places.values())),
        )
        .group_by(PatrolVillage.village_id, Patrol.date)
    )
    for village, day, total, count in lx.session.execute(query):
        minutes[(village, day)] = (int(total or 0), int(count))
    columns = [
        Column("week_start", tr("周一", "Monday")),
        Column("week_end", tr("周日", "Sunday")),
        Column("patrols", tr("夜巡次数", "night patrols")),
        Column("hours", tr("时长(小时)", "hours")),
        Column("met", tr("满3小时", "3 hours")),
    ]
    out: dict[tuple[int, int], Earned] = {}
    for sid, village in places.items():
        for span in spans:
            rows = []
            for week in per_week[span.number]:
                days = [week.start + dt.timedelta(d) for d in range(7)]
                total = sum(minutes.get((village, d), (0, 0))[0] for d in days)
                count = sum(minutes.get((village, d), (0, 0))[1] for d in days)
                rows.append(
                    {
                        "week_start": week.start,
                        "week_end": week.end,
                        "patrols": count,
                        "hours": float((Decimal(total) / 60).quantize(ONE, ROUND_HALF_UP)),
                        "met": total >= NIGHT_MINUTES,
                    }
                )
            met = sum(1 for r in rows if r["met"])
            out[(sid, span.number)] = Earned(share(points, met, len(rows)), rows, columns)
    return out


def creation_ledger(
    lx: Ledger, places: dict[int, int], spans: list[Span], points: Decimal
) -> dict[tuple[int, int], Earned]:
    if not spans:
        return {}
    first, last = spans[0].period.start, spans[-1].period.end
    swept: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    query = (
        select(Sweep.subject_id, Sweep.date, Sweep.ref)
        .where(Sweep.subject_id.in_(list(places)), Sweep.date >= first, Sweep.date <= last)
        .order_by(Sweep.date, Sweep.ref)
    )
    for sid, day, ref in lx.session.execute(query):
        swept[sid].append((day, ref))
    columns = [
        Column("start", tr("起", "from")),
        Column("end", tr("止", "to")),
        Column("sweeps", tr("排查记录", "sweeps")),
        Column("met", tr("有记录", "recorded")),
    ]
    out: dict[tuple[int, int], Earned] = {}
    for sid in places:
        for span in spans:
            rows = []
            for half in halves(span.period):
                refs = [ref for day, ref in swept[sid] if day in half]
                rows.append(
                    {"start": half.start, "end": half.end, "sweeps": refs, "met": bool(refs)}
                )
            met = sum(1 for r in rows if r["met"])
            out[(sid, span.number)] = Earned(share(points, met, len(rows)), rows, columns)
    return out


def _records(
    lx: Ledger, model: Any, clause: Any, ids: Iterable[int], first: dt.date, last: dt.date
) -> dict[int, list[dict[str, Any]]]:
    """The records of `model` matching `clause` in [first, last], by the subject they break."""
    who = zeros.broken_subject(model)
    query = (
        select(who, model.ref, model.date, model.kind, model.summary)
        .where(clause, who.in_(list(ids)), model.date >= first, model.date <= last)
        .order_by(model.date, model.ref)
    )
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for sid, ref, day, kind, summary in lx.session.execute(query):
        found[sid].append({"ref": ref, "date": day, "kind": kind, "summary": summary})
    return found


RECORD_COLUMNS = [
    Column("ref"),
    Column("date", tr("日期", "date")),
    Column("kind"),
    Column("summary", tr("简要情况", "summary")),
]


CRIMINAL = Case.kind == CaseKind.criminal


def no_criminal_case(
    lx: Ledger, places: dict[int, int], spans: list[Span], points: Decimal
) -> dict[tuple[int, int], Earned]:
    if not spans:
        return {}
    first, last = spans[0].period.start, spans[-1].period.end
    # Criminal cases only, whatever breaks 零案件 (case_*_breaks): the item is 无辖区常住人口
    # 刑事犯罪, and a stricter 零案件 (any 治安 case) must not cost it 25 points.
    cases = _records(lx, Case, CRIMINAL, places, first, last)
    out: dict[tuple[int, int], Earned] = {}
    for sid in places:
        for span in spans:
            rows = [r for r in cases.get(sid, []) if r["date"] in span.period]
            earned = Decimal(0).quantize(ONE) if rows else points.quantize(ONE)
            out[(sid, span.number)] = Earned(earned, rows, RECORD_COLUMNS)
    return out


RULES: dict[AppraisalRule, Rule] = {
    AppraisalRule.night_patrol: night_patrol,
    AppraisalRule.creation_ledger: creation_ledger,
    AppraisalRule.no_criminal_case: no_criminal_case,
}


def vetoes(
    lx: Ledger, rules: Iterable[VetoRule], ids: Iterable[int], span: periods.Period
) -> dict[int, list[dict[str, Any]]]:
    """subject id -> the records in the span that veto it (each with its rule)."""
    clauses = {
        VetoRule.accident_death: (
            Accident,
            (Accident.kind == AccidentKind.production) & (Accident.deaths > 0),
        ),
        VetoRule.criminal_case: (Case, CRIMINAL),
    }
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    wanted = list(ids)
    for rule in rules:
        model, clause = clauses[rule]
        for sid, rows in _records(lx, model, clause, wanted, span.start, span.end).items():
            found[sid] += [{**r, "rule": rule} for r in rows]
    for rows in found.values():
        rows.sort(key=lambda r: (r["date"], r["ref"]))
    return found
