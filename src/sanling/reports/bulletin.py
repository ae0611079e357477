"""The daily bulletin (一日一通报): disputes per village as of one date.

Per village: disputes new that day, resolved that day, open and overdue at the end of the
day, found this year (1 January to the date) and how many of those are resolved, and the
rate (化解率, resolved of found, one decimal half up; null when nothing was found). Then the
overdue disputes with their first handler and days overdue, and the totals.

Every figure is computed from the records' dates as of the bulletin date (ledger/dispute.py
holds the rules), so yesterday's bulletin reads the same whenever it is run. A dispute found
last year and resolved today counts in `resolved` (today) but not in this year's found or
resolved. Referred disputes are done (not open) but not resolved; stabilized ones stay open.
Counting is one GROUP BY query; --explain lists the records behind any count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from sanling.codes import PLACES, SubjectKind
from sanling.collate import name_key
from sanling.i18n import get_lang, header, tr
from sanling.ledger import dispute as disputes
from sanling.ledger.base import Ledger
from sanling.models import Dispute, Subject
from sanling.periods import rate, year_to_date
from sanling.render import Column, Detail, Listing
from sanling.reports import figures
from sanling.reports.base import BuiltReport, Explainer, Explainers

Cond = ColumnElement[bool]
COUNTS = ("new", "resolved", "open", "overdue", "found_ytd", "resolved_ytd")
KEYS = ("village", *COUNTS, "rate_ytd")
OVERDUE_KEYS = ("ref", "village", "handler", "deadline", "days_overdue")
EXPLAIN_COLUMNS = [
    "ref",
    "village",
    "found",
    "category",
    "handler",
    "deadline",
    "status",
    "resolved_on",
    "referred_on",
    "days_overdue",
]


def conditions(day: dt.date) -> dict[str, ColumnElement[bool]]:
    """What each figure counts, as of `day`: the one definition for counts and --explain."""
    ytd = year_to_date(day)
    found_ytd = and_(Dispute.found >= ytd.start, Dispute.found <= day)
    return {
        "new": Dispute.found == day,
        "resolved": Dispute.resolved_on == day,
        "open": disputes.open_on(day),
        "overdue": disputes.overdue_on(day),
        "found_ytd": found_ytd,
        "resolved_ytd": and_(
            found_ytd, Dispute.resolved_on.is_not(None), Dispute.resolved_on <= day
        ),
    }


@dataclass
class Bulletin(BuiltReport):
    """The bulletin: JSON payload, tables, --explain, and a short text for a WeChat group."""

    town: str = ""
    day: dt.date = field(default_factory=dt.date.today)

    def text(self) -> str:
        """Short plain lines for a WeChat group; villages with nothing to say share one line."""
        zh = get_lang() == "zh"
        t = self.payload["totals"]
        rate_text = "—" if t["rate_ytd"] is None else f"{t['rate_ytd']:.1f}%"
        if zh:
            lines = [
                f"【{self.town}矛盾纠纷一日一通报】{self.day.year}年{self.day.month}月{self.day.day}日",
                f"今日新增{t['new']}件，化解{t['resolved']}件；在办{t['open']}件，其中逾期{t['overdue']}件。",
                f"今年以来排查{t['found_ytd']}件，化解{t['resolved_ytd']}件，化解率{rate_text}。",
            ]
        else:
            lines = [
                f"{self.town} dispute bulletin, {self.day.isoformat()}",
                f"Today: {t['new']} new, {t['resolved']} resolved; {t['open']} open, "
                f"{t['overdue']} overdue.",
                f"This year: {t['found_ytd']} found, {t['resolved_ytd']} resolved, "
                f"rate {rate_text}.",
            ]
        lines += self._petition_lines(zh)
        quiet: list[str] = []
        shown = ("new", "resolved", "open", "overdue")
        names = {"new": "新增", "resolved": "化解", "open": "在办", "overdue": "逾期"}
        for v in self.payload["villages"]:
            if not any(v[k] for k in shown):
                quiet.append(v["village"])
                continue
            if zh:
                parts = [f"{names[k]}{v[k]}" for k in shown if v[k]]
                lines.append(f"{v['village']}：{'，'.join(parts)}")
            else:
                parts = [f"{k} {v[k]}" for k in shown if v[k]]
                lines.append(f"{v['village']}: {', '.join(parts)}")
        if quiet:
            lines.append(
                f"{'、'.join(quiet)}：无在办纠纷" if zh else f"Nothing open: {', '.join(quiet)}"
            )
        if self.payload["overdue"]:
            lines.append("逾期纠纷：" if zh else "Overdue:")
            for o in self.payload["overdue"]:
                deadline = o["deadline"]
                if zh:
                    lines.append(
                        f"{o['ref']} {o['village']} 首办{o['handler']} 逾期{o['days_overdue']}天"
                        f"（时限{deadline.month}月{deadline.day}日）"
                    )
                else:
                    lines.append(
                        f"{o['ref']} {o['village']}, handler {o['handler']}, "
                        f"{o['days_overdue']} days overdue (deadline {deadline.isoformat()})"
                    )
        return "\n".join(lines) + "\n"

    def _petition_lines(self, zh: bool) -> list[str]:
        """One line on the petitions' time limits, when the year has any to tell."""
        p = self.payload["petitions"]
        if not any(p[k] for k in ("accept_due", "reply_due", "open")):
            return []

        def pct(v: float | None) -> str:
            return "—" if v is None else f"{v:.1f}%"

        if zh:
            return [
                f"信访：在办{p['open']}件，其中逾期{p['overdue']}件；今年按期受理率"
                f"{pct(p['accept_rate'])}，按期办结率{pct(p['reply_rate'])}。"
            ]
        return [
            f"Petitions: {p['open']} open, {p['overdue']} overdue; this year accepted on time "
            f"{pct(p['accept_rate'])}, replied on time {pct(p['reply_rate'])}."
        ]


