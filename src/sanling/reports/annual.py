"""年度: the year's 三零 account, the headline figures of the article for any year.

Records dated in the year up to the as-of date (31 December once the year is over, else
today). Open and overdue are of the year's own disputes and hazards on the as-of date, so
found = resolved + open (+ referred). Each subject's 三零 result says which zero was broken
and by which records (zeros.py). The administrative-case change compares the same span of
last year.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import case, func, not_, or_, select, union_all

from sanling import periods, zeros
from sanling.codes import CaseKind, Grade, HazardArea, PersonCategory, SubjectKind
from sanling.i18n import header, tr
from sanling.ledger.base import Ledger
from sanling.models import (
    Accident,
    BacklogCase,
    Case,
    Dispute,
    Hazard,
    Hotspot,
    Patrol,
    Person,
    Petition,
    Subject,
)
from sanling.render import Column, Listing
from sanling.reports import grading as grading_report
from sanling.reports import monthly
from sanling.reports import queries as q
from sanling.reports.base import ReportBase, hazards_by_area


def build(lx: Ledger, year: int, *, town: str | None = None, by_town: bool = False) -> ReportBase:
    whole = periods.year(year)
    q.refuse_future(whole, lx.today)
    as_of = periods.as_of_for(whole, lx.today)
    span = q.clipped(whole, as_of)
    last = periods.same_period_last_year(span)
    tid = q.town_id(lx, town)
    fig = q.Figures(lx, tid)
    policy = lx.policy

    # ---- subjects and their 三零 ------------------------------------------------------------
    active = [q.subject_active(as_of)]
    kinds = [k.value for k in SubjectKind]
    subjects: dict[str, Any] = {}
    for kind in SubjectKind:
        subjects |= fig.counts(
            "subjects", Subject, [*active, Subject.kind == kind], {kind.value: []}
        )
    subjects |= fig.counts("subjects", Subject, active, {"total": []})

    # The subjects that broke a zero, found once (an EXISTS per subject on COALESCE(subject,
    # village) can use no index and rescans the year's records for every subject).
    broken_any = Subject.id.in_(
        union_all(
            *[
                select(zeros.broken_subject(model)).where(clause, q.between(model.date, span))
                for model, clause in (
                    (Petition, zeros.petition_breaking(policy)),
                    (Accident, zeros.accident_breaking(policy)),
                    (Case, zeros.case_breaking(policy)),
                )
            ]
        )
    )
    achieved: dict[str, int] = {}
    rate: dict[str, float | None] = {}
    for k in [*kinds, "total"]:
        base = [*active] if k == "total" else [*active, Subject.kind == k]
        achieved |= fig.counts("sanling.achieved", Subject, base, {k: [not_(broken_any)]})
        rate[k] = periods.rate(achieved[k], subjects[k])
        fig.rate(
            f"sanling.rate.{k}", Subject, base, [not_(broken_any)], tr("实现三零", "achieved 三零")
        )
    records = q.breaking(lx, tid, span)
    broken: dict[int, dict[str, list[str]]] = {}
    for key, ref, sid, _day in records:
        broken.setdefault(sid, {}).setdefault(key, []).append(ref)
    subject_rows = []
    query = (
        select(Subject.id, Subject.name, Subject.kind)
        .where(*fig.scope(Subject), *active)
        .order_by(Subject.kind, Subject.name)
    )
    for sid, name, kind in lx.session.execute(query):
        b = broken.get(sid, {})
        subject_rows.append(
            {
                "name": name,
                "kind": kind,
                **{z: z not in b for z in q.ZERO_KEYS},
                "achieved": not b,
                "broken_by": [{"zero": z, "refs": refs} for z, refs in b.items()],
            }
        )

    # ---- disputes, backlog, hazards, hotspots ---------------------------------------------------
    d_base = [q.between(Dispute.found, span)]
    disputes: dict[str, Any] = fig.counts(
        "disputes",
        Dispute,
        d_base,
        {
            "found": [],
            "resolved": [q.dispute_resolved(as_of)],
            "open": [q.dispute_open(as_of)],
            "overdue": [q.dispute_overdue(as_of)],
        },
    )
    disputes["rate"] = periods.rate(disputes["resolved"], disputes["found"])
    fig.rate(
        "disputes.rate", Dispute, d_base, [q.dispute_resolved(as_of)], tr("已化解", "resolved")
    )

    b_base = [q.between(BacklogCase.assigned_on, span)]
    backlog: dict[str, Any] = fig.counts(
        "backlog",
        BacklogCase,
        b_base,
        {
            "assigned": [],
            "closed": [q.backlog_closed(as_of)],
            "settled": [q.backlog_settled(as_of)],
        },
    )
    backlog["closed_rate"] = periods.rate(backlog["closed"], backlog["assigned"])
    backlog["settled_rate"] = periods.rate(backlog["settled"], backlog["assigned"])
    fig.rate(
        "backlog.closed_rate",
        BacklogCase,
        b_base,
        [q.backlog_closed(as_of)],
        tr("已办结", "closed"),
    )
    fig.rate(
        "backlog.settled_rate",
        BacklogCase,
        b_base,
        [q.backlog_settled(as_of)],
        tr("已化解", "settled"),
    )

    h_base = [q.between(Hazard.found, span)]
    hazards: dict[str, Any] = fig.counts(
        "hazards",
        Hazard,
        h_base,
        {
            "found": [],
            "rectified": [q.hazard_rectified(as_of)],
            "open": [q.hazard_open(as_of)],
            "overdue": [q.hazard_overdue(as_of)],
        },
    )
    hazards["rate"] = periods.rate(hazards["rectified"], hazards["found"])
    fig.rate("hazards.rate", Hazard, h_base, [q.hazard_rectified(as_of)], tr("已整改", "rectified"))
    hazards["by_area"] = fig.grouped("hazards.by_area", Hazard, h_base, Hazard.area, HazardArea)

    s_base = [q.between(Hotspot.found, span)]
    hotspots: dict[str, Any] = fig.counts(
        "hotspots", Hotspot, s_base, {"found": [], "rectified": [q.hotspot_rectified(as_of)]}
    )
    hotspots["rate"] = periods.rate(hotspots["rectified"], hotspots["found"])
    fig.rate(
        "hotspots.rate", Hotspot, s_base, [q.hotspot_rectified(as_of)], tr("已整治", "rectified")
    )

    # ---- cases, petitions, accidents, patrols ---------------------------------------------------
    cases: dict[str, Any] = fig.counts(
        "cases",
        Case,
        [q.between(Case.date, span)],
        {
            "criminal": [Case.kind == CaseKind.criminal],
            "administrative": [Case.kind == CaseKind.administrative],
        },
    )
    cases |= fig.counts(
        "cases",
        Case,
        [q.between(Case.date, last)],
        {
            "criminal_last_year": [Case.kind == CaseKind.criminal],
            "administrative_last_year": [Case.kind == CaseKind.administrative],
        },
    )
    cases["administrative_change"] = periods.change(
        cases["administrative"], cases["administrative_last_year"]
    )
    fig.explain_records(
        "cases.administrative_change",
        Case,
        [
            *fig.scope(Case),
            Case.kind == CaseKind.administrative,
            or_(q.between(Case.date, span), q.between(Case.date, last)),
        ],
        extra={
            "year": (
                case((q.between(Case.date, span), str(year)), else_=str(year - 1)),
                tr("年度", "year"),
            )
        },
    )
    petitions = fig.counts(
        "petitions",
        Petition,
        [q.between(Petition.date, span)],
        {"total": [], "breaking": [zeros.petition_breaking(policy)]},
    )
    accidents = fig.counts(
        "accidents",
        Accident,
        [q.between(Accident.date, span)],
        {"total": [], "breaking": [zeros.accident_breaking(policy)]},
    )
    patrols: dict[str, Any] = fig.counts(
        "patrols", Patrol, [q.between(Patrol.date, span)], {"count": []}
    )
    minutes = (
        lx.session.scalar(
            select(func.coalesce(func.sum(Patrol.minutes), 0)).where(
                *fig.scope(Patrol), q.between(Patrol.date, span)
            )
        )
        or 0
    )
    patrols["hours"] = q.hours(int(minutes))
    fig.explain_records("patrols.hours", Patrol, [*fig.scope(Patrol), q.between(Patrol.date, span)])

    # ---- key persons, grades, foundations ----------------------------------------------------------
    key_persons: dict[str, Any] = fig.grouped(
        "key_persons", Person, [q.person_listed(as_of)], Person.category, PersonCategory
    )
    key_persons |= fig.counts("key_persons", Person, [q.person_listed(as_of)], {"total": []})

    vills = q.villages(lx, tid, as_of)
    current = grading_report.grades_on(lx, as_of, tid)
    grades: dict[str, int] = {}
    for g in Grade:
        ids = [vid for vid, _n, _t in vills if current.get(vid, (None, False))[0] == g]
        grades[g.value] = len(ids)
        fig.explain_records(f"grades.{g.value}", Subject, [Subject.id.in_(ids or [-1])])
    foundations = fig.counts(
        "foundations",
        Subject,
        [q.residential(), *active],
        {
            "video_coverage": [Subject.video.is_(True)],
            "police_office": [Subject.police_office.is_(True)],
            "mediation_committee": [Subject.mediation_committee.is_(True)],
            "villages": [],
        },
    )

    payload: dict[str, Any] = {
        "year": year,
        "as_of": as_of,
        "town": town,
        "period": {"start": span.start, "end": span.end},
        "subjects": subjects,
        "sanling": {"achieved": achieved, "rate": rate, "subjects": subject_rows},
        "disputes": disputes,
        "backlog": backlog,
        "hazards": hazards,
        "hotspots": hotspots,
        "cases": cases,
        "petitions": petitions,
        "accidents": accidents,
        "patrols": patrols,
        "key_persons": key_persons,
        "grades": grades,
        "foundations": foundations,
    }
    if by_town:
        payload["by_town"] = _by_town(lx, fig, year, span, last, as_of, broken_any)
    report = ReportBase(
        title=tr(
            "{y} 年度“三零”创建情况（截至 {a}）",
            "The {y} 三零 account (as of {a})",
            y=year,
            a=as_of.isoformat(),
        ),
        payload=payload,
        explainers=fig.explainers,
    )
    report.parts = _parts(payload)
    return report


BY_TOWN = {
    "subjects": "subjects.total",
    "achieved": "sanling.achieved.total",
    "rate": "sanling.rate.total",
    "disputes_found": "disputes.found",
    "disputes_resolved": "disputes.resolved",
    "disputes_rate": "disputes.rate",
    "hazards_found": "hazards.found",
    "hazards_rectified": "hazards.rectified",
    "hazards_rate": "hazards.rate",
    "cases_criminal": "cases.criminal",
    "cases_administrative": "cases.administrative",
    "administrative_change": "cases.administrative_change",
    "petitions_breaking": "petitions.breaking",
    "accidents_breaking": "accidents.breaking",
}


def _by_town(
    lx: Ledger,
    fig: q.Figures,
    year: int,
    span: periods.Period,
    last: periods.Period,
    as_of: dt.date,
    broken_any: Any,
) -> list[dict[str, Any]]:
    """BY_TOWN for every town: the same rules as the report's own figures, grouped by town."""
    active = [q.subject_active(as_of)]
    counts = q.per_town(
        lx,
        {
            "subjects": (Subject, active),
            "achieved": (Subject, [*active, not_(broken_any)]),
            **monthly.period_figures(lx.policy, span, as_of),
            "administrative_last_year": (
                Case,
                [q.between(Case.date, last), Case.kind == CaseKind.administrative],
            ),
        },
    )
    for c in counts.values():
        c["rate"] = periods.rate(c["achieved"], c["subjects"])
        c["disputes_rate"] = periods.rate(c["disputes_resolved"], c["disputes_found"])
        c["hazards_rate"] = periods.rate(c["hazards_rectified"], c["hazards_found"])
        c["administrative_change"] = periods.change(
            c["cases_administrative"], c["administrative_last_year"]
        )
    return monthly.by_town_rows(lx, fig, BY_TOWN, counts, lambda name: build(lx, year, town=name))


