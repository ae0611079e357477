"""年度考评: each subject's appraisal score sheet over a year.

Per quarter a subject's total is the points on each item of its town's current sheet: the
score the body gave (`sanling appraisal score`), or what the ledger computed from its records
for an item with a rule (reports/appraisal_rules.py); an item nobody scored counts 0. A
quarter is appraised once it has ended and the subject has a score in it (a sheet with no
hand-scored item: once it has ended). The year's score is the average of the appraised
quarters, one decimal, half up. A veto record in the year (to the as-of date) fails the
subject whatever its points; otherwise it passes at the pass mark (setting
appraisal_pass_mark, default 90).

Listed: the villages and communities, and any other subject scored in the year.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from sqlalchemy import or_, select

from sanling import periods
from sanling.codes import ASSESSED, RESIDENTIAL
from sanling.collate import name_key
from sanling.i18n import label, tr
from sanling.ledger import appraisal as sheets
from sanling.ledger.base import Ledger
from sanling.models import AppraisalScore, Subject, Town
from sanling.render import Column, Listing, Tile
from sanling.reports import queries
from sanling.reports.appraisal_rules import ONE, RECORD_COLUMNS, RULES, Earned, Span, vetoes
from sanling.reports.base import BuiltReport, columns

QUARTERS = (1, 2, 3, 4)
QUARTER_LABELS = {1: ("一季", "Q1"), 2: ("二季", "Q2"), 3: ("三季", "Q3"), 4: ("四季", "Q4")}
RESULTS = {
    "passed": ("合格", "passed"),
    "failed": ("不合格", "failed"),
    "vetoed": ("一票否决", "vetoed"),
    "not_appraised": ("未考评", "not appraised"),
}
TILES = (
    Tile("summary.passed", ("合格", "passed")),
    Tile("summary.failed", ("不合格", "failed")),
    Tile("summary.vetoed", ("一票否决", "vetoed")),
)


@dataclass
class Town_:
    """What one town's subjects are appraised on: its sheet and the computed items."""

    sheet: sheets.Sheet
    earned: dict[str, dict[tuple[int, int], Earned]] = field(default_factory=dict)


def build(
    lx: Ledger, year: int, *, town: str | None = None, subject: str | None = None
) -> BuiltReport:
    period = periods.year(year)
    queries.refuse_future(period, lx.today)
    as_of = periods.as_of_for(period, lx.today)
    tid = queries.town_id(lx, town)
    one = lx.subject(subject, town=town, kinds=ASSESSED, include_retired=True) if subject else None
    subjects = _subjects(lx, tid, year, as_of, one)
    ended = [Span(q, _quarter(year, q)) for q in QUARTERS if _quarter(year, q).end <= as_of]
    scores = _scores(lx, [s.id for s in subjects], year)
    towns = _towns(lx, subjects, ended)
    all_vetoes = vetoes_of(lx, towns, subjects, periods.Period(period.start, as_of))
    pass_mark = Decimal(str(lx.policy.appraisal_pass_mark)).quantize(ONE)
    names = _labels(lx, subjects)
    rows = [
        _subject_row(s, names[s.id], towns[s.town_id], ended, scores, all_vetoes, pass_mark)
        for s in subjects
    ]
    payload: dict[str, Any] = {
        "year": year,
        "as_of": as_of,
        "town": town,
        "pass_mark": float(pass_mark),
        # the sheet in force in every town of the report, with subjects or not
        "sheets": [
            _sheet_row(lx, t) for t in ([tid] if tid else [i for i, _ in queries.towns(lx)])
        ],
        "summary": _summary(rows),
        "subjects": [r["json"] for r in rows],
    }
    if one is not None:
        payload["items"] = _items(one, towns[one.town_id], ended, scores)
    report = BuiltReport(
        title=tr(
            "{y} 年度考评（截至 {a}，{p} 分合格）",
            "Appraisal {y} (as of {a}, pass mark {p})",
            y=year,
            a=as_of.isoformat(),
            p=f"{pass_mark:f}",
        ),
        payload=payload,
        make_parts=lambda: _parts(payload),
        tiles=TILES,
    )
    for r in rows:
        for key, fn in r["explain"].items():
            report.explainers[key] = fn
    _summary_explainers(report, [r["json"] for r in rows])
    return report


def _summary_explainers(report: BuiltReport, rows: list[dict[str, Any]]) -> None:
    """summary.KEY: the subjects counted there."""
    cols = columns(
        ("name", "名称", "name"),
        "kind",
        ("average", "年度得分", "year"),
        ("result", "结果", "result"),
    )
    wanted: dict[str, set[str]] = {
        "subjects": set(RESULTS),
        "appraised": set(RESULTS) - {"not_appraised"},
        **{k: {k} for k in RESULTS},
    }
    for key, results in wanted.items():
        chosen = [
            {**r, "result": tr(*RESULTS[r["result"]])} for r in rows if r["result"] in results
        ]
        report.explainers[f"summary.{key}"] = partial(Listing, cols, chosen, title=f"summary.{key}")


def _quarter(year: int, q: int) -> periods.Period:
    return sheets.Quarter(year, q).period


