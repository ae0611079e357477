"""(being built)"""

import typer


def register_top(app: typer.Typer) -> None:
    """Adds this module's top-level commands to the root app."""
