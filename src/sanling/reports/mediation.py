"""The people's-mediation section of the monthly and annual reports (人民调解统计): the
figures of `figures.MEDIATION` in the report's period, by category, and their tables."""

from __future__ import annotations

from typing import Any

from sanling.codes import DisputeCategory
from sanling.i18n import tr
from sanling.render import Listing
from sanling.reports import figures
from sanling.reports.base import Context, columns

# The section's figures as its table lists them: key, (zh, en).
LABELS = (
    ("cases", ("调解成功案件", "cases mediated to an agreement")),
    ("written", ("书面协议", "written agreements")),
    ("oral", ("口头协议", "oral agreements")),
    ("amount", ("协议金额（元）", "amount agreed (yuan)")),
    ("performed", ("已履行", "performed")),
    ("confirmed", ("司法确认", "judicially confirmed")),
    ("prevented_criminal", ("防止民转刑", "prevented a criminal case")),
    ("prevented_group_petition", ("防止群体性上访", "prevented a group petition")),
)


def section(ctx: Context) -> dict[str, Any]:
    """`mediation`: the block's figures and `by_category` (every category, zeros too)."""
    return {"mediation": figures.state_of(ctx, "mediation", figures.MEDIATION, figures.BY_CATEGORY)}


def parts(m: dict[str, Any]) -> list[Listing]:
    """The figures as a table of items, then every category, zeros too (the text format
    names only those with any case, 无 when none has)."""
    rows = [{"what": tr(*what), "value": m[key]} for key, what in LABELS]
    by_category = [
        {"category": DisputeCategory(k), "count": n} for k, n in m["by_category"].items()
    ]
    return [
        Listing(
            columns(("what", "项目", "item"), ("value", "数值", "value")),
            rows,
            title=tr("人民调解", "People's mediation"),
            key="mediation",
        ),
        Listing(
            columns("category", "count"),
            by_category,
            title=tr("调解案件类别", "Mediated cases by category"),
            key="mediation_by_category",
            quiet="count",
        ),
    ]
