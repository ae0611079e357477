"""sanling hotspot: public-order hotspots (治安乱点) and their rectification (整治)."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanling.commands import corrections
from sanling.commands.common import (
    Filters,
    Format,
    Limit,
    Output,
    Rows,
    add_record,
    emit_list,
    step,
)
from sanling.commands.options import (
    FoundFrom,
    FoundTo,
    OnlyVillage,
    Town,
    Village,
    command_group,
    rectified,
    titled,
    total,
)
from sanling.i18n import tr

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.models import Hotspot
    from sanling.render import Column, Detail

app = command_group()

COLUMNS = [
    "ref",
    "village",
    "found",
    "description",
    "measures",
    "rectified_on",
    "rectified",
    "patrols",
]

Ref = Annotated[str, typer.Argument(help="hotspot reference, e.g. LD-2026-0001 乱点编号")]


def _columns() -> list["Column"]:
    titles = {
        "found": tr("发现日期", "found"),
        "rectified_on": tr("整治日期", "rectified on"),
        "measures": tr("整治措施", "measures"),
    }
    return titled(COLUMNS, titles)


def _shown(ledger: "Ledger", spot: "Hotspot") -> "Detail":
    from sanling.ledger import hotspot as hotspots
    from sanling.render import Detail

    return Detail(hotspots.detail(ledger, spot.ref))


@app.command("add")
def add(
    village: Village,
    description: Annotated[str, typer.Option(help="what the trouble is 乱点情况")],
    date: Annotated[str | None, typer.Option(help="date found 发现日期 (default today)")] = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Record a public-order hotspot (登记治安乱点)."""
    add_record("hotspot", locals(), _shown)


@app.command("rectify")
def rectify(
    ref: Ref,
    measures: Annotated[str, typer.Option(help="what was done 整治措施")],
    date: Annotated[
        str | None, typer.Option(help="date rectified 整治日期 (default today)")
    ] = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Record that a hotspot was rectified (乱点整治)."""
    step("hotspot", "rectify", _shown, fmt, output, ref, measures, date)


def _totals(ledger: "Ledger", rows: Rows, filters: Filters) -> dict[str, Any]:
    from sanling.ledger import hotspot as hotspots

    summary = hotspots.summary(ledger, **filters)
    return {
        "ref": total(summary["found"]),
        "rectified": rectified(summary),
        "patrols": sum(row["patrols"] or 0 for row in rows),
    }


@app.command("list")
def list_(
    village: OnlyVillage = None,
    open_: Annotated[
        bool, typer.Option("--open", help="only those not yet rectified 未整治")
    ] = False,
    from_: FoundFrom = None,
    to: FoundTo = None,
    town: Town = None,
    voided: corrections.Voided = False,
    fmt: Format = "table",
    output: Output = None,
    limit: Limit = None,
) -> None:
    """List hotspots, newest first, with found, rectified and the rate (乱点台账)."""
    from sanling.ledger import hotspot as hotspots

    filters = dict(village=village, open_only=open_, town=town)
    emit_list(
        _columns(),
        hotspots.listing,
        filters,
        fmt,
        output,
        dates=(from_, to),
        totals=_totals,
        voided="hotspot" if voided else None,
        limit=limit,
    )


corrections.register(app, "hotspot", _shown, show=True)
