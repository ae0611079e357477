"""report monthly (一月一研判): the month, the month before, the same month last year; findings."""

from __future__ import annotations

from functools import partial

import pytest

from tests.helpers import add_dispute as dispute
from tests.helpers import fail, ledgers, run


@pytest.fixture
def ledger(villages: list[str], templates: ledgers.Templates) -> None:
    templates.apply(f"{__name__}.ledger", build)


def build() -> None:
    """October's records, built once per session (the CLI adds are tested elsewhere)."""
    from sanling.ledger import hazard

    with ledgers.writing() as lx:
        refs = [
            ledgers.dispute(lx, "城庄村", "land", d)
            for d in ("2026-10-01", "2026-10-05", "2026-10-10", "2026-10-31")
        ]
        ledgers.resolve(lx, refs[0], "2026-10-08")
        ledgers.resolve(lx, refs[3], "2026-10-31")
        # Open at the end of October, overdue since 10-15.
        ledgers.dispute(lx, "李家湾村", "land", "2026-09-30")
        ledgers.resolve(lx, ledgers.dispute(lx, "前进村", "debt", "2025-10-01"), "2025-10-05")
        ledgers.resolve(lx, ledgers.dispute(lx, "前进村", "debt", "2025-10-31"), "2025-11-02")
        add = partial(ledgers.add, lx)
        road = add(
            "hazard",
            village="城庄村",
            area="road",
            description="路口",
            responsible="赵强",
            found="2026-10-03",
        )
        hazard.rectify(lx, road.ref, "设置警示牌", "2026-10-10")
        add(
            "hazard",
            village="前进村",
            area="geological",
            grade="major",
            description="滑坡",
            responsible="赵强",
            found="2026-06-01",
            deadline="2026-08-01",
        )
        patrol = {"team": "patrol_team", "leader": "刘"}
        add(
            "patrol",
            village=["城庄村", "李家湾村"],
            people=3,
            date="2026-10-12",
            start="20:00",
            end="22:30",
            **patrol,
        )
        add(
            "patrol",
            village=["城庄村"],
            people=2,
            kind="night",
            date="2026-10-20",
            start="23:00",
            end="01:00",
            **patrol,
        )
        add("case", kind="criminal", village="城庄村", summary="盗窃", date="2026-10-09")
        for day in ("2026-10-09", "2025-10-09", "2025-10-31"):
            add("case", kind="administrative", village="李家湾村", summary="打架", date=day)
        add(
            "petition",
            village="李家湾村",
            form="visit",
            level="city",
            summary="上访",
            date="2026-10-11",
        )
        add(
            "petition",
            village="李家湾村",
            form="letter",
            level="town",
            summary="来信",
            date="2026-10-12",
        )
        add("accident", village="前进村", kind="road", summary="车祸", deaths=1, date="2026-10-13")
        add(
            "person",
            category="released",
            name="张三",
            id_number="34052419800101001X",
            village="城庄村",
            risk=3,
            listed="2026-09-01",
        )
        add(
            "person",
            category="drug",
            name="李四",
            id_number="11010519491231002X",
            village="前进村",
            risk=1,
            listed="2026-10-01",
        )


def test_october(ledger: None) -> None:
    data = run("report monthly --format json").json()
    assert data["month"] == "2026-10" and data["as_of"] == "2026-10-31"
    d = data["disputes"]
    assert {
        k: d[k]
        for k in (
            "found",
            "resolved",
            "rate",
            "open_at_end",
            "overdue",
            "found_prev_month",
            "found_last_year",
        )
    } == {
        "found": 4,
        "resolved": 2,
        "rate": 50.0,
        "open_at_end": 3,
        "overdue": 3,
        "found_prev_month": 1,
        "found_last_year": 2,
    }
    assert {k: v for k, v in d["by_category"].items() if v} == {"land": 4}
    assert {v["village"]: v["found"] for v in d["by_village"]} == {
        "城庄村": 4,
        "李家湾村": 0,
        "前进村": 0,
        "五和居": 0,
    }
    h = data["hazards"]
    assert {k: h[k] for k in ("found", "rectified", "rate", "open_at_end", "overdue")} == {
        "found": 1,
        "rectified": 1,
        "rate": 100.0,
        "open_at_end": 1,
        "overdue": 1,
    }
    assert h["by_area"]["road"] == 1
    p = data["patrols"]
    assert (p["count"], p["hours"]) == (2, 4.5)
    assert sorted(p["villages_without_patrol"]) == sorted(["前进村", "五和居"])
    c = data["cases"]
    assert (c["criminal"], c["administrative"], c["administrative_last_year"]) == (1, 1, 2)
    assert data["petitions"]["total"] == 2 and data["petitions"]["breaking"] == 1
    assert data["accidents"]["total"] == 1 and data["accidents"]["breaking"] == 1
    assert data["key_persons"] == {"total": 2, "visits_overdue": 1}
    assert data["grading"]["current"] == {"key": 0, "general": 0, "safe": 0}
    assert {x["village"] for x in data["grading"]["proposed_changes"]} == {
        "城庄村",
        "李家湾村",
        "前进村",
        "五和居",
    }
    trend = {t["month"]: (t["found"], t["resolved"]) for t in data["trend"]}
    assert len(trend) == 12 and trend["2026-10"] == (4, 2) and trend["2026-09"] == (1, 0)
    assert trend["2025-11"] == (0, 1)  # last October's dispute, resolved on 2 November

    rules = [f["rule"] for f in data["findings"]]
    for rule in (
        "category_rise",
        "village_repeated",
        "disputes_overdue",
        "hazards_long_overdue",
        "zero_broken",
        "no_patrol",
        "visits_overdue",
        "grading_changes",
    ):
        assert rule in rules, rule
    texts = " ".join(f["text"] for f in data["findings"])
    assert "land disputes rose sharply: 4 this month against 1 last month." in texts
    assert "城庄村 had 4 disputes found this month" in texts
    assert "李家湾村 broke zero petitions (零上访) this month (XF-2026-0001)." in texts
    assert "前进村 broke zero accidents (零事故) this month (SG-2026-0001)." in texts
    assert "城庄村 broke zero cases (零案件) this month (AJ-2026-0001)." in texts
    assert all(f["rule_text"] for f in data["findings"])
    # Key persons are counted, never named.
    assert (
        "张" not in run("report monthly --format json").out
        and "李四" not in run("report monthly").out
    )