def headline(p: dict[str, Any]) -> list[dict[str, Any]]:
    """The article's figures as label/value pairs (also the HTML's headline tiles)."""
    d, h, s, c = p["disputes"], p["hazards"], p["hotspots"], p["cases"]

    def pct(v: float | None) -> str:
        return "-" if v is None else f"{v:.1f}%"

    change = c["administrative_change"]
    return [
        {"what": tr("创建主体", "subjects"), "value": p["subjects"]["total"]},
        {
            "what": tr("实现三零", "achieved 三零"),
            "value": f"{p['sanling']['achieved']['total']} ({pct(p['sanling']['rate']['total'])})",
        },
        {
            "what": tr("排查化解纠纷", "disputes found / resolved"),
            "value": f"{d['found']} / {d['resolved']} ({pct(d['rate'])})",
        },
        {
            "what": tr("上级交办积案", "backlog cases assigned / closed / settled"),
            "value": f"{p['backlog']['assigned']} / {p['backlog']['closed']} / {p['backlog']['settled']}",
        },
        {
            "what": tr("排查整改隐患", "hazards found / rectified"),
            "value": f"{h['found']} / {h['rectified']} ({pct(h['rate'])})",
        },
        {
            "what": tr("治安乱点", "hotspots found / rectified"),
            "value": f"{s['found']} / {s['rectified']}",
        },
        {"what": tr("刑事案件", "criminal cases"), "value": c["criminal"]},
        {
            "what": tr("行政案件（同比）", "administrative cases (on last year)"),
            "value": f"{c['administrative']} ({'-' if change is None else f'{change:+.1f}%'})",
        },
        {
            "what": tr("破零信访 / 事故", "petitions / accidents breaking a zero"),
            "value": f"{p['petitions']['breaking']} / {p['accidents']['breaking']}",
        },
        {
            "what": tr("巡逻次数 / 小时", "patrols / hours"),
            "value": f"{p['patrols']['count']} / {p['patrols']['hours']:g}",
        },
    ]


