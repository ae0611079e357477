"""年度: the year's 三零 account, the headline figures of the article for any year.

Records dated in the year up to the as-of date (31 December once the year is over, else
today). Open and overdue are of the year's own disputes and hazards on the as-of date, so
found = resolved + open (+ referred). Each subject's 三零 result says which zero was broken
and by which records (zeros.py). The administrative-case change compares the same span of
last year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, not_, null, or_, select

from sanling import periods
from sanling.codes import ASSESSED, CaseKind, Grade, PersonCategory
from sanling.collate import name_key
from sanling.i18n import header, tr
from sanling.ledger.base import Ledger
from sanling.models import Case, Person, Subject, Title
from sanling.render import ITEMS, Listing
from sanling.reports import by_town, figures, mediation, queries
from sanling.reports import grading as grading_report
from sanling.reports.base import (
    BuiltReport,
    Context,
    Tile,
    by_kind_table,
    columns,
    compose,
    hazards_by_area,
)

TILES = (
    Tile("subjects.total", ("创建主体", "subjects")),
    Tile("sanling.achieved.total", ("实现三零", "achieved 三零")),
    Tile("sanling.rate.total", ("三零率", "三零 rate"), "%"),
    *figures.DISPUTE_TILES,
    *figures.HAZARD_TILES,
    Tile("backlog.assigned", ("交办积案", "backlog cases")),
    *figures.CASE_TILES,
    Tile(
        "cases.administrative_change",
        ("行政案件同比", "administrative on last year"),
        "%",
        signed=True,
    ),
    *figures.BREAKING_TILES,
    *figures.PETITION_TILES,
    figures.PATROLS_TILE,
)


@dataclass
class Year(Context):
    """The year's context: the same span of last year, and the subjects that broke a zero."""

    year: int = 0
    last: periods.Period | None = None
    broken_any: Any = None


def build(lx: Ledger, year: int, *, town: str | None = None, by_town: bool = False) -> BuiltReport:
    whole = periods.year(year)
    queries.refuse_future(whole, lx.today)
    as_of = periods.as_of_for(whole, lx.today)
    span = queries.clipped(whole, as_of)
    fig = queries.Figures(lx, queries.town_id(lx, town))
    ctx = Year(lx, fig, as_of, span, town, year, periods.same_period_last_year(span))
    ctx.broken_any = _broken_any(ctx)
    head = {
        "year": year,
        "as_of": as_of,
        "town": town,
        "period": {"start": span.start, "end": span.end},
    }
    sections = [
        _sanling,
        _titles,
        _records,
        figures.petition_limits,
        mediation.section,
        _persons_and_villages,
    ]
    payload = compose(ctx, head, [*sections, *([_by_town] if by_town else [])])
    return BuiltReport(
        title=tr(
            "{y} 年度“三零”创建情况（截至 {a}）",
            "The {y} 三零 account (as of {a})",
            y=year,
            a=as_of.isoformat(),
        ),
        payload=payload,
        explainers=fig.explainers,
        parts=_parts(payload),
        tiles=TILES,
        charts=(figures.AREA_CHART,),
    )


def _broken_any(ctx: Year) -> Any:
    """The subjects that broke a zero in the year (queries.broke: found once)."""
    return queries.broke(ctx.lx.policy, ctx.span)


def _kinds() -> list[str]:
    return [*[k.value for k in ASSESSED], "total"]


