"""sanling import: an office's own spreadsheets come in (Chinese headers and their variants, a
title row above the header, Excel dates, GB18030 and BOM CSVs); all rows or none, with every
bad row reported by row number and column; re-importing adds nothing; --dry-run writes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import dump, fail, run


def write_xlsx(path: Path, rows: list[list[Any]], *, title: str | None = None) -> Path:
    """An office ledger: a merged title row, then the header, then the rows."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def disputes() -> list[dict[str, Any]]:
    return run("dispute list --format json").json()


def test_an_office_xlsx_with_a_title_row_chinese_headers_and_excel_dates(
    villages: list[str], tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "纠纷台账.xlsx",
        [
            [
                "序号",
                "村（社区）",
                "发现日期",
                "纠纷类别",
                "简要情况",
                "当事人",
                "涉及人数",
                "责任人",
                "化解时限",
                "化解情况",
                "化解日期",
                "化解方式",
                "备注",
            ],
            [
                1,
                "城庄村",
                dt.datetime(2026, 3, 5),
                "土地山林",
                "地界纠纷",
                "张甲、张乙",
                2.0,
                "张三",
                dt.date(2026, 3, 20),
                "已化解",
                dt.date(2026, 3, 10),
                "调解",
                "无",
            ],
            [
                2,
                "李家湾村",
                46113.0,
                "邻里",
                "宅基地滴水",
                None,
                4,
                "李四",
                None,
                "未化解",
                None,
                None,
                None,
            ],
            [
                3,
                "五和居",
                "2026年10月1日",
                "婚姻家庭",
                "离婚财产",
                None,
                None,
                "王五",
                None,
                None,
                None,
                None,
                None,
            ],
            [None, None, None, None, None, None, None, None, None, None, None, None, None],
            ["合计", None, None, None, None, None, None, None, None, None, None, None, None],
        ],
        title="城庄镇2026年矛盾纠纷排查化解台账",
    )
    result = run("import", "disputes", str(path))
    assert result.out.strip() == (
        "imported 3 disputes from 纠纷台账.xlsx (JF-2026-0001 … JF-2026-0003)"
    )
    assert result.err.strip().splitlines() == [
        "columns with no field (kept on each record, shown by show): 备注",
        "resolved or rectified: 1",
    ]
    rows = {d["ref"]: d for d in disputes()}
    one, two, three = rows["JF-2026-0001"], rows["JF-2026-0002"], rows["JF-2026-0003"]
    assert (
        one["village"],
        one["found"],
        one["category"],
        one["handler"],
        one["deadline"],
        one["status"],
    ) == ("城庄村", "2026-03-05", "land", "张三", "2026-03-20", "resolved")
    # 46113 is Excel's serial number of 2026-04-01; no deadline given: found + 15 days
    assert (two["found"], two["deadline"], two["status"]) == ("2026-04-01", "2026-04-16", "open")
    assert (three["village"], three["found"], three["category"]) == (
        "五和居",
        "2026-10-01",
        "marriage_family",
    )
    shown = run("dispute show JF-2026-0001 --format json").json()
    assert (shown["method"], shown["resolved_on"], shown["result"], shown["parties"]) == (
        "mediation",
        "2026-03-10",
        "已化解",
        "张甲、张乙",
    )
    run("db check")  # the audit chain holds after a batched import


def test_three_bad_rows_are_all_reported_and_nothing_is_written(
    villages: list[str], tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "bad.csv",
        (
            "所属村,排查时间,类别,简要情况,首办责任人\n"
            "城庄村,2026-03-05,土地山林,地界纠纷,张三\n"
            "无名村,2026-03-06,邻里,噪音,李四\n"
            "李家湾村,2026-02-30,债务,欠款,王五\n"
            "前进村,2026-04-01,打架,口角,\n"
            "五和居,2026-04-02,邻里,楼上漏水,赵六\n"
        ),
    )
    result = fail("import", "disputes", str(path))
    lines = [line.strip() for line in result.err.splitlines()]
    assert lines == [
        "row 3, column '所属村': no village or community named '无名村'",
        "row 4, column '排查时间': 排查时间: '2026-02-30' is not a real date",
        "row 5, column '类别': '打架' is not one of: marriage_family 婚姻家庭, neighbour 邻里, "
        "housing_land 房屋宅基地, contract 合同, business 生产经营, damage 损害赔偿, "
        "land 山林土地, compensation 征地拆迁, environment 环境污染, labour 劳动争议, "
        "medical 医疗, property 物业, traffic 道路交通, village_affairs 村务管理, other 其他",
        "row 5, column '首办责任人': must not be empty",
        "error: 3 rows are wrong; nothing was imported "
        "(hint: correct the rows listed above and import again)",
    ]
    assert disputes() == []


