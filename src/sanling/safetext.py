"""Stored text that can never act: control characters and spreadsheet formulas.

Text comes in from people (`add`, `edit`), from spreadsheets (`import`) and, in an old ledger
or one changed with SQL, from anywhere. Three rules, each applied in one place:

- **In**: `refusal()` names a control character in text typed at a command (Ledger.text
  refuses it); `clean()` drops them from an imported cell, counted for the import summary.
  Tab and line break are kept in the texts that may have lines (`MULTILINE`).
- **Out to people**: `shown()` turns any control character left in stored text into its
  visible symbol (ESC -> ␛), so no stored text moves a terminal's cursor or breaks a file.
- **Out to spreadsheets**: `csv_cell()` puts a `'` before text that a spreadsheet would read
  as a formula (OWASP: a leading = + - @, tab or carriage return) and `csv_uncell()` takes it
  off again on import; `sheet_cell()` writes text into an xlsx cell as text, never a formula.
  Numbers sanling computed stay numbers (a change of -2 is not quoted).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

# C0 controls but tab and line feed, DEL, C1 controls; and the bidirectional overrides and
# isolates, which reorder what a terminal or a spreadsheet shows (U+202E: "Trojan source").
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_ANY_CONTROL = re.compile(f"[{_CONTROL}\t\n]")
_CONTROL_ONLY = re.compile(f"[{_CONTROL}]")

# The texts that may run over several lines (a summary, a note, a reason): tab and line
# break are allowed there; every other text (a name, a village, a phone) is one line.
MULTILINE = frozenset(
    {
        "summary",
        "description",
        "plan",
        "measures",
        "route",
        "findings",
        "action",
        "note",
        "text",
        "reason",
        "parties",
        "result",
        "delist_reason",
        "retire_reason",
    }
)

_NAMES = {
    "\t": "TAB",
    "\n": "LF",
    "\r": "CR",
    "\x0b": "VT",
    "\x0c": "FF",
    "\x1b": "ESC",
    "\x00": "NUL",
    "\x7f": "DEL",
}


def _bad(text: str, lines: bool) -> re.Pattern[str]:
    return _CONTROL_ONLY if lines else _ANY_CONTROL


def refusal(text: str, lines: bool = False) -> str | None:
    """The first control character of `text` as people name it (`U+000B (VT)`), or None."""
    found = _bad(text, lines).search(text)
    if found is None:
        return None
    char = found.group()
    name = _NAMES.get(char)
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def clean(text: str, lines: bool = True) -> tuple[str, int]:
    """`text` without control characters (a line break and tab become a space outside
    `lines` texts), and how many there were."""
    if not lines:
        text, spaced = re.subn(r"[\t\n]+", " ", text)
    else:
        spaced = 0
    out, dropped = _CONTROL_ONLY.subn("", text)
    return out, dropped + spaced


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ... ␟, the Unicode control pictures
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def shown(text: str) -> str:
    """Stored text for output: control characters as their visible symbols; tab and line
    break kept (the renderers lay out lines themselves)."""
    if _CONTROL_ONLY.search(text) is None:
        return text
    return _CONTROL_ONLY.sub(_picture, text)


# ---- spreadsheets ---------------------------------------------------------------------------
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_QUOTED_START = (*_FORMULA_START, "'")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)%?|[+-]")  # -2, +3.5%, a lone -


def is_number(value: Any) -> bool:
    """A number sanling computed or stored as a number (not a bool, not text)."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def csv_cell(value: Any, text: str) -> str:
    """The CSV text of `value` (already formatted as `text`): a number as it is; text that a
    spreadsheet would run as a formula, or that starts with the quote itself (so the quote
    can always be taken off again), after a `'`."""
    if is_number(value) or not text.startswith(_QUOTED_START) or _PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text


def csv_uncell(text: str) -> str:
    """The text `csv_cell` wrote, its quote taken off (a round trip is exact)."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r\n'":
        inner = text[1:]
        if csv_cell(inner, inner) == text:  # only what csv_cell quoted ('-2 stays '-2)
            return inner
    return text


def sheet_text(value: Any) -> tuple[Any, bool]:
    """A cell's value for openpyxl, and whether it must be typed as text: numbers, dates and
    None as they are; text with no control character (XML 1.0 cannot hold them), typed as
    text when it starts with `=` so that it is never a formula."""
    if not isinstance(value, str):
        return value, False
    text = shown(value)
    return text, text.startswith("=")


def sheet_cell(sheet: Any, value: Any) -> Any:
    """A value for a row of a write-only sheet (sheet_text)."""
    value, as_text = sheet_text(value)
    if not as_text:
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell
