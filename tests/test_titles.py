"""Titles (命名, 摘牌): subject name / revoke / titles, audited, with their refusals; a break
of a named subject is a finding of the monthly analysis; the annual report lists the year's
titles named, kept and revoked."""

from __future__ import annotations

from typing import Any

from tests.helpers import fail, run


def name(subject: str, *args: str) -> Any:
    return run("subject", "name", subject, *args, "--format", "json").json()


def findings(month: str, lang: str = "en") -> list[str]:
    data = run("--lang", lang, "report", "monthly", "--month", month, "--format", "json").json()
    return [f["text"] for f in data["findings"] if f["rule"] == "title_broken"]


def titles(year: int) -> dict[str, Any]:
    return run("report", "annual", "--year", str(year), "--format", "json").json()["titles"]


def test_name_and_refusals(villages: list[str]) -> None:
    named = name("城庄村", "--year", "2026", "--date", "2026-01-10")
    assert named == {
        "subject": "城庄村",
        "kind": "village",
        "town": "城庄镇",
        "year": 2026,
        "title": "三零村",
        "named_on": "2026-01-10",
        "revoked_on": None,
        "revoke_reason": None,
        "revoke_ref": None,
    }
    assert name("五和居", "--year", "2026")["title"] == "三零社区"  # by kind
    assert name("兴旺煤业", "--year", "2026", "--title", "平安企业")["title"] == "平安企业"
    # Twice in a year, a year far from the date, an unknown subject: refused, nothing saved.
    err = fail("subject name 城庄村 --year 2026 --title 平安村").err
    assert "'城庄村' was named 三零村 for 2026 on 2026-01-10 already" in err
    assert "more than a year from the naming date" in fail("subject name 前进村 --year 2030").err
    assert "no subject named '无名村'" in fail("subject name 无名村 --year 2026").err
    # Revoking what is not held.
    assert "'前进村' holds no title on 2026-10-31" in fail("subject revoke 前进村 --reason 无").err
    err = fail("subject revoke 城庄村 --reason 无 --date 2026-01-05").err
    assert "holds no title on 2026-01-05" in err  # not named yet that day
    assert "holds no title for 2025" in fail("subject revoke 城庄村 --reason 无 --year 2025").err
    # The list, and the audit log.
    rows = run("subject titles --year 2026 --format json").json()
    assert [(r["subject"], r["title"]) for r in rows] == [
        ("城庄村", "三零村"),
        ("五和居", "三零社区"),
        ("兴旺煤业", "平安企业"),
    ]
    assert run("subject titles --year 2025 --format json").json() == []
    log = run("log --ref 城庄村 --format json").json()
    assert [e["action"] for e in log] == ["title.name", "subject.add"]
    run("db check")


def test_a_break_is_a_finding_then_the_title_is_revoked(villages: list[str]) -> None:
    name("城庄村", "--year", "2026", "--date", "2026-01-10")
    name("李家湾村", "--year", "2026", "--date", "2026-01-10")
    name("前进村", "--year", "2026", "--date", "2026-10-20")
    # 城庄村's criminal case in October; 前进村's before it was named (not a finding);
    # 五和居 is not named.
    run("case add --kind criminal --village 城庄村 --summary 盗窃 --date 2026-10-05")
    run("case add --kind criminal --village 前进村 --summary 盗窃 --date 2026-10-06")
    run("case add --kind criminal --village 五和居 --summary 盗窃 --date 2026-10-07")
    assert findings("2026-10") == [
        "城庄村, named 三零村 for 2026, was broken by AJ-2026-0001 (zero cases (零案件)): "
        "to be reviewed."
    ]
    assert findings("2026-10", "zh") == [
        "城庄村已命名2026年度三零村，AJ-2026-0001 打破零案件：待复核。"
    ]
    assert titles(2026) | {"subjects": None} == {
        "named": 3,
        "kept": 3,
        "revoked": 0,
        "to_review": 1,
        "subjects": None,
    }
    # A record of another subject is refused as the reason of a revocation.
    err = fail("subject revoke 城庄村 --reason 刑事案件 --record AJ-2026-0002").err
    assert "AJ-2026-0002 is not a record of '城庄村'" in err
    assert (
        "no record XX-2026-0001"
        in fail("subject revoke 城庄村 --reason 刑事案件 --record XX-2026-0001").err
    )
    revoke = "subject revoke 城庄村 --reason 发生刑事案件 --record AJ-2026-0001 --date 2026-10-20"
    revoked = run(f"{revoke} -f json").json()
    assert (revoked["revoked_on"], revoked["revoke_reason"], revoked["revoke_ref"]) == (
        "2026-10-20",
        "发生刑事案件",
        "AJ-2026-0001",
    )
    assert "holds no title" in fail("subject revoke 城庄村 --reason 再摘").err
    assert findings("2026-10") == [
        "城庄村, named 三零村 for 2026, was broken by AJ-2026-0001 (zero cases (零案件)): "
        "revoked on 2026-10-20."
    ]
    # Annual: named 3, kept 2 (李家湾村 and 前进村), revoked 1; none broken since named.
    data = titles(2026)
    assert {k: data[k] for k in ("named", "kept", "revoked", "to_review")} == {
        "named": 3,
        "kept": 2,
        "revoked": 1,
        "to_review": 0,
    }
    states = {t["name"]: (t["state"], t["broken_since"]) for t in data["subjects"]}
    assert states == {
        "城庄村": ("revoked", ["AJ-2026-0001"]),
        "李家湾村": ("kept", []),
        "前进村": ("kept", []),
    }
    rows = run("report annual --year 2026 --explain titles.revoked --format json").json()
    assert [(r["subject"], r["revoke_ref"]) for r in rows] == [("城庄村", "AJ-2026-0001")]
    table = run("--lang", "zh", "report", "annual", "--year", "2026").out
    assert "命名 3 个，保持 2 个（待复核 0 个），摘牌 1 个" in table
    log = run("log --ref 城庄村 --format json").json()
    assert [e["action"] for e in log][:2] == ["title.revoke", "title.name"]
    run("db check")


