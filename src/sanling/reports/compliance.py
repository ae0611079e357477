"""三零达标: each subject's three zeros as of a month's end, year to date, against the targets.

A subject holds a zero when no record from 1 January to the as-of date (the month's last day
once it is over, else today) broke it, under zeros.py's rules (queries.broke); it holds 三零
when it holds all three. The month's new breaks are the breaking records dated in the month.
Each kind of subject has its target (settings target_village ..., per year: config.target);
the gap is how many more subjects of the kind must hold 三零 to reach it:
ceil(target% × subjects) − holding, at least 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from sqlalchemy import case, not_, null, select

from sanling import config, periods
from sanling.codes import ASSESSED, SubjectKind
from sanling.collate import name_key
from sanling.i18n import header, label, tr
from sanling.ledger.base import Ledger
from sanling.ledger.filters import village_labels
from sanling.ledger.title import held_on
from sanling.models import Accident, Base, Case, Petition, Subject, Title, Town
from sanling.render import ITEMS, Listing
from sanling.reports import by_town, figures, queries
from sanling.reports.base import BuiltReport, Context, Tile, columns, compose

ZEROS = queries.ZERO_KEYS
KINDS = tuple(k.value for k in ASSESSED)

TILES = (
    Tile("kinds.total.subjects", ("创建主体", "subjects")),
    Tile("kinds.total.holding", ("三零达标", "holding 三零")),
    Tile("kinds.total.rate", ("达标率", "三零 rate"), "%"),
    Tile("kinds.total.gap", ("距目标差（个）", "short of the targets")),
    Tile("kinds.village.rate", ("行政村达标率", "villages"), "%"),
    Tile("kinds.community.rate", ("社区达标率", "communities"), "%"),
    Tile("kinds.unit.rate", ("单位达标率", "units"), "%"),
    Tile("kinds.enterprise.rate", ("企业达标率", "enterprises"), "%"),
)


def _keeps(zero: str | None) -> figures.Rule:
    """The rule of the subjects that held `zero` (or all three) from 1 January to the date."""
    return lambda as_of, policy: [not_(queries.broke(policy, periods.year_to_date(as_of), zero))]


# The subjects of a kind: how many, how many hold each zero and all three, and the rate.
SUBJECTS = figures.Block(
    Subject,
    None,
    (
        figures.Count("subjects"),
        *(figures.Count(z, _keeps(z)) for z in ZEROS),
        figures.Count("holding", _keeps(None)),
        figures.Rate("rate", "holding", "subjects", ("三零达标", "holding 三零")),
    ),
)
# The month's records that broke a zero of an assessed subject.
NEW_BREAKS = {
    zero: figures.Block(model, date, (figures.Count(zero, queries.breaking_rule(zero)),))
    for zero, model, date in (
        ("zero_petition", Petition, Petition.date),
        ("zero_accident", Accident, Accident.date),
        ("zero_case", Case, Case.date),
    )
}


@dataclass
class Month(Context):
    """The report's context: `span` is the year to date; `month` the month so far."""

    month: periods.Period | None = None


def needed(target: float, subjects: int) -> int:
    """How many of `subjects` must hold 三零 to reach `target` percent: rounded up."""
    share = Decimal(str(target)) * subjects / 100
    return int(share.to_integral_value(rounding=ROUND_CEILING))


