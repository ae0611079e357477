"""sanling import reads an office's words (issue 13): header synonyms, suffixed code words,
outcomes written as sentences, dates as offices write them, values inferred by stated rules,
columns with no field kept on the record, and refusals in the ledger's language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sanling.transfer import officedates, vocab
from tests.helpers import dump, fail, run

REALWORLD = Path(__file__).parent / "fixtures" / "realworld"
PLACES = ("李家湾村", "王庄村", "石门村", "河口村")


@pytest.fixture
def mouzhen(town: str) -> None:
    """The villages of the realworld files (their town is 某镇; here they sit in 城庄镇)."""
    for name in PLACES:
        run("subject", "add", name, "--kind", "village")
    run("subject", "add", "东关社区", "--kind", "community")


def _with_column(source: Path, target: Path, header_row: int, header: str, value: Any) -> Path:
    """The realworld file with one column added (what a whole-file option would give)."""
    from openpyxl import load_workbook

    wb = load_workbook(source)
    ws = wb.active
    assert ws is not None
    ws.insert_cols(2)
    ws.cell(header_row, 2, header)
    for r in range(header_row + 1, ws.max_row + 1):
        ws.cell(r, 2, value)
    wb.save(target)
    return target


def _by_ref(kind: str) -> dict[str, dict[str, Any]]:
    return {r["ref"]: r for r in run(f"{kind} list -f json").json()}


# ---- a mediation committee's case list, GB18030 CSV ---------------------------------------------
MEDIATION = (
    "序号,受理单位,申请人,被申请人,纠纷类型,纠纷情况,调解员,调解时间,调解地点,调解结果\n"
    "1,城庄村,张三,李四,婚姻家庭纠纷,离婚后子女抚养费争议,王调解,2026年3月5日9时,村调委会,"
    "调解成功，双方达成协议\n"
    "2,李家湾村,王五,赵六,邻里纠纷,排水沟堵塞引发争执,王调解,2026年3月8日,村部,"
    "调解不成功，已告知诉讼途径\n"
    "3,前进村,孙七,某建筑公司,,拖欠工资三万元,李调解,2026-03-10,镇司法所,正在调解\n"
)


def test_a_mediation_committees_gb18030_csv(villages: list[str], tmp_path: Path) -> None:
    path = tmp_path / "人民调解案件登记.csv"
    path.write_bytes(MEDIATION.encode("gb18030"))
    result = run("import", "disputes", str(path), "-f", "json")
    summary = result.json()
    assert (summary["added"], summary["done"], summary["dated_by_rule"]) == (3, 1, 0)
    assert summary["kept_columns"] == ["调解地点"]
    assert summary["inferred"] == {"category": 1, "method": 1}
    rows = _by_ref("dispute")
    one, two, three = rows["JF-2026-0001"], rows["JF-2026-0002"], rows["JF-2026-0003"]
    assert [r["village"] for r in (one, two, three)] == ["城庄村", "李家湾村", "前进村"]
    assert [r["category"] for r in (one, two, three)] == ["marriage_family", "neighbour", "labour"]
    assert [r["status"] for r in (one, two, three)] == ["resolved", "open", "in_progress"]
    # 调解时间 is the found date (no other found column) and the resolution's date
    assert [r["found"] for r in (one, two, three)] == ["2026-03-05", "2026-03-08", "2026-03-10"]
    assert [r["handler"] for r in (one, two, three)] == ["王调解", "王调解", "李调解"]

    shown = run("dispute show JF-2026-0001 -f json").json()
    assert shown["parties"] == "张三、李四"
    assert (shown["resolved_on"], shown["method"]) == ("2026-03-05", "mediation")
    assert shown["result"] == "调解成功，双方达成协议"
    assert shown["kept"] == "调解地点：村调委会"
    assert shown["import_notes"] == "method inferred as mediation from '调解'"
    # a sentence that does not resolve stays as the progress note, dated by the found date
    notes = run("dispute show JF-2026-0002 -f json").json()["notes"]
    assert [(n["date"], n["text"]) for n in notes] == [("2026-03-08", "调解不成功，已告知诉讼途径")]
    third = run("dispute show JF-2026-0003 -f json").json()
    assert third["import_notes"] == "category inferred as labour from '拖欠工资'"
    run("db check")


# ---- the realworld files ------------------------------------------------------------------------
def test_realworld_outstanding_disputes_ledger(mouzhen: None, tmp_path: Path) -> None:
    """01: two title rows, 单位 for the village, 责任单位⏎责任人, deadlines 3月底 and 长期, outcomes
    as sentences, 销号情况. The quarter's found date is given as a column here (the whole-file
    --found option does the same)."""
    path = _with_column(
        REALWORLD / "01_突出矛盾纠纷台账.xlsx", tmp_path / "01.xlsx", 3, "排查时间", "2026-01-05"
    )
    result = run("import", "disputes", str(path))
    assert result.out.strip() == "imported 6 disputes from 01.xlsx (JF-2026-0001 … JF-2026-0006)"
    assert result.err.strip().splitlines() == [
        "columns with no field (kept on each record, shown by show): 交办督办情况",
        "resolved or rectified: 3",
        "category inferred: 6 rows",
        "method inferred: 3 rows",
        "said done without a date, dated by the rule (the deadline if it has passed, else the"
        " found date): 3",
    ]
    rows = _by_ref("dispute")
    got = [
        (r["village"], r["category"], r["handler"], r["status"], r["deadline"])
        for _, r in sorted(rows.items())
    ]
    assert got == [
        ("李家湾村", "housing_land", "张明", "resolved", "2026-03-15"),
        ("王庄村", "land", "刘建军", "in_progress", "2026-04-30"),
        ("东关社区", "property", "赵丽", "resolved", "2026-03-20"),
        ("石门村", "marriage_family", "孙伟", "stabilized", "2026-03-31"),  # 3月底
        ("河口村", "labour", "周强", "resolved", "2026-02-10"),  # 2026年2月10日前
        ("李家湾村", "land", "吴刚", "open", "2026-01-20"),  # 长期: found + 15 days
    ]
    first = run("dispute show JF-2026-0001 -f json").json()
    assert first["resolved_on"] == "2026-03-15"  # the deadline, passed: the stated rule
    assert first["kept"] == "交办督办情况：镇综治中心交办\n责任单位：镇司法所"
    assert "2026-03-15" in first["import_notes"]
    last = run("dispute show JF-2026-0006 -f json").json()
    assert "化解时限 was '长期': no deadline set, the default applies" in last["import_notes"]
    assert [n["text"] for n in last["notes"]] == ["未化解，已提请县林业局确权"]
    stabilized = run("dispute show JF-2026-0004 -f json").json()["notes"]
    assert [(n["status"], n["text"]) for n in stabilized] == [
        ("stabilized", "已稳控，双方同意通过诉讼解决")
    ]
    run("db check")


def test_realworld_school_hazard_ledger(mouzhen: None, tmp_path: Path) -> None:
    """03: a school's own ledger (its village given as a column here, as --subject would),
    一般隐患/重大隐患, 复查时间/复查人/复查结果 instead of a rectification date, 立即整改."""
    path = _with_column(
        REALWORLD / "03_隐患治理信息台账.xlsx", tmp_path / "03.xlsx", 2, "所属村", "东关社区"
    )
    summary = run("import", "hazards", str(path), "-f", "json").json()
    assert (summary["added"], summary["done"], summary["dated_by_rule"]) == (6, 4, 0)
    assert summary["kept_columns"] == ["排查人", "责任部门"]
    assert summary["inferred"] == {"area": 6}
    rows = _by_ref("hazard")
    got = [
        (r["village"], r["area"], r["grade"], r["status"], r["deadline"], r["rectified_on"])
        for _, r in sorted(rows.items())
    ]
    assert got == [
        ("东关社区", "building", "general", "closed", "2026-03-05", "2026-03-06"),
        ("东关社区", "fire", "general", "closed", "2026-03-10", "2026-03-11"),
        ("东关社区", "building", "major", "open", "2026-07-31", None),
        ("东关社区", "chemicals", "general", "closed", "2026-04-08", "2026-04-08"),  # 立即整改
        ("东关社区", "road", "general", "open", "2026-06-30", None),
        ("东关社区", "fire", "general", "closed", "2026-09-02", "2026-09-02"),
    ]
    shown = run("hazard show YH-2026-0002 -f json").json()
    assert shown["checked_by"] == "张主任"
    assert shown["kept"] == "排查人：李校长\n责任部门：后勤处\n复查结果：整改合格"
    assert shown["import_notes"] == "area inferred as fire from '液化气'"
    run("db check")


def test_realworld_released_persons_headers(tmp_path: Path) -> None:
    """05: the headers sanling has a field for are read, the others kept (the category comes
    as a column here, as the whole-file --category gives it; the grid's village by place
    matching)."""
    from sanling.transfer.importer import layouts
    from sanling.transfer.read import read
    from sanling.transfer.specs import SPECS

    path = _with_column(
        REALWORLD / "05_安置帮教人员数据.xlsx", tmp_path / "05.xlsx", 2, "人员类别", "刑满释放人员"
    )
    layout = layouts(SPECS["persons"], read(path))[0][0]
    used = {col.key: text for _i, col, text in layout.columns}
    assert used == {
        "category": "人员类别",
        "name": "姓名",
        "listed": "衔接日期",
        "risk": "危险性评估类型",
        "sex": "性别",
        "id_number": "公民身份号码",
        "phone": "联系方式",
        "address": "现住门（楼）详址",
        "village": "所属网格",
    }
    assert "关注程度" in layout.ignored and "户籍门（楼）详址" in layout.ignored
    assert "释放日期" in layout.ignored and len(layout.ignored) == 16


def test_a_petition_ledger_with_new_forms(villages: list[str], tmp_path: Path) -> None:
    path = tmp_path / "信访台账.csv"
    path.write_text(
        "序号,信访类型,接件时间,信访人姓名,信访内容,案件地点,联系电话,办理情况\n"
        "1,电话来访,2026-09-01,张某,反映道路积水,城庄村,13800000000,已转交镇村建办\n"
        "2,部门转入,2026年9月3日,李某,反映噪音扰民,李家湾村,,已办结\n"
        "3,12345市民热线,2026.9.5,王某,反映路灯不亮,前进村,,\n"
        "4,群众来访,2026-09-06,赵某,反映低保,城庄村,,\n",
        encoding="utf-8",
    )
    summary = run("import", "petitions", str(path), "-f", "json").json()
    assert summary["added"] == 4 and summary["inferred"] == {"level": 4}
    assert summary["kept_columns"] == ["办理情况"]  # 信访人姓名, 联系电话: the petitioner's
    rows = _by_ref("petition")
    got = [(r["form"], r["level"], r["date"], r["village"]) for _, r in sorted(rows.items())]
    assert got == [
        ("phone", "town", "2026-09-01", "城庄村"),
        ("referral", "town", "2026-09-03", "李家湾村"),
        ("hotline", "town", "2026-09-05", "前进村"),
        ("visit", "town", "2026-09-06", "城庄村"),
    ]
    shown = run("petition show XF-2026-0001 -f json").json()
    # a petitioner's name and phone are personal data: masked in show (the name once h15 masks
    # every kind's `mask` fields; tests/test_petition_life.py) and in the audit log
    assert shown["kept"] == "办理情况：已转交镇村建办"
    assert shown["phone"] == "138****0000"
    log = run("log --ref XF-2026-0001 -f json").out
    assert "已转交镇村建办" in log
    run("db check")


# ---- refusals --------------------------------------------------------------------------------
def test_a_zh_ledger_refuses_in_chinese_naming_row_column_and_choices(
    villages: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANLING_LANG", "zh")
    path = tmp_path / "bad.csv"
    path.write_text(
        "所属村,纠纷类型,简要情况,首办责任人,排查时间,化解情况,风险等级\n"
        "城庄村,打架纠纷,互殴,张三,2026-03-05,,高\n"
        "城庄村,邻里纠纷,噪音,张三,2026-03-05,,很高\n"
        "城庄村,邻里纠纷,噪音,张三,2026-03-05,说不清,\n",
        encoding="utf-8",
    )
    before = dump()
    lines = fail("import", "disputes", str(path)).err.splitlines()
    assert lines[0] == (
        "  第 2 行，“纠纷类型”列：“打架纠纷”不是可选值；可选：marriage_family 婚姻家庭, "
        "neighbour 邻里, housing_land 房屋宅基地, contract 合同, business 生产经营, "
        "damage 损害赔偿, land 山林土地, compensation 征地拆迁, environment 环境污染, "
        "labour 劳动争议, medical 医疗, property 物业, traffic 道路交通, "
        "village_affairs 村务管理, other 其他"
    )
    assert lines[1] == "  第 3 行，“风险等级”列：“很高”不是可选值；可选：low 低, medium 中, high 高"
    assert lines[2].startswith("error: 2 行有错误，未导入任何记录")
    assert dump() == before
    # an unreadable status word names its column and the words it takes
    path.write_text(
        "所属村,纠纷类型,简要情况,首办责任人,排查时间,状态\n城庄村,邻里,噪音,张三,2026-03-05,说不清\n",
        encoding="utf-8",
    )
    lines = fail("import", "disputes", str(path)).err.splitlines()
    assert lines[0].startswith("  第 2 行，“状态”列：“说不清”不是可选值；可选：open 未化解")
    assert dump() == before


# ---- the tables themselves -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2026年3月5日9时", "2026-03-05"),
        ("2026年3月5日 9:30", "2026-03-05"),
        ("2026年2月10日前", "2026-02-10"),
        ("2026.3.20之前", "2026-03-20"),
    ],
)
def test_office_dates_with_a_year(text: str, iso: str) -> None:
    assert officedates.read(text) == iso


def test_office_dates_read_with_the_row() -> None:
    found = dt.date(2026, 2, 14)
    month_end = officedates.read("2月底")
    assert isinstance(month_end, officedates.Pending)
    assert month_end.resolve(found) == dt.date(2026, 2, 28)
    assert officedates.read("2028年2月末").resolve(found) == dt.date(2028, 2, 29)  # type: ignore[union-attr]
    assert officedates.read("立即整改").resolve(found) == found  # type: ignore[union-attr]
    assert officedates.read("长期").resolve(found) is None  # type: ignore[union-attr]
    assert officedates.read("下周") == "下周"  # left for the ledger to refuse


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("经镇村两级调解，双方签订调解协议书，已化解", "resolved"),
        ("未化解，已提请县林业局确权", "open"),
        ("调解不成功", "open"),
        ("正在协调流转企业分期兑付，群众情绪稳定", "in_progress"),
        ("已稳控，双方同意通过诉讼解决", "stabilized"),
        ("已办结", "resolved"),
        ("未销号", "open"),
    ],
)
def test_dispute_outcome_words(text: str, state: str) -> None:
    from sanling.codes import DisputeStatus

    assert vocab.outcome(DisputeStatus, text) == state


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("已完成整改", "rectified"),
        ("整改合格", "rectified"),
        ("整改中", "rectifying"),
        ("未整改", "open"),
        ("已销号", "closed"),
    ],
)
def test_hazard_outcome_words(text: str, state: str) -> None:
    from sanling.codes import HazardStatus

    assert vocab.outcome(HazardStatus, text) == state


def test_the_outcome_date_rule_is_never_today() -> None:
    found, today = dt.date(2026, 3, 1), dt.date(2026, 10, 31)
    assert vocab.outcome_date(found, dt.date(2026, 3, 15), today) == dt.date(2026, 3, 15)
    assert vocab.outcome_date(found, dt.date(2026, 12, 1), today) == found  # not yet passed
    assert vocab.outcome_date(found, None, today) == found


def test_the_vocabulary_tables_in_the_docs_are_current() -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, str(root / "docs" / "generate_vocab.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert (done.returncode, done.stdout) == (0, "")


def test_key_persons_risk_words_and_kept_columns_stay_private(
    villages: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "安置帮教.csv"
    path.write_text(
        "人员类别,姓名,公民身份号码,所属村,危险性评估类型,关注程度,原罪名,衔接日期,释放日期\n"
        "刑满释放人员,张某某,141124198803160310,城庄村,高,重点,盗窃罪,2026-02-21,2026-02-20\n"
        "刑满释放人员,王某某,141124199201050469,前进村,低,一般,诈骗罪,2026-05-09,2026-05-08\n",
        encoding="utf-8",
    )
    summary = run("import", "persons", str(path), "-f", "json").json()
    assert summary["added"] == 2
    assert summary["kept_columns"] == ["关注程度", "原罪名", "释放日期"]
    rows = _by_ref("person")
    got = [(r["category"], r["risk"], r["listed"]) for _, r in sorted(rows.items())]
    assert got == [("released", 3, "2026-02-21"), ("released", 1, "2026-05-09")]
    masked = run("person show ZD-2026-0001 -f json").json()
    assert masked["kept"] == "关注程度：***\n原罪名：***\n释放日期：***"
    shown = run("person show ZD-2026-0001 --reveal -f json").json()
    assert shown["kept"] == "关注程度：重点\n原罪名：盗窃罪\n释放日期：2026-02-20"
    assert "盗窃罪" not in run("log -f json").out  # the audit log holds the headers only
    run("db check")


def test_a_failed_import_prints_its_problems_as_json(
    villages: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANLING_LANG", "zh")
    path = tmp_path / "bad.csv"
    path.write_text(
        "所属村,纠纷类型,简要情况,首办责任人,排查时间\n城庄村,打架纠纷,互殴,张三,2026-03-05\n",
        encoding="utf-8",
    )
    before = dump()
    result = fail("import", "disputes", str(path), "--format", "json")
    problems = result.json()["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(2, "纠纷类型")]
    assert problems[0]["reason"].startswith("“打架纠纷”不是可选值；可选：marriage_family 婚姻家庭")
    assert result.err.strip().startswith("error: 1 行有错误，未导入任何记录")
    assert dump() == before


def test_a_plain_status_word_adds_no_note_and_a_sentence_does(
    villages: list[str], tmp_path: Path
) -> None:
    """An exported ledger's status column holds codes (open, in_progress): no progress note
    comes of them; a sentence in the status column is the note."""
    path = tmp_path / "s.csv"
    path.write_text(
        "所属村,类别,简要情况,首办责任人,排查时间,状态\n"
        "城庄村,邻里,噪音,张三,2026-03-05,open\n"
        "城庄村,邻里,漏水,张三,2026-03-05,未化解\n"
        "城庄村,邻里,占道,张三,2026-03-05,in_progress\n"
        "城庄村,邻里,排水,张三,2026-03-05,双方仍在协商，正在调解\n",
        encoding="utf-8",
    )
    run("import", "disputes", str(path))
    notes = {
        r: [(n["status"], n["text"]) for n in run(f"dispute show {r} -f json").json()["notes"]]
        for r in sorted(_by_ref("dispute"))
    }
    assert notes == {
        "JF-2026-0001": [],
        "JF-2026-0002": [],
        "JF-2026-0003": [("in_progress", "status on import: in progress")],
        "JF-2026-0004": [("in_progress", "双方仍在协商，正在调解")],
    }


def test_only_a_declared_combined_header_splits_its_cell(
    villages: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "人员类别,姓名,公民身份号码,所属村,监护人/帮教人\n"
        "吸毒人员,张某,141124198803160310,城庄村,张父/李干部\n",
        encoding="utf-8",
    )
    run("import", "persons", str(path))
    shown = run("person show ZD-2026-0001 --reveal -f json").json()
    assert (shown["category"], shown["guardian"]) == ("drug", "张父/李干部")
    assert "kept" not in shown
