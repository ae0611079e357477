"""Plain text: short lines with no table borders, for a chat group or a mail body.

A report that knows how it reads as text (the bulletin's WeChat lines) defines `text()`;
anything else is turned into plain lines from its sections, so `--format text` never fails.
"""

from __future__ import annotations

from typing import Any

from sanling.i18n import get_lang
from sanling.render import Detail, Listing, Report, cell, sections_of


def _pair(heading: str, value: Any) -> str:
    sep = "：" if get_lang() == "zh" else ": "
    return f"{heading}{sep}{cell(value)}"


def _lines(part: Listing | Detail) -> list[str]:
    lines: list[str] = []
    if part.title:
        lines.append(part.title)
    if isinstance(part, Detail):
        lines += [
            _pair(part.heading(k), v) for k, v in part.fields.items() if v is not None and v != ""
        ]
        for section in part.sections:
            lines += ["", *_lines(section)]
        return lines
    joiner = "，" if get_lang() == "zh" else ", "
    quiet = part.quiet
    rows = [r for r in part.rows if not quiet or r.get(quiet)]
    for row in rows:
        values = [
            _pair(c.heading(), row.get(c.key)) if i else cell(row.get(c.key))
            for i, c in enumerate(part.columns)
            if row.get(c.key) is not None and row.get(c.key) != ""
        ]
        if get_lang() == "zh":  # a sentence's 。 does not stand before the next ，
            values = [v.removesuffix("。") for v in values[:-1]] + values[-1:]
        lines.append(joiner.join(values))
    if not rows:
        lines.append("（无）" if get_lang() == "zh" else "(none)")
    return lines


def to_text(obj: Listing | Detail | Report) -> str:
    own = getattr(obj, "text", None)
    if callable(own):
        return str(own())
    lines: list[str] = []
    title = getattr(obj, "title", None)
    if title and not isinstance(obj, Listing | Detail):
        lines.append(str(title))
    for part in sections_of(obj):
        if lines:
            lines.append("")
        lines += _lines(part)
    return "\n".join(lines) + "\n"
