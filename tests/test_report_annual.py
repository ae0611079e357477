"""report annual (年度): the year's headline figures and each subject's 三零 result, exact
figures."""

from __future__ import annotations

from functools import partial

import pytest

from tests.helpers import fail, ledgers, run


@pytest.fixture
def year(villages: list[str], templates: ledgers.Templates) -> None:
    templates.apply(f"{__name__}.year", build)


def build() -> None:
    """The year's records, built once per session (the CLI adds are tested elsewhere)."""
    from sanling.codes import BacklogOutcome, Grade
    from sanling.ledger import backlog, hazard, hotspot, person, subject

    with ledgers.writing() as lx:
        add = partial(ledgers.add, lx)
        # Zeros broken: 李家湾村's 零上访 (city-level petition), 兴旺煤业's 零事故 (serious
        # injury on its premises, in 李家湾村), 前进村's 零案件 (criminal case). Nothing else
        # breaks a zero.
        add(
            "petition",
            village="李家湾村",
            form="visit",
            level="city",
            summary="上访",
            date="2026-03-01",
        )
        add(
            "petition",
            village="城庄村",
            form="letter",
            level="town",
            summary="来信",
            date="2026-03-02",
        )
        add(
            "accident",
            village="李家湾村",
            subject="兴旺煤业",
            kind="production",
            summary="机械伤人",
            serious_injuries=1,
            date="2026-04-01",
        )
        add(
            "accident",
            village="城庄村",
            kind="road",
            summary="剐蹭",
            injuries=1,
            date="2026-04-02",
        )
        add("case", kind="criminal", village="前进村", summary="盗窃", date="2026-06-01")
        for day in ("2026-01-10", "2026-02-10", "2026-03-10", "2026-10-31"):
            add("case", kind="administrative", village="城庄村", summary="治安", date=day)
        last_year = ("2025-01-10", "2025-02-10", "2025-03-10", "2025-04-10", "2025-10-31")
        for day in (*last_year, "2025-11-15"):
            add("case", kind="administrative", village="城庄村", summary="治安", date=day)
        # Disputes: one resolved, one open (not yet due); last year's does not count.
        dispute = {"village": "城庄村", "handler": "王"}
        add("dispute", category="land", summary="地界", found="2026-01-01", **dispute)
        ledgers.resolve(lx, "JF-2026-0001", "2026-01-05")
        add("dispute", category="debt", summary="欠款", found="2026-10-30", **dispute)
        add("dispute", category="debt", summary="欠款", found="2025-12-31", **dispute)
        # Backlog: two assigned this year, both closed (办结), one settled (息诉罢访).
        for day, outcome, closed in (
            ("2026-02-01", "settled", "2026-05-01"),
            ("2026-03-01", "unsettled", "2026-06-01"),
        ):
            case = add(
                "backlog",
                assigned_by="county",
                village="前进村",
                petitioner="某",
                summary="积案",
                lead="书记",
                plan="一案一策",
                deadline="2026-09-30",
                date=day,
            )
            backlog.close(lx, case.ref, outcome=BacklogOutcome(outcome), date=closed)
        add(
            "hazard",
            village="城庄村",
            area="road",
            description="路口",
            responsible="赵",
            found="2026-01-02",
        )
        hazard.rectify(lx, "YH-2026-0001", "警示牌", "2026-01-10")
        add(
            "hazard",
            village="五和居",
            area="fire",
            description="通道",
            responsible="赵",
            found="2026-02-01",
            deadline="2026-03-01",
        )
        add("hotspot", village="城庄村", description="网吧", date="2026-04-01")
        hotspot.rectify(lx, "LD-2026-0001", "整治", "2026-04-10")
        add("hotspot", village="前进村", description="路口", date="2026-05-01")
        add(
            "patrol",
            village=["城庄村"],
            team="patrol_team",
            leader="刘",
            people=3,
            date="2026-07-01",
            start="19:00",
            end="21:15",
        )
        add(
            "person",
            category="released",
            name="张三",
            id_number="34052419800101001X",
            village="城庄村",
            listed="2026-01-01",
        )
        add(
            "person",
            category="drug",
            name="李四",
            id_number="11010519491231002X",
            village="前进村",
            listed="2025-01-01",
        )
        person.delist(lx, "ZD-2025-0001", "戒断三年", "2026-01-10")
        subject.grade(lx, "前进村", Grade.key, "镇党委研究决定")


