"""report compliance (三零达标): each subject's three zeros as of a month's end, year to date,
the rate of each kind against its target and the gap in subjects; the strict 零案件 rule
(case_any_administrative_breaks) flipping a subject here and in the annual report. Exact
figures on a hand-built two-town ledger."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest

from tests.helpers import fail, ledgers, run


@pytest.fixture
def campaign(villages: list[str], templates: ledgers.Templates) -> None:
    templates.apply(f"{__name__}.campaign", build)


def build() -> None:
    """城庄镇 (the `villages` fixture: 城庄村, 李家湾村, 前进村, 五和居, 城庄中学 in 城庄村,
    兴旺煤业 in 李家湾村) and 安业乡 (安业村, 东庄村, 安业化工 in 安业村, 安业小学 in 东庄村).

    Broken in 2026: 李家湾村 零上访 (city-level petition, March), 兴旺煤业 零事故 (serious
    injury, April), 前进村 零案件 (criminal case, June), 安业村 零案件 (major administrative
    case, 5 October). Not broken: 城庄村's administrative case of 10 October is not major (only
    the strict rule breaks it), 东庄村's petition stayed in the town. 五和居's criminal case
    of December 2025 counts for 2025 only."""
    from sanling.ledger import town as towns

    with ledgers.writing() as lx:
        add = partial(ledgers.add, lx)
        towns.add(lx, "安业乡", "临县")
        for name, kind, village in (
            ("安业村", "village", None),
            ("东庄村", "village", None),
            ("安业化工", "enterprise", "安业村"),
            ("安业小学", "unit", "东庄村"),
        ):
            add("subject", name=name, kind=kind, village=village, town="安业乡")
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
            village="东庄村",
            form="letter",
            level="town",
            summary="来信",
            date="2026-10-02",
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
        add("case", kind="criminal", village="前进村", summary="盗窃", date="2026-06-01")
        add(
            "case",
            kind="administrative",
            village="安业村",
            summary="聚众",
            major=True,
            date="2026-10-05",
        )
        add("case", kind="administrative", village="城庄村", summary="治安", date="2026-10-10")
        add("case", kind="criminal", village="五和居", summary="诈骗", date="2025-12-20")


def report(*args: str) -> Any:
    return run("report", "compliance", *args, "--format", "json").json()


def figures(kinds: dict[str, Any], *keys: str) -> dict[str, tuple[Any, ...]]:
    return {k: tuple(v[x] for x in keys) for k, v in kinds.items()}


def test_rates_against_the_targets_and_the_gap(campaign: None) -> None:
    data = report("--month", "2026-10")
    assert data["as_of"] == "2026-10-31"
    assert data["period"] == {"start": "2026-01-01", "end": "2026-10-31"}
    keys = ("subjects", "holding", "rate", "target", "gap", "met")
    assert figures(data["kinds"], *keys) == {
        # 5 villages, 2 hold (城庄村, 东庄村): 80% of 5 is 4, so 2 more must hold.
        "village": (5, 2, 40.0, 80.0, 2, False),
        "community": (1, 1, 100.0, 80.0, 0, True),
        # 90% of 2 is 1.8: both must hold.
        "unit": (2, 2, 100.0, 90.0, 0, True),
        "enterprise": (2, 1, 50.0, 90.0, 1, False),
        "total": (10, 6, 60.0, None, 3, False),
    }
    assert figures(data["kinds"], "zero_petition", "zero_accident", "zero_case") == {
        "village": (4, 5, 3),
        "community": (1, 1, 1),
        "unit": (2, 2, 2),
        "enterprise": (2, 1, 2),
        "total": (9, 9, 8),
    }
    # The month's new breaks: 安业村's major administrative case only.
    assert data["new_breaks"] == {"zero_petition": 0, "zero_accident": 0, "zero_case": 1}
    assert [(b["ref"], b["subject"], b["zero"]) for b in data["breaks"]] == [
        ("AJ-2026-0002", "安业村", "zero_case")
    ]
    results = {r["name"]: r for r in data["results"]}
    assert len(results) == 10
    assert results["李家湾村"]["zero_petition"] is False
    assert results["李家湾村"]["broken_by"] == [{"zero": "zero_petition", "refs": ["XF-2026-0001"]}]
    assert results["李家湾村"]["new_breaks"] == []
    assert results["安业村"]["new_breaks"] == ["AJ-2026-0002"]
    assert results["兴旺煤业"]["zero_accident"] is False
    assert results["城庄村"]["holding"] is True
    # Explained: the villages' rate lists every village, marked holding or not; the gap the
    # villages that do not hold.
    rows = run("report compliance --month 2026-10 --explain kinds.village.rate -f json").json()
    assert sorted((r["name"], r["counted"]) for r in rows) == [
        ("东庄村", True),
        ("前进村", False),
        ("城庄村", True),
        ("安业村", False),
        ("李家湾村", False),
    ]
    rows = run("report compliance --month 2026-10 --explain kinds.village.gap -f json").json()
    assert sorted(r["name"] for r in rows) == ["前进村", "安业村", "李家湾村"]
    rows = run("report compliance --month 2026-10 --explain new_breaks.zero_case -f json").json()
    assert [r["ref"] for r in rows] == ["AJ-2026-0002"]


def test_per_year_targets(campaign: None) -> None:
    run("config", "set", "target.village", "80; 2026=60")
    assert run("config get target_village").out.strip() == "80; 2026=60"
    data = report("--month", "2026-10")
    # 60% of 5 is 3: one more village must hold.
    assert figures(data["kinds"], "target", "gap")["village"] == (60.0, 1)
    # 2025 keeps 80; 五和居's criminal case of December 2025 broke that year's 零案件.
    data = report("--month", "2025-12")
    assert data["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert figures(data["kinds"], "subjects", "holding", "target", "gap") == {
        "village": (5, 5, 80.0, 0),
        "community": (1, 0, 80.0, 1),
        "unit": (2, 2, 90.0, 0),
        "enterprise": (2, 2, 90.0, 0),
        "total": (10, 9, None, 1),
    }
    run("config set target.unit 100")
    assert report("--month", "2026-10")["kinds"]["unit"]["target"] == 100.0
    for bad, why in (
        ("101", "a target is a percentage from 0 to 100, not 101"),
        ("2026=70", "a target for every year comes first"),
        ("80; 26=70", "'26' is not a year"),
        ("80 85", "two targets for every year: 80 and 85"),
    ):
        assert why in fail("config", "set", "target.village", bad).err


def test_early_month_town_and_by_town(campaign: None) -> None:
    # January: nothing broken yet; every target met.
    data = report("--month", "2026-01")
    assert data["as_of"] == "2026-01-31"
    assert data["kinds"]["total"]["holding"] == 10
    assert data["kinds"]["total"]["gap"] == 0
    assert data["breaks"] == []
    # One town.
    data = report("--month", "2026-10", "--town", "安业乡")
    assert figures(data["kinds"], "subjects", "holding", "rate", "gap", "met") == {
        "village": (2, 1, 50.0, 1, False),
        "community": (0, 0, None, 0, None),
        "unit": (1, 1, 100.0, 0, True),
        "enterprise": (1, 1, 100.0, 0, True),
        "total": (4, 3, 75.0, 1, False),
    }
    # The county's roll-up: a row per town (each town's gaps against the same targets).
    rows = report("--month", "2026-10", "--by-town")["by_town"]
    assert [(r["town"], r["subjects"], r["holding"], r["rate"], r["gap"]) for r in rows] == [
        ("安业乡", 4, 3, 75.0, 1),
        ("城庄镇", 6, 3, 50.0, 3),
    ]
    assert rows[1]["village_rate"] == pytest.approx(33.3)
    assert rows[1]["community_rate"] == 100.0
    listed = run(
        "report compliance --month 2026-10 --by-town --explain by_town.城庄镇.holding -f json"
    )
    assert sorted(r["name"] for r in listed.json()) == ["五和居", "城庄中学", "城庄村"]
    # A month not begun yet is refused.
    assert "has not begun" in fail("report compliance --month 2026-11").err


def test_every_format(campaign: None, tmp_path: Any) -> None:
    out = run("--lang", "zh", "report", "compliance", "--month", "2026-10").out
    assert "三零达标" in out and "差距（个）" in out and "AJ-2026-0002" in out
    assert "zero" not in out  # no English key in the Chinese table
    csv = run("report compliance --month 2026-10 --format csv").out
    assert "village,5,4,5,3,2,40.0,80.0,2,not met" in csv
    assert (
        "| enterprise | 2 | 2 | 1 | 2 | 1 | 50.0 | 90.0 | 1 | not met |"
        in run("report compliance --month 2026-10 --format markdown").out
    )
    assert "AJ-2026-0002" in run("report compliance --month 2026-10 --format text").out
    html = run("report compliance --month 2026-10 --format html").out
    assert "<html" in html and "60.0" in html
    target = tmp_path / "c.xlsx"
    run("report", "compliance", "--month", "2026-10", "--format", "xlsx", "-o", str(target))
    assert target.read_bytes()[:2] == b"PK"


def test_the_strict_rule_flips_a_subject(campaign: None) -> None:
    """case_any_administrative_breaks: 城庄村's ordinary administrative case breaks 零案件,
    here, in the annual report and in `case list`."""
    before = run("report annual --year 2026 --format json").json()["sanling"]["achieved"]
    run("config set case_any_administrative_breaks true")
    data = report("--month", "2026-10")
    assert figures(data["kinds"], "holding", "rate", "gap")["village"] == (1, 20.0, 3)
    assert data["new_breaks"]["zero_case"] == 2
    results = {r["name"]: r for r in data["results"]}
    assert results["城庄村"]["broken_by"] == [{"zero": "zero_case", "refs": ["AJ-2026-0003"]}]
    after = run("report annual --year 2026 --format json").json()["sanling"]["achieved"]
    assert (before["village"], after["village"]) == (2, 1)
    cases = {c["ref"]: c["breaks_zero"] for c in run("case list --format json").json()}
    assert cases["AJ-2026-0003"] is True
    run("config set case_any_administrative_breaks false")
    assert report("--month", "2026-10")["kinds"]["village"]["holding"] == 2


def test_explained_in_chinese_with_the_breaking_records(campaign: None) -> None:
    """A gap's explanation says what the gap is and lists each subject not holding with the
    records that broke it; a town's figure is titled as that town's; the town table is headed
    as the table by kind; --explain's help names a key of this report."""
    zh = partial(run, "--lang", "zh", "report", "compliance", "--month", "2026-10")
    rows = run("report compliance --month 2026-10 --explain kinds.village.gap -f json").json()
    assert sorted((r["name"], r["broken_by"]) for r in rows) == [
        ("前进村", "AJ-2026-0001"),
        ("安业村", "AJ-2026-0002"),
        ("李家湾村", "XF-2026-0001"),
    ]
    out = zh("--explain", "kinds.unit.gap").out
    assert out.startswith(
        "kinds.unit.gap：目标 90.0%，2 个中须 2 个达标，已达标 2 个，"
        "差距 0 个（还差几个达标，最少 0）"
    )
    out = zh("--explain", "kinds.village.gap").out
    assert "破零记录" in out and "XF-2026-0001" in out
    out = zh("--by-town", "--explain", "by_town.安业乡.holding").out
    assert out.splitlines()[0] == "安业乡的三零达标（by_town.安业乡.holding）"
    table = zh("--by-town").out
    heading = table[table.index("分乡镇") :].splitlines()[1]
    assert "达标率%" in heading and "比率" not in table
    help_text = run("report compliance --help").out
    assert "kinds.village.gap" in help_text and "totals.overdue" not in help_text
    assert "summary.vetoed" in run("report appraisal --help").out


