"""report sweep (半月排查): coverage, zero reports, disputes and hazards of a half-month, exact
figures."""

from __future__ import annotations

import pytest

from tests.helpers import add_dispute as dispute
from tests.helpers import fail, ledgers, run


@pytest.fixture
def october(villages: list[str], templates: ledgers.Templates) -> None:
    templates.apply(f"{__name__}.october", build)


def build() -> None:
    """October's sweeps, disputes and hazards, built once per session (the CLI adds are tested
    elsewhere)."""
    from sanling.ledger import hazard as hazards

    with ledgers.writing() as lx:

        def sweep(subject: str, day: str) -> None:
            ledgers.add(lx, "sweep", subject=subject, by="网格员", date=day)

        def hazard(village: str, area: str, found: str, **fields: str) -> str:
            record = ledgers.add(
                lx,
                "hazard",
                village=village,
                area=area,
                description="隐患",
                responsible="赵强",
                found=found,
                **fields,
            )
            return str(record.ref)

        def dispute(village: str, category: str, found: str, **fields: str) -> str:
            return ledgers.dispute(lx, village, category, found, **fields)

        sweep("城庄村", "2026-10-15")  # first half
        sweep("李家湾村", "2026-10-16")  # second half, a zero report
        sweep("城庄中学", "2026-10-31")  # second half, finds a dispute
        ledgers.resolve(lx, dispute("城庄村", "land", "2026-10-16"), "2026-10-20")
        dispute("前进村", "neighbour", "2026-10-16", deadline="2026-10-20")  # overdue by 11 days
        # First half, resolved after it.
        ledgers.resolve(lx, dispute("城庄村", "land", "2026-10-15"), "2026-10-20")
        dispute("城庄村", "debt", "2026-10-31", subject="城庄中学", sweep="PC-2026-0003")
        h1 = hazard("李家湾村", "road", "2026-10-16")
        hazards.rectify(lx, h1, "设置警示牌", "2026-10-25")
        hazard("五和居", "fire", "2026-10-31")
        hazard("城庄村", "road", "2026-10-15", deadline="2026-10-15")


def test_second_half_of_october(october: None) -> None:
    data = run("report sweep --format json").json()
    assert data["period"] == {"start": "2026-10-16", "end": "2026-10-31"}
    assert data["as_of"] == "2026-10-31"
    cov = data["coverage"]
    assert (cov["subjects"], cov["swept"], cov["rate"]) == (6, 2, 33.3)
    assert cov["by_kind"] == {
        "village": {"subjects": 3, "swept": 1, "rate": 33.3},
        "community": {"subjects": 1, "swept": 0, "rate": 0.0},
        "unit": {"subjects": 1, "swept": 1, "rate": 100.0},
        "enterprise": {"subjects": 1, "swept": 0, "rate": 0.0},
    }
    assert sorted(cov["unswept"]) == sorted(["城庄村", "前进村", "五和居", "兴旺煤业"])
    assert (data["sweeps"], data["zero_reports"]) == (2, 1)
    d = data["disputes"]
    assert {k: d[k] for k in ("found", "resolved", "open", "overdue", "rate")} == {
        "found": 3,
        "resolved": 1,
        "open": 2,
        "overdue": 1,
        "rate": 33.3,
    }
    assert {k: v for k, v in d["by_category"].items() if v} == {
        "land": 1,
        "neighbour": 1,
        "contract": 1,
    }
    h = data["hazards"]
    assert {k: h[k] for k in ("found", "rectified", "open", "overdue", "rate")} == {
        "found": 2,
        "rectified": 1,
        "open": 1,
        "overdue": 0,
        "rate": 50.0,
    }
    assert {k: v for k, v in h["by_area"].items() if v} == {"road": 1, "fire": 1}
    assert data["overdue_disputes"] == [
        {
            "ref": "JF-2026-0002",
            "village": "前进村",
            "handler": "王明",
            "deadline": "2026-10-20",
            "days_overdue": 11,
        }
    ]
    by_village = {v["village"]: v for v in data["by_village"]}
    assert by_village["城庄村"]["disputes_found"] == 2
    assert by_village["前进村"]["disputes_overdue"] == 1
    assert by_village["五和居"]["hazards_open"] == 1
    # The 16th opens the same half-month as the 31st.
    assert run("report sweep --date 2026-10-16 --format json").json() == data