def test_the_year_so_far(year: None) -> None:
    data = run("report annual --format json").json()
    assert (data["year"], data["as_of"]) == (2026, "2026-10-31")
    assert data["subjects"] == {
        "village": 3,
        "community": 1,
        "unit": 1,
        "enterprise": 1,
        "total": 6,
    }
    s = data["sanling"]
    assert s["achieved"] == {"village": 1, "community": 1, "unit": 1, "enterprise": 0, "total": 3}
    assert s["rate"] == {
        "village": 33.3,
        "community": 100.0,
        "unit": 100.0,
        "enterprise": 0.0,
        "total": 50.0,
    }
    subjects = {x["name"]: x for x in s["subjects"]}
    assert subjects["李家湾村"]["broken_by"] == [
        {"zero": "zero_petition", "refs": ["XF-2026-0001"]}
    ]
    assert (subjects["李家湾村"]["zero_petition"], subjects["李家湾村"]["zero_accident"]) == (
        False,
        True,
    )
    assert subjects["兴旺煤业"]["broken_by"] == [
        {"zero": "zero_accident", "refs": ["SG-2026-0001"]}
    ]
    assert subjects["前进村"]["broken_by"] == [{"zero": "zero_case", "refs": ["AJ-2026-0001"]}]
    assert subjects["城庄村"]["broken_by"] == [] and subjects["城庄村"]["achieved"] is True
    assert data["disputes"] == {"found": 2, "resolved": 1, "open": 1, "overdue": 0, "rate": 50.0}
    assert {k: data["backlog"][k] for k in ("assigned", "closed", "settled")} == {
        "assigned": 2,
        "closed": 2,
        "settled": 1,
    }
    h = data["hazards"]
    assert {k: h[k] for k in ("found", "rectified", "rate", "open", "overdue")} == {
        "found": 2,
        "rectified": 1,
        "rate": 50.0,
        "open": 1,
        "overdue": 1,
    }
    assert {k: v for k, v in h["by_area"].items() if v} == {"road": 1, "fire": 1}
    assert data["hotspots"] == {"found": 2, "rectified": 1, "rate": 50.0}
    c = data["cases"]
    # Same span last year (1 January to 31 October): 5 administrative cases, 4 this year.
    assert {
        k: c[k]
        for k in ("criminal", "administrative", "administrative_last_year", "administrative_change")
    } == {
        "criminal": 1,
        "administrative": 4,
        "administrative_last_year": 5,
        "administrative_change": -20.0,
    }
    assert data["petitions"] == {"total": 2, "breaking": 1}
    assert data["accidents"] == {"total": 2, "breaking": 1}
    assert data["patrols"] == {"count": 1, "hours": 2.3}
    assert data["key_persons"] == {
        "released": 1,
        "drug": 0,
        "mental": 0,
        "petitioner": 0,
        "correction": 0,
        "youth": 0,
        "other": 0,
        "total": 1,
    }
    assert data["grades"] == {"key": 1, "general": 0, "safe": 0}
    assert data["foundations"] == {
        "video_coverage": 1,
        "police_office": 1,
        "mediation_committee": 4,
        "villages": 4,
    }
    out = run("report annual").out
    assert "XF-2026-0001" in out and "Headline figures" in out and "-20.0%" in out


def test_last_year_reads_as_of_its_end(year: None) -> None:
    data = run("report annual --year 2025 --format json").json()
    assert data["as_of"] == "2025-12-31"
    assert data["cases"]["administrative"] == 6 and data["cases"]["administrative_change"] is None
    assert data["disputes"] == {"found": 1, "resolved": 0, "open": 1, "overdue": 0, "rate": 0.0}
    assert data["key_persons"]["drug"] == 1 and data["key_persons"]["total"] == 1
    assert data["grades"] == {"key": 0, "general": 0, "safe": 0}  # graded only in 2026
    assert data["sanling"]["achieved"]["total"] == 6


def test_a_year_with_nothing_in_it(year: None) -> None:
    data = run("report annual --year 2024 --format json").json()
    assert data["disputes"] == {"found": 0, "resolved": 0, "open": 0, "overdue": 0, "rate": None}
    assert data["hazards"]["found"] == 0 and data["hazards"]["rate"] is None
    assert data["hotspots"] == {"found": 0, "rectified": 0, "rate": None}
    assert data["cases"] == {
        "criminal": 0,
        "administrative": 0,
        "criminal_last_year": 0,
        "administrative_last_year": 0,
        "administrative_change": None,
    }
    assert data["patrols"] == {"count": 0, "hours": 0.0}
    assert data["sanling"]["achieved"]["total"] == 6 and data["sanling"]["rate"]["total"] == 100.0
    assert all(not x["broken_by"] for x in data["sanling"]["subjects"])


def test_leap_day(villages: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANLING_TODAY", "2028-03-01")
    monkeypatch.setenv("SANLING_ALLOW_FUTURE_TODAY", "1")  # a day after the real clock
    run("case add --kind administrative --village 城庄村 --summary 治安 --date 2028-02-29")
    run("case add --kind administrative --village 城庄村 --summary 治安 --date 2027-03-01")
    run("case add --kind administrative --village 城庄村 --summary 治安 --date 2027-03-02")
    data = run("report annual --format json").json()
    assert data["period"] == {"start": "2028-01-01", "end": "2028-03-01"}
    assert data["cases"]["administrative"] == 1 and data["cases"]["administrative_last_year"] == 1
    assert data["cases"]["administrative_change"] == 0.0


def test_by_town_and_bad_input(year: None) -> None:
    run("town add 安业乡")
    run("subject add 安业村 --kind village --town 安业乡")
    run("case add --kind criminal --village 安业村 --town 安业乡 --summary 盗窃 --date 2026-05-05")
    data = run("report annual --by-town --format json").json()
    rows = {r["town"]: r for r in data["by_town"]}
    assert (
        rows["城庄镇"]["subjects"],
        rows["城庄镇"]["achieved"],
        rows["城庄镇"]["cases_criminal"],
    ) == (6, 3, 1)
    assert (
        rows["安业乡"]["subjects"],
        rows["安业乡"]["achieved"],
        rows["安业乡"]["cases_criminal"],
    ) == (1, 0, 1)
    assert data["subjects"]["total"] == 7 and data["cases"]["criminal"] == 2
    assert (
        run("report annual --town 安业乡 --format json").json()["sanling"]["achieved"]["total"] == 0
    )
    assert "has not begun" in fail("report annual --year 2027").err
    fail("report annual --year soon", code=2)
    fail("report annual --town 无此镇")