def test_80_columns_break_between_references(
    campaign: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 80 columns a list of references breaks between references, never inside one (as a
    table, or a card per subject when the table cannot fit); a heading keeps its bracket whole
    (差距（个）, not 差距（个 / ）)."""
    import re

    from rich.cells import cell_len

    for day in ("2026-06-02", "2026-06-03", "2026-10-03"):
        run(f"case add --kind criminal --village 前进村 --summary 盗窃 --date {day}")
    refs = ["AJ-2026-0001", "AJ-2026-0004", "AJ-2026-0005", "AJ-2026-0006"]
    for width in (80, 90):
        monkeypatch.setenv("COLUMNS", str(width))
        out = run("--lang", "zh", "report", "compliance", "--month", "2026-10").out
        lines = out.splitlines()
        assert max(cell_len(line) for line in lines) <= width
        assert "（个）" in out and not any(line.rstrip().endswith("（个") for line in lines)
        results = lines.index("各主体三零情况")
        start = next(i for i, line in enumerate(lines) if i > results and "前进村" in line)
        shown = re.findall(r"AJ-[\d-]*", "\n".join(lines[start : start + 8]))
        assert set(refs) <= set(shown) and all(len(ref) == 12 for ref in shown), shown
    # At 90 columns the table fits: the references wrap within their column.
    assert lines[start].split() == [
        "前进村",
        "行政村",
        "✓",
        "✓",
        "AJ-2026-0001、",
        "✗",
        "AJ-2026-0006",
    ]
    assert lines[start + 1].split() == ["AJ-2026-0004、"]