def _sanling(ctx: Year) -> dict[str, Any]:
    """The subjects active on the date, how many kept all three zeros (by kind and in all),
    and each subject's result."""
    fig = ctx.fig
    active = [queries.subject_active(ctx.as_of), Subject.kind.in_(ASSESSED)]  # not 镇直
    kept = [not_(ctx.broken_any)]
    # Each kind (and all) in one query each: the subjects, and those that kept every zero
    # (the subquery of breaking records is the same for every kind).
    of_kind = {k: [] if k == "total" else [Subject.kind == k] for k in _kinds()}
    subjects: dict[str, Any] = fig.counts("subjects", Subject, active, of_kind)
    achieved = fig.counts(
        "sanling.achieved", Subject, active, {k: [*c, *kept] for k, c in of_kind.items()}
    )
    rate: dict[str, float | None] = {}
    for kind, condition in of_kind.items():
        rate[kind] = periods.rate(achieved[kind], subjects[kind])
        fig.rate(
            f"sanling.rate.{kind}",
            Subject,
            [*active, *condition],
            kept,
            tr("实现三零", "achieved 三零"),
        )
    return {
        "subjects": subjects,
        "sanling": {"achieved": achieved, "rate": rate, "subjects": _results(ctx, active)},
    }


def _results(ctx: Year, active: list[Any]) -> list[dict[str, Any]]:
    """Each subject's 三零 result: which zero it broke and by which records."""
    broken: dict[int, dict[str, list[str]]] = {}
    for key, ref, sid, _day in queries.breaking(ctx.lx, ctx.tid, ctx.span):
        broken.setdefault(sid, {}).setdefault(key, []).append(ref)
    query = (
        select(Subject.id, Subject.name, Subject.kind)
        .where(*ctx.fig.scope(Subject), *active)
        .order_by(Subject.kind, Subject.name)
    )
    rows = []
    found = sorted(ctx.lx.session.execute(query), key=lambda r: (r[2], name_key(r[1])))
    for sid, name, kind in found:
        zeros_broken = broken.get(sid, {})
        rows.append(
            {
                "name": name,
                "kind": kind,
                **{z: z not in zeros_broken for z in queries.ZERO_KEYS},
                "achieved": not zeros_broken,
                "broken_by": [{"zero": z, "refs": refs} for z, refs in zeros_broken.items()],
            }
        )
    return rows


def _titles(ctx: Year) -> dict[str, Any]:
    """The year's titles (命名): named, kept (not revoked), revoked, and of those kept, broken
    since they were named (to be reviewed); each listed. As of today, not of the year's last
    day: a year's titles are named early the next year (年度命名), and a report of last year
    run today counts them."""
    fig = ctx.fig
    as_of = max(ctx.as_of, ctx.lx.today)
    named = [Title.year == ctx.year, Title.named_on <= as_of]
    revoked = [Title.revoked_on.is_not(None), Title.revoked_on <= as_of]
    query = (
        select(Title, Subject.name, Subject.kind)
        .join(Subject, Subject.id == Title.subject_id)
        .where(*fig.scope(Title), *named)
    )
    rows = sorted(ctx.lx.session.execute(query), key=lambda r: (r[2], name_key(r[1])))
    first = min((t.named_on for t, _n, _k in rows), default=as_of)
    breaks: dict[int, list[tuple[str, str, dt.date]]] = {}
    for zero, ref, sid, day in queries.breaking(ctx.lx, ctx.tid, periods.Period(first, as_of)):
        breaks.setdefault(sid, []).append((zero, ref, day))
    review = [
        t.id
        for t, _n, _k in rows
        if not (t.revoked_on and t.revoked_on <= as_of)
        and any(day >= t.named_on for _z, _r, day in breaks.get(t.subject_id, []))
    ]
    states: dict[str, list[Any]] = {
        "named": [],
        "kept": [not_(and_(*revoked))],
        "revoked": revoked,
        "to_review": [Title.id.in_(review or [-1])],
    }
    counts: dict[str, Any] = fig.counts("titles", Title, named, states)
    since_named = {
        t.id: [ref for _z, ref, day in breaks.get(t.subject_id, []) if day >= t.named_on]
        for t, _n, _k in rows
    }
    # Each count's titles with the records that broke them since their naming (revoke_ref is
    # only the record a revocation named).
    shown = {tid: tr("、", ", ").join(refs) for tid, refs in since_named.items() if refs}
    heading = tr("命名后破零", "broken since named")
    expr = case(shown, value=Title.id, else_="") if shown else null()
    extra: dict[str, queries.Extra] = {"broken_since": (expr, heading, ITEMS)}
    for key, conds in states.items():
        fig.explain_records(
            f"titles.{key}", Title, [*fig.scope(Title), *named, *conds], extra=extra
        )
    listed = []
    for t, name, kind in rows:
        gone = t.revoked_on is not None and t.revoked_on <= as_of
        since = since_named[t.id]
        state = "revoked" if gone else "to_review" if t.id in review else "kept"
        listed.append(
            {
                "name": name,
                "kind": kind,
                "title": t.title,
                "named_on": t.named_on,
                "state": state,
                "revoked_on": t.revoked_on if gone else None,
                "revoke_reason": t.revoke_reason if gone else None,
                "revoke_ref": t.revoke_ref if gone else None,
                "broken_since": since,
            }
        )
    return {"titles": {**counts, "subjects": listed}}


