"""Figures declared once: a block is a model, its date column and its figures.

A figure is a `Count` (records matching the block's base and the figure's rule), a `Rate`
(one count of another, in percent) or `Hours` (patrol minutes summed). From one declaration
`Block.count` gives the JSON values (one SUM(CASE) query per block), and registers for each
figure the `--explain` listing of the records it counted (a rate's records marked counted or
not). The rules come from queries.py and the ledger, so every report counts alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from sanling import periods, zeros
from sanling.codes import CardLevel, CaseKind, DisputeCategory, HazardArea, Supervised
from sanling.config import Policy
from sanling.i18n import tr
from sanling.ledger import mediation, supervision
from sanling.ledger import petition as petitions
from sanling.models import Accident, BacklogCase, Case, Dispute, Hazard, Hotspot, Patrol, Petition
from sanling.render import Listing
from sanling.reports import queries
from sanling.reports.base import Chart, Context, Tile, columns
from sanling.reports.queries import (
    Cond,
    Figures,
    dispute_open,
    dispute_overdue,
    dispute_resolved,
    hazard_open,
    hazard_overdue,
    hazard_rectified,
)

if TYPE_CHECKING:
    # Only annotations name the base class; the blocks name their models.
    from sanling.models import Base

# A figure's rule: its conditions beyond the block's base, as of a date under the policy.
Rule = Callable[[dt.date, Policy], list[Cond]]


def every(_as_of: dt.date, _policy: Policy) -> list[Cond]:
    """The rule of a figure that counts the whole base."""
    return []


def on(state: Callable[[dt.date], Cond]) -> Rule:
    """A rule from a state as of a date (queries.dispute_resolved ...)."""
    return lambda as_of, _policy: [state(as_of)]


@dataclass(frozen=True)
class Count:
    key: str
    rule: Rule = every


@dataclass(frozen=True)
class Rate:
    """`numerator` of `denominator` (both counts of the block), in percent."""

    key: str
    numerator: str
    denominator: str
    heading: tuple[str, str]  # the explain listing's column marking the counted records


@dataclass(frozen=True)
class Hours:
    """The block's patrol minutes summed, as hours; explained by the patrols."""

    key: str


@dataclass(frozen=True)
class Sum:
    """A money column (yuan) summed over the block's records, to the fen; explained by the
    records with their amounts (a record without one adds nothing)."""

    key: str
    column: Any
    heading: tuple[str, str]  # the explain listing's column of the amounts


Figure = Count | Rate | Hours | Sum


@dataclass(frozen=True)
class Block:
    """Figures over one model: its records dated in the period (`date`), or all (None)."""

    model: type[Base]
    date: Any
    figures: tuple[Figure, ...]
    # computed columns its counts' --explain listings add, as of the report's date
    explain: Callable[[dt.date], dict[str, queries.Extra]] | None = None

    def only(self, *keys: str) -> Block:
        """The same block with some of its figures, in their declared order."""
        kept = tuple(f for f in self.figures if f.key in keys)
        return Block(self.model, self.date, kept, self.explain)

    def base(self, span: periods.Period | None) -> list[Cond]:
        return [] if span is None or self.date is None else [queries.between(self.date, span)]

    def rules(self, as_of: dt.date, policy: Policy) -> dict[str, list[Cond]]:
        """Each count's conditions (a per-village split counts by these too)."""
        return {f.key: f.rule(as_of, policy) for f in self.figures if isinstance(f, Count)}

    def per_town(
        self, prefix: str, span: periods.Period | None, as_of: dt.date, policy: Policy, *keys: str
    ) -> dict[str, tuple[type[Base], list[Cond]]]:
        """Counts for queries.per_town (a county's table of towns): `{prefix}_{key}` ->
        (model, WHERE), by the same rules."""
        base, rules = self.base(span), self.rules(as_of, policy)
        return {f"{prefix}_{k}": (self.model, [*base, *rules[k]]) for k in keys}

    def town_rates(self, prefix: str, counts: dict[str, Any]) -> None:
        """The block's rates from a town's counts (`{prefix}_{key}`)."""
        for f in self.figures:
            if isinstance(f, Rate):
                counts[f"{prefix}_{f.key}"] = periods.rate(
                    counts[f"{prefix}_{f.numerator}"], counts[f"{prefix}_{f.denominator}"]
                )

    def count(
        self,
        fig: Figures,
        prefix: str,
        span: periods.Period | None,
        as_of: dt.date,
        *,
        suffix: str = "",
        where: list[Cond] | None = None,
    ) -> dict[str, Any]:
        """The block's figures under `prefix` (keys get `suffix`), explainers registered."""
        base = [*self.base(span), *(where or [])]
        rules = self.rules(as_of, fig.lx.policy)
        counted = (
            fig.counts(
                prefix,
                self.model,
                base,
                {k + suffix: c for k, c in rules.items()},
                self.explain(as_of) if self.explain else None,
            )
            if rules
            else {}
        )
        out: dict[str, Any] = {}
        for f in self.figures:
            key = f.key + suffix
            if isinstance(f, Count):
                out[key] = counted[key]
            elif isinstance(f, Rate):
                out[key] = periods.rate(
                    counted[f.numerator + suffix], counted[f.denominator + suffix]
                )
                fig.rate(
                    f"{prefix}.{key}",
                    self.model,
                    [*base, *rules[f.denominator]],
                    rules[f.numerator],
                    tr(*f.heading),
                )
            elif isinstance(f, Sum):
                out[key] = _summed(fig, f"{prefix}.{key}", self.model, base, f)
            else:
                out[key] = _hours(fig, f"{prefix}.{key}", base)
        return out


