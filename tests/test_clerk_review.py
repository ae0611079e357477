"""What a clerk found trying the ledger in Chinese (review of issues 15-17): the audit trail
keeps every change, yes/no shown as 是/否, exports of personal data private, a record's card
headed 项目,值."""

from __future__ import annotations

import os
import shlex
import stat
from pathlib import Path

import pytest

from tests.helpers import add_dispute, fail, run

DISPUTE = (
    "dispute add --village 城庄村 --category land --summary 地界纠纷 --handler 王强"
    " --found 2026-10-01 -f json"
)
PETITION = (
    "petition add --village 李家湾村 --form visit --level city --summary 上访诉求"
    " --petitioner 李四 --date 2026-10-02 -f json"
)


def zh(*args: str) -> str:
    return run("--lang", "zh", *args).out


def test_a_personal_field_changed_but_masked_alike_is_in_the_trail(villages: list[str]) -> None:
    ref = run(*shlex.split(PETITION)).json()["ref"]
    run("petition", "edit", ref, "--petitioner", "李四光", "--reason", "补")
    entry = run("log", "--ref", ref, "--limit", "1", "-f", "json").json()[0]
    assert entry["before"] == "petitioner=李**"
    assert entry["after"] == "petitioner=李**; _reason=补"
    shown = run("--lang", "zh", "petition", "show", ref, "-f", "json").json()
    assert [c["changes"] for c in shown["corrections"]] == [
        "信访人: 李** → 李**（已更正，脱敏后相同）"
    ]


def test_a_change_to_false_is_logged_and_yes_no_read_as_such(villages: list[str]) -> None:
    ref = run(*shlex.split(DISPUTE)).json()["ref"]
    run("dispute", "edit", ref, "--prevented-group-petition", "--reason", "补录")
    run("dispute", "edit", ref, "--no-prevented-group-petition", "--reason", "错")
    entry = run("log", "--ref", ref, "--limit", "1", "-f", "json").json()[0]
    assert entry["before"] == "prevented_group_petition=True"
    assert entry["after"] == "prevented_group_petition=False; _reason=错"
    shown = run("--lang", "zh", "dispute", "show", ref, "-f", "json").json()
    assert [c["changes"] for c in shown["corrections"]] == [
        "防止群体性上访: 否 → 是",
        "防止群体性上访: 是 → 否",
    ]


def test_an_export_with_personal_fields_is_private_masked_or_not(
    villages: list[str], tmp_path: Path
) -> None:
    run(*shlex.split(PETITION))
    old = os.umask(0o022)
    try:
        for kind in ("petitions", "backlog", "disputes"):
            out = tmp_path / f"{kind}.csv"
            run("export", kind, "-o", str(out))
            mode = stat.S_IMODE(out.stat().st_mode)
            assert mode == (0o644 if kind == "disputes" else 0o600), kind
    finally:
        os.umask(old)


def test_a_record_card_is_headed_item_and_value(villages: list[str]) -> None:
    ref = run(*shlex.split(PETITION)).json()["ref"]
    assert zh("petition", "show", ref, "-f", "csv").splitlines()[0] == "项目,值"
    assert zh("petition", "show", ref, "-f", "markdown").splitlines()[0].startswith("| 项目 | 值")
    assert zh("config", "list", "-f", "csv").splitlines()[0].startswith("设置项,值")


BACKLOG = (
    "backlog add --assigned-by county --village 城庄村 --petitioner 王某 --summary 积案"
    " --lead 李镇长 --plan 一案一策 --deadline 2026-12-31 --date 2026-10-03 -f json"
)


def test_a_backlog_close_and_settle_note_reads_in_chinese(villages: list[str]) -> None:
    ref = run(*shlex.split(BACKLOG)).json()["ref"]
    run("backlog", "close", ref, "--outcome", "stabilized", "--date", "2026-10-20")
    run("backlog", "settle", ref, "--outcome", "settled", "--date", "2026-10-25")
    notes = run("backlog", "show", ref, "-f", "json").json()["notes"]
    assert [n["text"] for n in notes] == ["稳控", "稳控 → 息诉罢访"]


@pytest.mark.parametrize("amount", ["inf", "1e400", "nan", "0.005", "-1", "3千"])
def test_an_agreement_amount_is_a_finite_sum_to_the_fen(villages: list[str], amount: str) -> None:
    ref = add_dispute("城庄村", "damage", "2026-10-10")
    err = fail(
        "--lang", "zh", "dispute", "agreement", ref, "--number", "N1", "--content", "赔偿",
        "--amount", amount,
    ).err  # fmt: skip
    assert err == (
        f"error: 协议金额“{amount}”无效 (hint: 金额以元计：0 或以上、不到一万亿、"
        "最多两位小数，如 3500 或 3500.50)\n"
    )
    ok = ["dispute", "agreement", ref, "--number", "N1", "--content", "赔偿", "--amount"]
    assert run(*ok, "3500.5", "-f", "json").json()["agreement_amount"] == 3500.5


