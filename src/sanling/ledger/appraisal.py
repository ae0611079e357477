"""Appraisal score sheets (考评表) and the quarterly scores given on them.

A town or the county imports its sheet; the current sheet of a town is its latest import, else
the county's latest (a sheet imported without --town), else the sheet sanling ships. A score
is one subject's points on one item in one quarter, given by the body that scores the item; a
later score of the same item and quarter replaces the earlier one, and both are in the audit
log. Items the ledger scores itself (a rule) and veto items take no score.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import or_, select

from sanling.codes import ASSESSED
from sanling.errors import Duplicate, InvalidState, InvalidValue, NotFound
from sanling.i18n import tr
from sanling.ledger.base import Ledger, snapshot
from sanling.models import AppraisalItem, AppraisalScore, AppraisalSheet, Subject, Town
from sanling.periods import Period, check_year
from sanling.transfer.appraisal import Item, SheetSpec, default

_QUARTER = re.compile(r"^\s*(\d{4})\s*[-/ ]?\s*[Qq季]\s*([1-4])\s*$")
_QUARTER_ZH = re.compile(r"^\s*(\d{4})\s*年\s*第?\s*([1-4一二三四])\s*季度?\s*$")
_ZH_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4"}


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def period(self) -> Period:
        start = dt.date(self.year, 3 * self.number - 2, 1)
        end_month = 3 * self.number
        end = (
            dt.date(self.year, 12, 31)
            if end_month == 12
            else dt.date(self.year, end_month + 1, 1) - dt.timedelta(days=1)
        )
        return Period(start, end)


def parse_quarter(text: str) -> Quarter:
    """2026Q3, 2026-Q3, 2026年第3季度, 2026年三季度."""
    m = _QUARTER.match(text) or _QUARTER_ZH.match(text)
    if not m:
        raise InvalidValue(
            tr("季度“{t}”无法识别", "cannot read the quarter '{t}'", t=text[:20]),
            tr("写成 2026Q3（2026 年第三季度）", "write it as 2026Q3 (the third quarter of 2026)"),
            field="--quarter",
        )
    check_year(int(m[1]), text.strip()[:20], "--quarter")
    return Quarter(int(m[1]), int(_ZH_DIGITS.get(m[2], m[2])))


@dataclass
class Sheet:
    """A town's current sheet: its name, import date (None: the one sanling ships) and
    items."""

    name: str
    imported_on: dt.date | None
    town: str | None
    items: list[Item]

    @property
    def scored(self) -> list[Item]:
        return [i for i in self.items if i.veto is None]

    @property
    def vetoes(self) -> list[Item]:
        return [i for i in self.items if i.veto is not None]

    def item(self, key: str) -> Item | None:
        return next((i for i in self.items if i.key == key), None)


def _item(row: AppraisalItem) -> Item:
    points = None if row.points is None else Decimal(str(row.points)).quantize(Decimal("0.1"))
    return Item(
        row.key,
        row.title,
        points=points,
        section=row.section,
        body=row.body,
        rule=row.rule,
        veto=row.veto,
        source=row.source,
    )


def current(lx: Ledger, town_id: int | None) -> Sheet:
    """The sheet in force for a town: its latest, else the county's latest, else the default."""
    query = select(AppraisalSheet).order_by(
        AppraisalSheet.town_id.is_(None), AppraisalSheet.id.desc()
    )
    if town_id is None:
        query = query.where(AppraisalSheet.town_id.is_(None))
    else:
        query = query.where(
            or_(AppraisalSheet.town_id == town_id, AppraisalSheet.town_id.is_(None))
        )
    row = lx.session.scalars(query.limit(1)).first()
    if row is None:
        spec = default()
        name = tr("{n}（sanling 自带）", "{n} (shipped with sanling)", n=spec.name or "")
        return Sheet(name, None, None, spec.items)
    return current_of(lx, row)


def import_sheet(
    lx: Ledger, spec: SheetSpec, *, source: str, name: str | None, town: str | None
) -> Sheet:
    """Store a checked sheet as the town's (or, without a town, the county's) current one."""
    town_row = lx.town(town) if town else None
    own = (spec.name or source)[:88]
    title = lx.text(name, "--name", limit=100) or f"{own} {lx.today.isoformat()}"
    if lx.exists(AppraisalSheet, AppraisalSheet.name == title):
        raise Duplicate(
            tr("已有名为“{n}”的考评表", "a sheet named '{n}' exists already", n=title),
            tr("用 --name 另取一个名字", "give it another name with --name"),
        )
    sheet = AppraisalSheet(
        name=title,
        town_id=town_row.id if town_row else None,
        imported_on=lx.today,
        source=source[:200],
        operator=lx.operator,
    )
    lx.session.add(sheet)
    lx.session.flush()
    for position, item in enumerate(spec.items, start=1):
        lx.session.add(
            AppraisalItem(
                sheet_id=sheet.id,
                position=position,
                key=item.key,
                section=item.section,
                title=item.title,
                points=item.points,
                body=item.body,
                rule=item.rule,
                veto=item.veto,
                source=item.source,
            )
        )
    lx.session.flush()
    lx.session.refresh(sheet)
    stored = current_of(lx, sheet)
    lx.audit("appraisal_sheet.import", title[:40], None, {**snapshot(sheet), **audited(stored)})
    return stored