def _summed(fig: Figures, key: str, model: type[Base], base: list[Cond], f: Sum) -> float:
    where = [*fig.scope(model), *base]
    total = fig.lx.session.scalar(select(func.coalesce(func.sum(f.column), 0)).where(*where))
    fig.explain_records(key, model, where, extra={f.column.key: (f.column, tr(*f.heading))})
    return float(Decimal(str(total or 0)).quantize(Decimal("0.01")))


def _hours(fig: Figures, key: str, base: list[Cond]) -> float:
    where = [*fig.scope(Patrol), *base]
    minutes = fig.lx.session.scalar(
        select(func.coalesce(func.sum(Patrol.minutes), 0)).where(*where)
    )
    fig.explain_records(key, Patrol, where)
    return queries.hours(int(minutes or 0))


@dataclass(frozen=True)
class Split:
    """Counts by a code column (every code shown, zeros included)."""

    key: str
    column: Any
    codes: type[StrEnum]


BY_CATEGORY = Split("by_category", Dispute.category, DisputeCategory)
BY_AREA = Split("by_area", Hazard.area, HazardArea)


def state_of(
    ctx: Context,
    prefix: str,
    block: Block,
    split: Split | None = None,
) -> dict[str, Any]:
    """A block's figures in the report's period, then its split."""
    values = block.count(ctx.fig, prefix, ctx.span, ctx.as_of)
    if split is not None:
        values[split.key] = ctx.fig.grouped(
            f"{prefix}.{split.key}", block.model, block.base(ctx.span), split.column, split.codes
        )
    return values


# ---- the blocks every report shares ------------------------------------------------------
def _state(
    model: type[Base],
    date: Any,
    done: tuple[str, str],
    done_rule: Callable[[dt.date], Cond],
    open_rule: Callable[[dt.date], Cond],
    overdue_rule: Callable[[dt.date], Cond],
) -> Block:
    """Found in the period; done (`done`: its key and Chinese label), open and overdue on the
    as-of date; and the rate done (its explain column headed by the label)."""
    key, label_zh = done
    return Block(
        model,
        date,
        (
            Count("found"),
            Count(key, on(done_rule)),
            Count("open", on(open_rule)),
            Count("overdue", on(overdue_rule)),
            Rate("rate", key, "found", (label_zh, key)),
        ),
    )


