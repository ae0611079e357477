"""sanling hotspot: public-order hotspots (治安乱点) and their rectification (整治)."""

from typing import Annotated, Any

import typer

from sanling.commands.common import Format, Output, emit, reading, writing
from sanling.commands.options import (
    FoundFrom,
    FoundTo,
    OnlyVillage,
    Town,
    Village,
    command_group,
    date_range,
    titled,
    total,
)
from sanling.i18n import tr

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


def _columns() -> list[Any]:
    titles = {
        "found": tr("发现日期", "found"),
        "rectified_on": tr("整治日期", "rectified on"),
        "measures": tr("整治措施", "measures"),
    }
    return titled(COLUMNS, titles)


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
    from sanling.ledger import hotspot as hotspots
    from sanling.render import Detail
    from sanling.schemas import HotspotIn, validate

    data = validate(HotspotIn, dict(village=village, description=description, date=date, town=town))
    with writing() as lx:
        spot = hotspots.add(lx, data)
        emit(Detail(hotspots.detail(lx, spot.ref)), fmt, output)


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
    from sanling.ledger import hotspot as hotspots
    from sanling.render import Detail

    with writing() as lx:
        spot = hotspots.rectify(lx, ref, measures, date)
        emit(Detail(hotspots.detail(lx, spot.ref)), fmt, output)


@app.command("list")
def list_(
    village: OnlyVillage = None,
    open_: Annotated[
        bool, typer.Option("--open", help="only those not yet rectified 未整治")
    ] = False,
    from_: FoundFrom = None,
    to: FoundTo = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """List hotspots, newest first, with found, rectified and the rate (乱点台账)."""
    from sanling.ledger import hotspot as hotspots
    from sanling.render import Listing

    with reading() as lx:
        start, end = date_range(lx, from_, to)
        filters = dict(
            village=village,
            open_only=open_,
            town=town,
            start=start,
            end=end,
        )
        rows = hotspots.listing(lx, **filters)
        s = hotspots.summary(lx, **filters)
        rate = "-" if s["rate"] is None else f"{s['rate']:.1f}%"
        totals = {
            "ref": total(s["found"]),
            "rectified": tr("{r}（{rate}）", "{r} ({rate})", r=s["rectified"], rate=rate),
            "patrols": sum(r["patrols"] or 0 for r in rows),
        }
        emit(Listing(_columns(), rows, totals=totals), fmt, output)
