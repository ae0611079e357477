"""A listing laid out for a terminal of a given width, in time linear in its cells.

Rich measures and pads every cell through its renderables (a tenth of a millisecond each), so
a listing of thousands of rows took seconds longer as a table than as CSV. Here each cell is
turned to text once, measured once (rich.cells), and padded or wrapped by hand.

Columns whose values must stay whole (reference numbers, dates, numbers, codes, masked ID
numbers, short names) never wrap; long text wraps within what is left. When even that cannot
fit, each record is shown as a card (one `heading  value` line per field) instead.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any

from rich.cells import cell_len, get_character_cell_size

from sanling.render import ITEMS, PHRASES, TEXT, Listing, cell

# A value that reads as one token: a reference number, an ID or phone number (masked or
# not), a percentage, a figure with its rate `3 (75.0%)`.
_TOKEN = re.compile(r"^[\w*#+\-./:%()]+( \([\d.,%\-]+\))?$", re.ASCII)
SHORT = 12  # text this wide or less is a name or a label: kept on one line
NARROWEST_TEXT = 8  # a wrapping text column is never squeezed below this
PAD = 2  # two spaces between columns (and one at the left edge)
SHORT_HEADING = 8  # a whole column's heading this wide or less is not wrapped if room allows


def _whole(value: Any, text: str) -> bool:
    """Whether a cell must not be broken over lines."""
    if isinstance(value, bool | int | float | decimal.Decimal | dt.date | dt.time):
        return True
    if isinstance(value, StrEnum):
        # A label of several words, or a long one, may wrap (between words, or characters).
        return " " not in text and cell_len(text) <= SHORT
    return cell_len(text) <= SHORT or bool(_TOKEN.match(text))


# Punctuation that never starts a line (closing) or ends one (opening): 差距（个） breaks as
# 差距 / （个）, never 差距（个 / ）.
OPENING = "（([「『【《“‘"
CLOSING = "）)]」』】》”’、，。：；！？%"


def atoms(word: str) -> list[str]:
    """A word without spaces as the pieces a line may break between: characters, an opening
    mark glued to what follows it, a closing one to what precedes it."""
    out: list[str] = []
    glue = False
    for ch in word:
        if out and (glue or ch in CLOSING):
            out[-1] += ch
        else:
            out.append(ch)
        glue = ch in OPENING
    return out


def wrap_items(text: str, width: int) -> list[str]:
    """A list (`A、B、C`, `A, B, C`) in lines of at most `width` cells, broken between its
    items only (an item wider than the width is broken as text)."""
    out: list[str] = []
    line = ""
    for item in re.split(r"(?<=、)|(?<=,)(?= )", text):
        if line and cell_len(line + item) > width:
            out.append(line.rstrip())
            line = item.lstrip()
        else:
            line += item
    out.append(line)
    return [piece for line in out for piece in wrap(line, width)]


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells: at spaces where it can, else between
    characters (Chinese has no spaces), a closing mark kept with what it closes; existing
    line breaks kept."""
    out: list[str] = []
    for para in text.split("\n") or [""]:
        line, used = "", 0
        for word in re.split(r"( +)", para):
            size = cell_len(word)
            if used + size <= width:
                line, used = line + word, used + size
                continue
            if word.strip() == "":  # spaces at a break are dropped
                out.append(line.rstrip())
                line, used = "", 0
                continue
            if line.strip():
                out.append(line.rstrip())
            line, used = "", 0
            for atom in atoms(word):
                w = cell_len(atom)
                if w > width:  # wider than the column: its characters one by one
                    for ch in atom:
                        c = get_character_cell_size(ch)
                        if used + c > width and line:
                            out.append(line)
                            line, used = "", 0
                        line, used = line + ch, used + c
                    continue
                if used + w > width and line:
                    out.append(line)
                    line, used = "", 0
                line, used = line + atom, used + w
        out.append(line.rstrip())
    return out


# Where a PHRASES cell may break: after a space or a separator (；; ， , 、), and, in a
# `字段=值` too wide for its column, after its `=` or `：`; never inside a reference number
# or a date.
_PHRASE_BREAK = re.compile(r"(?<=[；;，,、 ])")
_PAIR_BREAK = re.compile(r"(?<=[=：])")
WIDEST_TOKEN = 20  # a PHRASES column is never squeezed below its widest phrase, up to this


def phrases(text: str) -> list[str]:
    """A PHRASES cell's phrases: the pieces between the places it may break first."""
    return [t for t in _PHRASE_BREAK.split(text) if t]


