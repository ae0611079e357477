"""一月一研判: the month against the month before and the same month last year.

Flows (found, rectified, patrols, cases, petitions, accidents) count records dated in the
month up to the as-of date (the month's last day once it is over, else today); stocks (open
at the end, overdue, key persons, visits overdue) are states on the as-of date. While a month
is still running, the months it is compared with are cut to the same number of days.
Findings are plain sentences, each from a stated rule (rules()).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from sanling import periods, zeros
from sanling.codes import CaseKind, DisputeCategory, Grade, HazardArea
from sanling.config import Policy
from sanling.i18n import label, tr
from sanling.ledger.base import Ledger
from sanling.models import (
    Accident,
    Case,
    Dispute,
    Hazard,
    Patrol,
    PatrolVillage,
    Person,
    Petition,
    Subject,
)
from sanling.render import Column, Listing
from sanling.reports import grading as grading_report
from sanling.reports import queries as q
from sanling.reports.base import ReportBase, hazards_by_area

# Thresholds of the findings' rules (stated with every finding).
RISE_MIN = 3  # a category "rose sharply": at least this many, and at least double last month
VILLAGE_REPEATED = 3  # a village with at least this many disputes found in the month
HAZARD_LONG_OVERDUE_DAYS = 30


def rules() -> dict[str, str]:
    """The findings' rules, in the current language."""
    return {
        "category_rise": tr(
            f"某类纠纷本月不少于 {RISE_MIN} 件且至少为上月的两倍",
            f"a category with at least {RISE_MIN} disputes this month and at least twice last month's",
        ),
        "village_repeated": tr(
            f"一个村本月排查出不少于 {VILLAGE_REPEATED} 件纠纷",
            f"a village with at least {VILLAGE_REPEATED} disputes found this month",
        ),
        "hazards_long_overdue": tr(
            f"隐患逾期超过 {HAZARD_LONG_OVERDUE_DAYS} 天仍未整改",
            f"hazards still open more than {HAZARD_LONG_OVERDUE_DAYS} days past their deadline",
        ),
        "zero_broken": tr(
            "本月有记录打破某主体的“三零”", "a record this month broke a subject's zero"
        ),
        "disputes_overdue": tr(
            "月末有逾期未化解的纠纷", "disputes open past their deadline at month end"
        ),
        "no_patrol": tr("本月没有巡逻记录的村", "villages with no patrol this month"),
        "visits_overdue": tr("重点人员走访逾期", "key persons whose visit is overdue"),
        "grading_changes": tr(
            "评分建议调整等级的村", "villages whose score proposes another grade"
        ),
    }


def comparisons(
    month: periods.Period, as_of: dt.date
) -> tuple[periods.Period, periods.Period, periods.Period]:
    """The month so far, the month before and the same month last year (cut alike while running)."""
    span = q.clipped(month, as_of)
    prev = periods.previous_month(month)
    if span.end == month.end:
        return span, prev, periods.same_period_last_year(month)
    days = span.end - span.start
    prev = periods.Period(prev.start, min(prev.end, prev.start + days))
    return span, prev, periods.same_period_last_year(span)