def build(
    lx: Ledger, month: periods.Period, *, town: str | None = None, by_town: bool = False
) -> BuiltReport:
    queries.refuse_future(month, lx.today)
    as_of = periods.as_of_for(month, lx.today)
    fig = queries.Figures(lx, queries.town_id(lx, town))
    in_month = queries.clipped(month, as_of)
    ctx = Month(lx, fig, as_of, periods.year_to_date(as_of), town, in_month)
    head = {
        "month": f"{month.start:%Y-%m}",
        "as_of": as_of,
        "town": town,
        "period": {"start": ctx.span.start, "end": as_of},
        "month_period": {"start": in_month.start, "end": in_month.end},
    }
    sections = [_kinds, _new_breaks, _results, *([_by_town] if by_town else [])]
    payload = compose(ctx, head, sections)
    return BuiltReport(
        title=tr(
            "{m} 三零达标情况（{y} 年 1 月 1 日至 {a}）",
            "三零 compliance {m} (1 January {y} to {a})",
            m=payload["month"],
            y=as_of.year,
            a=as_of.isoformat(),
        ),
        payload=payload,
        explainers=fig.explainers,
        make_parts=lambda: _parts(payload),
        tiles=TILES,
    )


def _kinds(ctx: Month) -> dict[str, Any]:
    """Each kind of subject against its target, then all of them (the gaps summed)."""
    fig, policy = ctx.fig, ctx.lx.policy
    active = [queries.subject_active(ctx.as_of), Subject.kind.in_(ASSESSED)]  # not 镇直
    not_holding = queries.broke(policy, ctx.span)
    out: dict[str, Any] = {}
    for kind in KINDS:
        where = [*active, Subject.kind == kind]
        values = SUBJECTS.count(fig, f"kinds.{kind}", None, ctx.as_of, where=where)
        target = config.target(policy, kind, ctx.as_of.year)
        gap = max(0, needed(target, values["subjects"]) - values["holding"])
        values |= {"target": target, "gap": gap, "met": gap == 0 if values["subjects"] else None}
        meaning = tr(
            "{k}：目标 {t}%，{n} 个中须 {need} 个达标，已达标 {h} 个，差距 {g} 个"
            "（还差几个达标，最少 0）；以下是未达标的主体及打破三零的记录",
            "{k}: target {t}%, {need} of {n} must hold 三零, {h} do, gap {g} (how many more "
            "must, at least 0); below, the subjects not holding and the records that broke it",
            k=f"kinds.{kind}.gap",
            t=target,
            n=values["subjects"],
            need=needed(target, values["subjects"]),
            h=values["holding"],
            g=gap,
        )
        fig.explainers[f"kinds.{kind}.gap"] = _not_holding(
            ctx, [*fig.scope(Subject), *where, not_holding], meaning
        )
        out[kind] = values
    total = SUBJECTS.count(fig, "kinds.total", None, ctx.as_of, where=active)
    gap = sum(out[k]["gap"] for k in KINDS)
    total |= {"target": None, "gap": gap, "met": gap == 0 if total["subjects"] else None}
    meaning = tr(
        "kinds.total.gap：各类差距之和 {g} 个；以下是未达标的主体及打破三零的记录",
        "kinds.total.gap: the kinds' gaps summed, {g}; below, the subjects not holding and "
        "the records that broke it",
        g=gap,
    )
    fig.explainers["kinds.total.gap"] = _not_holding(
        ctx, [*fig.scope(Subject), *active, not_holding], meaning
    )
    return {"kinds": {**out, "total": total}}


def _not_holding(ctx: Month, where: list[Any], title: str) -> Callable[[], Listing]:
    """A gap's explainer: the subjects not holding 三零, each with the records that broke it
    (found when asked for)."""

    def fn() -> Listing:
        refs: dict[int, list[str]] = {}
        for _zero, ref, sid, _day in queries.breaking(ctx.lx, ctx.tid, ctx.span):
            refs.setdefault(sid, []).append(ref)
        shown = {sid: tr("、", ", ").join(r) for sid, r in refs.items()}
        expr = case(shown, value=Subject.id, else_="") if shown else null()
        extra: dict[str, queries.Extra] = {"broken_by": (expr, tr("破零记录", "broken by"), ITEMS)}
        return queries.records(ctx.lx, Subject, where, title=title, extra=extra)

    return fn


