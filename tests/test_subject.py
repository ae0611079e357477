"""Towns and creation subjects: add, list, show, update, grade, retire; bad input refused."""

from __future__ import annotations

from tests.helpers import fail, run


def test_add_and_show(villages: list[str]) -> None:
    data = run("subject show 城庄村 -f json").json()
    assert data["kind"] == "village" and data["households"] == 420 and data["population"] == 1300
    assert (
        data["mediation_committee"]
        and data["patrol_team"]
        and data["video"]
        and data["police_office"]
    )
    assert not data["security_committee"]
    assert data["grade"] is None and data["grade_history"] == []
    unit = run("subject show 城庄中学 -f json").json()
    assert unit["kind"] == "unit" and unit["parent"] == "城庄村"


def test_options_take_chinese_labels(town: str) -> None:
    run("subject add 柏林苑 --kind 社区")
    assert run("subject show 柏林苑 -f json").json()["kind"] == "community"


def test_list_filters(villages: list[str]) -> None:
    assert [s["name"] for s in run("subject list --kind community -f json").json()] == ["五和居"]
    assert [s["name"] for s in run("subject list --village 城庄村 -f json").json()] == ["城庄中学"]
    assert len(run("subject list -f json").json()) == 6


def test_bad_subjects_are_refused(villages: list[str]) -> None:
    assert "already" in fail("subject add 城庄村 --kind village").err
    assert "needs its village" in fail("subject add 某企业 --kind enterprise").err
    assert (
        "no village or community named '无此村'"
        in fail("subject add 某企业 --kind enterprise --village 无此村").err
    )
    assert "is a unit" in fail("subject add 某企业 --kind enterprise --village 城庄中学").err
    assert "no parent village" in fail("subject add 新村 --kind village --village 城庄村").err
    assert (
        "villages only"
        in fail("subject add 某厂 --kind enterprise --village 城庄村 --households 3").err
    )
    fail("subject add 新村 --kind village --population -1", code=2)
    fail("subject add 新村 --kind farm", code=2)
    assert "empty" in fail("subject", "add", "  ", "--kind", "village").err
    assert "no town named" in fail("subject add 新村 --kind village --town 无此镇").err


def test_same_name_in_two_towns_needs_town(villages: list[str]) -> None:
    run("town add 安业乡 --county 临县")
    run("subject add 城庄村 --kind village --town 安业乡")
    assert "--town" in fail("subject show 城庄村", code=2).err
    assert run("subject show 城庄村 --town 安业乡 -f json").json()["town"] == "安业乡"
    # With two towns, a new subject must name its town.
    assert "--town" in fail("subject add 又一村 --kind village", code=2).err


def test_update(villages: list[str]) -> None:
    data = run(
        "subject update 李家湾村 --households 320 --video --no-mediation-committee -f json"
    ).json()
    assert (
        data["households"] == 320 and data["video"] is True and data["mediation_committee"] is False
    )
    log = run("log --ref 李家湾村 --limit 1 -f json").json()[0]
    assert log["action"] == "subject.update"
    assert "households=310" in log["before"] and "households=320" in log["after"]
    assert "villages only" in fail("subject update 城庄中学 --population 5").err
    assert "exists already" in fail("subject update 李家湾村 --rename 城庄村").err
    assert run("subject update 李家湾村 --rename 李家湾 -f json").json()["name"] == "李家湾"


def test_grade_keeps_history(villages: list[str]) -> None:
    run("subject grade 城庄村 --grade key --reason 纠纷多发")
    run("subject grade 城庄村 --grade 一般村 --reason 整改到位")
    data = run("subject show 城庄村 -f json").json()
    assert data["grade"] == "general" and data["grade_manual"] is True
    assert [
        (g["grade"], g["previous"], g["reason"], g["manual"]) for g in data["grade_history"]
    ] == [
        ("key", None, "纠纷多发", True),
        ("general", "key", "整改到位", True),
    ]
    assert [s["name"] for s in run("subject list --grade general -f json").json()] == ["城庄村"]
    assert "only villages" in fail("subject grade 城庄中学 --grade key --reason x").err
    fail("subject grade 城庄村 --grade key", code=2)
    fail("subject grade 城庄村 --grade top --reason x", code=2)


def test_retire(villages: list[str]) -> None:
    assert "still has active" in fail("subject retire 城庄村 --reason 合并").err
    run("subject retire 城庄中学 --reason 撤并 --date 2026-09-01")
    assert "城庄中学" not in [s["name"] for s in run("subject list -f json").json()]
    retired = run("subject list --retired -f json").json()
    assert [s["active"] for s in retired if s["name"] == "城庄中学"] == [False]
    assert run("subject show 城庄中学 -f json").json()["retired_on"] == "2026-09-01"
    assert "retired" in fail("sweep add --subject 城庄中学 --by 王强").err
    assert "future" in fail("subject retire 前进村 --reason x --date 2026-11-30").err


def test_towns(town: str) -> None:
    run("town add 安业乡 --county 临县 --households 5000 --population 16000")
    names = sorted(t["name"] for t in run("town list -f json").json())
    assert names == sorted(["城庄镇", "安业乡"])
    assert "exists already" in fail("town add 安业乡").err


def test_a_retired_village_stays_listable(villages: list[str]) -> None:
    run(
        "hazard add --village 前进村 --area road --description 护栏缺失 --responsible 王五 "
        "--found 2026-10-01"
    )
    run(
        "dispute add --village 前进村 --category land --summary 地界 --handler 张三 --found "
        "2026-10-02"
    )
    run("subject retire 前进村 --reason 撤并 --date 2026-10-20")
    for kind in (
        "hazard",
        "dispute",
        "petition",
        "case",
        "accident",
        "hotspot",
        "patrol",
        "person",
    ):
        rows = run(f"{kind} list --village 前进村 -f json").json()
        assert len(rows) == (1 if kind in ("hazard", "dispute") else 0), kind
    assert (
        "retired"
        in fail("dispute add --village 前进村 --category land --summary x --handler y").err
    )
