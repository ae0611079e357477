"""--explain on every report: every figure has its records, and they count to the figure.

A generated two-town ledger (seeded, so the test is repeatable) feeds every report; the test
walks every numeric key of each report's JSON and checks the records behind it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from typing import Any

import pytest

from sanling import periods
from sanling.reports import queries as q
from sanling.reports.base import BuiltReport
from tests.helpers import ledgers, run

# Numbers in the JSON that are settings or identifiers, not figures counted from records.
NOT_FIGURES = ("year", "thresholds.key", "thresholds.general")
# List items are addressed by their name in the dotted path (villages.城庄村.open).
ITEM_KEYS = ("village", "name", "month", "town")


def numeric_keys(data: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, value) of every figure: numbers, and lists of names (counted by length)."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from numeric_keys(v, f"{path}.{k}" if path else k)
    elif isinstance(data, list):
        if data and all(isinstance(x, str) for x in data):
            yield path, data
        for item in data:
            if isinstance(item, dict):
                ident = next(
                    (item[k] for k in ITEM_KEYS if k in item and isinstance(item[k], str)), None
                )
                if ident is not None:
                    yield from numeric_keys(
                        {k: v for k, v in item.items() if k not in ITEM_KEYS}, f"{path}.{ident}"
                    )
    elif isinstance(data, int | float) and not isinstance(data, bool):
        yield path, data


def skip(key: str) -> bool:
    last = key.rsplit(".", 1)[-1]
    return (
        key in NOT_FIGURES
        or last in ("weight", "days_overdue")
        or key.startswith(
            (
                "overdue_disputes",
                "overdue_hazards",
                "findings",
                "sanling.subjects",
                "proposed_changes",
                "grading.proposed_changes",
            )
        )
    )


def check(report: BuiltReport, year: int | None = None) -> int:
    """Check every figure of a report; returns how many were checked."""
    checked = 0
    for key, value in numeric_keys(report.payload):
        if skip(key):
            continue
        assert key in report.explainers, f"{report.title}: no explainer for {key}"
        listing = report.explain(key)
        rows = listing.rows
        last = key.rsplit(".", 1)[-1]
        if isinstance(value, list):
            assert len(rows) == len(value), key
        elif last.endswith("rate") or ".rate." in key:
            counted = sum(1 for r in rows if r["counted"])
            assert periods.rate(counted, len(rows)) == value, key
        elif last == "hours":
            assert q.hours(sum(r["minutes"] for r in rows)) == value, key
        elif last == "administrative_change":
            now = sum(1 for r in rows if r["year"] == str(year))
            before = sum(1 for r in rows if r["year"] == str(year - 1 if year else 0))
            assert periods.change(now, before) == value, key
        elif last in ("score", "points"):
            total = sum(Decimal(str(r["points"])) for r in rows)
            assert float(total) == pytest.approx(value), key
        else:
            assert isinstance(value, int), key
            assert len(rows) == value, f"{key}: {len(rows)} records for the figure {value}"
        checked += 1
    return checked


VILLAGES = {"城庄镇": ["城庄村", "李家湾村", "前进村", "五和居"], "安业乡": ["安业村", "前进村"]}


def generate(seed: int = 7) -> None:
    """Two towns (安业乡 shares a village name with 城庄镇), a year and ten months of records,
    added through the library in one transaction to the `town` fixture's ledger (城庄镇)."""
    from sanling.codes import BacklogOutcome, Grade
    from sanling.ledger import backlog, hazard, person, subject
    from sanling.ledger import town as towns

    rnd = random.Random(seed)
    with ledgers.writing() as lx:
        add = partial(ledgers.add, lx)
        towns.add(lx, "安业乡", "临县")
        for town, names in VILLAGES.items():
            for i, name in enumerate(names):
                kind = "community" if name == "五和居" else "village"
                flags = {"video": True, "patrol_team": True} if i == 0 else {}
                add("subject", name=name, kind=kind, town=town, mediation_committee=True, **flags)
        add("subject", name="城庄中学", kind="unit", village="城庄村", town="城庄镇")
        add("subject", name="兴旺煤业", kind="enterprise", village="李家湾村", town="城庄镇")
        subject.grade(lx, "李家湾村", Grade.key, "手工定级", town="城庄镇")
        start = dt.date(2025, 1, 1)
        days = (dt.date(2026, 10, 31) - start).days
        cats = ["land", "neighbour", "debt", "labour", "marriage_family"]
        areas = ["road", "fire", "geological", "building"]
        # The random draws are made in the order the command lines of the first version made
        # them, so the seed gives the same ledger.
        for n in range(56):
            town = rnd.choice(list(VILLAGES))
            village = rnd.choice(VILLAGES[town])
            found = start + dt.timedelta(days=rnd.randrange(days))
            where = {"village": village, "town": town}
            kind = n % 7
            if kind in (0, 1, 2):
                category = rnd.choice(cats)
                handler = rnd.choice(["王", "李", "张"])
                d = add(
                    "dispute",
                    category=category,
                    summary=f"纠纷{n}",
                    handler=handler,
                    found=found.isoformat(),
                    **where,
                )
                end = found + dt.timedelta(days=rnd.randrange(40))
                if end <= dt.date(2026, 10, 31) and rnd.random() < 0.7:
                    ledgers.resolve(lx, d.ref, end.isoformat(), result="好")
            elif kind == 3:
                area = rnd.choice(areas)
                grade = {"grade": "major"} if rnd.random() < 0.3 else {}
                h = add(
                    "hazard",
                    area=area,
                    description=f"隐患{n}",
                    responsible="赵",
                    found=found.isoformat(),
                    **grade,
                    **where,
                )
                end = found + dt.timedelta(days=rnd.randrange(60))
                if end <= dt.date(2026, 10, 31) and rnd.random() < 0.7:
                    hazard.rectify(lx, h.ref, "已改", end.isoformat())
            elif kind == 4:
                case_kind = rnd.choice(["criminal", "administrative", "administrative"])
                major = rnd.random() < 0.3
                add(
                    "case",
                    kind=case_kind,
                    summary=f"案件{n}",
                    date=found.isoformat(),
                    major=major,
                    **where,
                )
                level = rnd.choice(["town", "county", "city"])
                people = rnd.choice([1, 2, 6])
                add(
                    "petition",
                    form="visit",
                    level=level,
                    summary=f"信访{n}",
                    people=people,
                    date=found.isoformat(),
                    **where,
                )
            elif kind == 5:
                deaths = rnd.choice([0, 0, 1])
                add(
                    "accident",
                    kind="road",
                    summary=f"事故{n}",
                    deaths=deaths,
                    injuries=1,
                    date=found.isoformat(),
                    **where,
                )
                add("hotspot", description=f"乱点{n}", date=found.isoformat(), **where)
            else:
                add(
                    "patrol",
                    village=[village],
                    town=town,
                    team="patrol_team",
                    leader="刘",
                    people=3,
                    date=found.isoformat(),
                    start="20:00",
                    end="22:30",
                )
                add("sweep", subject=village, town=town, by="网格员", date=found.isoformat())
        pending = {"petitioner": "某", "summary": "积案", "lead": "书记", "plan": "一案一策"}
        add(
            "backlog",
            assigned_by="county",
            village="城庄村",
            town="城庄镇",
            deadline="2026-06-30",
            date="2026-02-01",
            **pending,
        )
        backlog.close(lx, "JA-2026-0001", outcome=BacklogOutcome.settled, date="2026-05-01")
        add(
            "backlog",
            assigned_by="city",
            village="安业村",
            town="安业乡",
            deadline="2026-03-30",
            date="2026-01-10",
            **pending,
        )
        add(
            "person",
            category="released",
            name="张三",
            id_number="34052419800101001X",
            village="城庄村",
            town="城庄镇",
            risk=3,
            listed="2026-01-05",
        )
        add(
            "person",
            category="drug",
            name="李四",
            id_number="11010519491231002X",
            village="安业村",
            town="安业乡",
            listed="2025-06-01",
        )
        person.visit(lx, "ZD-2026-0001", "干部", date="2026-10-20")