def test_a_title_revoked_is_kept_by_past_reports(villages: list[str]) -> None:
    """A report of a month before the revocation shows the title held (its dates decide)."""
    name("李家湾村", "--year", "2026", "--date", "2026-01-10")
    run(
        "petition add --village 李家湾村 --form visit --level city --summary 上访 --date 2026-03-01"
    )
    run("subject revoke 李家湾村 --reason 越级上访 --record XF-2026-0001 --date 2026-04-01")
    march = run("report compliance --month 2026-03 --format json").json()
    held = {r["name"]: r["title"] for r in march["results"]}
    assert held["李家湾村"] == "三零村 2026"
    assert findings("2026-03") == [
        "李家湾村, named 三零村 for 2026, was broken by XF-2026-0001 "
        "(zero petitions (零上访)): to be reviewed."
    ]
    april = run("report compliance --month 2026-04 --format json").json()
    assert {r["name"]: r["title"] for r in april["results"]}["李家湾村"] is None
    data = run("report annual --year 2026 --format json").json()["titles"]
    assert (data["named"], data["kept"], data["revoked"]) == (1, 0, 1)


def test_as_recorded_undoes_a_revocation(villages: list[str]) -> None:
    """--as-recorded: the annual report and compliance as they stood before the revocation (the
    audit entry's before is put back), and before the naming (the title taken out)."""
    from tests.test_as_recorded import next_second

    first = next_second()
    name("城庄村", "--year", "2026", "--date", "2026-01-10")
    named = next_second()
    run("subject revoke 城庄村 --reason 发生刑事案件")
    annual = "report annual --year 2026 --format json --as-recorded"
    counts = ("named", "kept", "revoked")
    then = run(f"{annual} {named.isoformat()}").json()["titles"]
    assert tuple(then[k] for k in counts) == (1, 1, 0)
    before = run(f"{annual} {first.isoformat()}").json()["titles"]
    assert tuple(before[k] for k in counts) == (0, 0, 0)
    now = run("report annual --year 2026 --format json").json()["titles"]
    assert tuple(now[k] for k in counts) == (1, 0, 1)
    compliance = "report compliance --month 2026-10 --format json --as-recorded"
    held = {
        r["name"]: r["title"] for r in run(f"{compliance} {named.isoformat()}").json()["results"]
    }
    assert held["城庄村"] == "三零村 2026"


def test_only_assessed_active_subjects_are_named(villages: list[str]) -> None:
    run("subject add 城庄镇司法所 --kind town_office")
    err = fail("subject name 城庄镇司法所 --year 2026").err
    assert "is a town itself: not assessed for 三零, so it cannot be named" in err
    err = fail("--lang zh subject name 城庄镇司法所 --year 2026").err
    assert "(hint: 只命名行政村、社区、单位和企业；镇直单位不参加三零创建)" in err
    run("subject retire 城庄中学 --reason 撤并 --date 2026-09-01")
    assert "'城庄中学' is retired" in fail("subject name 城庄中学 --year 2026").err


def test_a_year_named_early_next_year_is_in_its_annual_report(villages: list[str]) -> None:
    """年度命名 happens early the next year: 2025's titles named in January 2026 are counted in
    the 2025 report (as of today), and not in 2026's."""
    name("城庄村", "--year", "2025", "--date", "2026-01-05")
    name("李家湾村", "--year", "2026", "--date", "2026-01-10")
    last = titles(2025)
    assert (last["named"], last["kept"]) == (1, 1)
    assert [t["name"] for t in last["subjects"]] == ["城庄村"]
    table = run("--lang", "zh", "report", "annual", "--year", "2025").out
    assert "命名 1 个，保持 1 个（待复核 0 个），摘牌 0 个" in table
    assert [t["name"] for t in titles(2026)["subjects"]] == ["李家湾村"]


def test_a_revocation_names_a_record_after_the_naming(villages: list[str]) -> None:
    """--record dated before the naming is refused; the to-review explainer shows the records
    that broke each title since its naming."""
    run("case add --kind criminal --village 城庄村 --summary 盗窃 --date 2026-04-25")
    name("城庄村", "--year", "2026", "--date", "2026-10-10")
    err = fail(
        "--lang zh subject revoke 城庄村 --reason x --record AJ-2026-0001 --date 2026-10-20"
    ).err
    assert "error: AJ-2026-0001（2026-04-25）早于“城庄村”的命名日期 2026-10-10" in err
    assert "hint: --record 写命名之后打破三零的那条记录" in err
    assert run("subject titles --year 2026 --format json").json()[0]["revoked_on"] is None
    name("五和居", "--year", "2026", "--date", "2026-01-10")
    for day in ("2026-03-01", "2026-03-02"):
        run(f"case add --kind criminal --village 五和居 --summary 盗窃 --date {day}")
    rows = run("report annual --year 2026 --explain titles.to_review --format json").json()
    assert [(r["subject"], r["broken_since"]) for r in rows] == [
        ("五和居", "AJ-2026-0002, AJ-2026-0003")
    ]
    zh = run("--lang zh report annual --year 2026 --explain titles.to_review").out
    assert "命名后破零" in zh and "AJ-2026-0002、AJ-2026-0003" in zh
