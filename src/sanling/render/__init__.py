"""Renderers: a listing, a record or a report in; text or bytes out.

Nothing here knows the database. A command builds a `Listing` (rows), a `Detail` (one
record with its logs) or a report object, and `render()` turns it into the chosen format.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import import_module
from typing import Any, Protocol

from sanling.i18n import get_lang, header, label
from sanling.safetext import shown

FORMATS = ("table", "json", "csv", "markdown")
REPORT_FORMATS = (*FORMATS, "text", "html", "xlsx")


@dataclass
class Column:
    key: str
    title: str | None = None  # overrides the catalog header
    # How its cells may be broken over lines at 80 columns (render/fit.py): WHOLE never
    # (references, dates, codes), ITEMS between the items of a list only (references joined by
    # 、), PHRASES at spaces and after ；; ， 、 = (a log's `字段=值；…`: references and dates
    # kept whole), TEXT anywhere; None: judged from the values.
    fit: str | None = None

    def heading(self) -> str:
        return self.title or header(self.key)


WHOLE, ITEMS, TEXT, PHRASES = "whole", "items", "text", "phrases"


@dataclass
class Listing:
    """Rows of records (values are Python values: enums, dates, bools, numbers, text)."""

    columns: list[Column]
    rows: list[dict[str, Any]]
    title: str | None = None
    key: str = "rows"  # the key of this listing in a JSON object
    totals: dict[str, Any] | None = None
    more: int = 0  # rows left out by --limit (the table says how many)
    older: bool = False  # those left out are the older records (the newest are shown)
    # A column whose zero rows the text format leaves out (a WeChat message names only the
    # categories with any case; every other format lists them all, zeros too).
    quiet: str | None = None

    @classmethod
    def of(cls, keys: list[str], rows: list[dict[str, Any]], **kw: Any) -> Listing:
        return cls([Column(k) for k in keys], rows, **kw)


@dataclass(frozen=True)
class Tile:
    """A headline figure of a report's HTML page: the JSON path of its value, its label
    (zh, en), its unit. Reports declare theirs; the renderer names no report's keys."""

    path: str
    label: tuple[str, str]
    unit: str = ""
    signed: bool = False  # a change: shown with its sign


@dataclass(frozen=True)
class Chart:
    """A chart of a report's HTML page: bars of a {code: count} figure (`codes` names the
    labels), or without codes the twelve-month trend (a list of found and resolved)."""

    path: str
    caption: tuple[str, str]
    codes: type[StrEnum] | None = None


@dataclass
class Detail:
    """One record: its fields, then listings such as its progress log."""

    fields: dict[str, Any]
    sections: list[Listing] = field(default_factory=list)
    title: str | None = None
    titles: dict[str, str] = field(default_factory=dict)  # field key -> heading override

    def heading(self, key: str) -> str:
        return self.titles.get(key) or header(key)


class Report(Protocol):
    """What report builders return (reports.py): JSON data and sections for tables."""

    title: str

    def data(self) -> dict[str, Any]: ...

    def sections(self) -> list[Listing | Detail]: ...


def plain(value: Any) -> Any:
    """A value for JSON: codes, ISO dates, numbers."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return (
            value.isoformat(timespec="minutes") if isinstance(value, dt.time) else value.isoformat()
        )
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def cell(value: Any) -> str:
    """A value for people: labels, yes/no in the ledger language, no 'None'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("是" if value else "否") if get_lang() == "zh" else ("yes" if value else "no")
    if isinstance(value, StrEnum):
        return label(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.1f}" if value != int(value) or abs(value) < 1000 else f"{value:.0f}"
    if isinstance(value, decimal.Decimal):
        return f"{value:.2f}"
    if isinstance(value, list | tuple):
        return "、".join(cell(v) for v in value)
    return shown(str(value))  # stored text never moves the cursor or breaks a file


# The one registry of formats (as datasette's renderers): format -> (module, function), each
# module imported when its format is first asked for (openpyxl only for xlsx).
RENDERERS: dict[str, tuple[str, str]] = {
    "table": ("sanling.render.table", "to_table"),
    "json": ("sanling.render.jsonfmt", "to_json"),
    "csv": ("sanling.render.csvfmt", "to_csv"),
    "markdown": ("sanling.render.markdown", "to_markdown"),
    "text": ("sanling.render.text", "to_text"),
    "html": ("sanling.render.html", "to_html"),
    "xlsx": ("sanling.render.xlsx", "to_xlsx"),
}


def render(obj: Listing | Detail | Report, fmt: str) -> str | bytes:
    """Any listing, record or report in any format."""
    where = RENDERERS.get(fmt)
    if where is None:
        from sanling.errors import UsageError
        from sanling.i18n import tr

        raise UsageError(tr("此处不支持格式 {fmt}", "format {fmt} is not available here", fmt=fmt))
    module, name = where
    renderer: Callable[[Any], str | bytes] = getattr(import_module(module), name)
    out = renderer(obj)
    if isinstance(out, str) and fmt in ("text", "markdown", "html"):
        # A report's own lines (the bulletin's) hold stored names too: no control character
        # reaches the reader (CSV and JSON cells are made safe cell by cell).
        out = shown(out)
    return out


def sections_of(obj: Listing | Detail | Report) -> list[Listing | Detail]:
    if isinstance(obj, Listing | Detail):
        return [obj]
    return obj.sections()