TITLE_STATES = {
    "kept": ("保持", "kept"),
    "to_review": ("破零待复核", "broken: to be reviewed"),
    "revoked": ("已摘牌", "revoked"),
}


def _title_rows(p: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            **t,
            "state": tr(*TITLE_STATES[t["state"]]),
            "broken_since": tr("、", ", ").join(t["broken_since"]),
        }
        for t in p["titles"]["subjects"]
    ]


def _titles_listing(p: dict[str, Any]) -> Listing:
    """The year's titles, each with its state, and the counts in the title."""
    return Listing(
        columns(
            "name",
            "kind",
            "title",
            "named_on",
            ("state", "状态", "state"),
            ("broken_since", "命名后破零", "broken since named", ITEMS),
            "revoked_on",
            "revoke_reason",
            "revoke_ref",
        ),
        _title_rows(p),
        title=tr(
            "命名 {n} 个，保持 {k} 个（待复核 {r} 个），摘牌 {x} 个",
            "Titles: {n} named, {k} kept ({r} to be reviewed), {x} revoked",
            n=p["titles"]["named"],
            k=p["titles"]["kept"],
            r=p["titles"]["to_review"],
            x=p["titles"]["revoked"],
        ),
        key="titles",
    )


def _records(ctx: Year) -> dict[str, Any]:
    """The year's disputes, backlog cases, hazards, hotspots, cases, petitions, accidents
    and patrols."""
    state = figures.state_of
    cases = state(ctx, "cases", figures.CASES)
    cases |= figures.CASES.count(ctx.fig, "cases", ctx.last, ctx.as_of, suffix="_last_year")
    cases["administrative_change"] = periods.change(
        cases["administrative"], cases["administrative_last_year"]
    )
    _explain_change(ctx)
    return {
        "disputes": state(ctx, "disputes", figures.DISPUTES),
        "backlog": state(ctx, "backlog", figures.BACKLOG),
        "hazards": state(ctx, "hazards", figures.HAZARDS, figures.BY_AREA),
        "hotspots": state(ctx, "hotspots", figures.HOTSPOTS),
        "cases": cases,
        "petitions": state(ctx, "petitions", figures.PETITIONS),
        "accidents": state(ctx, "accidents", figures.ACCIDENTS),
        "patrols": state(ctx, "patrols", figures.PATROLS),
    }


def _explain_change(ctx: Year) -> None:
    """The administrative cases of both years, each marked with its year."""
    assert ctx.last is not None
    this_year = queries.between(Case.date, ctx.span)
    ctx.fig.explain_records(
        "cases.administrative_change",
        Case,
        [
            *ctx.fig.scope(Case),
            Case.kind == CaseKind.administrative,
            or_(this_year, queries.between(Case.date, ctx.last)),
        ],
        extra={
            "year": (
                case((this_year, str(ctx.year)), else_=str(ctx.year - 1)),
                tr("年度", "year"),
            )
        },
    )


