"""sanling town: the towns of the ledger (乡镇)."""

from typing import Annotated

import typer

from sanling.commands.common import Format, Limit, Output, emit, limited, reading, writing
from sanling.commands.options import Households, Population, command_group

app = command_group()

TOWN_COLUMNS = ["name", "county", "households", "population"]


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="town name 乡镇名称")],
    county: Annotated[str | None, typer.Option(help="county 所属县")] = None,
    area: Annotated[float | None, typer.Option(help="area in km² 面积", min=0)] = None,
    households: Households = None,
    population: Population = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Add a town (乡镇) to the ledger; a county ledger holds many."""
    from sanling.ledger import town as towns
    from sanling.render import Detail

    with writing() as ledger:
        town = towns.add(
            ledger, name, county, area_km2=area, households=households, population=population
        )
        emit(Detail(towns.row(town)), fmt, output)


@app.command("list")
def list_(fmt: Format = "table", output: Output = None, limit: Limit = None) -> None:
    """List the towns (乡镇列表)."""
    from sanling.ledger import town as towns
    from sanling.render import Listing

    with reading() as ledger:
        rows, more, _older = limited(
            [towns.row(t) for t in towns.all_towns(ledger)], limit, fmt, output
        )
        emit(Listing.of(TOWN_COLUMNS, rows, more=more), fmt, output)
