"""Appraisal score sheets (考评): import, scores, computed items, the yearly report, exact
figures. Today is 2026-10-31: the third quarter of 2026 is over, the fourth is not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.helpers import dump, fail, ledgers, run

SHEET = """\
name = "城庄镇考评表"

[[item]]
key = "org"
section = "组织"
title = "组织健全"
points = 60
body = "综治办"

[[item]]
key = "night"
title = "夜间巡逻"
points = 30
rule = "night_patrol"

[[item]]
key = "crime"
title = "无刑事案件"
points = 10
rule = "no_criminal_case"

[[veto]]
key = "veto.death"
title = "亡人事故"
rule = "accident_death"
"""


def _write(tmp_path: Path, text: str, name: str = "sheet.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- sheets ------------------------------------------------------------------------------
def test_the_shipped_sheet_is_in_force_until_one_is_imported(villages: list[str]) -> None:
    items = run("appraisal sheet show -f json").json()["items"]
    scored = [i for i in items if i["veto"] is None]
    assert sum(i["points"] for i in scored) == 100
    sections: dict[str, float] = {}
    for i in scored:
        sections[i["section"]] = sections.get(i["section"], 0) + i["points"]
    assert list(sections.values()) == [20, 20, 25, 10, 25]  # organisation ... no crime
    rules = {i["key"]: i["rule"] for i in scored if i["rule"]}
    assert rules == {
        "org.ledger": "creation_ledger",
        "patrol.night": "night_patrol",
        "no_crime": "no_criminal_case",
    }
    assert [i["veto"] for i in items if i["veto"]] == ["accident_death", "criminal_case"]
    assert all(i["source"] for i in items)  # every item says where it comes from


def test_a_sheet_import_is_stored_shown_and_audited(villages: list[str], tmp_path: Path) -> None:
    path = _write(tmp_path, SHEET)
    out = run(f"appraisal sheet import {path} --town 城庄镇 -f json").json()
    assert [i["key"] for i in out["items"]] == ["org", "night", "crime", "veto.death"]
    shown = run("appraisal sheet show").out
    assert "城庄镇考评表 2026-10-31" in shown and "2026-10-31" in shown
    log = run("log -f json").json()
    entry = next(e for e in log if e["action"] == "appraisal_sheet.import")
    assert entry["ref"] == "城庄镇考评表 2026-10-31"
    # The same name twice is refused; another name is a new version, in force from now on.
    assert "exists already" in fail(f"appraisal sheet import {path} --town 城庄镇").err
    run(f"appraisal sheet import {path} --name v2")  # the county's: the town's own still wins
    assert "城庄镇考评表 2026-10-31" in run("appraisal sheet show").out
    # A town with no sheet of its own has the county's.
    run("town add 安业乡")
    assert run("appraisal sheet show --town 安业乡 -f json").json()["name"] == "v2"
    assert run("appraisal sheet show --town 城庄镇 -f json").json()["town"] == "城庄镇"
    assert run("appraisal sheet show -f json").json()["name"] == "v2"  # a county: its sheet


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("points = 60", "points = 55"), "the items' points add up to 95, not 100"),
        (('key = "night"', 'key = "org"'), "the key 'org' appears twice"),
        (('rule = "night_patrol"', 'rule = "meetings"'), "line 10 [[item]]: unknown rule"),
        (('rule = "accident_death"', 'rule = "fire"'), "line 22 [[veto]]: unknown rule"),
        (("points = 30", "points = 30.25"), "line 10 [[item]]: points 30.25 must be above 0"),
        (('title = "组织健全"', "colour = 1"), "line 3 [[item]]: unknown key colour"),
        (("points = 60", "points = = 60"), "sheet line 7, column 10: cannot be read"),
        (
            ('title = "组织健全"', 'title = "组织\\u000b健全"'),
            "title contains the control character",
        ),
        (('section = "组织"', f'section = "{"组" * 101}"'), "section is too long (101 characters"),
    ],
)
def test_a_bad_sheet_is_refused_naming_its_line(
    villages: list[str], tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = _write(tmp_path, SHEET.replace(*change, 1))
    assert message in fail(f"appraisal sheet import {path}").err


def test_errors_are_in_chinese_on_a_chinese_ledger(villages: list[str], tmp_path: Path) -> None:
    path = _write(tmp_path, SHEET.replace('rule = "night_patrol"', 'rule = "meetings"'))
    err = fail(f"--lang zh appraisal sheet import {path}").err
    assert "考评表第 10 行的 [[item]]：规则“meetings”未知" in err
    path = _write(tmp_path, SHEET.replace("points = 60", "points = 55"))
    assert "各项分值合计 95，应为 100" in fail(f"--lang zh appraisal sheet import {path}").err
    # The TOML reader's and the xlsx reader's own (English) words are put in Chinese.
    path = _write(tmp_path, SHEET.replace("[[item]]", "[[item]", 1))
    err = fail(f"--lang zh appraisal sheet import {path}").err
    assert "error: 考评表第 3 行第 7 列：TOML 格式有误：数组表头 [[…]] 缺少右括号 ]]" in err
    assert "hint: 改正后重新导入" in err
    path = _write(tmp_path, "not a zip", "sheet.xlsx")
    err = fail(f"--lang zh appraisal sheet import {path}").err
    assert "error: 无法读取 Excel 文件 sheet.xlsx：不是有效的 xlsx 文件" in err
    assert "Zip" not in err and "EOCD" not in err
    err = fail("--lang zh appraisal score 城庄村 --quarter 2026Q3 --item support --points -1").err
    assert "error: 分数“-1”须是 0 以上、最多一位小数的数 (hint: --points 写该项得分，0 至 10" in err


def test_an_xlsx_sheet_names_the_row(villages: list[str], tmp_path: Path) -> None:
    from openpyxl import Workbook

    def book(rows: list[list[object]]) -> Path:
        wb = Workbook()
        ws = wb.active
        ws.append(["平安村考评表"])
        ws.append(["编号", "考评内容", "分值", "评分单位", "计分规则", "一票否决"])
        for row in rows:
            ws.append(row)
        path = tmp_path / "sheet.xlsx"
        wb.save(path)
        return path

    good: list[list[object]] = [
        ["org", "组织健全", 70, "综治办", None, None],
        ["night", "夜间巡逻", 30, "派出所", "夜间巡逻每周不少于3小时", None],
        ["veto.crime", "刑事案件", None, None, None, "criminal_case"],
    ]
    bad: list[list[object]] = [*good[:1], ["night", "夜间巡逻", 30, "派出所", "巡逻", None]]
    assert "row 4: unknown rule '巡逻'" in fail(f"appraisal sheet import {book(bad)}").err
    items = run(f"appraisal sheet import {book(good)} -f json").json()["items"]
    assert [(i["key"], i["points"], i["rule"], i["veto"]) for i in items] == [
        ("org", 70.0, None, None),
        ("night", 30.0, "night_patrol", None),
        ("veto.crime", None, None, "criminal_case"),
    ]


# ---- scores ------------------------------------------------------------------------------
def test_scores_are_checked_and_a_later_one_replaces(villages: list[str]) -> None:
    assert "org.office is worth 5.0 points at most, got 6" in (
        fail("appraisal score 城庄村 --quarter 2026Q3 --item org.office --points 6").err
    )
    err = fail("appraisal score 城庄村 --quarter 2026Q5 --item org.office --points 1").err
    assert "cannot read the quarter '2026Q5'" in err and "write it as 2026Q3" in err
    assert "has not begun" in (
        fail("appraisal score 城庄村 --quarter 2027Q1 --item org.office --points 1").err
    )
    err = fail("appraisal score 城庄村 --quarter 2026Q3 --item org.ofice --points 1").err
    assert "has no item 'org.ofice'" in err and "org.office" in err
    assert "computed from the ledger's records" in (
        fail("appraisal score 城庄村 --quarter 2026Q3 --item patrol.night --points 1").err
    )
    run("appraisal score 城庄村 --quarter 2026Q3 --item org.office --points 3 --note 缺社工")
    out = run(
        "appraisal score 城庄村 --quarter 2026年第三季度 --item org.office --points 4.5 -f json"
    )
    assert out.json()["points"] == 4.5 and out.json()["quarter"] == "2026Q3"
    entries = [e for e in run("log -f json").json() if e["action"].startswith("appraisal_score.")]
    assert [e["ref"] for e in entries] == ["城庄村/2026Q3/org.office"] * 2
    newest = entries[0]  # the log lists the newest first
    assert (newest["before"], newest["after"]) == (
        "points=3.0; note=缺社工",
        "points=4.5; note=none",
    )
    data = run("report appraisal --year 2026 --subject 城庄村 -f json").json()
    office = next(i for i in data["items"] if i["key"] == "org.office")
    assert office["Q3"] == 4.5


# ---- computed items, the year, vetoes ----------------------------------------------------
MANUAL = {
    "org.office": 5,
    "org.meetings": 5,
    "tech.video": 5,
    "tech.compounds": 5,
    "tech.old_compounds": 5,
    "tech.households": 5,
    "patrol.force": 10,
    "patrol.notice": 5,
    "support": 10,
}  # 55 points scored by hand on the shipped sheet


@pytest.fixture
def year(villages: list[str]) -> None:
    with ledgers.writing() as lx:

        def patrol(
            villages: list[str], day: str, start: str, end: str, kind: str = "night"
        ) -> None:
            ledgers.add(
                lx,
                "patrol",
                village=villages,
                team="patrol_team",
                leader="赵强",
                people=4,
                date=day,
                start=start,
                end=end,
                kind=kind,
            )

        patrol(["城庄村"], "2026-06-30", "22:00", "01:00")  # 3 h: the week of 29 June is Q3's
        patrol(["城庄村"], "2026-07-06", "20:00", "21:30")  # 1.5 h ...
        patrol(["城庄村"], "2026-07-12", "20:00", "21:30")  # ... and 1.5 h: 3 h that week
        patrol(["城庄村"], "2026-07-14", "22:00", "00:59")  # 2 h 59 min: not enough
        patrol(["城庄村"], "2026-07-21", "08:00", "12:00", "routine")  # not a night patrol
        patrol(["城庄村", "李家湾村"], "2026-08-05", "21:00", "00:00")  # both villages
        patrol(["城庄村"], "2026-09-29", "21:00", "01:00")  # the week of 28 Sep is Q4's
        for day in ("2026-07-01", "2026-07-20", "2026-08-05", "2026-09-30"):
            ledgers.add(lx, "sweep", subject="城庄村", by="网格员", date=day)
        ledgers.add(
            lx, "case", kind="criminal", village="前进村", summary="盗窃", date="2026-05-10"
        )
        ledgers.add(
            lx, "case", kind="administrative", village="城庄村", summary="斗殴", date="2026-08-01"
        )
        ledgers.add(
            lx,
            "accident",
            kind="production",
            village="李家湾村",
            summary="煤矿事故",
            deaths=1,
            date="2026-08-01",
        )
        ledgers.add(
            lx,
            "accident",
            kind="road",
            village="五和居",
            summary="车祸",
            deaths=1,
            date="2026-09-01",
        )
    from sanling.ledger import appraisal

    with ledgers.writing() as lx:  # the scores by hand (the command is tested above)
        for subject in ("城庄村", "李家湾村", "前进村"):
            for quarter in ("2026Q2", "2026Q3"):
                for item, points in MANUAL.items():
                    appraisal.score(lx, subject, quarter, item, str(points), None)


def test_night_patrol_hours_per_week(year: None) -> None:
    weeks = run(
        "report appraisal --year 2026 --explain subjects.城庄村.quarters.Q3.patrol.night -f json"
    )
    rows = weeks.json()
    assert len(rows) == 13 and rows[0]["week_start"] == "2026-06-29"
    assert rows[-1]["week_end"] == "2026-09-27"
    by_week = {r["week_start"]: (r["patrols"], r["hours"], r["met"]) for r in rows}
    assert by_week["2026-06-29"] == (1, 3.0, True)
    assert by_week["2026-07-06"] == (2, 3.0, True)
    assert by_week["2026-07-13"] == (1, 3.0, False)  # 179 minutes shows as 3.0 hours
    assert by_week["2026-07-20"] == (0, 0.0, False)
    assert by_week["2026-08-03"] == (1, 3.0, True)
    assert sum(r["met"] for r in rows) == 3
    data = run("report appraisal --year 2026 --subject 城庄村 -f json").json()
    items = {i["key"]: i for i in data["items"]}
    assert items["patrol.night"]["Q3"] == 2.3  # 10 x 3 / 13 weeks
    assert items["org.ledger"]["Q3"] == 6.7  # 10 x 4 / 6 half-months swept
    assert items["no_crime"]["Q3"] == 25.0  # an administrative case breaks nothing
    assert (items["patrol.night"]["Q2"], items["org.ledger"]["Q2"]) == (0.0, 0.0)
    lijia = run("report appraisal --year 2026 --subject 李家湾村 -f json").json()["items"]
    assert next(i for i in lijia if i["key"] == "patrol.night")["Q3"] == 0.8  # 10 x 1 / 13
    halves = run(
        "report appraisal --year 2026 --explain subjects.城庄村.quarters.Q3.org.ledger -f json"
    )
    assert [r["met"] for r in halves.json()] == [True, True, True, False, False, True]
    assert halves.json()[0]["sweeps"] == ["PC-2026-0001"]


def test_the_year_averages_quarters_and_applies_vetoes_and_the_pass_mark(year: None) -> None:
    data = run("report appraisal --year 2026 -f json").json()
    assert data["pass_mark"] == 90.0 and data["as_of"] == "2026-10-31"
    by_name = {s["name"]: s for s in data["subjects"]}
    city = by_name["城庄村"]
    # Q2: 55 by hand + no crime 25 = 80; Q3: 55 + ledger 6.7 + patrols 2.3 + no crime 25 = 89.
    # Q1 has no score (not appraised), Q4 has not ended.
    assert city["quarters"] == {
        "Q1": {"points": 25.0, "appraised": False},  # no crime, but nobody scored it
        "Q2": {"points": 80.0, "appraised": True},
        "Q3": {"points": 89.0, "appraised": True},
        "Q4": None,
    }
    assert (city["average"], city["result"]) == (84.5, "failed")
    # A criminal case (May) vetoes 前进村; a death in a production accident 李家湾村;
    # a death on the road does not veto 五和居 (not scored: not appraised).
    qianjin = by_name["前进村"]
    assert qianjin["quarters"]["Q2"]["points"] == 55.0  # no_crime lost in the case's quarter
    assert qianjin["vetoed_by"] == [{"rule": "criminal_case", "ref": "AJ-2026-0001"}]
    assert by_name["李家湾村"]["vetoed_by"] == [{"rule": "accident_death", "ref": "SG-2026-0001"}]
    assert (by_name["五和居"]["result"], by_name["五和居"]["vetoed_by"]) == ("not_appraised", [])
    assert data["summary"] == {
        "subjects": 4,
        "appraised": 3,
        "passed": 0,
        "failed": 1,
        "vetoed": 2,
        "not_appraised": 1,
    }
    # The pass mark is a setting: at 84.5 城庄村 passes; vetoed subjects fail whatever their
    # points (李家湾村 has 80.4 and 前进村 67.5 on average).
    run("config set appraisal_pass_mark 84.5")
    data = run("report appraisal --year 2026 -f json").json()
    results = {s["name"]: (s["average"], s["result"]) for s in data["subjects"]}
    assert results["城庄村"] == (84.5, "passed")
    run("config set appraisal_pass_mark 50")
    results = {
        s["name"]: (s["average"], s["result"])
        for s in run("report appraisal --year 2026 -f json").json()["subjects"]
    }
    assert results["李家湾村"] == (80.4, "vetoed") and results["前进村"] == (67.5, "vetoed")
    run("config set appraisal_pass_mark 84.6")
    city = run("report appraisal --year 2026 --subject 城庄村 -f json").json()["subjects"][0]
    assert city["result"] == "failed"
    veto = run("report appraisal --year 2026 --explain subjects.前进村.vetoed_by -f json").json()
    assert [r["ref"] for r in veto] == ["AJ-2026-0001"]
    quarter = run(
        "report appraisal --year 2026 --explain subjects.城庄村.quarters.Q3.points -f json"
    ).json()
    assert sum(r["points"] for r in quarter) == pytest.approx(89.0)
    # A case voided (entered in error) vetoes nothing and breaks no 零案件: 前进村 has 80 in
    # both quarters and fails on its points (pass mark 84.6).
    run("case void AJ-2026-0001 --reason 录入错误")
    qianjin = run("report appraisal --year 2026 --subject 前进村 -f json").json()["subjects"][0]
    assert (qianjin["vetoed_by"], qianjin["average"], qianjin["result"]) == ([], 80.0, "failed")


def test_every_format_and_80_columns(
    year: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "80")
    for lang in ("zh", "en"):
        out = run(f"--lang {lang} report appraisal --year 2026 --subject 城庄村").out
        assert max(cell_len(line) for line in out.splitlines()) <= 80
    zh = run("--lang zh report appraisal --year 2026").out
    assert "一票否决" in zh and "年度得分" in zh and "vetoed" not in zh
    for fmt in ("csv", "markdown", "text", "html"):
        assert "城庄村" in run(f"report appraisal --year 2026 -f {fmt}").out
    run(f"report appraisal --year 2026 -f xlsx -o {tmp_path / 'a.xlsx'}")
    assert (tmp_path / "a.xlsx").stat().st_size > 0
    sheet = run("--lang zh appraisal sheet show").out
    assert max(cell_len(line) for line in sheet.splitlines()) <= 80
    # The keys --item takes are never broken; the content gets the room the short columns
    # leave (not squeezed to the width of the rule's label beside it).
    keys = [line.split()[0] for line in sheet.splitlines() if line.startswith((" org.", " tech"))]
    assert "tech.old_compounds" in keys and "org.office" in keys
    first = next(line for line in sheet.splitlines() if line.startswith(" org.office"))
    assert "成立综治办，明确1" in first


def test_as_recorded_takes_later_scores_and_sheets_back(
    villages: list[str], tmp_path: Path
) -> None:
    from tests.test_as_recorded import next_second

    run("appraisal score 城庄村 --quarter 2026Q3 --item org.office --points 3")
    moment = next_second()
    run("appraisal score 城庄村 --quarter 2026Q3 --item org.office --points 4.5")
    run("appraisal score 城庄村 --quarter 2026Q3 --item support --points 10")
    run(f"appraisal sheet import {_write(tmp_path, SHEET)} --town 城庄镇")
    stamp = (moment + dt.timedelta(hours=8)).replace(tzinfo=None).isoformat()  # town time
    before = dump()
    then = run(f"report appraisal --year 2026 --subject 城庄村 -f json --as-recorded {stamp}")
    items = {i["key"]: i["Q3"] for i in then.json()["items"]}
    assert (items["org.office"], items["support"]) == (3.0, 0.0)  # on the shipped sheet
    assert then.json()["sheets"][0]["imported_on"] is None
    assert dump() == before, "--as-recorded changed the ledger"
    now = run("report appraisal --year 2026 --subject 城庄村 -f json").json()
    assert [i["key"] for i in now["items"]] == ["org", "night", "crime"]  # the town's sheet


def test_no_crime_counts_criminal_cases_only(year: None) -> None:
    """The strict 零案件 (any 治安 case breaks it) changes the 三零 reports, not the 25 points of
    无刑事案件: 城庄村's administrative case of August costs it nothing."""
    run("config set case_any_administrative_breaks true")
    compliance = run("report compliance --month 2026-10 -f json").json()
    assert {r["name"]: r["zero_case"] for r in compliance["results"]}["城庄村"] is False
    items = {
        i["key"]: i
        for i in run("report appraisal --year 2026 --subject 城庄村 -f json").json()["items"]
    }
    assert items["no_crime"]["Q3"] == 25.0
    cases = run(
        "report appraisal --year 2026 --explain subjects.城庄村.quarters.Q3.no_crime -f json"
    ).json()
    assert cases == []
    qianjin = run("report appraisal --year 2026 --subject 前进村 -f json").json()["items"]
    assert next(i for i in qianjin if i["key"] == "no_crime")["Q2"] == 0.0  # criminal: lost
