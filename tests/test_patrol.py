"""Patrols (治安巡逻): night patrols past midnight, hours, person-hours and the totals row."""

from __future__ import annotations

import pytest

from sanling.commands.common import reading
from tests.helpers import dump, fail, run


def patrol(*args: str) -> dict:
    return run("patrol", "add", "--format", "json", *args).json()


def test_night_patrol_past_midnight_belongs_to_the_evening(villages: list[str]) -> None:
    p = patrol(
        "--village",
        "城庄村",
        "--village",
        "李家湾村",
        "--team",
        "patrol_team",
        "--leader",
        "张队",
        "--people",
        "4",
        "--date",
        "2026-10-30",
        "--start",
        "22:00",
        "--end",
        "02:30",
        "--kind",
        "夜间",
    )
    assert p["ref"] == "XL-2026-0001" and p["date"] == "2026-10-30"
    assert (p["start"], p["end"], p["hours"], p["person_hours"]) == ("22:00", "02:30", 4.5, 18.0)
    assert p["villages"] == ["城庄村", "李家湾村"] and p["kind"] == "night"
    assert len(dump()["patrol_villages"]) == 2
    # a full-width colon and H:MM are read too; 23:45 to 00:15 is half an hour
    q = patrol(
        "--village",
        "五和居",
        "--team",
        "volunteer",
        "--leader",
        "李",
        "--people",
        "2",
        "--start",
        "23：45",
        "--end",
        "0:15",
    )
    assert (q["hours"], q["person_hours"]) == (0.5, 1.0)


def test_hours_totals_and_filters(villages: list[str]) -> None:
    patrol(
        "--village",
        "城庄村",
        "--village",
        "李家湾村",
        "--team",
        "patrol_team",
        "--leader",
        "张队",
        "--people",
        "4",
        "--date",
        "2026-10-30",
        "--start",
        "22:00",
        "--end",
        "02:30",
        "--kind",
        "night",
    )
    patrol(
        "--route",
        "镇区主街",
        "--team",
        "volunteer",
        "--leader",
        "李",
        "--people",
        "3",
        "--date",
        "2026-10-31",
        "--start",
        "08:00",
        "--end",
        "10:20",
    )
    patrol(
        "--village",
        "城庄村",
        "--team",
        "grid_worker",
        "--leader",
        "王",
        "--people",
        "1",
        "--date",
        "2026-09-15",
    )  # no times: no hours
    rows = run("patrol list --format json").json()
    assert [r["hours"] for r in rows] == [2.3, 4.5, None]
    assert [r["person_hours"] for r in rows] == [7.0, 18.0, None]
    from sanling.ledger import patrol as patrols

    with reading() as lx:
        assert patrols.totals(lx) == {"count": 3, "hours": 6.8, "person_hours": 25.0, "people": 8}
        assert patrols.totals(lx, village="城庄村") == {
            "count": 2,
            "hours": 4.5,
            "person_hours": 18.0,
            "people": 5,
        }
    table = run("patrol list").out
    total = next(line for line in table.splitlines() if "total 3" in line).split()
    assert total == ["total", "3", "6.8", "8", "25.0"]
    assert {r["ref"] for r in run("patrol list --village 李家湾村 --format json").json()} == {
        "XL-2026-0001"
    }
    assert len(run("patrol list --village 城庄村 --format json").json()) == 2
    assert len(run("patrol list --team 治安志愿者 --format json").json()) == 1
    assert len(run("patrol list --kind night --format json").json()) == 1
    assert len(run("patrol list --from 2026-10-01 --to 2026-10-30 --format json").json()) == 1
    assert "total 0" in run("patrol list --village 前进村").out
    fail("patrol", "list", "--team", "army", code=2)


def test_hotspot_link(villages: list[str]) -> None:
    spot = run(
        "hotspot add --village 城庄村 --description 网吧周边 --date 2026-09-01 --format json"
    ).json()
    p = patrol(
        "--village",
        "城庄村",
        "--team",
        "police",
        "--leader",
        "民警甲",
        "--people",
        "2",
        "--hotspot",
        spot["ref"],
        "--to-police",
        "--findings",
        "聚集",
        "--action",
        "劝散",
    )
    assert p["hotspot"] == spot["ref"] and p["to_police"] is True
    assert run("hotspot list --format json").json()[0]["patrols"] == 1
    fail(
        "patrol",
        "add",
        "--village",
        "城庄村",
        "--team",
        "police",
        "--leader",
        "x",
        "--people",
        "2",
        "--hotspot",
        "LD-2026-0099",
    )


@pytest.mark.parametrize(
    "args,code",
    [
        ([], 2),  # neither village nor route
        (["--village", "城庄村", "--start", "22:00"], 2),  # start without end
        (["--village", "城庄村", "--start", "25:00", "--end", "02:00"], 1),
        (["--village", "城庄村", "--start", "22:00", "--end", "22:00"], 1),
        (["--village", "城庄村", "--start", "ten", "--end", "11:00"], 1),
        (["--village", "城庄村", "--people", "0"], 2),
        (["--village", "城庄村", "--people", "-3"], 2),
        (["--village", "没有村"], 1),
        (["--village", "兴旺煤业"], 1),
        (["--village", "城庄村", "--date", "2026-11-01"], 1),
        (["--village", "城庄村", "--date", "2026/02/30"], 1),
        (["--village", "城庄村", "--kind", "daily"], 2),
    ],
)
def test_bad_patrols_are_refused(villages: list[str], args: list[str], code: int) -> None:
    base = ["--team", "patrol_team", "--leader", "张队"]
    if "--people" not in args:
        base += ["--people", "3"]
    fail("patrol", "add", *base, *args, code=code)