def _subjects(
    lx: Ledger, tid: int | None, year: int, as_of: dt.date, one: Subject | None
) -> list[Subject]:
    if one is not None:
        return [one]
    scored = select(AppraisalScore.subject_id).where(AppraisalScore.year == year)
    query = select(Subject).where(
        queries.subject_active(as_of), or_(queries.residential(), Subject.id.in_(scored))
    )
    if tid is not None:
        query = query.where(Subject.town_id == tid)
    found = lx.session.scalars(query).all()
    return sorted(found, key=lambda s: (s.town_id, s.kind not in RESIDENTIAL, name_key(s.name)))


def _labels(lx: Ledger, subjects: list[Subject]) -> dict[int, str]:
    """A name two towns share is shown with its town."""
    shared = Counter(s.name for s in subjects)
    towns = dict(lx.session.execute(select(Town.id, Town.name)).all())
    return {
        s.id: f"{s.name}（{towns[s.town_id]}）" if shared[s.name] > 1 else s.name for s in subjects
    }


def _scores(lx: Ledger, ids: list[int], year: int) -> dict[tuple[int, int, str], AppraisalScore]:
    query = select(AppraisalScore).where(
        AppraisalScore.year == year, AppraisalScore.subject_id.in_(ids)
    )
    return {(s.subject_id, s.quarter, s.item): s for s in lx.session.scalars(query)}


def _towns(lx: Ledger, subjects: list[Subject], ended: list[Span]) -> dict[int, Town_]:
    """Each town's sheet and its computed items for its subjects."""
    by_town: dict[int, list[Subject]] = defaultdict(list)
    for s in subjects:
        by_town[s.town_id].append(s)
    out: dict[int, Town_] = {}
    for tid, members in by_town.items():
        town = Town_(sheets.current(lx, tid))
        places = {
            s.id: s.parent_id if s.kind not in RESIDENTIAL and s.parent_id else s.id
            for s in members
        }
        for item in town.sheet.scored:
            if item.rule is not None:
                rule = RULES[item.rule]
                town.earned[item.key] = rule(lx, places, ended, item.points or Decimal(0))
        out[tid] = town
    return out


def vetoes_of(
    lx: Ledger, towns: dict[int, Town_], subjects: list[Subject], span: periods.Period
) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    for tid, town in towns.items():
        ids = [s.id for s in subjects if s.town_id == tid]
        found |= vetoes(lx, [i.veto for i in town.sheet.vetoes if i.veto], ids, span)
    return found


def _quarter_points(
    s: Subject, town: Town_, q: int, scores: dict[tuple[int, int, str], AppraisalScore]
) -> tuple[Decimal, bool, list[dict[str, Any]]]:
    """A quarter's total, whether it is appraised (has a hand score or needs none), and one
    row per item saying where its points came from."""
    total, rows, hand = Decimal(0), [], False
    manual_items = any(i.rule is None for i in town.sheet.scored)
    for item in town.sheet.scored:
        if item.rule is not None:
            points = town.earned[item.key][(s.id, q)].points
            how = tr("台账计算：{r}", "computed: {r}", r=label(item.rule))
        else:
            given = scores.get((s.id, q, item.key))
            hand = hand or given is not None
            points = Decimal(str(given.points)).quantize(ONE) if given else Decimal(0).quantize(ONE)
            how = (
                tr("{b} 打分", "scored by {b}", b=item.body or given.operator)
                + (f"：{given.note}" if given.note else "")
                if given
                else tr("未打分", "not scored")
            )
        top = item.points or Decimal(0)
        total += min(points, top)
        rows.append(
            {
                "item": item.key,
                "title": item.title,
                "max": float(top),
                "points": float(min(points, top)),
                "how": how,
            }
        )
    return total, hand or not manual_items, rows


def _subject_row(
    s: Subject,
    name: str,
    town: Town_,
    ended: list[Span],
    scores: dict[tuple[int, int, str], AppraisalScore],
    all_vetoes: dict[int, list[dict[str, Any]]],
    pass_mark: Decimal,
) -> dict[str, Any]:
    """One subject's year: its quarters (null until one ends; `appraised` once scored), the
    average of the appraised ones, its vetoes and result; and the explainers of each."""
    quarters: dict[str, dict[str, Any] | None] = dict.fromkeys(f"Q{q}" for q in QUARTERS)
    explain: dict[str, Any] = {}
    counted: list[dict[str, Any]] = []
    for span in ended:
        key = f"Q{span.number}"
        total, appraised, items = _quarter_points(s, town, span.number, scores)
        quarters[key] = {"points": float(total), "appraised": appraised}
        figure = f"subjects.{name}.quarters.{key}.points"
        explain[figure] = _listing(items, figure)
        for item in town.sheet.scored:
            if item.rule is not None:
                figure = f"subjects.{name}.quarters.{key}.{item.key}"
                explain[figure] = _lazy(town.earned[item.key][(s.id, span.number)], figure)
        if appraised:
            counted.append({"quarter": key, "points": float(total)})
    explain[f"subjects.{name}.appraised_quarters"] = lambda: Listing(
        columns(("quarter", "季度", "quarter"), ("points", "得分", "points")),
        counted,
        title=tr("{n} 已考评的季度", "{n}: quarters appraised", n=name),
    )
    average = (
        (sum((Decimal(str(c["points"])) for c in counted), Decimal(0)) / len(counted)).quantize(
            ONE, rounding=ROUND_HALF_UP
        )
        if counted
        else None
    )
    vetoed = all_vetoes.get(s.id, [])
    explain[f"subjects.{name}.vetoed_by"] = _lazy(
        Earned(Decimal(0), vetoed, [Column("rule", tr("否决项", "veto")), *RECORD_COLUMNS]),
        f"subjects.{name}.vetoed_by",
    )
    if vetoed:
        result = "vetoed"
    elif average is None:
        result = "not_appraised"
    else:
        result = "passed" if average >= pass_mark else "failed"
    row = {
        "name": name,
        "kind": s.kind,
        "quarters": quarters,
        "appraised_quarters": len(counted),
        "average": None if average is None else float(average),
        "vetoed_by": [{"rule": v["rule"], "ref": v["ref"]} for v in vetoed],
        "result": result,
    }
    return {"json": row, "explain": explain}