def build(
    lx: Ledger, month: periods.Period, *, town: str | None = None, by_town: bool = False
) -> ReportBase:
    q.refuse_future(month, lx.today)
    as_of = periods.as_of_for(month, lx.today)
    span, prev, last = comparisons(month, as_of)
    tid = q.town_id(lx, town)
    fig = q.Figures(lx, tid)
    policy = lx.policy

    # ---- disputes -------------------------------------------------------------------------
    # Every dispute counted by its village in one scan; the totals open and overdue at the end
    # are the sums (another scan of every dispute cost 0.2 s on a province).
    v_found = {
        "found": [q.between(Dispute.found, span)],
        "resolved": [q.between(Dispute.found, span), q.dispute_resolved(as_of)],
        "open": [q.dispute_open(as_of)],
        "overdue": [q.dispute_overdue(as_of)],
    }
    per_village = fig.by_village(Dispute, [], v_found, Dispute.village_id)
    d_base = [q.between(Dispute.found, span)]
    disputes: dict[str, Any] = fig.counts(
        "disputes", Dispute, d_base, {"found": [], "resolved": [q.dispute_resolved(as_of)]}
    )
    disputes["rate"] = periods.rate(disputes["resolved"], disputes["found"])
    fig.rate(
        "disputes.rate", Dispute, d_base, [q.dispute_resolved(as_of)], tr("已化解", "resolved")
    )
    for key, figure in (("open_at_end", "open"), ("overdue", "overdue")):
        disputes[key] = sum(v[figure] for v in per_village.values())
        fig.explain_records(f"disputes.{key}", Dispute, [*fig.scope(Dispute), *v_found[figure]])
    disputes |= fig.counts(
        "disputes", Dispute, [q.between(Dispute.found, prev)], {"found_prev_month": []}
    )
    disputes |= fig.counts(
        "disputes", Dispute, [q.between(Dispute.found, last)], {"found_last_year": []}
    )
    disputes["by_category"] = fig.grouped(
        "disputes.by_category", Dispute, d_base, Dispute.category, DisputeCategory
    )
    disputes["by_category_prev_month"] = fig.grouped(
        "disputes.by_category_prev_month",
        Dispute,
        [q.between(Dispute.found, prev)],
        Dispute.category,
        DisputeCategory,
    )
    vills = q.villages(lx, tid, as_of)
    disputes["by_village"] = []
    for vid, name, _t in vills:
        counts = per_village.get(vid, dict.fromkeys(v_found, 0))
        disputes["by_village"].append({"village": name, **counts})
    fig.village_explainers(
        "disputes.by_village.",
        Dispute,
        [],
        v_found,
        Dispute.village_id,
        {name: vid for vid, name, _t in vills},
    )

    # ---- hazards --------------------------------------------------------------------------
    h_base = [q.between(Hazard.found, span)]
    hazards: dict[str, Any] = fig.counts(
        "hazards", Hazard, h_base, {"found": [], "rectified": [q.hazard_rectified(as_of)]}
    )
    hazards["rate"] = periods.rate(hazards["rectified"], hazards["found"])
    fig.rate("hazards.rate", Hazard, h_base, [q.hazard_rectified(as_of)], tr("已整改", "rectified"))
    long_overdue_day = as_of - dt.timedelta(days=HAZARD_LONG_OVERDUE_DAYS)
    hazards |= fig.counts(
        "hazards",
        Hazard,
        [],
        {
            "open_at_end": [q.hazard_open(as_of)],
            "overdue": [q.hazard_overdue(as_of)],
            "overdue_long": [q.hazard_open(as_of), Hazard.deadline < long_overdue_day],
        },
    )
    hazards |= fig.counts(
        "hazards", Hazard, [q.between(Hazard.found, prev)], {"found_prev_month": []}
    )
    hazards |= fig.counts(
        "hazards", Hazard, [q.between(Hazard.found, last)], {"found_last_year": []}
    )
    hazards["by_area"] = fig.grouped("hazards.by_area", Hazard, h_base, Hazard.area, HazardArea)

    # ---- patrols ----------------------------------------------------------------------------
    patrols: dict[str, Any] = {}
    for key, span_ in (("count", span), ("count_prev_month", prev), ("count_last_year", last)):
        patrols |= fig.counts("patrols", Patrol, [q.between(Patrol.date, span_)], {key: []})
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
    # The villages patrolled in the month, found once from the month's patrols (a correlated
    # EXISTS per village probes every patrol of every village: seconds on a county ledger).
    patrolled = (
        select(PatrolVillage.village_id)
        .join(Patrol, Patrol.id == PatrolVillage.patrol_id)
        .where(q.between(Patrol.date, span))
    )
    no_patrol_where = [
        *fig.scope(Subject),
        q.residential(),
        q.subject_active(as_of),
        Subject.id.not_in(patrolled),
    ]
    patrols["villages_without_patrol"] = list(
        lx.session.scalars(select(Subject.name).where(*no_patrol_where).order_by(Subject.name))
    )
    fig.explain_records("patrols.villages_without_patrol", Subject, no_patrol_where)

    # ---- cases, petitions, accidents --------------------------------------------------------------
    cases: dict[str, Any] = {}
    for suffix, span_ in (("", span), ("_prev_month", prev), ("_last_year", last)):
        cases |= fig.counts(
            "cases",
            Case,
            [q.between(Case.date, span_)],
            {
                f"criminal{suffix}": [Case.kind == CaseKind.criminal],
                f"administrative{suffix}": [Case.kind == CaseKind.administrative],
            },
        )
    petitions: dict[str, Any] = {}
    accidents: dict[str, Any] = {}
    for suffix, span_ in (("", span), ("_prev_month", prev), ("_last_year", last)):
        petitions |= fig.counts(
            "petitions",
            Petition,
            [q.between(Petition.date, span_)],
            {f"total{suffix}": [], f"breaking{suffix}": [zeros.petition_breaking(policy)]},
        )
        accidents |= fig.counts(
            "accidents",
            Accident,
            [q.between(Accident.date, span_)],
            {f"total{suffix}": [], f"breaking{suffix}": [zeros.accident_breaking(policy)]},
        )

    # ---- key persons (counts only, never names) ------------------------------------------------
    key_persons = fig.counts(
        "key_persons",
        Person,
        [],
        {"total": [q.person_listed(as_of)], "visits_overdue": [q.person_visit_overdue(lx, as_of)]},
    )

    # ---- grading ----------------------------------------------------------------------------------
    graded = grading_report.summary(lx, as_of, town=town)
    grading = {
        "current": graded.payload["distribution"]["current"],
        "proposed_changes": graded.payload["proposed_changes"],
    }
    for g in Grade:
        fig.explainers[f"grading.current.{g.value}"] = graded.explainers[
            f"distribution.current.{g.value}"
        ]
    fig.explainers["grading.proposed_changes"] = graded.explainers["proposed_changes"]

    # ---- twelve months of disputes found and resolved -------------------------------------------
    trend = _trend(lx, fig, month, as_of)

    payload: dict[str, Any] = {
        "month": f"{month.start:%Y-%m}",
        "as_of": as_of,
        "town": town,
        "period": {"start": span.start, "end": span.end},
        "compared_with": {
            "prev_month": {"start": prev.start, "end": prev.end},
            "last_year": {"start": last.start, "end": last.end},
        },
        "disputes": disputes,
        "hazards": hazards,
        "patrols": patrols,
        "cases": cases,
        "petitions": petitions,
        "accidents": accidents,
        "key_persons": key_persons,
        "grading": grading,
        "trend": trend,
    }
    payload["findings"] = _findings(lx, tid, span, payload)
    if by_town:
        payload["by_town"] = _by_town(lx, fig, month, span, as_of)
    report = ReportBase(
        title=tr(
            "{m} 月度研判（截至 {a}）",
            "Monthly analysis {m} (as of {a})",
            m=payload["month"],
            a=as_of.isoformat(),
        ),
        payload=payload,
        explainers=fig.explainers,
    )
    report.parts = _parts(payload)
    return report