DISPUTES = _state(
    Dispute, Dispute.found, ("resolved", "已化解"), dispute_resolved, dispute_open, dispute_overdue
)
HAZARDS = _state(
    Hazard, Hazard.found, ("rectified", "已整改"), hazard_rectified, hazard_open, hazard_overdue
)
HOTSPOTS = Block(
    Hotspot,
    Hotspot.found,
    (
        Count("found"),
        Count("rectified", on(queries.hotspot_rectified)),
        Rate("rate", "rectified", "found", ("已整治", "rectified")),
    ),
)
BACKLOG = Block(
    BacklogCase,
    BacklogCase.assigned_on,
    (
        Count("assigned"),
        Count("closed", on(queries.backlog_closed)),
        Count("settled", on(queries.backlog_settled)),
        Rate("closed_rate", "closed", "assigned", ("已办结", "closed")),
        Rate("settled_rate", "settled", "assigned", ("已化解", "settled")),
    ),
)
PATROLS = Block(Patrol, Patrol.date, (Count("count"), Hours("hours")))
CASES = Block(
    Case,
    Case.date,
    (
        Count("criminal", lambda _d, _p: [Case.kind == CaseKind.criminal]),
        Count("administrative", lambda _d, _p: [Case.kind == CaseKind.administrative]),
    ),
)
PETITIONS = Block(
    Petition,
    Petition.date,
    (Count("total"), Count("breaking", lambda _d, policy: [zeros.petition_breaking(policy)])),
)
# A petition's time limits under the 信访工作条例 (issue 16; rules in ledger/petition.py), each
# petition counted once, in the period its deadline falls in (up to the as-of date), whether
# the step was taken or not: 按期受理率 = told (accepted or refused) by the 告知 deadline, of
# those whose 告知 fell due (Art. 31); 按期办结率 = replied by the reply deadline (extension
# included), of those whose reply fell due (Art. 32-33). Open and overdue on the as-of date.
PETITION_ACCEPTED = Block(
    Petition,
    Petition.accept_due,
    (
        Count("accept_due", lambda as_of, _p: [petitions.accept_fell_due_sql(as_of)]),
        Count(
            "accepted_on_time",
            lambda as_of, _p: [
                petitions.accept_fell_due_sql(as_of),
                petitions.accepted_on_time_sql(),
            ],
        ),
        Rate("accept_rate", "accepted_on_time", "accept_due", ("按期受理", "told on time")),
    ),
)
PETITION_REPLIED = Block(
    Petition,
    petitions.reply_limit_sql(),
    (
        Count("reply_due", lambda as_of, _p: [petitions.reply_fell_due_sql(as_of)]),
        Count(
            "replied_on_time",
            lambda as_of, _p: [
                petitions.reply_fell_due_sql(as_of),
                petitions.replied_on_time_sql(),
            ],
        ),
        Rate("reply_rate", "replied_on_time", "reply_due", ("按期办结", "replied on time")),
    ),
)
PETITION_OPEN = Block(
    Petition,
    None,
    (Count("open", on(petitions.open_sql)), Count("overdue", on(petitions.overdue_sql))),
    # the step owed on the day and its deadline: what makes it open, or overdue
    lambda as_of: {
        "owed": (petitions.owed_label_sql(as_of), tr("应办步骤", "step owed")),
        "owed_due": (petitions.deadline_sql(as_of), tr("该步时限", "its deadline")),
    },
)


def petition_limits(ctx: Context, prefix: str = "petition_limits") -> dict[str, Any]:
    """The section of the petitions' time limits: on-time acceptance and reply in the report's
    period, open and overdue on its as-of date; each figure explained under `prefix`."""
    values: dict[str, Any] = {}
    for block in (PETITION_ACCEPTED, PETITION_REPLIED):
        values |= block.count(ctx.fig, prefix, ctx.span, ctx.as_of)
    values |= PETITION_OPEN.count(ctx.fig, prefix, None, ctx.as_of)
    return {prefix: values}


def petition_limits_table(p: dict[str, Any]) -> Listing:
    """The petitions' time limits as one row of a report's tables."""
    return Listing(
        columns(
            ("accept_due", "应告知", "acceptance due"),
            ("accepted_on_time", "按期受理", "on time"),
            ("accept_rate", "按期受理率%", "accepted on time %"),
            ("reply_due", "应答复", "reply due"),
            ("replied_on_time", "按期办结", "on time"),
            ("reply_rate", "按期办结率%", "replied on time %"),
            ("open", "在办", "open"),
            ("overdue", "逾期", "overdue"),
        ),
        [p],
        title=tr("信访办理时限", "Petition time limits"),
        key="petition_limits",
    )