def _persons_and_villages(ctx: Year) -> dict[str, Any]:
    """Key persons listed by category, villages by grade, and the villages' foundations."""
    fig = ctx.fig
    listed = [queries.person_listed(ctx.as_of)]
    key_persons: dict[str, Any] = fig.grouped(
        "key_persons", Person, listed, Person.category, PersonCategory
    )
    key_persons |= fig.counts("key_persons", Person, listed, {"total": []})
    villages = queries.villages(ctx.lx, ctx.tid, ctx.as_of)
    current = grading_report.grades_on(ctx.lx, ctx.as_of, ctx.tid)
    grades: dict[str, int] = {}
    for g in Grade:
        ids = [vid for vid, _n, _t in villages if current.get(vid, (None, False))[0] == g]
        grades[g.value] = len(ids)
        fig.explain_records(f"grades.{g.value}", Subject, [Subject.id.in_(ids or [-1])])
    foundations = fig.counts(
        "foundations",
        Subject,
        [queries.residential(), queries.subject_active(ctx.as_of)],
        {
            "video_coverage": [Subject.video.is_(True)],
            "police_office": [Subject.police_office.is_(True)],
            "mediation_committee": [Subject.mediation_committee.is_(True)],
            "villages": [],
        },
    )
    return {"key_persons": key_persons, "grades": grades, "foundations": foundations}


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


def _by_town(ctx: Year) -> dict[str, Any]:
    """BY_TOWN for every town: the same rules as the report's own figures, grouped by town."""
    assert ctx.last is not None
    active = [queries.subject_active(ctx.as_of)]
    counts = queries.per_town(
        ctx.lx,
        {
            "subjects": (Subject, active),
            "achieved": (Subject, [*active, not_(ctx.broken_any)]),
            **by_town.period_figures(ctx.lx.policy, ctx.span, ctx.as_of),
            "administrative_last_year": figures.CASES.per_town(
                "cases", ctx.last, ctx.as_of, ctx.lx.policy, "administrative"
            )["cases_administrative"],
        },
    )
    by_town.town_rates(counts)
    for town_counts in counts.values():
        town_counts["rate"] = periods.rate(town_counts["achieved"], town_counts["subjects"])
        town_counts["administrative_change"] = periods.change(
            town_counts["cases_administrative"], town_counts["administrative_last_year"]
        )
    rows = by_town.rows(
        ctx.lx, ctx.fig, BY_TOWN, counts, lambda name: build(ctx.lx, ctx.year, town=name)
    )
    return {"by_town": rows}


def headline(p: dict[str, Any]) -> list[dict[str, Any]]:
    """The article's figures as label/value pairs (the first table)."""
    disputes, hazards, hotspots, cases = (
        p[k] for k in ("disputes", "hazards", "hotspots", "cases")
    )

    def pct(v: float | None) -> str:
        return "-" if v is None else f"{v:.1f}%"

    change = cases["administrative_change"]
    limits = p["petition_limits"]
    return [
        {"what": tr("创建主体", "subjects"), "value": p["subjects"]["total"]},
        {
            "what": tr("实现三零", "achieved 三零"),
            "value": f"{p['sanling']['achieved']['total']} ({pct(p['sanling']['rate']['total'])})",
        },
        {
            "what": tr("排查化解纠纷", "disputes found / resolved"),
            "value": f"{disputes['found']} / {disputes['resolved']} ({pct(disputes['rate'])})",
        },
        {
            "what": tr("上级交办积案", "backlog cases assigned / closed / settled"),
            "value": " / ".join(str(p["backlog"][k]) for k in ("assigned", "closed", "settled")),
        },
        {
            "what": tr("排查整改隐患", "hazards found / rectified"),
            "value": f"{hazards['found']} / {hazards['rectified']} ({pct(hazards['rate'])})",
        },
        {
            "what": tr("治安乱点", "hotspots found / rectified"),
            "value": f"{hotspots['found']} / {hotspots['rectified']}",
        },
        {"what": tr("刑事案件", "criminal cases"), "value": cases["criminal"]},
        {
            "what": tr("行政案件（同比）", "administrative cases (on last year)"),
            "value": f"{cases['administrative']} ({'-' if change is None else f'{change:+.1f}%'})",
        },
        {
            "what": tr("破零信访 / 事故", "petitions / accidents breaking a zero"),
            "value": f"{p['petitions']['breaking']} / {p['accidents']['breaking']}",
        },
        {
            "what": tr("信访按期受理率 / 按期办结率", "petitions accepted / replied on time"),
            "value": f"{pct(limits['accept_rate'])} / {pct(limits['reply_rate'])}",
        },
        {
            "what": tr("年末在办 / 逾期信访", "petitions open / overdue at the end"),
            "value": f"{limits['open']} / {limits['overdue']}",
        },
        {
            "what": tr("巡逻次数 / 小时", "patrols / hours"),
            "value": f"{p['patrols']['count']} / {p['patrols']['hours']:g}",
        },
    ]


