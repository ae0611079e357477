"""Markdown tables, for pasting into a document or a chat that renders them."""

from __future__ import annotations

import re

from sanling.i18n import header
from sanling.render import Detail, Listing, Report, cell, sections_of

# What a Markdown reader would act on in stored text: HTML (a <script>, an <img>), links and
# emphasis ([x](http://..), *x*, `x`), a table cell's end (|). Escaped so it shows as typed.
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_MARKS = re.compile(r"([\\`*_\[\]|~])")


def _esc(text: str) -> str:
    return _MARKS.sub(r"\\\1", text.translate(_HTML)).replace("\r", " ").replace("\n", " ")


def _table(headings: list[str], rows: list[list[str]]) -> list[str]:
    lines = [
        "| " + " | ".join(_esc(h) for h in headings) + " |",
        "|" + "|".join("---" for _ in headings) + "|",
    ]
    lines += ["| " + " | ".join(_esc(v) for v in row) + " |" for row in rows]
    return lines


def _part(part: Listing | Detail) -> list[str]:
    lines: list[str] = []
    if part.title:
        lines += [f"## {_esc(part.title)}", ""]
    if isinstance(part, Detail):
        lines += _table(
            [header("card_item"), header("value")],
            [[part.heading(k), cell(v)] for k, v in part.fields.items()],
        )
        for section in part.sections:
            lines += ["", *_part(section)]
        return lines
    rows = [[cell(row.get(c.key)) for c in part.columns] for row in part.rows]
    if part.totals:
        rows.append([cell(part.totals.get(c.key)) for c in part.columns])
    lines += _table([c.heading() for c in part.columns], rows)
    return lines


def to_markdown(obj: Listing | Detail | Report) -> str:
    lines: list[str] = []
    title = getattr(obj, "title", None)
    if title and not isinstance(obj, Listing | Detail):
        lines += [f"# {_esc(str(title))}", ""]
    for i, part in enumerate(sections_of(obj)):
        if i:
            lines.append("")
        lines += _part(part)
    return "\n".join(lines) + "\n"