def _parts(p: dict[str, Any]) -> list[Any]:
    kinds = [
        {
            "kind": SubjectKind(k),
            "subjects": p["subjects"][k],
            "achieved": p["sanling"]["achieved"][k],
            "rate": p["sanling"]["rate"][k],
        }
        for k in [m.value for m in SubjectKind]
    ]
    kinds.append(
        {
            "kind": tr("合计", "total"),
            "subjects": p["subjects"]["total"],
            "achieved": p["sanling"]["achieved"]["total"],
            "rate": p["sanling"]["rate"]["total"],
        }
    )
    broken_rows = [
        {
            "name": s["name"],
            "kind": s["kind"],
            "broken": "；".join(
                f"{q.zero_label(b['zero'])}: {', '.join(b['refs'])}" for b in s["broken_by"]
            ),
        }
        for s in p["sanling"]["subjects"]
        if s["broken_by"]
    ]
    grades = [{"grade": g, "count": p["grades"][g.value]} for g in Grade]
    persons = [
        {"category": PersonCategory(k), "count": n}
        for k, n in p["key_persons"].items()
        if k != "total"
    ]
    f = p["foundations"]
    parts: list[Any] = [
        Listing(
            [Column("what", tr("项目", "item")), Column("value", tr("数值", "value"))],
            headline(p),
            title=tr("主要数字", "Headline figures"),
            key="headline",
        ),
        Listing(
            [
                Column("kind"),
                Column("subjects", tr("主体数", "subjects")),
                Column("achieved", tr("实现三零", "achieved 三零")),
                Column("rate", tr("比率%", "rate %")),
            ],
            kinds,
            title=tr("三零创建", "三零 by kind"),
            key="sanling",
        ),
        Listing(
            [Column("name"), Column("kind"), Column("broken", tr("破零记录", "broken by"))],
            broken_rows,
            title=tr("未实现三零的主体", "Subjects that broke a zero"),
            key="broken",
        ),
        hazards_by_area(p["hazards"]["by_area"]),
        Listing(
            [Column("grade"), Column("count")],
            grades,
            title=tr("村级分级", "Village grades"),
            key="grades",
        ),
        Listing(
            [Column("category"), Column("count")],
            [*persons, {"category": tr("合计", "total"), "count": p["key_persons"]["total"]}],
            title=tr("在管重点人员", "Key persons listed"),
            key="key_persons",
        ),
        Listing(
            [Column("what", tr("项目", "item")), Column("count")],
            [
                {"what": tr("村（社区）", "villages and communities"), "count": f["villages"]},
                {"what": label_of("video"), "count": f["video_coverage"]},
                {"what": label_of("police_office"), "count": f["police_office"]},
                {"what": label_of("mediation_committee"), "count": f["mediation_committee"]},
            ],
            title=tr("基础条件", "Foundations"),
            key="foundations",
        ),
    ]
    if "by_town" in p:
        parts.append(monthly.by_town_listing(p["by_town"], BY_TOWN))
    return parts


def label_of(key: str) -> str:
    return header(key)
