"""Declared figures: each gives its JSON value and an --explain listing whose rows count to it.

A small ledger (two towns, a record of every kind, some done, some overdue) is written in the
test; then every figure every report declares (every --explain key, per-village and per-town
ones included) is looked up in the report's JSON and checked against its records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from typing import Any

import pytest

from sanling import periods
from sanling.reports import queries
from sanling.reports.base import BuiltReport
from tests.helpers import ledgers

ITEM_KEYS = ("village", "name", "month", "town")  # list items are addressed by these


def small_ledger() -> None:
    """城庄镇 (the `town` fixture) and 安业乡, both with a 前进村, and a record of every kind."""
    from sanling.codes import BacklogOutcome, Performance
    from sanling.ledger import backlog, hazard, mediation, person
    from sanling.ledger import town as towns

    with ledgers.writing() as lx:
        add = partial(ledgers.add, lx)
        towns.add(lx, "安业乡", "临县")
        for town, names in {"城庄镇": ["城庄村", "前进村"], "安业乡": ["前进村"]}.items():
            for name in names:
                add("subject", name=name, kind="village", town=town, video=name == "城庄村")
        add("subject", name="城庄中学", kind="unit", village="城庄村", town="城庄镇")
        here = {"village": "城庄村", "town": "城庄镇"}
        there = {"village": "前进村", "town": "安业乡"}
        for i, (where, found) in enumerate(
            [
                (here, "2026-10-02"),
                (here, "2026-09-01"),
                (there, "2026-10-20"),
                (there, "2025-10-05"),
            ]
        ):
            d = add("dispute", category="land", summary="纠纷", handler="王", found=found, **where)
            if i % 2:
                ledgers.resolve(lx, d.ref, "2026-10-25", result="好")
            h = add(
                "hazard", area="fire", description="隐患", responsible="赵", found=found, **where
            )
            if i == 2:
                hazard.rectify(lx, h.ref, "已改", "2026-10-28")
        # JF-2026-0002, resolved by mediation on 10-25: its agreement, performed and confirmed
        mediation.agreement(lx, "JF-2026-0002", number="第1号", content="赔偿", amount=1200.5)
        mediation.followup(
            lx, "JF-2026-0002", performed=Performance.yes, note="已付", date="2026-10-28"
        )
        mediation.confirm(lx, "JF-2026-0002", court="法院", date="2026-10-29")
        add("case", kind="administrative", summary="案件", date="2026-10-03", **here)
        add("case", kind="administrative", summary="案件", date="2025-10-03", **here)
        add("case", kind="criminal", summary="案件", date="2026-10-04", **there)
        add(
            "petition",
            form="visit",
            level="county",
            summary="信访",
            people=6,
            date="2026-10-05",
            **here,
        )
        add(
            "accident",
            kind="road",
            summary="事故",
            deaths=1,
            injuries=1,
            date="2026-10-06",
            **there,
        )
        add("hotspot", description="乱点", date="2026-10-07", **here)
        add(
            "patrol",
            village=["城庄村"],
            town="城庄镇",
            team="patrol_team",
            leader="刘",
            people=3,
            date="2026-10-08",
            start="20:00",
            end="22:30",
        )
        add("sweep", subject="城庄村", town="城庄镇", by="网格员", date="2026-10-20")
        add(
            "backlog",
            assigned_by="county",
            petitioner="某",
            summary="积案",
            lead="书记",
            plan="一案一策",
            deadline="2026-06-30",
            date="2026-02-01",
            **here,
        )
        backlog.close(lx, "JA-2026-0001", outcome=BacklogOutcome.settled, date="2026-05-01")
        add(
            "person",
            category="released",
            name="张三",
            id_number="34052419800101001X",
            risk=3,
            listed="2026-01-05",
            **here,
        )
        person.visit(lx, "ZD-2026-0001", "干部", date="2026-03-20")


def reports() -> Iterator[tuple[BuiltReport, int | None]]:
    from sanling.commands.common import reading
    from sanling.reports import annual, bulletin, grading, monthly, sweep

    today = dt.date(2026, 10, 31)
    with reading() as lx:
        yield bulletin.build(lx, today, town="城庄镇"), None
        for town in (None, "城庄镇"):
            yield sweep.build(lx, dt.date(2026, 10, 20), town=town), None
            yield monthly.build(lx, periods.month(today), town=town, by_town=not town), None
            yield grading.build(lx, today, town=town), None
            yield annual.build(lx, 2026, town=town, by_town=not town), 2026


def value_at(payload: Any, key: str) -> Any:
    """The JSON value at a dotted key; a list item is addressed by its name."""
    value = payload
    for part in key.split("."):
        if isinstance(value, list):
            value = next(
                {k: v for k, v in item.items() if k not in ITEM_KEYS}
                for item in value
                if any(item.get(k) == part for k in ITEM_KEYS)
            )
        else:
            value = value[part]
    return value


def counts_to(key: str, value: Any, rows: list[dict[str, Any]], year: int | None) -> bool:
    """Whether the records listed for a figure give its value."""
    last = key.rsplit(".", 1)[-1]
    if isinstance(value, list):
        return len(rows) == len(value)
    if last.endswith("rate") or ".rate." in key:
        return periods.rate(sum(1 for r in rows if r["counted"]), len(rows)) == value
    if last == "hours":
        return bool(queries.hours(sum(r["minutes"] for r in rows)) == value)
    if last == "amount":  # the amounts agreed, summed (figures.Sum)
        total = sum(Decimal(str(r["agreement_amount"] or 0)) for r in rows)
        return float(total) == pytest.approx(value)
    if last == "administrative_change":
        now = sum(1 for r in rows if r["year"] == str(year))
        return periods.change(now, len(rows) - now) == value
    if last in ("score", "points"):
        return float(sum(Decimal(str(r["points"])) for r in rows)) == pytest.approx(value)
    return isinstance(value, int) and len(rows) == value


def test_every_declared_figure_is_its_records(town: str) -> None:
    small_ledger()
    checked = 0
    for report, year in reports():
        for key in report.explainers:
            value = value_at(report.payload, key)
            rows = report.explain(key).rows
            assert counts_to(key, value, rows, year), f"{report.title}: {key} = {value}, {rows}"
            checked += 1
            if key == "mediation.amount" and year == 2026:
                assert value == 1200.5  # the small ledger's one agreement, in the annual
    assert checked > 500


def test_a_block_gives_values_and_explainers(town: str) -> None:
    """One declaration: the JSON keys in declared order, one explainer per figure."""
    from sanling.commands.common import reading
    from sanling.reports import figures

    small_ledger()
    with reading() as lx:
        fig = queries.Figures(lx, None)
        october = periods.month(dt.date(2026, 10, 1))
        values = figures.DISPUTES.count(fig, "disputes", october, dt.date(2026, 10, 31))
        assert list(values) == ["found", "resolved", "open", "overdue", "rate"]
        assert values["found"] == 2 and values["resolved"] == 0 and values["rate"] == 0.0
        assert set(fig.explainers) == {f"disputes.{k}" for k in values}
        assert len(fig.explainers["disputes.found"]().rows) == 2
        hours = figures.PATROLS.count(fig, "patrols", october, dt.date(2026, 10, 31))
        assert hours == {"count": 1, "hours": 2.5}
