"""分级: each village's score, its parts, its current and proposed grade.

What the score means for its users: docs/reports.md, "report grading".

The score looks at the last `grading_months` months up to the date: states on the date (open
and overdue disputes, open hazards, open backlog cases, open hotspots, listed key persons, the
yellow and red supervision cards standing on the village's records) and
events in the window (criminal and administrative cases, petitions breaking 零上访), each
times its weight; each foundation (mediation committee, patrol team, video, police office)
takes its credit off. A score at or above `threshold_key` proposes key, at or above
`threshold_general` general, else safe. A manual grade (`subject grade`) is kept and flagged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from sqlalchemy import and_, case, false, func, or_, select

from sanling import periods, zeros
from sanling.codes import CardLevel, CaseKind, Grade, HazardGrade
from sanling.i18n import header, header_in, label, tr
from sanling.ledger import supervision
from sanling.ledger.base import Ledger
from sanling.models import (
    BacklogCase,
    Base,
    Case,
    Dispute,
    GradeChange,
    Hazard,
    Hotspot,
    Person,
    Petition,
    Subject,
)
from sanling.render import Column, Listing
from sanling.reports import queries
from sanling.reports.base import BuiltReport, columns

FOUNDATION_PARTS = ("mediation_committee", "patrol_team", "video", "police_office")


@dataclass
class Part:
    """A part of the score: the records of `model` matching `where` (and of each further
    table of `more`: a card stands on a dispute, a backlog case or a hazard), each times
    `weight`."""

    key: str
    model: type[Base]
    where: list[Any]
    weight: float
    more: tuple[tuple[type[Base], list[Any]], ...] = ()

    @property
    def sources(self) -> list[tuple[type[Base], list[Any]]]:
        return [(self.model, self.where), *self.more]


def card_part(key: str, level: CardLevel, day: dt.date, weight: float) -> Part:
    """Records of the village under a card of `level` on the date (ledger/supervision)."""
    (first, model), *rest = supervision.MODELS.items()
    where = {kind: [supervision.card_sql(kind, day, level)] for kind in supervision.MODELS}
    more = tuple((m, where[k]) for k, m in rest)
    return Part(key, model, where[first], weight, more)


def window(policy_months: int, day: dt.date) -> periods.Period:
    """The last N months up to and including the date."""
    return periods.Period(queries.shift_months(day, -policy_months) + dt.timedelta(days=1), day)


def record_parts(lx: Ledger, day: dt.date) -> list[Part]:
    p = lx.policy
    win = window(p.grading_months, day)
    return [
        Part("open_disputes", Dispute, [queries.dispute_open(day)], p.weight_open_dispute),
        Part("overdue_disputes", Dispute, [queries.dispute_overdue(day)], p.weight_overdue_dispute),
        Part(
            "open_hazards",
            Hazard,
            [queries.hazard_open(day), Hazard.grade == HazardGrade.general],
            p.weight_open_hazard,
        ),
        Part(
            "open_major_hazards",
            Hazard,
            [queries.hazard_open(day), Hazard.grade == HazardGrade.major],
            p.weight_open_major_hazard,
        ),
        Part(
            "criminal_cases",
            Case,
            [queries.between(Case.date, win), Case.kind == CaseKind.criminal],
            p.weight_criminal_case,
        ),
        Part(
            "administrative_cases",
            Case,
            [queries.between(Case.date, win), Case.kind == CaseKind.administrative],
            p.weight_administrative_case,
        ),
        Part(
            "breaking_petitions",
            Petition,
            [queries.between(Petition.date, win), zeros.petition_breaking(p)],
            p.weight_breaking_petition,
        ),
        Part("open_backlog", BacklogCase, [queries.backlog_open(day)], p.weight_open_backlog),
        Part("key_persons", Person, [queries.person_listed(day)], p.weight_key_person),
        Part("open_hotspots", Hotspot, [queries.hotspot_open(day)], p.weight_open_hotspot),
        card_part("yellow_cards", CardLevel.yellow, day, p.weight_yellow_card),
        card_part("red_cards", CardLevel.red, day, p.weight_red_card),
    ]


def credits(lx: Ledger) -> dict[str, float]:
    p = lx.policy
    return {
        "mediation_committee": p.credit_mediation_committee,
        "patrol_team": p.credit_patrol_team,
        "video": p.credit_video,
        "police_office": p.credit_police_office,
    }


def points(count: int, weight: float) -> float:
    return _points(count, str(weight))


# Cached by the text of the number (0.0 and -0.0 are one key as floats but print apart): a
# province asks 20,000 villages times 14 parts, nearly all alike.
@cache
def _points(count: int, weight: str) -> float:
    value = Decimal(weight) * count
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@cache
def _decimal(value: str) -> Decimal:
    return Decimal(value)


@cache
def _term(count: int, weight: str) -> Decimal:
    """A part's points as the score adds them up."""
    return _decimal(str(_points(count, weight)))