def test_ledger_errors_found_late_are_reported_with_their_column(
    villages: list[str], tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "late.csv",
        (
            "village,found,category,summary,handler,deadline,status,resolved_on,method\n"
            "城庄村,2026-03-05,land,a,张三,2026-03-01,,,\n"
            "城庄村,2026-03-05,land,b,张三,,resolved,,mediation\n"
            "城庄村,2026-03-05,land,c,张三,,resolved,2026-03-06,\n"
            "城庄村,2026-03-05,land,d,张三,,resolved,2026-03-01,mediation\n"
            "城庄村,2027-03-05,land,e,张三,,,,\n"
        ),
    )
    lines = [line.strip() for line in fail("import", "disputes", str(path)).err.splitlines()]
    # Rows 3 and 4 say resolved without a date or a method: the date comes by the stated
    # rule, the method by its words (vocab.py), so only three rows are wrong.
    assert lines[:3] == [
        "row 2, column 'deadline': deadline 2026-03-01 is before the found date 2026-03-05",
        "row 5, column 'resolved_on': date 2026-03-01 is before the dispute was found (2026-03-05)",
        "row 6, column 'found': found 2027-03-05 is in the future (today is 2026-10-31)",
    ]
    assert lines[3].startswith("error: 3 rows are wrong")


def test_reimporting_the_same_file_adds_nothing(villages: list[str], tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "d.csv",
        (
            "所属村,排查时间,类别,简要情况,首办责任人\n"
            "城庄村,2026-03-05,土地山林,地界纠纷,张三\n"
            "李家湾村,2026/3/6,邻里,噪音,李四\n"
        ),
    )
    run("import", "disputes", str(path))
    before = dump()
    again = run("import", "disputes", str(path), "--format", "json").json()
    assert (again["added"], again["skipped"], again["rows"]) == (0, 2, 2)
    assert dump() == before
    # one new row in a longer file: only that row comes in, with the next number
    with path.open("a", encoding="utf-8") as fh:
        fh.write("前进村,2026-03-07,债务,欠款,王五\n")
    out = run("import", "disputes", str(path)).out.strip()
    assert out == (
        "imported 1 disputes from d.csv (JF-2026-0003); 2 already in the ledger, skipped"
    )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-8"])
def test_csv_in_utf8_with_or_without_bom_and_gb18030(
    town: str, tmp_path: Path, encoding: str
) -> None:
    path = write_csv(
        tmp_path / "subjects.csv",
        (
            "序号,名称,类型,所属村,户数,人口,调委会,雪亮工程,联系电话\n"
            "1,城庄村,行政村,,420,1300,是,有,13812341234\n"
            "2,五和居,社区,,,,是,无,\n"
            "3,城庄中学,单位,城庄村,,,,,\n"
            "4,兴旺煤业,企业,城庄村,,,否,,0358-1234567\n"
        ),
        encoding,
    )
    run("import", "subjects", str(path))
    rows = {s["name"]: s for s in run("subject list --format json").json()}
    assert sorted(rows) == ["五和居", "兴旺煤业", "城庄中学", "城庄村"]
    village = rows["城庄村"]
    assert (
        village["kind"],
        village["households"],
        village["population"],
        village["mediation_committee"],
        village["video"],
        village["phone"],
    ) == ("village", 420, 1300, True, True, "13812341234")
    assert (rows["城庄中学"]["kind"], rows["城庄中学"]["parent"]) == ("unit", "城庄村")
    assert rows["兴旺煤业"]["phone"] == "0358-1234567"


