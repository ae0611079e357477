"""半月排查: the half-month containing a date.

Which subjects were swept and which were not (coverage by kind), the zero reports, and the
disputes and hazards found in the half-month with their state on the as-of date (the
half-month's last day when it is over, else today), by village and by category or area.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, exists, not_, select

from sanling import periods
from sanling.codes import DisputeCategory, HazardArea, SubjectKind
from sanling.i18n import tr
from sanling.ledger.base import Ledger
from sanling.models import Dispute, Hazard, Subject, Sweep
from sanling.render import Column, Listing
from sanling.reports import queries as q
from sanling.reports.base import ReportBase, hazards_by_area


def build(lx: Ledger, day: dt.date, *, town: str | None = None) -> ReportBase:
    period = periods.half_month(day)
    as_of = periods.as_of_for(period, lx.today)
    span = q.clipped(period, as_of)
    tid = q.town_id(lx, town)
    fig = q.Figures(lx, tid)

    # ---- coverage: every subject on the date, swept in the half-month or not ----------
    swept = exists().where(Sweep.subject_id == Subject.id, q.between(Sweep.date, span))
    subj_base = [q.subject_active(as_of)]
    cov = fig.counts("coverage", Subject, subj_base, {"subjects": [], "swept": [swept]})
    fig.rate("coverage.rate", Subject, subj_base, [swept], tr("已排查", "swept"))
    by_kind: dict[str, dict[str, Any]] = {}
    for kind in SubjectKind:
        base = [*subj_base, Subject.kind == kind]
        n = fig.counts(
            f"coverage.by_kind.{kind.value}", Subject, base, {"subjects": [], "swept": [swept]}
        )
        fig.rate(
            f"coverage.by_kind.{kind.value}.rate", Subject, base, [swept], tr("已排查", "swept")
        )
        by_kind[kind.value] = {**n, "rate": periods.rate(n["swept"], n["subjects"])}
    unswept_where = [*fig.scope(Subject), *subj_base, not_(swept)]
    unswept = list(
        lx.session.scalars(
            select(Subject.name).where(*unswept_where).order_by(Subject.kind, Subject.name)
        )
    )
    fig.explain_records("coverage.unswept", Subject, unswept_where)

    # ---- sweeps and zero reports ---------------------------------------------------------
    no_findings = and_(
        ~exists().where(Dispute.sweep_id == Sweep.id), ~exists().where(Hazard.sweep_id == Sweep.id)
    )
    sweeps = fig.counts(
        "", Sweep, [q.between(Sweep.date, span)], {"sweeps": [], "zero_reports": [no_findings]}
    )

    # ---- disputes and hazards found in the half-month, and their state --------------------
    d_base = [q.between(Dispute.found, span)]
    d_figs = {
        "found": [],
        "resolved": [q.dispute_resolved(as_of)],
        "open": [q.dispute_open(as_of)],
        "overdue": [q.dispute_overdue(as_of)],
    }
    disputes: dict[str, Any] = fig.counts("disputes", Dispute, d_base, d_figs)
    disputes["rate"] = periods.rate(disputes["resolved"], disputes["found"])
    fig.rate(
        "disputes.rate", Dispute, d_base, [q.dispute_resolved(as_of)], tr("已化解", "resolved")
    )
    disputes["by_category"] = fig.grouped(
        "disputes.by_category", Dispute, d_base, Dispute.category, DisputeCategory
    )

    h_base = [q.between(Hazard.found, span)]
    h_figs = {
        "found": [],
        "rectified": [q.hazard_rectified(as_of)],
        "open": [q.hazard_open(as_of)],
        "overdue": [q.hazard_overdue(as_of)],
    }
    hazards: dict[str, Any] = fig.counts("hazards", Hazard, h_base, h_figs)
    hazards["rate"] = periods.rate(hazards["rectified"], hazards["found"])
    fig.rate("hazards.rate", Hazard, h_base, [q.hazard_rectified(as_of)], tr("已整改", "rectified"))
    hazards["by_area"] = fig.grouped("hazards.by_area", Hazard, h_base, Hazard.area, HazardArea)

    # ---- by village -------------------------------------------------------------------------
    d_by = fig.by_village(Dispute, d_base, d_figs, Dispute.village_id)
    h_by = fig.by_village(Hazard, h_base, h_figs, Hazard.village_id)
    by_village = []
    ids: dict[str, int] = {}
    for vid, name, _town in q.villages(lx, tid, as_of):
        d = d_by.get(vid, dict.fromkeys(d_figs, 0))
        h = h_by.get(vid, dict.fromkeys(h_figs, 0))
        by_village.append(
            {
                "village": name,
                **{f"disputes_{k}": v for k, v in d.items()},
                **{f"hazards_{k}": v for k, v in h.items()},
            }
        )
        ids[name] = vid
    fig.village_explainers(
        "by_village.", Dispute, d_base, d_figs, Dispute.village_id, ids, suffix="disputes_"
    )
    fig.village_explainers(
        "by_village.", Hazard, h_base, h_figs, Hazard.village_id, ids, suffix="hazards_"
    )

    # ---- the overdue ones, named ----------------------------------------------------------------
    overdue_d = _overdue(lx, fig, Dispute, [*d_base, q.dispute_overdue(as_of)], as_of)
    overdue_h = _overdue(lx, fig, Hazard, [*h_base, q.hazard_overdue(as_of)], as_of)

    payload = {
        "period": {"start": period.start, "end": period.end},
        "as_of": as_of,
        "town": town,
        "coverage": {
            **cov,
            "rate": periods.rate(cov["swept"], cov["subjects"]),
            "by_kind": by_kind,
            "unswept": unswept,
        },
        "sweeps": sweeps["sweeps"],
        "zero_reports": sweeps["zero_reports"],
        "disputes": disputes,
        "hazards": hazards,
        "by_village": by_village,
        "overdue_disputes": overdue_d,
        "overdue_hazards": overdue_h,
    }
    report = ReportBase(
        title=tr(
            "半月排查 {s} 至 {e}（截至 {a}）",
            "Half-monthly sweep {s} to {e} (as of {a})",
            s=period.start.isoformat(),
            e=period.end.isoformat(),
            a=as_of.isoformat(),
        ),
        payload=payload,
        explainers=fig.explainers,
    )
    report.parts = _parts(payload)
    return report


def _overdue(
    lx: Ledger, fig: q.Figures, model: Any, where: list[Any], as_of: dt.date
) -> list[dict[str, Any]]:
    v_name = (
        select(Subject.name)
        .where(Subject.id == model.village_id)
        .correlate(model)
        .scalar_subquery()
    )
    who = model.handler if model is Dispute else model.responsible
    query = (
        select(model.ref, v_name, who, model.deadline)
        .where(*fig.scope(model), *where)
        .order_by(model.deadline, model.ref)
    )
    return [
        {
            "ref": ref,
            "village": village,
            "handler": handler,
            "deadline": deadline,
            "days_overdue": (as_of - deadline).days,
        }
        for ref, village, handler, deadline in lx.session.execute(query)
    ]


def _parts(p: dict[str, Any]) -> list[Any]:
    cov = p["coverage"]
    kinds = [{"kind": SubjectKind(k), **v} for k, v in cov["by_kind"].items()]
    kinds.append(
        {
            "kind": tr("合计", "total"),
            "subjects": cov["subjects"],
            "swept": cov["swept"],
            "rate": cov["rate"],
        }
    )
    d, h = p["disputes"], p["hazards"]
    state = [
        {
            "what": tr("矛盾纠纷", "disputes"),
            "found": d["found"],
            "done": d["resolved"],
            "open": d["open"],
            "overdue": d["overdue"],
            "rate": d["rate"],
        },
        {
            "what": tr("安全隐患", "hazards"),
            "found": h["found"],
            "done": h["rectified"],
            "open": h["open"],
            "overdue": h["overdue"],
            "rate": h["rate"],
        },
    ]
    parts: list[Any] = [
        Listing(
            [
                Column("kind"),
                Column("subjects", tr("主体数", "subjects")),
                Column("swept", tr("已排查", "swept")),
                Column("rate", tr("覆盖率%", "coverage %")),
            ],
            kinds,
            title=tr("排查覆盖", "Coverage"),
            key="coverage",
        ),
        Listing(
            [Column("name", tr("未排查主体", "not swept"))],
            [{"name": n} for n in cov["unswept"]],
            title=tr("未排查（{n}）", "Not swept ({n})", n=len(cov["unswept"])),
            key="unswept",
        ),
        Listing(
            [
                Column("what", tr("项目", "item")),
                Column("found", tr("发现", "found")),
                Column("done", tr("已化解/整改", "resolved/rectified")),
                Column("open", tr("未完成", "open")),
                Column("overdue", tr("逾期", "overdue")),
                Column("rate", tr("化解/整改率%", "rate %")),
            ],
            state,
            title=tr(
                "发现与处置（零报告 {z} 份，排查 {s} 次）",
                "Found and done ({z} zero reports of {s} sweeps)",
                z=p["zero_reports"],
                s=p["sweeps"],
            ),
            key="state",
        ),
        Listing(
            [Column("category"), Column("count")],
            [
                {"category": DisputeCategory(k), "count": n}
                for k, n in d["by_category"].items()
                if n
            ],
            title=tr("纠纷类别", "Disputes by category"),
            key="by_category",
        ),
        hazards_by_area(h["by_area"]),
        Listing(
            [
                Column("village"),
                Column("disputes_found", tr("纠纷", "disputes")),
                Column("disputes_open", tr("纠纷未化解", "disputes open")),
                Column("disputes_overdue", tr("纠纷逾期", "disputes overdue")),
                Column("hazards_found", tr("隐患", "hazards")),
                Column("hazards_open", tr("隐患未整改", "hazards open")),
                Column("hazards_overdue", tr("隐患逾期", "hazards overdue")),
            ],
            p["by_village"],
            title=tr("分村情况", "By village"),
            key="by_village",
        ),
    ]
    overdue_cols = [
        Column("ref"),
        Column("village"),
        Column("handler", tr("责任人", "responsible")),
        Column("deadline", tr("时限", "deadline")),
        Column("days_overdue"),
    ]
    parts.append(
        Listing(
            overdue_cols,
            p["overdue_disputes"],
            title=tr("逾期纠纷", "Overdue disputes"),
            key="overdue_disputes",
        )
    )
    parts.append(
        Listing(
            overdue_cols,
            p["overdue_hazards"],
            title=tr("逾期隐患", "Overdue hazards"),
            key="overdue_hazards",
        )
    )
    return parts