def current_of(lx: Ledger, row: AppraisalSheet) -> Sheet:
    town = lx.session.get(Town, row.town_id).name if row.town_id else None  # type: ignore[union-attr]
    return Sheet(row.name, row.imported_on, town, [_item(i) for i in row.items])


def audited(sheet: Sheet) -> dict[str, Any]:
    return {"name": sheet.name, "town": sheet.town, "items": [item_row(i) for i in sheet.items]}


def item_row(item: Item) -> dict[str, Any]:
    return {
        "key": item.key,
        "section": item.section,
        "title": item.title,
        "points": None if item.points is None else float(item.points),
        "body": item.body,
        "rule": item.rule.value if item.rule else None,
        "veto": item.veto.value if item.veto else None,
        "source": item.source,
    }


def _points(text: str, item: Item) -> Decimal:
    try:
        points = Decimal(text.strip())
    except InvalidOperation:
        points = Decimal("NaN")
    top = item.points or Decimal(0)
    if not points.is_finite() or points < 0 or points != points.quantize(Decimal("0.1")):
        raise InvalidValue(
            tr(
                "分数“{v}”须是 0 以上、最多一位小数的数",
                "points '{v}' must be a number of 0 or more with one decimal at most",
                v=text[:20],
            ),
            tr(
                "--points 写该项得分，0 至 {m}，如 4.5",
                "--points gives the item's score, 0 to {m}, e.g. 4.5",
                m=f"{top:f}",
            ),
            field="--points",
        )
    if points > top:
        raise InvalidValue(
            tr(
                "{k} 满分 {m} 分，给了 {v} 分",
                "{k} is worth {m} points at most, got {v}",
                k=item.key,
                m=f"{top:f}",
                v=f"{points:f}",
            ),
            tr("分数不能超过该项分值", "a score cannot exceed the item's points"),
            field="--points",
        )
    return points.quantize(Decimal("0.1"))


def _scored_item(sheet: Sheet, key: str) -> Item:
    item = sheet.item(key.strip())
    if item is None:
        keys = ", ".join(i.key for i in sheet.scored if i.rule is None)
        raise NotFound(
            tr(
                "考评表“{s}”没有“{k}”这一项",
                "the sheet '{s}' has no item '{k}'",
                s=sheet.name,
                k=key,
            ),
            tr("可打分的项：{k}", "items to score: {k}", k=keys),
        )
    if item.veto is not None or item.rule is not None:
        raise InvalidState(
            tr(
                "“{k}”由台账按记录计算，不能手工打分",
                "'{k}' is computed from the ledger's records, not scored by hand",
                k=item.key,
            ),
            tr(
                "`sanling report appraisal --explain` 列出它用到的记录",
                "`sanling report appraisal --explain` lists the records it used",
            ),
        )
    return item


def score(
    lx: Ledger,
    subject: str,
    quarter: str,
    key: str,
    points: str,
    note: str | None,
    *,
    town: str | None = None,
) -> dict[str, Any]:
    """Record (or replace) a subject's points on one item of one quarter."""
    who = lx.subject(subject, town=town, kinds=ASSESSED)
    q = parse_quarter(quarter)
    if q.period.start > lx.today:
        raise InvalidValue(
            tr(
                "{q} 还没有开始（今天是 {d}）",
                "{q} has not begun (today is {d})",
                q=str(q),
                d=lx.today.isoformat(),
            ),
            tr("只能给已开始的季度打分", "score a quarter that has begun"),
            field="--quarter",
        )
    sheet = current(lx, who.town_id)
    item = _scored_item(sheet, key)
    value = _points(points, item)
    text = lx.text(note, "--note")
    found = lx.session.scalars(
        select(AppraisalScore).where(
            AppraisalScore.subject_id == who.id,
            AppraisalScore.year == q.year,
            AppraisalScore.quarter == q.number,
            AppraisalScore.item == item.key,
        )
    ).first()
    before = None if found is None else snapshot(found)
    if found is None:
        found = AppraisalScore(subject_id=who.id, year=q.year, quarter=q.number, item=item.key)
        lx.session.add(found)
    found.points = value  # type: ignore[assignment]
    found.note = text
    found.scored_on = lx.today
    found.operator = lx.operator
    lx.session.flush()
    after = score_row(who, q, found)
    # Logged whole (ids included) so --as-recorded can take a score back (ledger/recorded.py).
    verb = "add" if before is None else "edit"
    ref = f"{who.name}/{q}/{item.key}"[:40]  # the log's reference column holds 40
    lx.audit(f"appraisal_score.{verb}", ref, before, snapshot(found))
    return {**after, "max": float(item.points or 0), "body": item.body, "sheet": sheet.name}


def score_row(subject: Subject, q: Quarter, s: AppraisalScore) -> dict[str, Any]:
    return {
        "subject": subject.name,
        "quarter": str(q),
        "item": s.item,
        "points": float(s.points),
        "note": s.note,
        "scored_on": s.scored_on,
        "operator": s.operator,
    }