def _trend(
    lx: Ledger, fig: q.Figures, month: periods.Period, as_of: dt.date
) -> list[dict[str, Any]]:
    """Disputes found and resolved in each of the twelve months ending with this one."""
    months = [periods.month(q.shift_months(month.start, -i)) for i in range(11, -1, -1)]
    spans = {f"{m.start:%Y-%m}": q.clipped(m, as_of) for m in months}
    found = fig.spans("trend", Dispute, Dispute.found, {f"{k}.found": s for k, s in spans.items()})
    resolved = fig.spans(
        "trend", Dispute, Dispute.resolved_on, {f"{k}.resolved": s for k, s in spans.items()}
    )
    return [
        {"month": k, "found": found[f"{k}.found"], "resolved": resolved[f"{k}.resolved"]}
        for k in spans
    ]


def _findings(
    lx: Ledger, tid: int | None, span: periods.Period, p: dict[str, Any]
) -> list[dict[str, Any]]:
    rules_ = rules()
    out: list[dict[str, Any]] = []

    def add(rule: str, text: str, refs: list[str] | None = None) -> None:
        out.append({"rule": rule, "rule_text": rules_[rule], "text": text, "refs": refs or []})

    d = p["disputes"]
    for cat in DisputeCategory:
        now, before = d["by_category"][cat.value], d["by_category_prev_month"][cat.value]
        if now >= RISE_MIN and now >= 2 * before:
            add(
                "category_rise",
                tr(
                    "{c}类纠纷本月 {n} 件，上月 {b} 件，明显上升。",
                    "{c} disputes rose sharply: {n} this month against {b} last month.",
                    c=label(cat),
                    n=now,
                    b=before,
                ),
            )
    for v in d["by_village"]:
        if v["found"] >= VILLAGE_REPEATED:
            add(
                "village_repeated",
                tr(
                    "{v}本月排查出纠纷 {n} 件，需重点关注。",
                    "{v} had {n} disputes found this month: look there first.",
                    v=v["village"],
                    n=v["found"],
                ),
            )
    if d["overdue"]:
        add(
            "disputes_overdue",
            tr(
                "截至 {a} 有 {n} 件纠纷逾期未化解。",
                "{n} disputes are overdue as of {a}.",
                n=d["overdue"],
                a=p["as_of"].isoformat(),
            ),
        )
    if p["hazards"]["overdue_long"]:
        add(
            "hazards_long_overdue",
            tr(
                "{n} 处隐患逾期超过 {k} 天仍未整改。",
                "{n} hazards are more than {k} days past their deadline and still open.",
                n=p["hazards"]["overdue_long"],
                k=HAZARD_LONG_OVERDUE_DAYS,
            ),
        )
    names = dict(lx.session.execute(select(Subject.id, Subject.name)).all())
    broken: dict[tuple[int, str], list[str]] = {}
    for key, ref, sid, _day in q.breaking(lx, tid, span):
        broken.setdefault((sid, key), []).append(ref)
    for (sid, key), refs in broken.items():
        add(
            "zero_broken",
            tr(
                "{s}本月打破{z}（{r}）。",
                "{s} broke {z} this month ({r}).",
                s=names.get(sid, "?"),
                z=q.zero_label(key),
                r=", ".join(refs),
            ),
            refs,
        )
    if p["patrols"]["villages_without_patrol"]:
        vs = p["patrols"]["villages_without_patrol"]
        add(
            "no_patrol",
            tr(
                "{n} 个村本月没有巡逻记录：{v}。",
                "{n} villages had no patrol this month: {v}.",
                n=len(vs),
                v="、".join(vs),
            ),
        )
    if p["key_persons"]["visits_overdue"]:
        add(
            "visits_overdue",
            tr(
                "{n} 名重点人员走访逾期。",
                "{n} key persons are overdue for a visit.",
                n=p["key_persons"]["visits_overdue"],
            ),
        )
    for c in p["grading"]["proposed_changes"]:
        add(
            "grading_changes",
            tr(
                "{v}评分 {s:g}，建议由{a}调整为{b}。",
                "{v} scores {s:g}: proposed {b} instead of {a}.",
                v=c["village"],
                s=c["score"],
                a=label(c["current"]) if c["current"] else tr("未定级", "ungraded"),
                b=label(c["proposed"]),
            ),
        )
    return out