def _listing(rows: list[dict[str, Any]], title: str) -> Any:
    cols = [
        Column("item", tr("考评项", "item")),
        Column("title", tr("考评内容", "content")),
        Column("max", tr("分值", "max")),
        Column("points", tr("得分", "points")),
        Column("how", tr("来源", "source")),
    ]
    return lambda: Listing(cols, rows, title=title)


def _lazy(earned: Earned, title: str) -> Any:
    return lambda: earned.listing(title)


def _summary(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(r["json"]["result"] for r in rows)
    return {
        "subjects": len(rows),
        "appraised": len(rows) - counts["not_appraised"],
        **{k: counts[k] for k in RESULTS},
    }


def _sheet_row(lx: Ledger, tid: int) -> dict[str, Any]:
    sheet = sheets.current(lx, tid)
    town = lx.session.get(Town, tid)
    return {
        "town": town.name if town else None,
        "name": sheet.name,
        "imported_on": sheet.imported_on,
        "points": float(sum((i.points or Decimal(0) for i in sheet.scored), Decimal(0))),
        "vetoes": [i.veto for i in sheet.vetoes],
    }


def _items(
    s: Subject, town: Town_, ended: list[Span], scores: dict[tuple[int, int, str], AppraisalScore]
) -> list[dict[str, Any]]:
    """--subject: every item's points per quarter."""
    out = []
    per_quarter = {span.number: _quarter_points(s, town, span.number, scores)[2] for span in ended}
    for n, item in enumerate(town.sheet.scored):
        row: dict[str, Any] = {
            "key": item.key,
            "title": item.title,
            "max": float(item.points or 0),
            "body": item.body,
            "rule": item.rule,
        }
        for q in QUARTERS:
            row[f"Q{q}"] = per_quarter[q][n]["points"] if q in per_quarter else None
        out.append(row)
    return out


def _quarter_columns() -> list[tuple[str, str, str]]:
    return [(f"Q{q}", *QUARTER_LABELS[q]) for q in QUARTERS]


def _parts(p: dict[str, Any]) -> list[Any]:
    summary = p["summary"]
    rows = [
        {
            "name": r["name"],
            **{k: q["points"] if q and q["appraised"] else None for k, q in r["quarters"].items()},
            "average": r["average"],
            "result": tr(*RESULTS[r["result"]]),
            "vetoed_by": [v["ref"] for v in r["vetoed_by"]],
        }
        for r in p["subjects"]
    ]
    parts: list[Any] = [
        Listing(
            columns(
                ("name", "名称", "name"),
                *_quarter_columns(),
                ("average", "年度得分", "year"),
                ("result", "结果", "result"),
                ("vetoed_by", "否决记录", "vetoed by"),
            ),
            rows,
            title=tr(
                "考评结果：{n} 个主体，合格 {a}，不合格 {b}，一票否决 {c}，未考评 {d}",
                "{n} subjects: {a} passed, {b} failed, {c} vetoed, {d} not appraised",
                n=summary["subjects"],
                a=summary["passed"],
                b=summary["failed"],
                c=summary["vetoed"],
                d=summary["not_appraised"],
            ),
            key="subjects",
        ),
        Listing(
            columns(
                ("town", "乡镇", "town"),
                ("name", "考评表", "sheet"),
                ("imported_on", "导入日期", "imported"),
            ),
            [{k: s[k] for k in ("town", "name", "imported_on")} for s in p["sheets"]],
            title=tr("所用考评表", "Sheets used"),
            key="sheets",
        ),
    ]
    if "items" in p:
        parts.append(
            Listing(
                columns(
                    ("key", "考评项", "item"),
                    ("title", "考评内容", "content"),
                    ("max", "分值", "max"),
                    *_quarter_columns(),
                ),
                p["items"],
                title=tr("分项得分", "Points by item"),
                key="items",
            )
        )
    return parts