def propose(score: float, lx: Ledger) -> Grade:
    if score >= lx.policy.threshold_key:
        return Grade.key
    if score >= lx.policy.threshold_general:
        return Grade.general
    return Grade.safe


def grades_on(lx: Ledger, day: dt.date, town_id: int | None) -> dict[int, tuple[Grade, bool]]:
    """Each village's grade on the date, from its grade history: id -> (grade, manual)."""
    latest = (
        select(GradeChange.subject_id, func.max(GradeChange.id).label("gid"))
        .where(GradeChange.date <= day)
        .group_by(GradeChange.subject_id)
        .subquery()
    )
    query = (
        select(GradeChange.subject_id, GradeChange.grade, GradeChange.manual)
        .join(latest, latest.c.gid == GradeChange.id)
        .join(Subject, Subject.id == GradeChange.subject_id)
    )
    if town_id is not None:
        query = query.where(Subject.town_id == town_id)
    return {sid: (g, bool(m)) for sid, g, m in lx.session.execute(query)}


class Scoring:
    """Every village's part counts, foundations and current grade on the date, read in one
    GROUP BY per table; `parts_of` and `score` then work per village without SQL."""

    def __init__(self, lx: Ledger, fig: queries.Figures, day: dt.date) -> None:
        self.lx = lx
        self.parts = record_parts(lx, day)
        self.counts: dict[str, dict[int, int]] = {p.key: {} for p in self.parts}
        by_model: dict[type[Base], list[tuple[Part, list[Any]]]] = {}
        for part in self.parts:
            for model, where in part.sources:
                by_model.setdefault(model, []).append((part, where))
        for model, same in by_model.items():
            # One scan per table: open and overdue disputes, general and major hazards, ...
            # Grouped by an expression: SQLite would otherwise walk key persons by the village
            # index to save a sort, one table lookup per row (0.25 s against 0.07 s here).
            vcol: Any = model.__table__.c.village_id + 0
            cols = [func.sum(case((and_(*w), 1), else_=0)) for _p, w in same]
            query = (
                select(vcol, *cols)
                .select_from(model)
                .where(*fig.scope(model), or_(*[and_(*w) for _p, w in same]))
                .group_by(vcol)
            )
            for vid, *ns in lx.session.execute(query):
                for (p, _w), n in zip(same, ns, strict=True):
                    if n:
                        counts = self.counts[p.key]
                        counts[vid] = counts.get(vid, 0) + int(n)
        # The villages of the report, by the same rule as queries.villages (an IN list of 20,000 ids
        # is slow).
        found_cols = [getattr(Subject, f) for f in FOUNDATION_PARTS]
        self.foundations = {
            sid: dict(zip(FOUNDATION_PARTS, vals, strict=True))
            for sid, *vals in lx.session.execute(
                select(Subject.id, *found_cols).where(
                    *fig.scope(Subject), queries.residential(), queries.subject_active(day)
                )
            )
        }
        self.credit = credits(lx)
        self.current = grades_on(lx, day, fig.town_id)

    def parts_of(self, vid: int) -> dict[str, dict[str, Any]]:
        """The village's parts as shown: count, weight and points of each."""
        vparts: dict[str, dict[str, Any]] = {}
        for part in self.parts:
            n = self.counts[part.key].get(vid, 0)
            vparts[part.key] = {"count": n, "weight": part.weight, "points": points(n, part.weight)}
        for f in FOUNDATION_PARTS:
            has = int(bool(self.foundations.get(vid, {}).get(f)))
            vparts[f] = {
                "count": has,
                "weight": -self.credit[f],
                "points": points(has, -self.credit[f]),
            }
        return vparts

    def score(self, vid: int) -> float:
        """The sum of the parts' points (the same sum as over `parts_of`)."""
        total = sum(_term(self.counts[p.key].get(vid, 0), str(p.weight)) for p in self.parts)
        found = self.foundations.get(vid, {})
        for f in FOUNDATION_PARTS:
            total += _term(int(bool(found.get(f))), str(-self.credit[f]))
        return float(total)

    def grades(self, vid: int, score: float) -> dict[str, Any]:
        """current, by_score, proposed and manual: a manual grade is kept."""
        grade, manual = self.current.get(vid, (None, False))
        by_score = propose(score, self.lx)
        return {
            "current": grade,
            "by_score": by_score,
            "proposed": grade if manual and grade is not None else by_score,
            "manual": manual,
        }