def build(lx: Ledger, day: dt.date, *, town: str | None = None) -> Bulletin:
    """The bulletin of `town` (the ledger's only town by default) as of `day`."""
    the_town = lx.town(town)
    conds = conditions(day)
    in_town = and_(Dispute.town_id == the_town.id, Dispute.found <= day)
    rows, ids = _villages(lx, the_town.id, day, in_town, conds)
    totals: dict[str, Any] = {k: sum(r[k] for r in rows) for k in COUNTS}
    totals["rate_ytd"] = rate(totals["resolved_ytd"], totals["found_ytd"])
    overdue = _overdue(lx, day, in_town, conds["overdue"])
    limits, limits_explained = _petition_limits(lx, the_town, day)
    payload = {
        "date": day,
        "town": the_town.name,
        "villages": rows,
        "totals": totals,
        "overdue": overdue,
        "petitions": limits,
    }
    return Bulletin(
        title=tr(
            "{town}矛盾纠纷一日一通报 {day}",
            "{town} daily dispute bulletin {day}",
            town=the_town.name,
            day=day.isoformat(),
        ),
        payload=payload,
        parts=[*_parts(rows, totals, overdue), figures.petition_limits_table(limits)],
        explainers=_explainers(lx, day, in_town, conds, ids, limits_explained),
        town=the_town.name,
        day=day,
    )


