"""--by-town: a county's table of towns, shared by the monthly and annual reports.

Each town's figures are counted for every town at once (queries.per_town: one GROUP BY town
per table, the report's own rules); a town's figure is explained by that town's own report,
built when asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sanling import periods
from sanling.config import Policy
from sanling.i18n import tr
from sanling.ledger.base import Ledger
from sanling.render import Column, Listing
from sanling.reports import figures, queries
from sanling.reports.base import BuiltReport


def pick(payload: dict[str, Any], path: str) -> Any:
    """The figure at a BY_TOWN path of a town's own report (what the test of --by-town checks
    the grouped counts against)."""
    value: Any = payload
    for part in path.split("."):
        value = value[part]
    return value


Headings = dict[str, tuple[str, str]]


def _column(key: str, headings: Headings | None) -> Column:
    """A BY_TOWN column: headed as the report heads it (zh, en), else as the catalog does."""
    found = (headings or {}).get(key)
    return Column(key, tr(*found)) if found else Column(key)


def listing(
    rows: list[dict[str, Any]], mapping: dict[str, str], headings: Headings | None = None
) -> Listing:
    """The --by-town table: a row per town, a column per BY_TOWN key."""
    return Listing(
        [Column("town"), *[_column(k, headings) for k in mapping]],
        rows,
        title=tr("分乡镇", "By town"),
        key="by_town",
    )


def rows(
    lx: Ledger,
    fig: queries.Figures,
    mapping: dict[str, str],
    values: dict[int, dict[str, Any]],
    build_one: Callable[[str], BuiltReport],
    headings: Headings | None = None,
) -> list[dict[str, Any]]:
    """A county's table of towns: `values` (town id -> column -> figure, counted for every town
    at once), and as each figure's explainer that town's own report's, built when asked for."""
    rows = []
    ids: dict[str, int] = {}
    for tid, name in queries.towns(lx):
        rows.append({"town": name, **{k: values[tid][k] for k in mapping}})
        ids[name] = tid

    def make(_tid: int, key: str, column: str) -> Any:
        name = key[len("by_town.") : -len(column) - 1]

        def fn() -> Listing:
            shown = build_one(name).explain(mapping[column])
            # Titled by the town's figure, not by the key in the town's own report.
            shown.title = tr(
                "{town}的{what}（{key}）",
                "{town}: {what} ({key})",
                town=name,
                what=_column(column, headings).heading(),
                key=key,
            )
            return shown

        return fn

    fig.explainers.family("by_town.", ids, tuple(mapping), make)
    return rows


def period_figures(
    policy: Policy, span: periods.Period, as_of: dt.date
) -> dict[str, tuple[type[Any], list[Any]]]:
    """The per-town figures of a period that monthly and annual --by-town both show: each as
    (model, WHERE) for queries.per_town, from the blocks the reports count."""
    return {
        **figures.DISPUTES.per_town("disputes", span, as_of, policy, "found", "resolved"),
        **figures.HAZARDS.per_town("hazards", span, as_of, policy, "found", "rectified"),
        **figures.CASES.per_town("cases", span, as_of, policy, "criminal", "administrative"),
        **figures.PETITIONS.per_town("petitions", span, as_of, policy, "breaking"),
        **figures.ACCIDENTS.per_town("accidents", span, as_of, policy, "breaking"),
    }


def town_rates(counts: dict[int, dict[str, Any]]) -> None:
    """Each town's resolution and rectification rates, from its counts."""
    for town_counts in counts.values():
        figures.DISPUTES.town_rates("disputes", town_counts)
        figures.HAZARDS.town_rates("hazards", town_counts)
