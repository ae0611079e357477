"""Rich tables for the terminal; plain (no colour, no side borders) when not a TTY."""

from __future__ import annotations

import io
import os
import sys
from typing import Any

from sanling.render import Detail, Listing, Report, cell, sections_of


def make_console(file: Any = None) -> Any:
    """A console for this output: colour only on a terminal, wide when piped."""
    from rich.console import Console

    target = file if file is not None else sys.stdout
    tty = hasattr(target, "isatty") and target.isatty()
    width = None if tty else int(os.environ.get("COLUMNS", "0") or 0) or 200
    return Console(
        file=file,
        width=width,
        no_color=not tty,
        color_system="auto" if tty else None,
        highlight=False,
        markup=False,  # stored text such as "[link=...]x[/link]" prints as typed
        soft_wrap=False,
        emoji=False,
    )


def _rich(part: Listing | Detail) -> list[Any]:
    from rich import box
    from rich.table import Table

    out: list[Any] = []
    if isinstance(part, Detail):
        t = Table(box=box.SIMPLE_HEAD, show_header=False, title=part.title)
        t.add_column(style="bold")
        t.add_column()
        for key, value in part.fields.items():
            t.add_row(part.heading(key), cell(value))
        out.append(t)
        return out  # its sections are listings: to_table lays them out (fit.py)
    t = Table(box=box.SIMPLE_HEAD, title=part.title, title_justify="left")
    for c in part.columns:
        t.add_column(c.heading(), overflow="fold")
    for row in part.rows:
        t.add_row(*[cell(row.get(c.key)) for c in part.columns])
    if part.totals:
        t.add_section()
        t.add_row(*[cell(part.totals.get(c.key)) for c in part.columns])
    out.append(t)
    return out


def to_table(obj: Listing | Detail | Report, console: Any = None) -> str:
    """Print to `console` (colour on a terminal) or, without one, return the text."""
    buffer = io.StringIO()
    console = console or make_console(buffer)
    title = getattr(obj, "title", None)
    if title and not isinstance(obj, Listing | Detail):
        console.print(title, style="bold")
    from sanling.render.fit import print_listing

    for part in sections_of(obj):
        if isinstance(part, Listing):  # laid out by fit.py: linear, and fitted to the width
            print_listing(part, console)
            continue
        for item in _rich(part):
            console.print(item)
        for section in part.sections:  # a record's listings (its log, a sheet's items) too
            console.print()
            print_listing(section, console)
    return buffer.getvalue()
