"""sanling report grading (being built)."""

import typer


def register(app: typer.Typer) -> None:
    """Adds `report grading` to the report group."""