def _broken_rows(p: dict[str, Any]) -> list[dict[str, Any]]:
    """The subjects that broke a zero, each with the records that broke it."""
    return [
        {
            "name": s["name"],
            "kind": s["kind"],
            "broken": tr("；", "; ").join(
                tr(
                    "{z}：{refs}",
                    "{z}: {refs}",
                    z=queries.zero_label(b["zero"]),
                    refs=tr("、", ", ").join(b["refs"]),
                )
                for b in s["broken_by"]
            ),
        }
        for s in p["sanling"]["subjects"]
        if s["broken_by"]
    ]


def _parts(p: dict[str, Any]) -> list[Any]:
    sanling = p["sanling"]

    def of(kind: str) -> dict[str, Any]:
        counts = (p["subjects"][kind], sanling["achieved"][kind], sanling["rate"][kind])
        return dict(zip(("subjects", "achieved", "rate"), counts, strict=True))

    broken_rows = _broken_rows(p)
    grades = [{"grade": g, "count": p["grades"][g.value]} for g in Grade]
    persons = [
        {"category": PersonCategory(k), "count": n}
        for k, n in p["key_persons"].items()
        if k != "total"
    ]
    have = p["foundations"]
    parts: list[Any] = [
        Listing(
            columns(("what", "项目", "item"), ("value", "数值", "value")),
            headline(p),
            title=tr("主要数字", "Headline figures"),
            key="headline",
        ),
        by_kind_table(
            {k.value: of(k.value) for k in ASSESSED},
            of("total"),
            ("achieved", "实现三零", "achieved 三零"),
            ("比率%", "rate %"),
            ("三零创建", "三零 by kind"),
            "sanling",
        ),
        Listing(
            columns("name", "kind", ("broken", "破零记录", "broken by")),
            broken_rows,
            title=tr("未实现三零的主体", "Subjects that broke a zero"),
            key="broken",
        ),
        _titles_listing(p),
        hazards_by_area(p["hazards"]["by_area"]),
        *mediation.parts(p["mediation"]),
        Listing(
            columns("grade", "count"),
            grades,
            title=tr("村级分级", "Village grades"),
            key="grades",
        ),
        Listing(
            columns("category", "count"),
            [*persons, {"category": tr("合计", "total"), "count": p["key_persons"]["total"]}],
            title=tr("在管重点人员", "Key persons listed"),
            key="key_persons",
        ),
        Listing(
            columns(("what", "项目", "item"), "count"),
            [
                {"what": tr("村（社区）", "villages and communities"), "count": have["villages"]},
                {"what": header("video"), "count": have["video_coverage"]},
                {"what": header("police_office"), "count": have["police_office"]},
                {"what": header("mediation_committee"), "count": have["mediation_committee"]},
            ],
            title=tr("基础条件", "Foundations"),
            key="foundations",
        ),
    ]
    if "by_town" in p:
        parts.append(by_town.listing(p["by_town"], BY_TOWN))
    return parts