def build(lx: Ledger, day: dt.date, *, town: str | None = None) -> BuiltReport:
    tid = queries.town_id(lx, town)
    fig = queries.Figures(lx, tid)
    villages = queries.villages(lx, tid, day)
    scoring = Scoring(lx, fig, day)
    rows: list[dict[str, Any]] = []
    for vid, name, town_name in villages:
        vparts = scoring.parts_of(vid)
        score = float(sum(_decimal(str(v["points"])) for v in vparts.values()))
        rows.append(
            {
                "village": name,
                "town": town_name,
                "score": score,
                "parts": vparts,
                **scoring.grades(vid, score),
            }
        )
    _explain_villages(
        fig,
        scoring.parts,
        scoring.credit,
        scoring.foundations,
        {name: vid for vid, name, _t in villages},
    )

    distribution: dict[str, dict[str, int]] = {}
    for which in ("current", "proposed"):
        distribution[which] = {}
        for g in Grade:
            names = [r["village"] for r in rows if r[which] == g]
            distribution[which][g.value] = len(names)
            fig.explainers[f"distribution.{which}.{g.value}"] = _village_list(
                lx, fig, names, villages
            )
    changes = _changes(rows)
    fig.explainers["proposed_changes"] = _village_list(
        lx, fig, [c["village"] for c in changes], villages
    )
    payload = {
        "as_of": day,
        "town": town,
        "window": {"start": window(lx.policy.grading_months, day).start, "end": day},
        "thresholds": {"key": lx.policy.threshold_key, "general": lx.policy.threshold_general},
        "villages": rows,
        "distribution": distribution,
        "proposed_changes": changes,
    }
    report = BuiltReport(
        title=tr("村级分级（截至 {d}）", "Village grading (as of {d})", d=day.isoformat()),
        payload=payload,
        explainers=fig.explainers,
    )
    report.make_parts = lambda: _parts(payload, [p.key for p in scoring.parts])
    return report


def _changes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "village": r["village"],
            "current": r["current"],
            "proposed": r["proposed"],
            "score": r["score"],
        }
        for r in rows
        if r["proposed"] != r["current"]
    ]


def summary(lx: Ledger, day: dt.date, *, town: str | None = None) -> BuiltReport:
    """The current grades and the proposed changes only, with their explainers (the monthly
    report's part): the same figures as build() without every village's parts."""
    tid = queries.town_id(lx, town)
    fig = queries.Figures(lx, tid)
    villages = queries.villages(lx, tid, day)
    scoring = Scoring(lx, fig, day)
    rows = []
    for vid, name, _town in villages:
        score = scoring.score(vid)
        rows.append({"village": name, "score": score, **scoring.grades(vid, score)})
    current: dict[str, int] = {}
    for g in Grade:
        names = [r["village"] for r in rows if r["current"] == g]
        current[g.value] = len(names)
        fig.explainers[f"distribution.current.{g.value}"] = _village_list(lx, fig, names, villages)
    changes = _changes(rows)
    fig.explainers["proposed_changes"] = _village_list(
        lx, fig, [c["village"] for c in changes], villages
    )
    return BuiltReport(
        title="",
        payload={"distribution": {"current": current}, "proposed_changes": changes},
        explainers=fig.explainers,
    )


