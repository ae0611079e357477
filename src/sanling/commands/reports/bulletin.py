"""sanling report bulletin (being built)."""

import typer


def register(app: typer.Typer) -> None:
    """Adds `report bulletin` to the report group."""