def test_dry_run_checks_everything_and_writes_nothing(villages: list[str], tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "h.csv",
        (
            "所属村,发现日期,隐患领域,隐患描述,责任人,隐患等级,整改日期,整改措施,复查人,销号日期\n"
            "城庄村,2026-09-01,消防,电线老化,赵六,一般,2026-09-10,更换电线,孙七,2026-09-12\n"
            "李家湾村,2026-10-01,危化,储罐,钱八,重大,,,,\n"
        ),
    )
    before = dump()
    out = run("import", "hazards", str(path), "--dry-run").out.strip()
    assert out == (
        "dry run: 2 hazards from h.csv would be added (YH-2026-0001 … YH-2026-0002); "
        "nothing was written"
    )
    assert dump() == before
    # a dry run of a bad file fails like the real thing
    bad = write_csv(
        tmp_path / "bad.csv", "所属村,发现日期,隐患领域,隐患描述,责任人\n无名村,,消防,x,y\n"
    )
    fail("import", "hazards", str(bad), "--dry-run")
    # and the real import then does what the dry run said
    run("import", "hazards", str(path))
    rows = {h["ref"]: h for h in run("hazard list --format json").json()}
    assert rows["YH-2026-0001"]["status"] == "closed"
    assert (
        rows["YH-2026-0002"]["status"],
        rows["YH-2026-0002"]["grade"],
        rows["YH-2026-0002"]["deadline"],
    ) == ("open", "major", "2026-12-30")


def test_english_headers_are_the_add_options(villages: list[str], tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        (
            "village,date,form,level,summary,people,repeated,abnormal,handled-at-source\n"
            "城庄村,2026-10-03,visit,county,Land boundary,6,yes,no,1\n"
            "五和居,2026-10-04,来信,乡镇,Noise,,,,\n"
        ),
    )
    run("import", "petitions", str(path))
    rows = {p["ref"]: p for p in run("petition list --format json").json()}
    first = rows["XF-2026-0001"]
    assert (first["people"], first["repeated"], first["abnormal"], first["level"]) == (
        6,
        True,
        False,
        "county",
    )
    assert (rows["XF-2026-0002"]["form"], rows["XF-2026-0002"]["people"]) == ("letter", 1)


def test_patrols_with_several_villages_and_excel_times(villages: list[str], tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "patrols.xlsx",
        [
            ["巡逻日期", "开始时间", "结束时间", "巡逻村", "巡逻类型", "队伍", "带队人", "人数"],
            [
                dt.date(2026, 10, 1),
                dt.time(22, 0),
                dt.time(2, 30),
                "城庄村、李家湾村",
                "夜间",
                "专职巡逻队",
                "钱八",
                4,
            ],
            [dt.date(2026, 10, 2), None, None, "五和居", "日常", "网格员", "周九", 2],
        ],
    )
    run("import", "patrols", str(path))
    rows = {p["ref"]: p for p in run("patrol list --format json").json()}
    night = rows["XL-2026-0001"]
    assert (night["start"], night["end"], night["hours"], night["kind"]) == (
        "22:00",
        "02:30",
        4.5,
        "night",
    )
    assert night["villages"] == ["城庄村", "李家湾村"]


