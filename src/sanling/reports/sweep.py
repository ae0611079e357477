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
from sanling.codes import ASSESSED
from sanling.collate import name_key
from sanling.i18n import tr
from sanling.ledger.base import Ledger
from sanling.ledger.filters import village_labels
from sanling.models import Dispute, Hazard, Subject, Sweep
from sanling.render import Listing
from sanling.reports import figures, queries
from sanling.reports.base import (
    BuiltReport,
    Context,
    Tile,
    by_kind_table,
    columns,
    compose,
    disputes_by_category,
    hazards_by_area,
)

TILES = (
    Tile("coverage.rate", ("排查覆盖率", "sweep coverage"), "%"),
    Tile("zero_reports", ("零报告", "zero reports")),
    *figures.DISPUTE_TILES,
    *figures.HAZARD_TILES,
)


def build(lx: Ledger, day: dt.date, *, town: str | None = None) -> BuiltReport:
    period = periods.half_month(day)
    as_of = periods.as_of_for(period, lx.today)
    fig = queries.Figures(lx, queries.town_id(lx, town))
    ctx = Context(lx, fig, as_of, queries.clipped(period, as_of), town)
    head = {"period": {"start": period.start, "end": period.end}, "as_of": as_of, "town": town}
    payload = compose(ctx, head, (_coverage, _sweeps, _found, _by_village, _overdue_named))
    return BuiltReport(
        title=tr(
            "半月排查 {s} 至 {e}（截至 {a}）",
            "Half-monthly sweep {s} to {e} (as of {a})",
            s=period.start.isoformat(),
            e=period.end.isoformat(),
            a=as_of.isoformat(),
        ),
        payload=payload,
        explainers=fig.explainers,
        make_parts=lambda: _parts(payload),
        tiles=TILES,
        charts=(figures.CATEGORY_CHART, figures.AREA_CHART),
    )


def _coverage(ctx: Context) -> dict[str, Any]:
    """Every subject on the date, swept in the half-month or not, in all and by kind."""
    fig = ctx.fig
    swept = exists().where(Sweep.subject_id == Subject.id, queries.between(Sweep.date, ctx.span))
    block = figures.Block(
        Subject,
        None,
        (
            figures.Count("subjects"),
            figures.Count("swept", lambda _d, _p: [swept]),
            figures.Rate("rate", "swept", "subjects", ("已排查", "swept")),
        ),
    )
    active = [queries.subject_active(ctx.as_of), Subject.kind.in_(ASSESSED)]  # not 镇直
    coverage = block.count(fig, "coverage", None, ctx.as_of, where=active)
    coverage["by_kind"] = {
        kind.value: block.count(
            fig,
            f"coverage.by_kind.{kind.value}",
            None,
            ctx.as_of,
            where=[*active, Subject.kind == kind],
        )
        for kind in ASSESSED
    }
    unswept_where = [*fig.scope(Subject), *active, not_(swept)]
    unswept = ctx.lx.session.execute(
        select(Subject.id, Subject.name, Subject.kind).where(*unswept_where)
    )
    labels = village_labels(ctx.lx.session)  # a name two towns share, with its town
    coverage["unswept"] = [
        labels.get(sid, name)
        for sid, name, _kind in sorted(unswept, key=lambda r: (r[2], name_key(r[1])))
    ]
    fig.explain_records("coverage.unswept", Subject, unswept_where)
    return {"coverage": coverage}


def _sweeps(ctx: Context) -> dict[str, Any]:
    """The sweeps of the half-month, and those that found nothing (zero reports)."""
    no_findings = and_(
        ~exists().where(Dispute.sweep_id == Sweep.id), ~exists().where(Hazard.sweep_id == Sweep.id)
    )
    block = figures.Block(
        Sweep,
        Sweep.date,
        (figures.Count("sweeps"), figures.Count("zero_reports", lambda _d, _p: [no_findings])),
    )
    return block.count(ctx.fig, "", ctx.span, ctx.as_of)


def _found(ctx: Context) -> dict[str, Any]:
    """The disputes and hazards found in the half-month and their state, by category or area."""
    return {
        "disputes": figures.state_of(ctx, "disputes", figures.DISPUTES, figures.BY_CATEGORY),
        "hazards": figures.state_of(ctx, "hazards", figures.HAZARDS, figures.BY_AREA),
    }


