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