def _villages(
    lx: Ledger, town_id: int, day: dt.date, in_town: Cond, conds: dict[str, Cond]
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Each village's counts (one GROUP BY) and rate; and the villages' ids by name."""
    counted = (
        select(
            Dispute.village_id,
            *[
                func.coalesce(func.sum(case((cond, 1), else_=0)), 0).label(key)
                for key, cond in conds.items()
            ],
        )
        .where(in_town)
        .group_by(Dispute.village_id)
    )
    by_village = {
        r.village_id: {k: int(getattr(r, k)) for k in COUNTS} for r in lx.session.execute(counted)
    }
    # The roster as it stood on the day (a village retired later still reports that day).
    active_then = or_(Subject.active.is_(True), Subject.retired_on > day)
    found = lx.session.execute(
        select(
            Subject.id, Subject.name, active_then, Subject.kind == SubjectKind.town_office
        ).where(Subject.town_id == town_id, Subject.kind.in_(list(PLACES)))
    ).all()
    # In pinyin order (collate.name_key), as every list of villages; 镇直 last.
    villages = [r[:3] for r in sorted(found, key=lambda r: (bool(r[3]), name_key(r[1])))]
    rows: list[dict[str, Any]] = []
    ids: dict[str, int] = {}
    for vid, name, active in villages:
        counts = by_village.get(vid, dict.fromkeys(COUNTS, 0))
        if not active and not any(counts.values()):
            continue  # a retired village with nothing to report
        ids[name] = vid
        rows.append(
            {
                "village": name,
                **counts,
                "rate_ytd": rate(counts["resolved_ytd"], counts["found_ytd"]),
            }
        )
    return rows, ids


def _overdue(lx: Ledger, day: dt.date, in_town: Cond, overdue: Cond) -> list[dict[str, Any]]:
    """The overdue disputes with their first handler and days overdue."""
    late = lx.session.execute(
        select(Dispute.ref, Subject.name, Dispute.handler, Dispute.deadline)
        .join(Subject, Subject.id == Dispute.village_id)
        .where(in_town, overdue)
        .order_by(Dispute.deadline, Dispute.ref)
    ).all()
    return [
        {
            "ref": ref,
            "village": name,
            "handler": handler,
            "deadline": deadline,
            "days_overdue": (day - deadline).days,
        }
        for ref, name, handler, deadline in late
    ]


def _petition_limits(lx: Ledger, the_town: Any, day: dt.date) -> tuple[dict[str, Any], Explainers]:
    """The petitions' time limits (issue 16) in the year to the bulletin's day: on-time
    acceptance and reply rates, open and overdue on the day; figures.petition_limits, so they
    read as the monthly and annual reports' do."""
    from sanling.reports import queries
    from sanling.reports.base import Context

    fig = queries.Figures(lx, the_town.id)
    ctx = Context(lx, fig, day, year_to_date(day), the_town.name)
    return figures.petition_limits(ctx, "petitions")["petitions"], fig.explainers


def _explainers(
    lx: Ledger,
    day: dt.date,
    in_town: Cond,
    conds: dict[str, Cond],
    ids: dict[str, int],
    petitions: Explainers,
) -> Explainers:
    """`totals.KEY` and `villages.NAME.KEY`: the disputes behind each count, as the dispute
    list shows them (with days overdue), made when one is asked for."""

    def lister(key: str, figure: str, where: list[Cond]) -> Explainer:
        def listing() -> Listing:
            query = (
                select(Dispute)
                .options(joinedload(Dispute.village), joinedload(Dispute.subject))
                .where(in_town, conds[figure], *where)
                .order_by(Dispute.deadline, Dispute.ref)
            )
            found = [
                disputes.row(d, day, due_soon_days=lx.policy.due_soon_days)
                for d in lx.session.scalars(query).unique()
            ]
            return Listing.of(EXPLAIN_COLUMNS, found, title=f"{key} = {len(found)}", key="disputes")

        return listing

    explainers = Explainers()
    for key in petitions:
        explainers[key] = petitions[key]
    for figure in COUNTS:
        explainers[f"totals.{figure}"] = lister(f"totals.{figure}", figure, [])
    explainers.family(
        "villages.",
        ids,
        COUNTS,
        lambda vid, key, figure: lister(key, figure, [Dispute.village_id == vid]),
    )
    return explainers


def _parts(
    rows: list[dict[str, Any]], totals: dict[str, Any], overdue: list[dict[str, Any]]
) -> list[Listing | Detail]:
    total_row = {"village": header("total"), **totals}
    return [
        Listing(
            [Column(k) for k in KEYS],
            [*rows, total_row],
            key="villages",
            title=tr("各村（社区）", "villages"),
        ),
        Listing(
            [Column(k) for k in OVERDUE_KEYS],
            overdue,
            key="overdue",
            title=tr("逾期纠纷", "overdue disputes"),
        ),
    ]
