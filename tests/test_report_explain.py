"""--explain on every report: every figure has its records, and they count to the figure.

A generated two-town ledger (seeded, so the test is repeatable) feeds every report; the test
walks every numeric key of each report's JSON and checks the records behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from sanling import periods
from sanling.reports import queries as q
from sanling.reports.base import BuiltReport
from tests.helpers import run

# Numbers in the JSON that are settings or identifiers, not figures counted from records.
NOT_FIGURES = ("year", "thresholds.key", "thresholds.general", "pass_mark")
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
        # appraisal: the year's average of the quarters
        or last in ("weight", "days_overdue", "average")
        # compliance: a setting, and how many more must hold (explained by those that do not)
        or last in ("target", "gap")
        or key.startswith(
            (
                "overdue_disputes",
                "overdue_hazards",
                "findings",
                "sanling.subjects",
                "proposed_changes",
                "grading.proposed_changes",
                "results",  # compliance: each subject's result
                "breaks",
                "titles.subjects",  # annual: each title
                "sheets",
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
        elif last == "amount":
            total = sum(Decimal(str(r["agreement_amount"] or 0)) for r in rows)
            assert float(total) == pytest.approx(value), key
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


def reports() -> Iterator[tuple[BuiltReport, int | None]]:
    from sanling.commands.common import reading
    from sanling.reports import annual, appraisal, bulletin, compliance, grading, monthly, sweep

    with reading() as lx:
        for d in (dt.date(2026, 10, 31), dt.date(2025, 12, 31)):
            # the bulletin's petitions' time limits (issue 16); its dispute counts are walked
            # by tests/test_bulletin.py
            b = bulletin.build(lx, d, town="城庄镇")
            petitions = {"petitions": b.payload["petitions"]}
            yield BuiltReport(b.title, petitions, explainers=b.explainers), None
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
        for m in ("2026-10", "2026-02", "2025-12"):
            yield compliance.build(lx, periods.parse_month(m), by_town=True), None
            yield compliance.build(lx, periods.parse_month(m), town="安业乡"), None
        for y in (2026, 2025, 2024):
            yield annual.build(lx, y, by_town=True), y
            yield annual.build(lx, y, town="城庄镇"), y
            yield appraisal.build(lx, y), y


def test_every_figure_of_every_report_is_explained_by_its_records(two_towns: None) -> None:
    """Built once (it takes a while): the library walk, then --explain on the command line."""
    # Titles, for the annual report's and the monthly findings' (one revoked, one later year).
    for village, town, named in (
        ("城庄村", "城庄镇", 2026),
        ("李家湾村", "城庄镇", 2026),
        ("安业村", "安业乡", 2026),
        ("五和居", "城庄镇", 2025),
    ):
        run(
            "subject",
            "name",
            village,
            "--town",
            town,
            "--year",
            str(named),
            "--date",
            f"{named}-01-10",
        )
    run("subject revoke 李家湾村 --town 城庄镇 --reason 破零 --date 2026-06-30")
    total = 0
    for report, year in reports():
        total += check(report, year)
    assert total > 1500  # every report was walked, not just a few keys
    titles = run("report annual --year 2026 --format json").json()["titles"]
    assert (titles["named"], titles["revoked"]) == (3, 1)

    # The same through the command line.
    data = run("report annual --year 2026 --format json").json()
    rows = run("report annual --year 2026 --explain disputes.found --format json").json()
    assert len(rows) == data["disputes"]["found"] > 0
    assert all(r["ref"].startswith("JF-2026-") for r in rows)
    # the petitions' rates were walked with records on both sides of each
    limits = data["petition_limits"]
    assert 0 < limits["accepted_on_time"] < limits["accept_due"]
    assert 0 < limits["replied_on_time"] < limits["reply_due"]
    assert limits["overdue"] > 0
    rows = run("report monthly --month 2026-10 --explain key_persons.total --format json").json()
    assert rows and "name" not in rows[0]  # key persons: references, never names
    out = run("report sweep --explain disputes.nothing", code=1)
    assert "no figure 'disputes.nothing'" in out.err
    run("report grading --explain villages.城庄村.score --town 城庄镇")
