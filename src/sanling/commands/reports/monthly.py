"""sanling report monthly (being built)."""

import typer


def register(app: typer.Typer) -> None:
    """Adds `report monthly` to the report group."""