PETITION_TILES = (
    Tile("petition_limits.accept_rate", ("按期受理率", "accepted on time"), "%"),
    Tile("petition_limits.reply_rate", ("按期办结率", "replied on time"), "%"),
    Tile("petition_limits.overdue", ("逾期信访", "petitions overdue")),
)

ACCIDENTS = Block(
    Accident,
    Accident.date,
    (Count("total"), Count("breaking", lambda _d, policy: [zeros.accident_breaking(policy)])),
)


def _card(kind: Supervised, level: CardLevel) -> Count:
    return Count(level.value, lambda day, _p: [supervision.card_sql(kind, day, level)])


def _cards(kind: Supervised, *more: Count) -> Block:
    """The records of `kind` under each card (交办, 黄牌督办, 红牌督办) on the as-of date."""
    model = supervision.MODELS[kind]
    return Block(model, None, (*(_card(kind, level) for level in CardLevel), *more))


# Supervision standing on the as-of date, by kind of record: `supervision.<kind>.<level>`; a
# major hazard is 挂牌督办 (`listed`) until it is rectified.
SUPERVISION = {
    "disputes": _cards(Supervised.dispute),
    "backlog": _cards(Supervised.backlog),
    "hazards": _cards(
        Supervised.hazard, Count("listed", lambda day, _p: [supervision.listed_sql(day)])
    ),
}


# People's mediation (人民调解) as the 司法所 reports it upward: the cases mediated to an
# agreement in the period (dated by the agreement, 人民调解法 Art. 28), written and oral, the
# amounts agreed, and as of the report's date those performed (a follow-up found it so) and
# those judicially confirmed; the cases noted as having prevented a criminal case or a group
# petition. By category with figures.BY_CATEGORY (reports/mediation.py).
MEDIATION = Block(
    Dispute,
    Dispute.agreed_on,
    (
        Count("cases"),
        Count("written", lambda _d, _p: [Dispute.agreement_oral.is_(False)]),
        Count("oral", lambda _d, _p: [Dispute.agreement_oral.is_(True)]),
        Sum("amount", Dispute.agreement_amount, ("协议金额（元）", "amount (yuan)")),
        Count("performed", on(mediation.performed_by)),
        Count("confirmed", on(mediation.confirmed_by)),
        Count("prevented_criminal", lambda _d, _p: [Dispute.prevented_criminal.is_(True)]),
        Count(
            "prevented_group_petition",
            lambda _d, _p: [Dispute.prevented_group_petition.is_(True)],
        ),
    ),
)

# ---- their headline tiles (HTML), in the order a report shows them ---------------------------
DISPUTE_TILES = (
    Tile("disputes.found", ("排查纠纷", "disputes found")),
    Tile("disputes.resolved", ("化解纠纷", "disputes resolved")),
    Tile("disputes.rate", ("化解率", "resolution rate"), "%"),
    Tile("disputes.overdue", ("逾期纠纷", "disputes overdue")),
)
HAZARD_TILES = (
    Tile("hazards.found", ("排查隐患", "hazards found")),
    Tile("hazards.rectified", ("整改隐患", "hazards rectified")),
    Tile("hazards.rate", ("整改率", "rectification rate"), "%"),
)
CASE_TILES = (
    Tile("cases.criminal", ("刑事案件", "criminal cases")),
    Tile("cases.administrative", ("行政案件", "administrative cases")),
)
BREAKING_TILES = (
    Tile("petitions.breaking", ("破零信访", "petitions breaking 零上访")),
    Tile("accidents.breaking", ("破零事故", "accidents breaking 零事故")),
)
PATROLS_TILE = Tile("patrols.count", ("巡逻", "patrols"))

# ---- and their charts ---------------------------------------------------------------------
TREND_CHART = Chart(
    "trend", ("近 12 个月纠纷排查与化解", "Disputes found and resolved, twelve months")
)
CATEGORY_CHART = Chart(
    "disputes.by_category", ("纠纷类别", "Disputes by category"), DisputeCategory
)
AREA_CHART = Chart("hazards.by_area", ("隐患领域", "Hazards by area"), HazardArea)