def test_first_half_as_of_the_15th(october: None) -> None:
    """A past half-month is computed as of its last day: a dispute resolved later was open then."""
    data = run("report sweep --date 2026-10-15 --format json").json()
    assert data["period"] == {"start": "2026-10-01", "end": "2026-10-15"}
    assert data["as_of"] == "2026-10-15"
    assert (data["coverage"]["swept"], data["sweeps"], data["zero_reports"]) == (1, 1, 1)
    assert {k: data["disputes"][k] for k in ("found", "resolved", "open", "overdue")} == {
        "found": 1,
        "resolved": 0,
        "open": 1,
        "overdue": 0,
    }
    assert {k: data["hazards"][k] for k in ("found", "open", "overdue")} == {
        "found": 1,
        "open": 1,
        "overdue": 0,
    }
    # The hazard due on the 15th is overdue the next day, in the current half-month's stock only.
    assert run("report sweep --date 2026-10-01 --format json").json() == data


def test_explain_and_table(october: None) -> None:
    rows = run("report sweep --explain disputes.open --format json").json()
    assert sorted(r["ref"] for r in rows) == ["JF-2026-0002", "JF-2026-0004"]
    rows = run("report sweep --explain coverage.unswept --format json").json()
    assert len(rows) == 4
    out = run("report sweep").out
    assert "Half-monthly sweep 2026-10-16 to 2026-10-31" in out
    assert "JF-2026-0002" in out and "兴旺煤业" in out
    zh = run("--lang", "zh", "report", "sweep").out
    assert "半月排查" in zh and "未排查" in zh


def test_leap_day_and_year_end(villages: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANLING_TODAY", "2028-03-10")
    monkeypatch.setenv("SANLING_ALLOW_FUTURE_TODAY", "1")  # a day after the real clock
    run("sweep add --subject 城庄村 --by 网格员 --date 2028-02-29")
    dispute("城庄村", "land", "2028-02-29")
    dispute("城庄村", "land", "2028-03-01")
    data = run("report sweep --date 2028-02-16 --format json").json()
    assert data["period"] == {"start": "2028-02-16", "end": "2028-02-29"}
    assert (data["sweeps"], data["disputes"]["found"], data["disputes"]["open"]) == (1, 1, 1)
    assert run("report sweep --date 2028-02-29 --format json").json() == data
    dec = run("report sweep --date 2027-12-31 --format json").json()
    assert dec["period"] == {"start": "2027-12-16", "end": "2027-12-31"}
    assert (dec["sweeps"], dec["disputes"]["found"], dec["coverage"]["swept"]) == (0, 0, 0)
    assert dec["disputes"]["rate"] is None


def test_bad_input(october: None) -> None:
    assert "future" in fail("report sweep --date 2026-11-05").err
    fail("report sweep --date 2026-02-30")
    fail("report sweep --town 无此镇")
    fail("report sweep --format pdf", code=2)
    fail("report sweep --format xlsx", code=2)  # xlsx needs -o
    fail("report sweep --explain nothing.here")


def test_town_filter(october: None) -> None:
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
    both = run("report sweep --format json").json()
    one = run("report sweep --town 城庄镇 --format json").json()
    other = run("report sweep --town 安业乡 --format json").json()
    assert (both["disputes"]["found"], one["disputes"]["found"], other["disputes"]["found"]) == (
        4,
        3,
        1,
    )
    assert (
        both["coverage"]["subjects"],
        one["coverage"]["subjects"],
        other["coverage"]["subjects"],
    ) == (7, 6, 1)
