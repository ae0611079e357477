"""一月一研判: the month against the month before and the same month last year.

Flows (found, rectified, patrols, cases, petitions, accidents) count records dated in the
month up to the as-of date (the month's last day once it is over, else today); stocks (open
at the end, overdue, key persons, visits overdue) are states on the as-of date. While a month
is still running, the months it is compared with are cut to the same number of days.
Findings are plain sentences, each from a stated rule (rules()).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from sanling import periods
from sanling.codes import DisputeCategory, Grade, HazardArea, Supervision
from sanling.collate import name_key
from sanling.i18n import get_lang, label, tr
from sanling.ledger import person as persons
from sanling.ledger.base import Ledger
from sanling.ledger.filters import village_labels
from sanling.models import (
    Dispute,
    Hazard,
    Patrol,
    PatrolVillage,
    Person,
    Subject,
    Title,
)
from sanling.render import Listing
from sanling.reports import by_town, figures, mediation, queries
from sanling.reports import grading as grading_report
from sanling.reports.base import (
    BuiltReport,
    Context,
    Tile,
    columns,
    compose,
    disputes_by_category,
    hazards_by_area,
)

# Thresholds of the findings' rules (stated with every finding).
RISE_MIN = 3  # a category "rose sharply": at least this many, and at least double last month
VILLAGE_REPEATED = 3  # a village with at least this many disputes found in the month
HAZARD_LONG_OVERDUE_DAYS = 30


def rules() -> dict[str, str]:
    """The findings' rules, in the current language."""
    return {
        "category_rise": tr(
            f"某类纠纷本月不少于 {RISE_MIN} 件且至少为上月的两倍",
            f"a category with at least {RISE_MIN} disputes this month "
            "and at least twice last month's",
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
        "title_broken": tr(
            "已命名的主体本月被打破“三零”，称号待复核（动态管理）",
            "a subject holding a title broke a zero this month: its title is to be reviewed",
        ),
        "no_patrol": tr("本月没有巡逻记录的村", "villages with no patrol this month"),
        "visits_overdue": tr("重点人员走访逾期", "key persons whose visit is overdue"),
        "grading_changes": tr(
            "评分建议调整等级的村", "villages whose score proposes another grade"
        ),
        "supervision": tr(
            "月末在督办中的记录：交办、黄牌督办、红牌督办，以及挂牌督办的重大隐患",
            "records under supervision at the month's end: assigned (交办), yellow and red"
            " cards, and major hazards listed (挂牌督办)",
        ),
        "forced_corrections": tr(
            "本月用 --force 更正了已锁定的记录（已报送的月份或超过更正时限）",
            "records corrected with --force this month past a lock (a reported month or "
            "the age limit)",
        ),
    }


def comparisons(
    month: periods.Period, as_of: dt.date
) -> tuple[periods.Period, periods.Period, periods.Period]:
    """The month so far, the month before and the same month last year (cut alike while running)."""
    span = queries.clipped(month, as_of)
    prev = periods.previous_month(month)
    if span.end == month.end:
        return span, prev, periods.same_period_last_year(month)
    days = span.end - span.start
    prev = periods.Period(prev.start, min(prev.end, prev.start + days))
    return span, prev, periods.same_period_last_year(span)


TILES = (
    *figures.DISPUTE_TILES,
    *figures.HAZARD_TILES,
    *figures.CASE_TILES,
    *figures.BREAKING_TILES,
    *figures.PETITION_TILES,
    figures.PATROLS_TILE,
    Tile("key_persons.visits_overdue", ("走访逾期", "visits overdue")),
)


@dataclass
class Month(Context):
    """The month's context: the month, and the two spans it is compared with."""

    month: periods.Period | None = None
    prev: periods.Period = field(default_factory=lambda: periods.Period(dt.date.min, dt.date.min))
    last: periods.Period = field(default_factory=lambda: periods.Period(dt.date.min, dt.date.min))

    def compared(self) -> tuple[tuple[str, periods.Period], ...]:
        """The month and what it is compared with, each with its keys' suffix."""
        return (("", self.span), ("_prev_month", self.prev), ("_last_year", self.last))


def build(
    lx: Ledger, month: periods.Period, *, town: str | None = None, by_town: bool = False
) -> BuiltReport:
    queries.refuse_future(month, lx.today)
    as_of = periods.as_of_for(month, lx.today)
    span, prev, last = comparisons(month, as_of)
    fig = queries.Figures(lx, queries.town_id(lx, town))
    ctx = Month(lx, fig, as_of, span, town, month, prev, last)
    head = {
        "month": f"{month.start:%Y-%m}",
        "as_of": as_of,
        "town": town,
        "period": {"start": span.start, "end": span.end},
        "compared_with": {
            "prev_month": {"start": prev.start, "end": prev.end},
            "last_year": {"start": last.start, "end": last.end},
        },
    }
    sections = (
        _disputes,
        _hazards,
        _patrols,
        _events,
        figures.petition_limits,
        _key_persons,
        _supervision,
        mediation.section,
        _grading,
        _trend,
    )
    payload = compose(ctx, head, sections)
    payload["findings"] = _findings(ctx, payload)
    if by_town:
        payload["by_town"] = _by_town(ctx)
    return BuiltReport(
        title=tr(
            "{m} 月度研判（截至 {a}）",
            "Monthly analysis {m} (as of {a})",
            m=payload["month"],
            a=as_of.isoformat(),
        ),
        payload=payload,
        explainers=fig.explainers,
        parts=_parts(payload),
        tiles=TILES,
        charts=(figures.TREND_CHART, figures.CATEGORY_CHART, figures.AREA_CHART),
        findings="findings",
    )


def _disputes(ctx: Month) -> dict[str, Any]:
    """Every dispute counted by its village in one scan; the totals open and overdue at the
    end are the sums (another scan of every dispute cost 0.2 s on a province)."""
    fig, as_of = ctx.fig, ctx.as_of
    in_month = queries.between(Dispute.found, ctx.span)
    split = {
        "found": [in_month],
        "resolved": [in_month, queries.dispute_resolved(as_of)],
        "open": [queries.dispute_open(as_of)],
        "overdue": [queries.dispute_overdue(as_of)],
    }
    per_village = fig.by_village(Dispute, [], split, Dispute.village_id)
    disputes = figures.DISPUTES.only("found", "resolved", "rate").count(
        fig, "disputes", ctx.span, as_of
    )
    for key, figure in (("open_at_end", "open"), ("overdue", "overdue")):
        disputes[key] = sum(v[figure] for v in per_village.values())
        fig.explain_records(f"disputes.{key}", Dispute, [*fig.scope(Dispute), *split[figure]])
    found = figures.DISPUTES.only("found")
    for suffix, span in ctx.compared()[1:]:
        disputes |= found.count(fig, "disputes", span, as_of, suffix=suffix)
    for suffix, span in ctx.compared()[:2]:
        key = f"by_category{suffix}"
        disputes[key] = fig.grouped(
            f"disputes.{key}", Dispute, found.base(span), Dispute.category, DisputeCategory
        )
    villages = queries.villages(ctx.lx, ctx.tid, as_of)
    disputes["by_village"] = [
        {"village": name, **per_village.get(vid, dict.fromkeys(split, 0))}
        for vid, name, _t in villages
    ]
    ids = {name: vid for vid, name, _t in villages}
    fig.village_explainers("disputes.by_village.", Dispute, [], split, Dispute.village_id, ids)
    return {"disputes": disputes}


def _hazards(ctx: Month) -> dict[str, Any]:
    """Hazards found and rectified in the month; open, overdue and long overdue at its end."""
    fig, as_of = ctx.fig, ctx.as_of
    long_overdue_day = as_of - dt.timedelta(days=HAZARD_LONG_OVERDUE_DAYS)
    hazards = figures.HAZARDS.only("found", "rectified", "rate").count(
        fig, "hazards", ctx.span, as_of
    )
    at_end = figures.Block(
        Hazard,
        None,
        (
            figures.Count("open_at_end", figures.on(queries.hazard_open)),
            figures.Count("overdue", figures.on(queries.hazard_overdue)),
            figures.Count(
                "overdue_long",
                lambda day, _p: [queries.hazard_open(day), Hazard.deadline < long_overdue_day],
            ),
        ),
    )
    hazards |= at_end.count(fig, "hazards", None, as_of)
    found = figures.HAZARDS.only("found")
    for suffix, span in ctx.compared()[1:]:
        hazards |= found.count(fig, "hazards", span, as_of, suffix=suffix)
    hazards["by_area"] = fig.grouped(
        "hazards.by_area", Hazard, found.base(ctx.span), Hazard.area, HazardArea
    )
    return {"hazards": hazards}


def _patrols(ctx: Month) -> dict[str, Any]:
    """Patrols in the three spans, the month's hours, and the villages not patrolled."""
    fig, as_of = ctx.fig, ctx.as_of
    patrols: dict[str, Any] = {}
    for suffix, span in ctx.compared():
        patrols |= figures.PATROLS.only("count").count(fig, "patrols", span, as_of, suffix=suffix)
    patrols |= figures.PATROLS.only("hours").count(fig, "patrols", ctx.span, as_of)
    # The villages patrolled in the month, found once from the month's patrols (a correlated
    # EXISTS per village probes every patrol of every village: seconds on a county ledger).
    patrolled = (
        select(PatrolVillage.village_id)
        .join(Patrol, Patrol.id == PatrolVillage.patrol_id)
        .where(queries.between(Patrol.date, ctx.span))
    )
    no_patrol_where = [
        *fig.scope(Subject),
        queries.residential(),
        queries.subject_active(as_of),
        Subject.id.not_in(patrolled),
    ]
    labels = village_labels(ctx.lx.session)  # a name two towns share says its town
    patrols["villages_without_patrol"] = sorted(
        (labels[i] for i in ctx.lx.session.scalars(select(Subject.id).where(*no_patrol_where))),
        key=name_key,
    )
    fig.explain_records("patrols.villages_without_patrol", Subject, no_patrol_where)
    return {"patrols": patrols}


def _events(ctx: Month) -> dict[str, Any]:
    """Cases, petitions and accidents in the three spans."""
    out: dict[str, dict[str, Any]] = {"cases": {}, "petitions": {}, "accidents": {}}
    for key, block in (
        ("cases", figures.CASES),
        ("petitions", figures.PETITIONS),
        ("accidents", figures.ACCIDENTS),
    ):
        for suffix, span in ctx.compared():
            out[key] |= block.count(ctx.fig, key, span, ctx.as_of, suffix=suffix)
    return out


def _key_persons(ctx: Month) -> dict[str, Any]:
    """Key persons listed and overdue for a visit (counts only, never names)."""
    block = figures.Block(
        Person,
        None,
        (
            figures.Count("total", figures.on(queries.person_listed)),
            figures.Count(
                "visits_overdue", lambda day, policy: [persons.visit_overdue_sql(policy, day)]
            ),
        ),
    )
    return {"key_persons": block.count(ctx.fig, "key_persons", None, ctx.as_of)}


def _supervision(ctx: Month) -> dict[str, Any]:
    """Records under each card on the as-of date, by kind (and major hazards 挂牌督办)."""
    return {
        "supervision": {
            key: block.count(ctx.fig, f"supervision.{key}", None, ctx.as_of)
            for key, block in figures.SUPERVISION.items()
        }
    }


def _grading(ctx: Month) -> dict[str, Any]:
    """The current grades and the proposed changes, from the grading report's summary."""
    graded = grading_report.summary(ctx.lx, ctx.as_of, town=ctx.town)
    for g in Grade:
        ctx.fig.explainers[f"grading.current.{g.value}"] = graded.explainers[
            f"distribution.current.{g.value}"
        ]
    ctx.fig.explainers["grading.proposed_changes"] = graded.explainers["proposed_changes"]
    return {
        "grading": {
            "current": graded.payload["distribution"]["current"],
            "proposed_changes": graded.payload["proposed_changes"],
        }
    }


def _trend(ctx: Month) -> dict[str, Any]:
    """Disputes found and resolved in each of the twelve months ending with this one."""
    assert ctx.month is not None
    start = ctx.month.start
    months = [periods.month(queries.shift_months(start, -i)) for i in range(11, -1, -1)]
    spans = {f"{m.start:%Y-%m}": queries.clipped(m, ctx.as_of) for m in months}
    fig = ctx.fig
    found = fig.spans("trend", Dispute, Dispute.found, {f"{k}.found": s for k, s in spans.items()})
    resolved = fig.spans(
        "trend", Dispute, Dispute.resolved_on, {f"{k}.resolved": s for k, s in spans.items()}
    )
    trend = [
        {"month": k, "found": found[f"{k}.found"], "resolved": resolved[f"{k}.resolved"]}
        for k in spans
    ]
    return {"trend": trend}


# ---- findings: each rule gives its sentences (and the records named) --------------------------
Finding = tuple[str, list[str]]


def _category_rise(_ctx: Month, p: dict[str, Any]) -> list[Finding]:
    d = p["disputes"]
    out: list[Finding] = []
    for cat in DisputeCategory:
        now, before = d["by_category"][cat.value], d["by_category_prev_month"][cat.value]
        if now >= RISE_MIN and now >= 2 * before:
            text = tr(
                "{c}类纠纷本月 {n} 件，上月 {b} 件，明显上升。",
                "{c} disputes rose sharply: {n} this month against {b} last month.",
                c=label(cat),
                n=now,
                b=before,
            )
            out.append((text, []))
    return out


def _village_repeated(_ctx: Month, p: dict[str, Any]) -> list[Finding]:
    return [
        (
            tr(
                "{v}本月排查出纠纷 {n} 件，需重点关注。",
                "{v} had {n} disputes found this month: look there first.",
                v=v["village"],
                n=v["found"],
            ),
            [],
        )
        for v in p["disputes"]["by_village"]
        if v["found"] >= VILLAGE_REPEATED
    ]


def _disputes_overdue(_ctx: Month, p: dict[str, Any]) -> list[Finding]:
    n = p["disputes"]["overdue"]
    if not n:
        return []
    at = p["as_of"].isoformat()
    return [
        (
            tr(
                "截至 {a} 有 {n} 件纠纷逾期未化解。",
                "{n} disputes are overdue as of {a}.",
                n=n,
                a=at,
            ),
            [],
        )
    ]


def _hazards_long_overdue(_ctx: Month, p: dict[str, Any]) -> list[Finding]:
    n = p["hazards"]["overdue_long"]
    if not n:
        return []
    text = tr(
        "{n} 处隐患逾期超过 {k} 天仍未整改。",
        "{n} hazards are more than {k} days past their deadline and still open.",
        n=n,
        k=HAZARD_LONG_OVERDUE_DAYS,
    )
    return [(text, [])]


def _zero_broken(ctx: Month, _p: dict[str, Any]) -> list[Finding]:
    names = dict(ctx.lx.session.execute(select(Subject.id, Subject.name)).all())
    broken: dict[tuple[int, str], list[str]] = {}
    for key, ref, sid, _day in queries.breaking(ctx.lx, ctx.tid, ctx.span):
        broken.setdefault((sid, key), []).append(ref)
    return [
        (
            tr(
                "{s}本月打破{z}（{r}）。",
                "{s} broke {z} this month ({r}).",
                s=names.get(sid, "?"),
                z=queries.zero_label(key),
                r=", ".join(refs),
            ),
            refs,
        )
        for (sid, key), refs in broken.items()
    ]


def _title_broken(ctx: Month, _p: dict[str, Any]) -> list[Finding]:
    """A break of a subject that held a title on the day (named by then, not revoked): to be
    reviewed, or revoked already if it was by the as-of date."""
    breaks = queries.breaking(ctx.lx, ctx.tid, ctx.span)
    query = (
        select(Title, Subject.name)
        .join(Subject, Subject.id == Title.subject_id)
        .where(Title.subject_id.in_({sid for _k, _r, sid, _d in breaks}))
        .order_by(Title.year.desc())
    )
    labels = village_labels(ctx.lx.session)  # a name two towns share says its town
    held: dict[int, list[tuple[Title, str]]] = {}
    for title, name in ctx.lx.session.execute(query):
        held.setdefault(title.subject_id, []).append((title, labels.get(title.subject_id, name)))
    out: list[Finding] = []
    for zero, ref, sid, day in breaks:
        found = next(
            (
                (t, n)
                for t, n in held.get(sid, [])
                if t.named_on <= day and (t.revoked_on is None or t.revoked_on > day)
            ),
            None,
        )
        if found is None:
            continue
        t, name = found
        values = {"s": name, "y": t.year, "t": t.title, "r": ref, "z": queries.zero_label(zero)}
        if t.revoked_on is not None and t.revoked_on <= ctx.as_of:
            text = tr(
                "{s}已命名{y}年度{t}，{r} 打破{z}：已于 {d} 摘牌。",
                "{s}, named {t} for {y}, was broken by {r} ({z}): revoked on {d}.",
                d=t.revoked_on.isoformat(),
                **values,
            )
        else:
            text = tr(
                "{s}已命名{y}年度{t}，{r} 打破{z}：待复核。",
                "{s}, named {t} for {y}, was broken by {r} ({z}): to be reviewed.",
                **values,
            )
        out.append((text, [ref]))
    return out


def _no_patrol(_ctx: Month, p: dict[str, Any]) -> list[Finding]:
    names = p["patrols"]["villages_without_patrol"]
    if not names:
        return []
    text = tr(
        "{n} 个村本月没有巡逻记录：{v}。",
        "{n} villages had no patrol this month: {v}.",
        n=len(names),
        v="、".join(names),
    )
    return [(text, [])]


def _visits_overdue(_ctx: Month, p: dict[str, Any]) -> list[Finding]:
    n = p["key_persons"]["visits_overdue"]
    if not n:
        return []
    return [(tr("{n} 名重点人员走访逾期。", "{n} key persons are overdue for a visit.", n=n), [])]


def _grading_changes(_ctx: Month, p: dict[str, Any]) -> list[Finding]:
    return [
        (
            tr(
                "{v}评分 {s:g}，建议由{a}调整为{b}。",
                "{v} scores {s:g}: proposed {b} instead of {a}.",
                v=c["village"],
                s=c["score"],
                a=label(c["current"]) if c["current"] else tr("未定级", "ungraded"),
                b=label(c["proposed"]),
            ),
            [],
        )
        for c in p["grading"]["proposed_changes"]
    ]


def _supervised(ctx: Month, _p: dict[str, Any]) -> list[Finding]:
    """One sentence per card standing at the month's end, heaviest first, naming the records
    (the same rule as the `supervision` figures: ledger/supervision.standing_cards); then the
    major hazards listed (挂牌督办), every one open, carded or not, as
    `supervision.hazards.listed` counts and lists them."""
    from sanling.ledger.supervision import standing_cards

    by_level: dict[Supervision, list[str]] = {}
    for card in standing_cards(ctx.lx, ctx.as_of, town_id=ctx.tid):
        if card.level != Supervision.listed:
            by_level.setdefault(card.level, []).append(card.ref)
    out: list[Finding] = []
    sep = "、" if get_lang() == "zh" else ", "
    for level, refs in by_level.items():
        text = tr(
            "{lv} {n} 件：{r}。",
            "{n} under a {lv}: {r}.",
            lv=label(level),
            n=len(refs),
            r=sep.join(refs),
        )
        out.append((text, refs))
    listed = [r["ref"] for r in ctx.fig.explainers["supervision.hazards.listed"]().rows]
    if listed:
        text = tr(
            "挂牌督办的重大隐患 {n} 处：{r}。",
            "{n} major hazards listed for supervision (挂牌督办): {r}.",
            n=len(listed),
            r=sep.join(listed),
        )
        out.append((text, listed))
    return out


def _forced_corrections(ctx: Month, _p: dict[str, Any]) -> list[Finding]:
    from sanling.ledger.locks import forced_in

    return [
        (
            tr(
                "{ref} 属已锁定的记录，{who} 于 {at} 强制{kind}：{reason}。",
                "{ref} was locked and was {kind} with --force by {who} on {at}: {reason}.",
                ref=c["ref"],
                who=c["operator"],
                at=c["at"].date().isoformat(),
                kind=c["change"],
                reason=c["reason"] or tr("未说明理由", "no reason given"),
            ),
            [c["ref"]],
        )
        for c in forced_in(ctx.lx, ctx.span, ctx.tid)
    ]


FINDINGS = {
    "category_rise": _category_rise,
    "village_repeated": _village_repeated,
    "disputes_overdue": _disputes_overdue,
    "hazards_long_overdue": _hazards_long_overdue,
    "zero_broken": _zero_broken,
    "title_broken": _title_broken,
    "no_patrol": _no_patrol,
    "visits_overdue": _visits_overdue,
    "grading_changes": _grading_changes,
    "supervision": _supervised,
    "forced_corrections": _forced_corrections,
}


def _findings(ctx: Month, payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Every rule's findings, in the rules' order, each with its rule stated."""
    stated = rules()
    return [
        {"rule": rule, "rule_text": stated[rule], "text": text, "refs": refs}
        for rule, find in FINDINGS.items()
        for text, refs in find(ctx, payload)
    ]


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


def _by_town(ctx: Month) -> list[dict[str, Any]]:
    """BY_TOWN for every town: the same rules as the report's own figures, grouped by town."""
    lx, span, as_of = ctx.lx, ctx.span, ctx.as_of
    counts = queries.per_town(
        lx,
        {
            **by_town.period_figures(lx.policy, span, as_of),
            **figures.DISPUTES.per_town("disputes", None, as_of, lx.policy, "overdue"),
            "patrols": (Patrol, figures.PATROLS.base(span)),
            "visits_overdue": (Person, [queries.person_visit_overdue(lx, as_of)]),
        },
    )
    by_town.town_rates(counts)
    month = ctx.month
    assert month is not None
    return by_town.rows(lx, ctx.fig, BY_TOWN, counts, lambda name: build(lx, month, town=name))


def trend_chart(report: BuiltReport) -> Listing:
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
        columns(
            ("month", "月份", "month"),
            ("found_bar", "排查纠纷", "disputes found"),
            ("resolved_bar", "化解纠纷", "disputes resolved"),
        ),
        rows,
        title=tr("近 12 个月纠纷走势", "Disputes over twelve months"),
        key="trend_chart",
    )


# The comparison table: (label, section, figure); the figure with _prev_month and _last_year.
COMPARED = (
    (("排查纠纷", "disputes found"), "disputes", "found"),
    (("排查隐患", "hazards found"), "hazards", "found"),
    (("巡逻次数", "patrols"), "patrols", "count"),
    (("刑事案件", "criminal cases"), "cases", "criminal"),
    (("行政案件", "administrative cases"), "cases", "administrative"),
    (("信访", "petitions"), "petitions", "total"),
    (("破零信访", "petitions breaking 零上访"), "petitions", "breaking"),
    (("事故", "accidents"), "accidents", "total"),
    (("破零事故", "accidents breaking 零事故"), "accidents", "breaking"),
)
# The state table: (label, section, done, found) as done/found with the rate, then single figures.
RATIOS = (
    (("纠纷化解", "disputes resolved (of found)"), "disputes", "resolved", "found", "rate"),
    (("隐患整改", "hazards rectified (of found)"), "hazards", "rectified", "found", "rate"),
    (
        ("信访按期受理", "petitions told on time (of those due)"),
        "petition_limits",
        "accepted_on_time",
        "accept_due",
        "accept_rate",
    ),
    (
        ("信访按期办结", "petitions replied on time (of those due)"),
        "petition_limits",
        "replied_on_time",
        "reply_due",
        "reply_rate",
    ),
)
STATES = (
    (("月末未化解纠纷", "disputes open at the end"), "disputes", "open_at_end"),
    (("逾期纠纷", "disputes overdue"), "disputes", "overdue"),
    (("月末未整改隐患", "hazards open at the end"), "hazards", "open_at_end"),
    (("逾期隐患", "hazards overdue"), "hazards", "overdue"),
    (("巡逻时长（小时）", "patrol hours"), "patrols", "hours"),
    (("在管重点人员", "key persons listed"), "key_persons", "total"),
    (("走访逾期", "visits overdue"), "key_persons", "visits_overdue"),
    (("月末在办信访", "petitions open at the end"), "petition_limits", "open"),
    (("逾期信访", "petitions overdue"), "petition_limits", "overdue"),
)


def _compare_rows(p: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "what": tr(*what),
            "month": p[section][key],
            "prev_month": p[section][f"{key}_prev_month"],
            "last_year": p[section][f"{key}_last_year"],
        }
        for what, section, key in COMPARED
    ]