BY_TOWN = {
    "disputes_found": "disputes.found",
    "disputes_resolved": "disputes.resolved",
    "disputes_rate": "disputes.rate",
    "disputes_overdue": "disputes.overdue",
    "hazards_found": "hazards.found",
    "hazards_rectified": "hazards.rectified",
    "hazards_rate": "hazards.rate",
    "patrols": "patrols.count",
    "cases_criminal": "cases.criminal",
    "cases_administrative": "cases.administrative",
    "petitions_breaking": "petitions.breaking",
    "accidents_breaking": "accidents.breaking",
    "visits_overdue": "key_persons.visits_overdue",
}


def pick(payload: dict[str, Any], path: str) -> Any:
    """The figure at a BY_TOWN path of a town's own report (what the test of --by-town checks
    the grouped counts against)."""
    value: Any = payload
    for part in path.split("."):
        value = value[part]
    return value


def by_town_listing(rows: list[dict[str, Any]], mapping: dict[str, str]) -> Listing:
    """The --by-town table: a row per town, a column per BY_TOWN key."""
    return Listing(
        [Column("town"), *[Column(k, k) for k in mapping]],
        rows,
        title=tr("分乡镇", "By town"),
        key="by_town",
    )


def by_town_rows(
    lx: Ledger,
    fig: q.Figures,
    mapping: dict[str, str],
    values: dict[int, dict[str, Any]],
    build_one: Any,
) -> list[dict[str, Any]]:
    """A county's table of towns: `values` (town id -> column -> figure, counted for every town
    at once), and as each figure's explainer that town's own report's, built when asked for."""
    rows = []
    ids: dict[str, int] = {}
    for tid, name in q.towns(lx):
        rows.append({"town": name, **{k: values[tid][k] for k in mapping}})
        ids[name] = tid

    def make(_tid: int, key: str, column: str) -> Any:
        name = key[len("by_town.") : -len(column) - 1]

        def fn() -> Listing:
            return build_one(name).explain(mapping[column])

        return fn

    fig.explainers.family("by_town.", ids, tuple(mapping), make)
    return rows