def reason(row: dict[str, Any]) -> str:
    """The score and its parts, as the reason written to the grade history."""
    bits = [
        f"{part_title(k)} {v['count']}×{v['weight']:g}"
        for k, v in row["parts"].items()
        if v["count"]
    ]
    return tr(
        "评分 {s:g}（{p}）", "score {s:g} ({p})", s=row["score"], p=tr("；", "; ").join(bits) or "-"
    )


def apply(lx: Ledger, report: BuiltReport) -> list[dict[str, Any]]:
    """Record the proposed grades whose grade changes (never over a manual grade)."""
    from sanling.ledger.subject import set_grade

    applied = []
    ids = {
        name: vid
        for vid, name, _t in queries.villages(
            lx, queries.town_id(lx, report.payload["town"]), report.payload["as_of"]
        )
    }
    for row in report.payload["villages"]:
        if row["manual"] or row["proposed"] == row["current"]:
            continue
        subject = lx.session.get(Subject, ids[row["village"]])
        assert subject is not None
        set_grade(lx, subject, row["proposed"], reason(row), manual=False)
        applied.append(row)
    return applied


# ---- explainers ---------------------------------------------------------------------------
def _explain_villages(
    fig: queries.Figures,
    parts: list[Part],
    credit: dict[str, float],
    foundations: dict[int, dict[str, Any]],
    ids: dict[str, int],
) -> None:
    """Every village's score and parts. The clauses are built when a figure is explained, not
    for every village up front (a province has 20,000 villages times 29 figures)."""
    by_key = {p.key: p for p in parts}

    def make(vid: int, key: str, suffix: str) -> Any:
        if suffix == "score":
            return _explain_score(fig, key, parts, vid, credit, foundations.get(vid, {}))
        _parts, name, which = suffix.split(".")
        if name in by_key:
            return _explain_part(fig, key, by_key[name], vid, which == "points")
        has = bool(foundations.get(vid, {}).get(name))
        return _explain_foundation(key[: -len(which) - 1], name, -credit[name], has)

    suffixes = [f"parts.{k}.{w}" for k in [*by_key, *FOUNDATION_PARTS] for w in ("count", "points")]
    fig.explainers.family("villages.", ids, (*suffixes, "score"), make)


def _explain_part(fig: queries.Figures, key: str, part: Part, vid: int, with_points: bool) -> Any:
    lx = fig.lx

    def listing(model: type[Base], where: list[Any]) -> Listing:
        vcol: Any = model.__table__.c.village_id
        extra = None
        if with_points:
            extra = {"points": (case((vcol == vid, part.weight), else_=0.0), tr("分值", "points"))}
        return queries.records(
            lx, model, [*fig.scope(model), *where, vcol == vid], title=key, extra=extra
        )

    def fn() -> Listing:
        found = [listing(model, where) for model, where in part.sources]
        if len(found) == 1:
            return found[0]
        # A card's records come from three tables: their shared columns, in one listing.
        keep = [
            Column(c.key, header_in("", c.key) if c.key == "deadline" else c.title)
            for c in found[0].columns
            if c.key in ("ref", "village", "deadline", "points")
        ]
        rows = [{c.key: r.get(c.key) for c in keep} for f in found for r in f.rows]
        return Listing(keep, rows, title=key)

    return fn


def _explain_foundation(key: str, f: str, credit: float, has: bool) -> Any:
    def count() -> Listing:
        cols = columns("ref", ("what", "项目", "item"), ("points", "分值", "points"))
        rows = [{"ref": tr("基础条件", "foundation"), "what": f, "points": credit}] if has else []
        return Listing(cols, rows, title=key)

    return count