def _state_rows(p: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [
        {
            "what": tr(*what),
            "value": f"{p[section][done]}/{p[section][found]}",
            "rate": p[section][rate],
        }
        for what, section, done, found, rate in RATIOS
    ]
    rows += [
        {"what": tr(*what), "value": p[section][key], "rate": None} for what, section, key in STATES
    ]
    return rows


def _parts(p: dict[str, Any]) -> list[Any]:
    disputes, hazards = p["disputes"], p["hazards"]
    parts: list[Any] = [
        Listing(
            columns(
                ("what", "项目", "item"),
                ("month", "本月", "this month"),
                ("prev_month", "上月", "last month"),
                ("last_year", "去年同月", "same month last year"),
            ),
            _compare_rows(p),
            title=tr("本月与上月、去年同月", "This month, last month, same month last year"),
            key="compare",
        ),
        Listing(
            columns(
                ("what", "项目", "item"), ("value", "数值", "value"), ("rate", "比率%", "rate %")
            ),
            _state_rows(p),
            title=tr("处置情况", "State"),
            key="state",
        ),
        disputes_by_category(disputes["by_category"], disputes["by_category_prev_month"]),
        hazards_by_area(hazards["by_area"]),
        *mediation.parts(p["mediation"]),
        Listing(
            columns(
                "village",
                ("found", "本月排查", "found"),
                ("resolved", "已化解", "resolved"),
                ("open", "月末未化解", "open at end"),
                ("overdue", "月末逾期", "overdue at end"),
            ),
            disputes["by_village"],
            title=tr("分村纠纷", "Disputes by village"),
            key="by_village",
        ),
        Listing(
            columns(("village", "未巡逻的村", "village without patrol")),
            [{"village": v} for v in p["patrols"]["villages_without_patrol"]],
            title=tr("本月无巡逻的村", "Villages without patrol"),
            key="villages_without_patrol",
        ),
        Listing(
            columns("village", "score", "current", "proposed"),
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
            columns(("text", "研判结论", "finding"), ("rule_text", "依据", "rule")),
            p["findings"],
            title=tr("研判", "Findings"),
            key="findings",
        ),
    ]
    if "by_town" in p:
        parts.append(by_town.listing(p["by_town"], BY_TOWN))
    return parts
