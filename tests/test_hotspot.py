"""Hotspots (治安乱点): found, rectified, the rate."""

from __future__ import annotations

from tests.helpers import fail, run


def test_hotspots_rectified_and_rate(villages: list[str]) -> None:
    a = run(
        "hotspot add --village 城庄村 --description 网吧周边 --date 2026-03-01 --format json"
    ).json()
    b = run(
        "hotspot add --village 李家湾村 --description 集市 --date 2026-05-01 --format json"
    ).json()
    c = run("hotspot add --village 五和居 --description 广场夜间 --format json").json()
    assert (a["ref"], c["found"], a["rectified"]) == ("LD-2026-0001", "2026-10-31", False)
    done = run(
        "hotspot",
        "rectify",
        a["ref"],
        "--measures",
        "加装监控、每晚巡逻",
        "--date",
        "2026-04-01",
        "--format",
        "json",
    ).json()
    assert done["rectified_on"] == "2026-04-01" and done["rectified"] is True
    run("hotspot", "rectify", b["ref"], "--measures", "专项整治")
    out = run("hotspot list").out
    assert "total 3" in out and "2 (66.7%)" in out
    assert {r["ref"] for r in run("hotspot list --open --format json").json()} == {c["ref"]}
    assert {r["ref"] for r in run("hotspot list --village 城庄村 --format json").json()} == {
        a["ref"]
    }
    assert len(run("hotspot list --from 2026-04-01 --to 2026-06-30 --format json").json()) == 1
    assert "1 (100.0%)" in run("hotspot list --to 2026-03-31").out
    r = fail("hotspot", "rectify", a["ref"], "--measures", "again")
    assert "already" in r.err
    fail("hotspot", "rectify", c["ref"], "--measures", "x", "--date", "2026-11-01")
    fail("hotspot", "rectify", c["ref"], "--measures", " ")
    fail("hotspot", "rectify", "LD-2026-0009", "--measures", "x")
    fail("hotspot", "add", "--village", "城庄村", "--description", "x", "--date", "2026-10-32")
    fail("hotspot", "add", "--village", "城庄中学", "--description", "x")
    late = run(
        "hotspot add --village 城庄村 --description 路口 --date 2026-10-20 --format json"
    ).json()
    fail("hotspot", "rectify", late["ref"], "--measures", "x", "--date", "2026-10-19")