BLANK = "error: {h}不能为空 (hint: 写上内容：不能留空，也不能只有空格)\n"


def test_a_blank_or_unclean_text_is_named_by_its_heading(villages: list[str]) -> None:
    ref = add_dispute("城庄村", "damage", "2026-10-10")
    agree = ["--lang", "zh", "dispute", "agreement", ref]
    err = fail(*agree, "--number", "", "--content", "x").err
    assert err == BLANK.format(h="协议编号（number）")
    assert fail(*agree, "--number", "N1", "--content", " ").err == BLANK.format(
        h="协议内容（content）"
    )
    err = fail(*agree, "--number", "N1", "--content", "x", "--date", "2026-10-09").err
    assert err == (
        "error: 协议日期 2026-10-09 早于该纠纷的排查时间 2026-10-10"
        " (hint: 日期须是 2026-10-10 当天或以后；用 --date 给出)\n"
    )
    err = fail("--lang", "zh", "petition", "add", "--village", "城庄村", "--form", "visit",
               "--level", "city", "--summary", "x", "--petitioner", "张\x1b[31m三").err  # fmt: skip
    assert err == (
        "error: 信访人（petitioner）含有控制字符 U+001B (ESC)"
        " (hint: 删去它（常见于从 Word 或网页粘贴的文字）)\n"
    )


def test_a_person_is_delisted_once_with_hints(villages: list[str]) -> None:
    ref = run(
        "person add --category released --name 张三丰 --id-number 34052419800101001X"
        " --village 城庄村 --listed 2026-10-09 -f json"
    ).json()["ref"]
    delist = ["--lang", "zh", "person", "delist", ref]
    assert fail(*delist, "--reason", "").err == BLANK.format(h="原因（reason）")
    err = fail(*delist, "--reason", "x", "--date", "2026-10-01").err
    assert err == (
        "error: 撤管日期 2026-10-01 早于列管日期 2026-10-09"
        " (hint: 日期须是 2026-10-09 当天或以后；用 --date 给出)\n"
    )
    run(*delist, "--reason", "期满", "--date", "2026-10-20")
    assert fail(*delist, "--reason", "again").err == (
        f"error: {ref} 已于 2026-10-20 撤管"
        f" (hint: 一人只撤管一次；`sanling person show {ref}` 列出撤管日期和原因)\n"
    )


def test_the_log_reads_in_chinese_and_keeps_references_and_dates_whole(
    villages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = run(*shlex.split(BACKLOG)).json()["ref"]
    run("backlog", "close", ref, "--outcome", "stabilized", "--date", "2026-10-20")
    run("backlog", "edit", ref, "--lead", "刘书记", "--reason", "更换包案领导")
    entries = run("--lang", "zh", "log", "--ref", ref, "--limit", "2", "-f", "json").json()
    assert [(e["before"], e["after"]) for e in entries] == [
        ("包案领导=李镇长", "包案领导=刘书记；原因=更换包案领导"),
        (
            "办结日期=空；化解情况=空；化解认定日期=空",
            "办结日期=2026-10-20；化解情况=稳控；化解认定日期=2026-10-20；"
            "备注=（日期 2026-10-20，类型 办结，内容 稳控）",
        ),
    ]
    for columns in ("80", "120"):
        monkeypatch.setenv("COLUMNS", columns)
        out = zh("log", "--ref", ref, "--limit", "2")
        assert "2026-10-20" in out and "{'" not in out and "=True" not in out
        assert "操作人" in out  # the heading on one line


def test_the_monthly_table_lists_every_mediation_category_the_text_those_with_cases(
    villages: list[str],
) -> None:
    ref = add_dispute("城庄村", "neighbour", "2026-10-02")
    run("dispute", "agreement", ref, "--number", "N1", "--content", "赔偿", "--date", "2026-10-05")
    table = zh("report", "monthly", "--month", "2026-10")
    block = table.split("调解案件类别\n")[1].split("\n\n")[0].splitlines()[2:]
    rows = [line.split() for line in block]
    assert rows[:2] == [["婚姻家庭", "0"], ["邻里", "1"]] and rows[13] == ["村务管理", "0"]
    text = zh("report", "monthly", "--month", "2026-10", "-f", "text")
    assert text.split("调解案件类别\n")[1].split("\n")[0] == "邻里，条数：1"
    empty = zh("report", "monthly", "--month", "2026-09", "-f", "text")
    assert empty.split("调解案件类别\n")[1].split("\n")[0] == "（无）"