def test_findings_in_chinese(ledger: None) -> None:
    data = run("--lang", "zh", "report", "monthly", "--format", "json").json()
    texts = " ".join(f["text"] for f in data["findings"])
    assert "山林土地类纠纷本月 4 件，上月 1 件，明显上升。" in texts
    assert "李家湾村本月打破零上访（XF-2026-0001）。" in texts


def test_a_past_month_reads_as_of_its_end(ledger: None) -> None:
    data = run("report monthly --month 2026-09 --format json").json()
    assert data["as_of"] == "2026-09-30"
    d = data["disputes"]
    assert (d["found"], d["resolved"], d["open_at_end"], d["overdue"]) == (1, 0, 1, 0)
    assert (
        data["hazards"]["open_at_end"] == 1 and data["hazards"]["overdue"] == 1
    )  # the June landslide
    # a released prisoner listed 09-01 is visited monthly (issue 16): due 10-01, not yet overdue
    assert data["key_persons"] == {"total": 1, "visits_overdue": 0}


def test_year_end_and_january(villages: list[str]) -> None:
    dispute("城庄村", "land", "2025-01-15")
    dispute("城庄村", "land", "2025-12-31")
    dispute("城庄村", "land", "2026-01-01")
    jan = run("report monthly --month 2026-01 --format json").json()
    assert jan["compared_with"] == {
        "prev_month": {"start": "2025-12-01", "end": "2025-12-31"},
        "last_year": {"start": "2025-01-01", "end": "2025-01-31"},
    }
    assert (
        jan["disputes"]["found"],
        jan["disputes"]["found_prev_month"],
        jan["disputes"]["found_last_year"],
    ) == (1, 1, 1)
    dec = run("report monthly --month 2025-12 --format json").json()
    assert (
        dec["as_of"] == "2025-12-31"
        and dec["disputes"]["found"] == 1
        and dec["disputes"]["open_at_end"] == 2
    )


def test_leap_february(villages: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANLING_TODAY", "2028-03-05")
    monkeypatch.setenv("SANLING_ALLOW_FUTURE_TODAY", "1")  # a day after the real clock
    dispute("城庄村", "land", "2027-02-28")
    dispute("城庄村", "land", "2028-02-29")
    data = run("report monthly --month 2028-02 --format json").json()
    assert data["period"] == {"start": "2028-02-01", "end": "2028-02-29"}
    assert data["compared_with"]["last_year"] == {"start": "2027-02-01", "end": "2027-02-28"}
    assert (data["disputes"]["found"], data["disputes"]["found_last_year"]) == (1, 1)


def test_running_month_is_compared_with_the_same_days(
    villages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANLING_TODAY", "2026-10-15")
    dispute("城庄村", "land", "2026-09-10")
    dispute("城庄村", "land", "2026-09-20")
    dispute("城庄村", "land", "2026-10-15")
    data = run("report monthly --format json").json()
    assert data["period"] == {"start": "2026-10-01", "end": "2026-10-15"}
    assert data["compared_with"]["prev_month"] == {"start": "2026-09-01", "end": "2026-09-15"}
    assert (data["disputes"]["found"], data["disputes"]["found_prev_month"]) == (1, 1)


def test_terminal_chart_only_in_the_table(ledger: None) -> None:
    out = run("report monthly").out
    assert "Disputes over twelve months" in out and "████" in out
    assert "█" not in run("report monthly --format csv").out
    assert "trend_chart" not in run("report monthly --format json").out


def test_by_town_and_empty_month(ledger: None) -> None:
    run("town add 安业乡")
    run("subject add 安业村 --kind village --town 安业乡")
    run(
        "dispute",
        "add",
        "--village",
        "安业村",
        "--town",
        "安业乡",
        "--category",
        "land",
        "--summary",
        "x",
        "--handler",
        "李",
        "--found",
        "2026-10-20",
    )
    data = run("report monthly --by-town --format json").json()
    rows = {r["town"]: r for r in data["by_town"]}
    assert (
        rows["城庄镇"]["disputes_found"],
        rows["安业乡"]["disputes_found"],
        data["disputes"]["found"],
    ) == (4, 1, 5)
    assert run("report monthly --town 安业乡 --format json").json()["disputes"]["found"] == 1
    empty = run("report monthly --month 2024-02 --format json").json()
    assert empty["disputes"]["found"] == 0 and empty["disputes"]["rate"] is None
    assert [f["rule"] for f in empty["findings"]].count("zero_broken") == 0


def test_bad_input(ledger: None) -> None:
    fail("report monthly --month 2026-13")
    fail("report monthly --month soon")
    assert "has not begun" in fail("report monthly --month 2026-11").err
    fail("report monthly --town 无此镇")