def test_missing_columns_and_unknown_files(villages: list[str], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", "所属村,简要情况\n城庄村,x\n")
    err = fail("import", "disputes", str(path)).err
    assert err.strip() == (
        "error: missing required columns: 排查时间 (found)、首办责任人 (handler) "
        "(hint: the header was found in row 1; a value for the whole file can be given as"
        " --found ...; name other columns in a map (--map; --suggest-map writes a starter))"
    )
    fail("import", "disputes", str(tmp_path / "none.csv"))
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    fail("import", "disputes", str(tmp_path / "x.pdf"))
    write_csv(tmp_path / "empty.csv", "a,b\n1,2\n")
    assert "no disputes header row" in fail("import", "disputes", str(tmp_path / "empty.csv")).err


def test_persons_need_valid_id_numbers_and_a_duplicate_in_the_file_is_skipped(
    villages: list[str], tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "persons.csv",
        (
            "人员类别,姓名,身份证号,所属村,风险等级,列管日期,撤管日期,撤管原因\n"
            "刑满释放,张某,34052419800101001X,城庄村,3,2026-01-10,2026-06-01,期满\n"
            "吸毒,李某,110108196711301866,城庄村,2,2026-01-10,,\n"
        ),
    )
    err = fail("import", "persons", str(path)).err
    assert "row 3, column '身份证号': the ID number's check character is wrong" in err
    assert "110108196711301866" not in err  # never echo personal data
    path.write_text(
        "人员类别,姓名,身份证号,所属村,风险等级,列管日期,撤管日期,撤管原因\n"
        "刑满释放,张某,34052419800101001X,城庄村,3,2026-01-10,2026-06-01,期满\n"
        "刑满释放,张某,34052419800101001x,城庄村,3,2026-01-10,2026-06-01,期满\n",
        "utf-8",
    )
    out = run("import", "persons", str(path), "--format", "json").json()
    assert (out["added"], out["skipped"]) == (1, 1)
    shown = run("person show ZD-2026-0001 --format json").json()
    # the mask does not tell the name's length
    assert (shown["delisted"], shown["name"]) == ("2026-06-01", "张**")


def test_the_batched_audit_snapshot_is_the_ledgers_own(villages: list[str], tmp_path: Path) -> None:
    """An imported record is audited exactly as the add command audits it."""
    run(
        "dispute add --village 城庄村 --category land --summary 地界 --handler 张三 --found "
        "2026-03-05"
    )
    path = write_csv(
        tmp_path / "d.csv",
        "village,found,category,summary,handler\n城庄村,2026-03-05,land,另一件,张三\n",
    )
    run("import", "disputes", str(path))
    log = run("log --format json").json()
    by_ref = {e["ref"]: e for e in log if e["action"] == "dispute.add"}
    first, second = by_ref["JF-2026-0001"]["after"], by_ref["JF-2026-0002"]["after"]
    assert first.startswith("id=1; ") and second.startswith("id=2; ")
    assert first[6:].replace("地界", "X").replace("JF-2026-0001", "R") == (
        second[6:].replace("另一件", "X").replace("JF-2026-0002", "R")
    )


def test_cell_readers() -> None:
    from sanling.transfer.importer import to_date, to_text, to_time

    assert to_date(46113.0) == dt.date(2026, 4, 1)
    assert to_date("2026-04-01 00:00:00") == "2026-04-01"
    assert to_date("20260401") == "2026-04-01"
    assert to_date(dt.datetime(2026, 4, 1, 9, 30)) == dt.date(2026, 4, 1)
    assert to_time(0.9375) == "22:30"
    assert to_time(dt.timedelta(hours=2, minutes=5)) == "02:05"
    assert to_text(13812341234.0) == "13812341234"
    assert to_text(1.5) == "1.5"


def test_missing_event_dates_are_never_today(villages: list[str], tmp_path: Path) -> None:
    # A closed hazard without its 销号日期 is dated by its rectification, not by the import day.
    f = tmp_path / "hazards.csv"
    f.write_text(
        "村名,领域,隐患描述,责任人,排查时间,整改措施,整改日期,复查人,状态\n"
        "城庄村,道路交通,村口护栏缺失,王五,2026-09-01,安装护栏,2026-09-10,赵六,已销号\n",
        encoding="utf-8",
    )
    run("import", "hazards", str(f))
    hazard = run("hazard list -f json").json()[0]
    assert (hazard["status"], hazard["rectified_on"]) == ("closed", "2026-09-10")
    assert run(f"hazard show {hazard['ref']} -f json").json()["closed_on"] == "2026-09-10"


def test_a_refusal_names_its_field_for_the_importer() -> None:
    """The ledger's checks say which input an error is about (SanlingError.field), so an
    import names that column instead of searching the message's text for a header."""
    from sanling.errors import InvalidValue
    from sanling.ledger.base import Ledger
    from sanling.periods import parse_date

    with pytest.raises(InvalidValue) as empty:
        Ledger.text("  ", "summary", required=True)
    assert empty.value.field == "summary"
    with pytest.raises(InvalidValue) as many:
        Ledger.count(-1, "people")
    assert many.value.field == "people"
    with pytest.raises(InvalidValue) as unreadable:
        parse_date("2026-13-45", dt.date(2026, 10, 31), field="--found")
    assert unreadable.value.field == "--found"
    with pytest.raises(InvalidValue) as future:
        parse_date("2026-11-01", dt.date(2026, 10, 31), field="--found")
    assert future.value.field == "--found"