def period_figures(
    policy: Policy, span: periods.Period, as_of: dt.date
) -> dict[str, tuple[type[Any], list[Any]]]:
    """The per-town figures of a period that monthly and annual --by-town both show: each as
    (model, WHERE) for q.per_town, from the same rules as the reports' own figures."""
    d_found = [q.between(Dispute.found, span)]
    h_found = [q.between(Hazard.found, span)]
    in_span = q.between(Case.date, span)
    return {
        "disputes_found": (Dispute, d_found),
        "disputes_resolved": (Dispute, [*d_found, q.dispute_resolved(as_of)]),
        "hazards_found": (Hazard, h_found),
        "hazards_rectified": (Hazard, [*h_found, q.hazard_rectified(as_of)]),
        "cases_criminal": (Case, [in_span, Case.kind == CaseKind.criminal]),
        "cases_administrative": (Case, [in_span, Case.kind == CaseKind.administrative]),
        "petitions_breaking": (
            Petition,
            [q.between(Petition.date, span), zeros.petition_breaking(policy)],
        ),
        "accidents_breaking": (
            Accident,
            [q.between(Accident.date, span), zeros.accident_breaking(policy)],
        ),
    }


def _by_town(
    lx: Ledger, fig: q.Figures, month: periods.Period, span: periods.Period, as_of: dt.date
) -> list[dict[str, Any]]:
    """BY_TOWN for every town: the same rules as the report's own figures, grouped by town."""
    counts = q.per_town(
        lx,
        {
            **period_figures(lx.policy, span, as_of),
            "disputes_overdue": (Dispute, [q.dispute_overdue(as_of)]),
            "patrols": (Patrol, [q.between(Patrol.date, span)]),
            "visits_overdue": (Person, [q.person_visit_overdue(lx, as_of)]),
        },
    )
    for c in counts.values():
        c["disputes_rate"] = periods.rate(c["disputes_resolved"], c["disputes_found"])
        c["hazards_rate"] = periods.rate(c["hazards_rectified"], c["hazards_found"])
    return by_town_rows(lx, fig, BY_TOWN, counts, lambda name: build(lx, month, town=name))


def trend_chart(report: ReportBase) -> Listing:
    """The twelve-month trend as text bars, for the terminal."""
    trend = report.payload["trend"]
    top = max([1, *[t["found"] for t in trend], *[t["resolved"] for t in trend]])
    width = 30

    def bar(n: int, ch: str) -> str:
        return ch * (round(n * width / top) if n else 0) + f" {n}"

    rows = [
        {
            "month": t["month"],
            "found_bar": bar(t["found"], "█"),
            "resolved_bar": bar(t["resolved"], "▒"),
        }
        for t in trend
    ]
    return Listing(
        [
            Column("month", tr("月份", "month")),
            Column("found_bar", tr("排查纠纷", "disputes found")),
            Column("resolved_bar", tr("化解纠纷", "disputes resolved")),
        ],
        rows,
        title=tr("近 12 个月纠纷走势", "Disputes over twelve months"),
        key="trend_chart",
    )