def _explain_score(
    fig: queries.Figures,
    key: str,
    parts: list[Part],
    vid: int,
    credit: dict[str, float],
    found: dict[str, Any],
) -> Any:
    """Every record that weighs on the score, each with its points, then the credits."""
    lx = fig.lx

    def fn() -> Listing:
        rows: list[dict[str, Any]] = []
        for part in parts:
            for source, cond in part.sources:
                # The mapped attributes, not the table's columns: an ORM query leaves voided
                # records out (models._leave_out_voided), a Core one would not.
                model: Any = source
                vcol, refcol = model.village_id, model.ref
                where = [*fig.scope(source), *cond, vcol == vid]
                for (ref,) in lx.session.execute(select(refcol).where(*where).order_by(refcol)):
                    rows.append({"ref": ref, "what": part.key, "points": part.weight})
        for f in FOUNDATION_PARTS:
            if found.get(f):
                rows.append({"ref": tr("基础条件", "foundation"), "what": f, "points": -credit[f]})
        return Listing(
            columns("ref", ("what", "项目", "item"), ("points", "分值", "points")),
            rows,
            title=key,
        )

    return fn


def _village_list(
    lx: Ledger, fig: queries.Figures, names: list[str], villages: list[tuple[int, str, str]]
) -> Any:
    wanted = set(names)
    ids = [vid for vid, name, _ in villages if name in wanted]

    def fn() -> Listing:
        return queries.records(
            lx, Subject, [Subject.id.in_(ids)] if ids else [false()], title="villages"
        )

    return fn


# ---- tables -------------------------------------------------------------------------------
PART_TITLES = {
    "open_disputes": ("未化解纠纷", "open disputes"),
    "overdue_disputes": ("逾期纠纷", "overdue disputes"),
    "open_hazards": ("未整改隐患", "open hazards"),
    "open_major_hazards": ("重大隐患", "open major hazards"),
    "criminal_cases": ("刑事案件", "criminal cases"),
    "administrative_cases": ("行政案件", "admin. cases"),
    "breaking_petitions": ("破零信访", "breaking petitions"),
    "open_backlog": ("未化解积案", "open backlog"),
    "key_persons": ("重点人员", "key persons"),
    "open_hotspots": ("未整治乱点", "open hotspots"),
    "yellow_cards": ("黄牌督办", "yellow cards"),
    "red_cards": ("红牌督办", "red cards"),
}


def part_title(key: str) -> str:
    """A part's heading: a record part's (PART_TITLES), else a foundation's, the heading of
    its subject field (i18n.HEADERS: mediation_committee 调委会, patrol_team ...)."""
    pair = PART_TITLES.get(key)
    return tr(*pair) if pair else header(key)


def _parts(p: dict[str, Any], part_keys: list[str]) -> list[Any]:
    cols = columns("village", "score")
    cols += [Column(k, tr(*PART_TITLES[k])) for k in part_keys]
    cols += columns(
        ("foundations", "基础条件", "foundations"),
        "current",
        "proposed",
        ("manual", "人工定级", "manual"),
    )
    rows = []
    for r in p["villages"]:
        row = {
            "village": r["village"],
            "score": r["score"],
            "current": _g(r["current"]),
            "proposed": _g(r["proposed"]),
            "manual": r["manual"],
        }
        for k in part_keys:
            row[k] = r["parts"][k]["count"]
        row["foundations"] = sum(r["parts"][f]["points"] for f in FOUNDATION_PARTS)
        rows.append(row)
    dist = [
        {
            "grade": g,
            "current": p["distribution"]["current"][g.value],
            "proposed": p["distribution"]["proposed"][g.value],
        }
        for g in Grade
    ]
    thresholds = tr(
        "分数线：重点村 ≥ {k:g}，一般村 ≥ {g:g}",
        "thresholds: key >= {k:g}, general >= {g:g}",
        k=p["thresholds"]["key"],
        g=p["thresholds"]["general"],
    )
    return [
        Listing(
            cols, rows, title=tr("各村评分（{t}）", "Scores ({t})", t=thresholds), key="villages"
        ),
        Listing(
            columns("grade", "current", "proposed"),
            dist,
            title=tr("等级分布", "Distribution"),
            key="distribution",
        ),
        Listing(
            columns("village", "score", "current", "proposed"),
            [
                {**c, "current": _g(c["current"]), "proposed": _g(c["proposed"])}
                for c in p["proposed_changes"]
            ],
            title=tr("建议调整", "Proposed changes"),
            key="proposed_changes",
        ),
    ]


def _g(grade: Grade | None) -> str:
    return label(grade) if grade is not None else "-"
