"""sanling report sweep (being built)."""

import typer


def register(app: typer.Typer) -> None:
    """Adds `report sweep` to the report group."""