def wrap_phrases(text: str, width: int) -> list[str]:
    """`字段=值；字段=值` in lines of at most `width` cells, broken between its phrases; a
    phrase wider than the column after its `=`, then as text."""
    out: list[str] = []
    for para in text.split("\n"):
        line = ""
        for phrase in phrases(para):
            pieces = [phrase] if cell_len(phrase.strip()) <= width else _PAIR_BREAK.split(phrase)
            for token in filter(None, pieces):
                if line.strip() and cell_len(line + token.rstrip()) > width:
                    out.append(line.rstrip())
                    line = token.lstrip()
                else:
                    line += token
                if cell_len(line.rstrip()) > width:  # one token wider than the column
                    broken = wrap(line, width)
                    out += broken[:-1]
                    line = broken[-1]
        out.append(line.rstrip())
    return out


def _items(text: str) -> list[str]:
    """A list's items as they stay on a line (each with its separator)."""
    return [p.strip() for p in re.split(r"(?<=、)|(?<=,)(?= )", text)] or [""]


class Layout:
    """A listing's cells as text, with the width each column takes at `width` cells."""

    def __init__(self, listing: Listing, width: int) -> None:
        self.headings = [c.heading() for c in listing.columns]
        keys = [c.key for c in listing.columns]
        rows = [[cell(row.get(k)) for k in keys] for row in listing.rows]
        totals = listing.totals
        self.totals = [cell(totals.get(k)) for k in keys] if totals else None
        self.rows = rows
        n = len(keys)
        natural = [cell_len(h) for h in self.headings]
        # A heading may wrap between words (between characters in Chinese, a bracket kept whole).
        least = [max(map(cell_len, re.split(r" +", h)), default=0) for h in self.headings]
        least = [
            w if h.isascii() else max(min(w, 4), *map(cell_len, atoms(h.replace(" ", ""))))
            for w, h in zip(least, self.headings, strict=True)
        ]
        fits = [c.fit for c in listing.columns]
        self.items = [f == ITEMS for f in fits]
        self.wrappers: list[Callable[[str, int], list[str]]] = [
            wrap_items if f == ITEMS else wrap_phrases if f == PHRASES else wrap for f in fits
        ]
        whole = [f not in (TEXT, ITEMS, PHRASES) for f in fits]
        # The narrowest a wrapping column gets: a list's widest item, else NARROWEST_TEXT.
        self.floor = [NARROWEST_TEXT] * n
        self.sizes: list[list[int]] = []
        for raw, texts in zip(listing.rows, rows, strict=True):
            sizes: list[int] = []
            self.sizes.append(sizes)
            for i, (k, text) in enumerate(zip(keys, texts, strict=True)):
                size = cell_len(text) if "\n" not in text else max(map(cell_len, text.split("\n")))
                sizes.append(size)
                if size > natural[i]:
                    natural[i] = size
                if size > least[i]:
                    least[i] = size
                if self.items[i]:
                    self.floor[i] = max(self.floor[i], *map(cell_len, _items(text)))
                elif fits[i] == PHRASES and text:
                    widest = max(cell_len(t.strip()) for t in phrases(text))
                    self.floor[i] = max(self.floor[i], min(widest, WIDEST_TOKEN))
                elif whole[i] and text and fits[i] is None and not _whole(raw.get(k), text):
                    whole[i] = False
        for i, text in enumerate(self.totals or []):
            natural[i] = max(natural[i], cell_len(text))
            least[i] = max(least[i], cell_len(text))
        self.widths = self._fit(natural, least, whole, width, self.floor)

    @staticmethod
    def _fit(
        natural: list[int], least: list[int], whole: list[bool], width: int, floor: list[int]
    ) -> list[int] | None:
        """Each column's width: whole ones as wide as their widest cell (their heading may
        wrap); wrapping ones share what is left. None if the columns cannot fit in `width`."""
        room = width - PAD * len(natural)
        if sum(natural) <= room:
            return natural
        widths = [lo if keep else w for w, lo, keep in zip(natural, least, whole, strict=True)]
        fixed = sum(w for w, keep in zip(widths, whole, strict=True) if keep)
        wrapping = [i for i, keep in enumerate(whole) if not keep]
        left = room - fixed
        if left < 0 or sum(min(natural[i], floor[i]) for i in wrapping) > left:
            return None
        if sum(natural[i] for i in wrapping) <= left:  # headings alone were too wide
            for i in wrapping:
                widths[i] = natural[i]
            spare = left - sum(natural[i] for i in wrapping)
            for i, keep in enumerate(whole):  # give headings back their room, left first
                if keep and spare > 0:
                    extra = min(spare, natural[i] - widths[i])
                    widths[i] += extra
                    spare -= extra
            return widths
        # Share what is left among the wrapping columns: each its floor, then the rest in
        # proportion to what each wants beyond it (a long text is not squeezed to the width of
        # a short label beside it), the odd cells to the widest.
        base = {i: min(natural[i], floor[i]) for i in wrapping}
        spare = left - sum(base.values())
        if spare < 0:
            return None
        # A short heading of a whole column (操作人) stays on one line while there is room.
        for i, keep in enumerate(whole):
            short = keep and widths[i] < natural[i] <= SHORT_HEADING
            extra = min(spare, natural[i] - widths[i]) if short else 0
            if extra > 0:
                widths[i] += extra
                spare -= extra
                left -= extra
        beyond = {i: natural[i] - base[i] for i in wrapping}
        asked = sum(beyond.values()) or 1
        want = {i: base[i] + beyond[i] * spare // asked for i in wrapping}
        for i in sorted(wrapping, key=lambda i: -beyond[i])[: left - sum(want.values())]:
            want[i] += 1
        for i, w in want.items():
            widths[i] = w
        return widths

    def lines(self) -> Iterator[tuple[str, str | None]]:
        """The table's lines with the style of each (the heading bold)."""
        widths = self.widths
        assert widths is not None
        for line in self._row(self.headings, widths, [cell_len(h) for h in self.headings], []):
            yield line, "bold"
        rule = " " + "─" * (sum(widths) + PAD * (len(widths) - 1))
        yield rule, None
        for texts, sizes in zip(self.rows, self.sizes, strict=True):
            if all(n <= w for n, w in zip(sizes, widths, strict=True)) and not any(
                "\n" in t for t in texts
            ):  # the usual row: one line, padded
                parts = [t + " " * (w - n) for t, n, w in zip(texts, sizes, widths, strict=True)]
                yield (" " + "  ".join(parts)).rstrip(), None
                continue
            for line in self._row(texts, widths, sizes, self.wrappers):
                yield line, None
        if self.totals:
            yield rule, None
            sizes = [cell_len(t) for t in self.totals]
            for line in self._row(self.totals, widths, sizes, self.wrappers):
                yield line, "bold"

    @staticmethod
    def _row(
        texts: list[str],
        widths: list[int],
        sizes: list[int],
        wrappers: list[Callable[[str, int], list[str]]],
    ) -> Iterator[str]:
        cells = [
            (wrappers[i] if i < len(wrappers) else wrap)(t, w) if n > w or "\n" in t else [t]
            for i, (t, w, n) in enumerate(zip(texts, widths, sizes, strict=True))
        ]
        for k in range(max(len(c) for c in cells)):
            parts = []
            for lines, w in zip(cells, widths, strict=True):
                text = lines[k] if k < len(lines) else ""
                parts.append(text + " " * (w - cell_len(text)))
            yield (" " + "  ".join(parts)).rstrip()

    def cards(self, width: int) -> Iterator[tuple[str, str | None]]:
        """One card per record: `heading  value`, the value wrapped to what is left."""
        key_width = min(max(map(cell_len, self.headings)), max(width // 3, 4))
        room = max(width - key_width - 4, 8)
        records = [*self.rows, *([self.totals] if self.totals else [])]
        for n, texts in enumerate(records):
            if n:
                yield "", None
            for heading, text, wrapper in zip(self.headings, texts, self.wrappers, strict=True):
                if not text:
                    continue
                heads = wrap(heading, key_width)
                values = wrapper(text, room)
                for k in range(max(len(heads), len(values))):
                    head = heads[k] if k < len(heads) else ""
                    value = values[k] if k < len(values) else ""
                    pad = " " * (key_width - cell_len(head))
                    yield f"  {head}{pad}  {value}".rstrip(), None


def print_listing(listing: Listing, console: Any) -> None:
    """Print `listing` on `console`: as a table if it fits its width, else as cards."""
    from rich.text import Text

    width = console.width
    layout = Layout(listing, width)
    lines = layout.lines() if layout.widths is not None else layout.cards(width)
    # One Text for the whole listing (a Text per line costs more than the layout), styled
    # by spans: the title, the heading and total rows, the line about rows left out.
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    at = 0

    def add(line: str, style: str | None) -> None:
        nonlocal at
        parts.append(line)
        if style:
            spans.append((at, at + len(line), style))
        at += len(line) + 1

    if listing.title:
        add(listing.title, "italic")
    for line, style in lines:
        add(line, style)
    from sanling.i18n import tr

    if not listing.rows:  # said at every width (as cards an empty list would print nothing)
        add(tr("（无记录）", "(no records)"), "dim")
    more = getattr(listing, "more", 0)
    if more:
        if getattr(listing, "older", False):
            said = tr(
                "……另有 {n} 条较早的记录未显示，用 --limit 0 显示全部",
                "… {n} older records not shown; --limit 0 shows all",
                n=f"{more:,}",
            )
        else:
            said = tr(
                "……另有 {n} 条未显示（--limit 0 显示全部）",
                "… {n} more not shown (--limit 0 shows all)",
                n=f"{more:,}",
            )
        add(said, "dim")
    plain = "\n".join(parts) + "\n"
    if console.color_system is None:  # no colour (a pipe, a file): the text as it is
        console.file.write(plain)
        return
    text = Text(plain, no_wrap=True, overflow="ignore", end="")
    for start, end, style in spans:
        text.stylize(style, start, end)
    console.print(text, crop=False, soft_wrap=True, end="")
