"""The 台账 layout: a kind's records as a township office files and prints them.

`sanling export KIND --layout ledger -o FILE.xlsx` writes one sheet: a merged title row
(城庄镇2026年矛盾纠纷排查化解台账), a 填报单位 / 填报时间 line, then the table: 序号 first and
the office's column set in its wording, thin borders, wrapped text, widths fitted to the
content (a Chinese character counts double), the header frozen and repeated on every printed
page, A4 landscape, fitted to the page's width.

Each kind's office columns are declared once below, by field: a field's office header is
one of the headers that field already accepts on import (its synonyms in fields.py, checked
when this module loads), so the file always imports back: `sanling import KIND FILE` finds
the header under the title rows, knows every column and recognises every row by its natural
key (adding nothing to the ledger it came from).
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sanling import safetext
from sanling.i18n import get_lang, tr
from sanling.transfer.specs import SPECS, Col, Spec

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger

MIN_WIDTH, MAX_WIDTH = 6, 36  # column widths in characters; longer text wraps
TITLE_ROW, FILED_ROW, HEADER_ROW = 1, 2, 3


@dataclass(frozen=True)
class Office:
    """A kind's office ledger: its title and its columns, each a field key or (key, the
    office's header for it)."""

    kind: str
    title: tuple[str, str]
    columns: tuple[str | tuple[str, str], ...]

    def cols(self) -> list[tuple[Col, str]]:
        """Each column's field and header in the ledger's language."""
        spec = SPECS[self.kind]
        out = []
        for item in self.columns:
            key, office = item if isinstance(item, tuple) else (item, None)
            col = spec.by_key[key]
            out.append((col, office if office and get_lang() == "zh" else col.heading()))
        return out


OFFICES: dict[str, Office] = {
    o.kind: o
    for o in (
        Office(
            "subjects",
            ("创建主体名册", "register of subjects"),
            (
                ("name", "主体名称"),
                ("kind", "主体类型"),
                "village",
                *("households", "population", "contact", "phone"),
                *("mediation_committee", "security_committee", "patrol_team"),
                *("video", "police_office"),
            ),
        ),
        Office(
            "sweeps",
            ("矛盾纠纷和安全隐患排查登记台账", "sweep register"),
            (("subject", "排查对象"), "date", "by", "scope", ("note", "排查情况")),
        ),
        Office(
            "disputes",
            ("矛盾纠纷排查化解台账", "dispute sweep and resolution ledger"),
            (
                "village",
                "found",
                ("source", "纠纷来源"),
                ("category", "纠纷类别"),
                ("summary", "矛盾纠纷简要情况"),
                "parties",
                "people",
                "risk",
                "handler",
                "lead",
                ("deadline", "化解期限"),
                ("status", "化解状态"),
                "resolved_on",
                "method",
                "result",
                "referred_to",
                "referred_on",
            ),
        ),
        Office(
            "petitions",
            ("信访事项登记台账", "petition register"),
            (
                "village",
                "date",
                ("form", "信访形式"),
                ("level", "信访层级"),
                ("people", "信访人数"),
                ("summary", "信访事项"),
                ("repeated", "是否重复访"),
                ("abnormal", "是否非正常访"),
                ("handled_at_source", "是否源头化解"),
                "handler",
                ("accepted_on", "受理告知日期"),
                ("replied_on", "答复日期"),
            ),
        ),
        Office(
            "backlog",
            ("信访积案化解台账", "backlog case ledger"),
            (
                "date",
                "assigned_by",
                "village",
                "petitioner",
                ("summary", "主要诉求"),
                "lead",
                "unit",
                "plan",
                "deadline",
                "closed_on",
                "outcome",
                "outcome_on",
            ),
        ),
        Office(
            "hazards",
            ("安全隐患排查整改台账", "hazard sweep and rectification ledger"),
            (
                "village",
                "subject",
                ("found", "排查日期"),
                ("area", "隐患类别"),
                ("grade", "隐患等级"),
                "location",
                "description",
                "measures",
                ("responsible", "整改责任人"),
                ("deadline", "整改时限"),
                ("status", "整改状态"),
                ("rectified_on", "整改完成日期"),
                "checked_by",
                ("closed_on", "销号日期"),
            ),
        ),
        Office(
            "hotspots",
            ("治安乱点排查整治台账", "hotspot ledger"),
            ("village", "date", "description", "measures", ("rectified_on", "整治完成日期")),
        ),
        Office(
            "patrols",
            ("治安巡逻登记台账", "patrol register"),
            (
                "date",
                "start",
                "end",
                ("village", "巡逻区域"),
                ("kind", "巡逻类型"),
                ("team", "巡逻力量"),
                ("leader", "带班领导"),
                "people",
                ("route", "巡逻路线"),
                "findings",
                "action",
                ("to_police", "是否移交公安"),
            ),
        ),
        Office(
            "cases",
            ("刑事治安案件登记台账", "case register"),
            (
                "date",
                ("village", "发案地点"),
                ("kind", "案件性质"),
                "offence",
                ("summary", "简要案情"),
                ("major", "是否有重大影响"),
                ("source", "办案单位"),
            ),
        ),
        Office(
            "accidents",
            ("安全事故登记台账", "accident register"),
            (
                ("date", "发生时间"),
                ("village", "事故地点"),
                ("kind", "事故类别"),
                ("deaths", "死亡人数"),
                ("serious_injuries", "重伤人数"),
                ("injuries", "轻伤人数"),
                "loss",
                ("summary", "事故简要情况"),
            ),
        ),
        Office(
            "persons",
            ("重点人员排查管控台账", "key person ledger"),
            (
                ("category", "人员类别"),
                ("name", "姓名"),
                "sex",
                "id_number",
                "phone",
                "village",
                ("address", "现住址"),
                "risk",
                "guardian",
                "cadre",
                "listed",
                "delisted",
                "delist_reason",
            ),
        ),
    )
}