def _new_breaks(ctx: Month) -> dict[str, Any]:
    """The month's breaking records, counted by zero and listed."""
    assert ctx.month is not None
    counts: dict[str, Any] = {}
    for block in NEW_BREAKS.values():
        counts |= block.count(ctx.fig, "new_breaks", ctx.month, ctx.as_of)
    names = _names(ctx)
    rows = [
        {"ref": ref, "date": day, "subject": names.get(sid, "?"), "zero": zero}
        for zero, ref, sid, day in queries.breaking(ctx.lx, ctx.tid, ctx.month)
    ]
    return {"new_breaks": counts, "breaks": rows}


def _names(ctx: Month) -> dict[int, str]:
    """Subject id -> its name as lists show it (a village two towns share: `name（town）`)."""
    labels = village_labels(ctx.lx.session)
    query = select(Subject.id, Subject.name).where(*ctx.fig.scope(Subject))
    return {sid: labels.get(sid, n) for sid, n in ctx.lx.session.execute(query)}


def _results(ctx: Month) -> dict[str, Any]:
    """Each subject: which zeros it holds, the records that broke the others (those of the
    month apart), and the title it holds on the date."""
    assert ctx.month is not None
    broken: dict[int, dict[str, list[str]]] = {}
    new: dict[int, list[str]] = {}
    for zero, ref, sid, day in queries.breaking(ctx.lx, ctx.tid, ctx.span):
        broken.setdefault(sid, {}).setdefault(zero, []).append(ref)
        if day >= ctx.month.start:
            new.setdefault(sid, []).append(ref)
    titles = _titles_held(ctx)
    query = (
        select(Subject.id, Subject.name, Subject.kind, Town.name)
        .join(Town, Town.id == Subject.town_id)
        .where(*ctx.fig.scope(Subject), queries.subject_active(ctx.as_of))
        .where(Subject.kind.in_(ASSESSED))
    )
    found = sorted(
        ctx.lx.session.execute(query),
        key=lambda r: (name_key(r[3]), KINDS.index(r[2]), name_key(r[1])),
    )
    rows = []
    for sid, name, kind, town in found:
        mine = broken.get(sid, {})
        rows.append(
            {
                "name": name,
                "kind": kind,
                "town": town,
                **{z: z not in mine for z in ZEROS},
                "holding": not mine,
                "broken_by": [{"zero": z, "refs": refs} for z, refs in mine.items()],
                "new_breaks": new.get(sid, []),
                "title": titles.get(sid),
            }
        )
    return {"results": rows}


def _titles_held(ctx: Month) -> dict[int, str]:
    """Subject id -> the newest title it holds on the date (2026年度三零村)."""
    query = (
        select(Title.subject_id, Title.year, Title.title)
        .where(*ctx.fig.scope(Title), held_on(ctx.as_of))
        .order_by(Title.year)
    )
    return {
        sid: tr("{y}年度{t}", "{t} {y}", y=year, t=title)
        for sid, year, title in ctx.lx.session.execute(query)
    }


BY_TOWN = {
    "subjects": "kinds.total.subjects",
    "holding": "kinds.total.holding",
    "rate": "kinds.total.rate",
    **{f"{k}_rate": f"kinds.{k}.rate" for k in KINDS},
    "gap": "kinds.total.gap",
}


# The town table's headings, as the table by kind heads the same figures.
BY_TOWN_HEADINGS = {
    "holding": ("三零达标", "holding 三零"),
    "rate": ("达标率%", "rate %"),
    **{f"{k}_rate": (f"{label(SubjectKind(k))}达标率%", f"{k} rate %") for k in KINDS},
    "gap": ("差距（个）", "gap"),
}


