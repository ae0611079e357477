"""sanling config: policy settings stored in the ledger (政策设置)."""

from typing import Annotated

import typer

from sanling.commands.common import Format, Limit, Output, emit, limited, reading, writing
from sanling.commands.options import command_group

app = command_group()


@app.command("list")
def list_(fmt: Format = "table", output: Output = None, limit: Limit = None) -> None:
    """Every setting with its value, default and meaning (设置列表)."""
    from sanling.ledger import settings
    from sanling.render import Listing

    with reading() as ledger:
        rows, more, _older = limited(settings.rows(ledger), limit, fmt, output)
        keys = ["key", "value", "default", "description_setting"]
        emit(Listing.of(keys, rows, more=more), fmt, output)


@app.command("get")
def get(key: Annotated[str, typer.Argument(help="setting name 设置项")]) -> None:
    """Print one setting's value (查看设置)."""
    from sanling.ledger import settings

    with reading() as ledger:
        typer.echo(settings.get(ledger, key))


@app.command("set")
def set_(
    key: Annotated[str, typer.Argument(help="setting name 设置项")],
    value: Annotated[str, typer.Argument(help="new value 新值")],
) -> None:
    """Change a setting; a bad value is refused with the allowed range (修改设置)."""
    from sanling.ledger import settings

    with writing() as ledger:
        shown = settings.set_(ledger, key, value)
    typer.echo(f"{key} = {shown}")  # after the commit: a failed commit prints only its error