def _check() -> None:
    """Every office header is one the import reads as its field, and every column the import
    needs to add a row or to recognise it (required and natural-key columns) is there."""
    for kind, office in OFFICES.items():
        spec = SPECS[kind]
        keys = set()
        for item in office.columns:
            key, header = item if isinstance(item, tuple) else (item, None)
            assert key in spec.by_key, f"{kind}: no field {key}"
            if header is not None:
                col = spec.column(header)
                assert col is not None and col.key == key, f"{kind}: {header} is not {key}"
            keys.add(key)
        needed = {c.key for c in spec.required()} | set(spec.natural)
        assert needed - {"town"} <= keys, f"{kind}: lacks {needed - keys}"
    assert set(OFFICES) == set(SPECS)


_check()


# ---- writing ---------------------------------------------------------------------------------
def width(text: str) -> int:
    """How wide text prints: a Chinese (wide or full-width) character counts double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _filer(lx: Ledger) -> str:
    """Who files the ledger: the town, or the county of a county ledger."""
    from sqlalchemy import select

    from sanling.models import Town

    towns = list(lx.session.scalars(select(Town).order_by(Town.id)))
    if len(towns) == 1:
        return towns[0].name
    counties = {t.county for t in towns if t.county}
    return counties.pop() if len(counties) == 1 else ""


def _put(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write one cell: text without control characters (XML cannot hold them) and never a
    formula, whatever a town, a village or a summary is called."""
    value, as_text = safetext.sheet_text(value)
    cell = ws.cell(row, column, value)
    if as_text:
        cell.data_type = "s"
    return cell


def title(lx: Ledger, office: Office) -> str:
    name, year = _filer(lx), lx.today.year
    if get_lang() == "zh":
        return f"{name}{year}年{office.title[0]}"
    return f"{name} {office.title[1]} {year}".strip()


def _several_towns(lx: Ledger) -> bool:
    from sqlalchemy import func, select

    from sanling.models import Town

    return (lx.session.scalar(select(func.count()).select_from(Town)) or 0) > 1


def to_ledger(lx: Ledger, spec: Spec, rows: list[dict[str, Any]]) -> bytes:
    """The kind's records in its office layout, as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    from sanling.transfer.exporter import xlsx_value

    office = OFFICES[spec.kind]
    cols = office.cols()
    if _several_towns(lx):  # a county ledger: each row says its town
        cols.append((spec.by_key["town"], spec.by_key["town"].heading()))
    headers = [tr("序号", "No."), *(h for _, h in cols)]
    n = len(headers)
    last = get_column_letter(n)

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = spec.name()[:31] or spec.kind
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")

    _put(ws, TITLE_ROW, 1, title(lx, office)).font = Font(bold=True, size=16)
    ws.cell(TITLE_ROW, 1).alignment = centre
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = 32
    half = max(1, n // 2)
    filed_on = lx.today
    _put(ws, FILED_ROW, 1, tr("填报单位：{u}", "filed by: {u}", u=_filer(lx)))
    _put(ws, FILED_ROW, half + 1, tr("填报时间：{d}", "filed on: {d}", d=_day(filed_on)))
    ws.cell(FILED_ROW, half + 1).alignment = Alignment(horizontal="right")
    if half > 1:
        ws.merge_cells(start_row=FILED_ROW, start_column=1, end_row=FILED_ROW, end_column=half)
    if n > half + 1:
        ws.merge_cells(start_row=FILED_ROW, start_column=half + 1, end_row=FILED_ROW, end_column=n)

    widths = [width(h) for h in headers]
    for i, h in enumerate(headers, start=1):
        c = _put(ws, HEADER_ROW, i, h)
        c.font, c.alignment, c.border = Font(bold=True), centre, box
        c.fill = PatternFill("solid", fgColor="DDDDDD")
    for number, r in enumerate(rows, start=1):
        at = HEADER_ROW + number
        line = [number, *(xlsx_value(col, r.get(col.key)) for col, _ in cols)]
        for i, value in enumerate(line, start=1):
            c = _put(ws, at, i, value)
            value = c.value
            c.border = box
            c.alignment = centre if i == 1 else wrap
            if isinstance(value, dt.date):
                c.number_format = "yyyy-mm-dd"
            shown = value.isoformat() if isinstance(value, dt.date) else str(value or "")
            widths[i - 1] = max(widths[i - 1], *(width(part) for part in shown.split("\n")))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(MIN_WIDTH, w + 2))

    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _day(day: dt.date) -> str:
    if get_lang() == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def header_names(kind: str) -> list[str]:
    """The layout's headers for a kind (序号 first), in the ledger's language: for the docs."""
    return [tr("序号", "No."), *(h for _, h in OFFICES[kind].cols())]