def _by_town(ctx: Month) -> dict[str, Any]:
    """BY_TOWN for every town (the county's monthly roll-up): each kind counted per town by the
    same rules, the rates and the gaps against the same targets."""
    policy, as_of = ctx.lx.policy, ctx.as_of
    active = [queries.subject_active(as_of)]
    holding = _keeps(None)(as_of, policy)
    per_kind: dict[str, tuple[type[Base], list[Any]]] = {}
    for kind in KINDS:
        of_kind = [*active, Subject.kind == kind]
        per_kind[f"{kind}_subjects"] = (Subject, of_kind)
        per_kind[f"{kind}_holding"] = (Subject, [*of_kind, *holding])
    counts = queries.per_town(ctx.lx, per_kind)
    for c in counts.values():
        c["subjects"] = sum(c[f"{k}_subjects"] for k in KINDS)
        c["holding"] = sum(c[f"{k}_holding"] for k in KINDS)
        c["rate"] = periods.rate(c["holding"], c["subjects"])
        c["gap"] = 0
        for k in KINDS:
            c[f"{k}_rate"] = periods.rate(c[f"{k}_holding"], c[f"{k}_subjects"])
            target = config.target(policy, k, as_of.year)
            c["gap"] += max(0, needed(target, c[f"{k}_subjects"]) - c[f"{k}_holding"])
    month = ctx.month
    assert month is not None
    whole = periods.month(month.start)
    rows = by_town.rows(
        ctx.lx,
        ctx.fig,
        BY_TOWN,
        counts,
        lambda name: build(ctx.lx, whole, town=name),
        BY_TOWN_HEADINGS,
    )
    return {"by_town": rows}


# ---- tables ------------------------------------------------------------------------------
def _kind_rows(p: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for kind, v in p["kinds"].items():
        met = v["met"]
        rows.append(
            {
                "kind": SubjectKind(kind) if kind != "total" else tr("合计", "total"),
                **{k: v[k] for k in ("subjects", *ZEROS, "holding", "rate", "gap")},
                "target": v["target"],
                "met": "-"
                if met is None
                else tr("达标", "met")
                if met
                else tr("未达标", "not met"),
            }
        )
    return rows


def _shown(row: dict[str, Any], zero: str) -> str:
    """A zero held (✓), or the records that broke it."""
    if row[zero]:
        return "✓"
    return tr("、", ", ").join(
        ref for b in row["broken_by"] if b["zero"] == zero for ref in b["refs"]
    )


def _parts(p: dict[str, Any]) -> list[Any]:
    shared = Counter(r["name"] for r in p["results"])
    results = [
        {
            "name": f"{r['name']}（{r['town']}）" if shared[r["name"]] > 1 else r["name"],
            "kind": r["kind"],
            **{z: _shown(r, z) for z in ZEROS},
            "holding": "✓" if r["holding"] else "✗",
            "new_breaks": tr("、", ", ").join(r["new_breaks"]),
            "title": r["title"] or "",
        }
        for r in p["results"]
    ]
    parts: list[Any] = [
        Listing(
            columns(
                "kind",
                "subjects",
                *ZEROS,
                "holding",
                ("rate", "达标率%", "rate %"),
                "target",
                "gap",
                ("met", "是否达标", "target met"),
            ),
            _kind_rows(p),
            title=tr("分类达标情况", "By kind, against the targets"),
            key="kinds",
        ),
        Listing(
            columns("ref", "date", "subject", "zero"),
            [{**b, "zero": queries.zero_label(b["zero"])} for b in p["breaks"]],
            title=tr("本月新破零记录", "Zeros broken this month"),
            key="breaks",
        ),
        Listing(
            columns(
                "name",
                "kind",
                # ✓, or the records that broke the zero: broken between references only.
                *((z, header(z, "zh"), header(z, "en"), ITEMS) for z in ZEROS),
                "holding",
                ("new_breaks", "本月破零", "broken this month", ITEMS),
                ("title", "称号", "title"),
            ),
            results,
            title=tr("各主体三零情况", "Each subject"),
            key="results",
        ),
    ]
    if "by_town" in p:
        parts.append(by_town.listing(p["by_town"], BY_TOWN, BY_TOWN_HEADINGS))
    return parts
