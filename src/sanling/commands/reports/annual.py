"""sanling report annual (being built)."""

import typer


def register(app: typer.Typer) -> None:
    """Adds `report annual` to the report group."""