def _by_village(ctx: Context) -> dict[str, Any]:
    """Both blocks' counts per village, one GROUP BY each."""
    fig, policy = ctx.fig, ctx.lx.policy
    villages = queries.villages(ctx.lx, ctx.tid, ctx.as_of)
    ids = {name: vid for vid, name, _town in villages}
    counted: dict[str, tuple[dict[int, dict[str, int]], dict[str, int]]] = {}
    for name, block in (("disputes", figures.DISPUTES), ("hazards", figures.HAZARDS)):
        model: Any = block.model
        rules, base = block.rules(ctx.as_of, policy), block.base(ctx.span)
        per = fig.by_village(model, base, rules, model.village_id)
        counted[name] = (per, dict.fromkeys(rules, 0))
        fig.village_explainers(
            "by_village.", model, base, rules, model.village_id, ids, suffix=f"{name}_"
        )
    rows = [
        {
            "village": name,
            **{
                f"{what}_{k}": v
                for what, (per, zero) in counted.items()
                for k, v in per.get(vid, zero).items()
            },
        }
        for vid, name, _town in villages
    ]
    return {"by_village": rows}


def _overdue_named(ctx: Context) -> dict[str, Any]:
    """The overdue disputes and hazards of the half-month, named."""
    disputes = [queries.between(Dispute.found, ctx.span), queries.dispute_overdue(ctx.as_of)]
    hazards = [queries.between(Hazard.found, ctx.span), queries.hazard_overdue(ctx.as_of)]
    return {
        "overdue_disputes": _overdue(ctx, Dispute, disputes),
        "overdue_hazards": _overdue(ctx, Hazard, hazards),
    }


def _overdue(ctx: Context, model: Any, where: list[Any]) -> list[dict[str, Any]]:
    """The overdue records, named, with their handler and days overdue."""
    labels = village_labels(ctx.lx.session)  # a name two towns share says its town
    who = model.handler if model is Dispute else model.responsible
    query = (
        select(model.ref, model.village_id, who, model.deadline)
        .where(*ctx.fig.scope(model), *where)
        .order_by(model.deadline, model.ref)
    )
    return [
        {
            "ref": ref,
            "village": labels.get(village_id, "?"),
            "handler": handler,
            "deadline": deadline,
            "days_overdue": (ctx.as_of - deadline).days,
        }
        for ref, village_id, handler, deadline in ctx.lx.session.execute(query)
    ]


def _state_rows(p: dict[str, Any]) -> list[dict[str, Any]]:
    """Disputes and hazards: found, done (resolved or rectified), open, overdue, the rate."""
    return [
        {
            "what": tr(*what),
            "found": p[key]["found"],
            "done": p[key][done],
            "open": p[key]["open"],
            "overdue": p[key]["overdue"],
            "rate": p[key]["rate"],
        }
        for what, key, done in (
            (("矛盾纠纷", "disputes"), "disputes", "resolved"),
            (("安全隐患", "hazards"), "hazards", "rectified"),
        )
    ]


def _parts(p: dict[str, Any]) -> list[Any]:
    cov = p["coverage"]
    disputes, hazards = p["disputes"], p["hazards"]
    state = _state_rows(p)
    parts: list[Any] = [
        by_kind_table(
            cov["by_kind"],
            {k: cov[k] for k in ("subjects", "swept", "rate")},
            ("swept", "已排查", "swept"),
            ("覆盖率%", "coverage %"),
            ("排查覆盖", "Coverage"),
            "coverage",
        ),
        Listing(
            columns(("name", "未排查主体", "not swept")),
            [{"name": n} for n in cov["unswept"]],
            title=tr("未排查（{n}）", "Not swept ({n})", n=len(cov["unswept"])),
            key="unswept",
        ),
        Listing(
            columns(
                ("what", "项目", "item"),
                ("found", "发现", "found"),
                ("done", "已化解/整改", "resolved/rectified"),
                ("open", "未完成", "open"),
                ("overdue", "逾期", "overdue"),
                ("rate", "化解/整改率%", "rate %"),
            ),
            state,
            title=tr(
                "发现与处置（零报告 {z} 份，排查 {s} 次）",
                "Found and done ({z} zero reports of {s} sweeps)",
                z=p["zero_reports"],
                s=p["sweeps"],
            ),
            key="state",
        ),
        disputes_by_category(disputes["by_category"]),
        hazards_by_area(hazards["by_area"]),
        Listing(
            columns(
                "village",
                ("disputes_found", "纠纷", "disputes"),
                ("disputes_open", "纠纷未化解", "disputes open"),
                ("disputes_overdue", "纠纷逾期", "disputes overdue"),
                ("hazards_found", "隐患", "hazards"),
                ("hazards_open", "隐患未整改", "hazards open"),
                ("hazards_overdue", "隐患逾期", "hazards overdue"),
            ),
            p["by_village"],
            title=tr("分村情况", "By village"),
            key="by_village",
        ),
    ]
    overdue_cols = columns(
        "ref",
        "village",
        ("handler", "责任人", "responsible"),
        ("deadline", "时限", "deadline"),
        "days_overdue",
    )
    for key, title in (
        ("overdue_disputes", ("逾期纠纷", "Overdue disputes")),
        ("overdue_hazards", ("逾期隐患", "Overdue hazards")),
    ):
        parts.append(Listing(overdue_cols, p[key], title=tr(*title), key=key))
    return parts