def _parts(p: dict[str, Any]) -> list[Any]:
    d, h = p["disputes"], p["hazards"]
    c, pe, a, pa = p["cases"], p["petitions"], p["accidents"], p["patrols"]

    def line(what: str, now: Any, before: Any, ly: Any) -> dict[str, Any]:
        return {"what": what, "month": now, "prev_month": before, "last_year": ly}

    summary = [
        line(
            tr("排查纠纷", "disputes found"),
            d["found"],
            d["found_prev_month"],
            d["found_last_year"],
        ),
        line(
            tr("排查隐患", "hazards found"), h["found"], h["found_prev_month"], h["found_last_year"]
        ),
        line(tr("巡逻次数", "patrols"), pa["count"], pa["count_prev_month"], pa["count_last_year"]),
        line(
            tr("刑事案件", "criminal cases"),
            c["criminal"],
            c["criminal_prev_month"],
            c["criminal_last_year"],
        ),
        line(
            tr("行政案件", "administrative cases"),
            c["administrative"],
            c["administrative_prev_month"],
            c["administrative_last_year"],
        ),
        line(tr("信访", "petitions"), pe["total"], pe["total_prev_month"], pe["total_last_year"]),
        line(
            tr("破零信访", "petitions breaking 零上访"),
            pe["breaking"],
            pe["breaking_prev_month"],
            pe["breaking_last_year"],
        ),
        line(tr("事故", "accidents"), a["total"], a["total_prev_month"], a["total_last_year"]),
        line(
            tr("破零事故", "accidents breaking 零事故"),
            a["breaking"],
            a["breaking_prev_month"],
            a["breaking_last_year"],
        ),
    ]
    state = [
        {
            "what": tr("纠纷化解", "disputes resolved (of found)"),
            "value": f"{d['resolved']}/{d['found']}",
            "rate": d["rate"],
        },
        {
            "what": tr("隐患整改", "hazards rectified (of found)"),
            "value": f"{h['rectified']}/{h['found']}",
            "rate": h["rate"],
        },
        {
            "what": tr("月末未化解纠纷", "disputes open at the end"),
            "value": d["open_at_end"],
            "rate": None,
        },
        {"what": tr("逾期纠纷", "disputes overdue"), "value": d["overdue"], "rate": None},
        {
            "what": tr("月末未整改隐患", "hazards open at the end"),
            "value": h["open_at_end"],
            "rate": None,
        },
        {"what": tr("逾期隐患", "hazards overdue"), "value": h["overdue"], "rate": None},
        {"what": tr("巡逻时长（小时）", "patrol hours"), "value": pa["hours"], "rate": None},
        {
            "what": tr("在管重点人员", "key persons listed"),
            "value": p["key_persons"]["total"],
            "rate": None,
        },
        {
            "what": tr("走访逾期", "visits overdue"),
            "value": p["key_persons"]["visits_overdue"],
            "rate": None,
        },
    ]
    parts: list[Any] = [
        Listing(
            [
                Column("what", tr("项目", "item")),
                Column("month", tr("本月", "this month")),
                Column("prev_month", tr("上月", "last month")),
                Column("last_year", tr("去年同月", "same month last year")),
            ],
            summary,
            title=tr("本月与上月、去年同月", "This month, last month, same month last year"),
            key="compare",
        ),
        Listing(
            [
                Column("what", tr("项目", "item")),
                Column("value", tr("数值", "value")),
                Column("rate", tr("比率%", "rate %")),
            ],
            state,
            title=tr("处置情况", "State"),
            key="state",
        ),
        Listing(
            [
                Column("category"),
                Column("count", tr("本月", "this month")),
                Column("prev", tr("上月", "last month")),
            ],
            [
                {"category": DisputeCategory(k), "count": n, "prev": d["by_category_prev_month"][k]}
                for k, n in d["by_category"].items()
                if n or d["by_category_prev_month"][k]
            ],
            title=tr("纠纷类别", "Disputes by category"),
            key="by_category",
        ),
        hazards_by_area(h["by_area"]),
        Listing(
            [
                Column("village"),
                Column("found", tr("本月排查", "found")),
                Column("resolved", tr("已化解", "resolved")),
                Column("open", tr("月末未化解", "open at end")),
                Column("overdue", tr("月末逾期", "overdue at end")),
            ],
            d["by_village"],
            title=tr("分村纠纷", "Disputes by village"),
            key="by_village",
        ),
        Listing(
            [Column("village", tr("未巡逻的村", "village without patrol"))],
            [{"village": v} for v in pa["villages_without_patrol"]],
            title=tr("本月无巡逻的村", "Villages without patrol"),
            key="villages_without_patrol",
        ),
        Listing(
            [Column("village"), Column("score"), Column("current"), Column("proposed")],
            [
                {
                    **x,
                    "current": label(x["current"]) if x["current"] else "-",
                    "proposed": label(x["proposed"]),
                }
                for x in p["grading"]["proposed_changes"]
            ],
            title=tr("建议调整等级", "Proposed grade changes"),
            key="proposed_changes",
        ),
        Listing(
            [Column("text", tr("研判结论", "finding")), Column("rule_text", tr("依据", "rule"))],
            p["findings"],
            title=tr("研判", "Findings"),
            key="findings",
        ),
    ]
    if "by_town" in p:
        parts.append(by_town_listing(p["by_town"], BY_TOWN))
    return parts