def reports() -> Iterator[tuple[BuiltReport, int | None]]:
    from sanling.commands.common import reading
    from sanling.reports import annual, grading, monthly, sweep

    with reading() as lx:
        for day in ("2026-10-31", "2026-10-15", "2026-02-16", "2025-12-31"):
            d = dt.date.fromisoformat(day)
            yield sweep.build(lx, d), None
            yield sweep.build(lx, d, town="城庄镇"), None
        for m in ("2026-10", "2026-01", "2025-12", "2025-03"):
            yield monthly.build(lx, periods.parse_month(m), by_town=True), None
            yield monthly.build(lx, periods.parse_month(m), town="安业乡"), None
        for d in (dt.date(2026, 10, 31), dt.date(2025, 12, 31)):
            yield grading.build(lx, d), None
            yield grading.build(lx, d, town="城庄镇"), None
        for y in (2026, 2025, 2024):
            yield annual.build(lx, y, by_town=True), y
            yield annual.build(lx, y, town="城庄镇"), y


def test_every_figure_of_every_report_is_explained_by_its_records(town: str) -> None:
    """Built once (it takes a while): the library walk, then --explain on the command line."""
    generate()
    total = 0
    for report, year in reports():
        total += check(report, year)
    assert total > 1500  # every report was walked, not just a few keys

    # The same through the command line.
    data = run("report annual --year 2026 --format json").json()
    rows = run("report annual --year 2026 --explain disputes.found --format json").json()
    assert len(rows) == data["disputes"]["found"] > 0
    assert all(r["ref"].startswith("JF-2026-") for r in rows)
    rows = run("report monthly --month 2026-10 --explain key_persons.total --format json").json()
    assert rows and "name" not in rows[0]  # key persons: references, never names
    out = run("report sweep --explain disputes.nothing", code=1)
    assert "no figure 'disputes.nothing'" in out.err
    run("report grading --explain villages.城庄村.score --town 城庄镇")
