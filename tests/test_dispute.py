"""Disputes: intake and deadlines, the workflow and its log, overdue and due soon as of a date."""

from __future__ import annotations

from typing import Any

from tests.helpers import fail, run


def add(*extra: str, village: str = "城庄村", category: str = "land") -> dict[str, Any]:
    result: dict[str, Any] = run(
        "dispute",
        "add",
        "--village",
        village,
        "--category",
        category,
        "--summary",
        "地界纠纷",
        "--handler",
        "张三",
        *extra,
        "--format",
        "json",
    ).json()
    return result


def refs(*args: str) -> list[str]:
    return [r["ref"] for r in run("dispute", "list", *args, "--format", "json").json()]


# ---- intake -------------------------------------------------------------------------------
def test_add_prints_one_object_with_ref_and_policy_deadline(villages: list[str]) -> None:
    d = add("--found", "2026-10-20", "--parties", "王某、李某", "--people", "3")
    assert d["ref"] == "JF-2026-0001"
    assert (d["found"], d["deadline"], d["status"]) == ("2026-10-20", "2026-11-04", "open")
    assert (d["people"], d["risk"], d["source"], d["village"]) == (3, "low", "sweep", "城庄村")
    assert d["notes"] == []
    high = add("--found", "2026-10-20", "--risk", "high")
    assert high["deadline"] == "2026-10-27"  # high risk: found + 7
    given = add("--found", "2026-10-20", "--deadline", "2026-12-01")
    assert given["deadline"] == "2026-12-01"
    today = add()
    assert (today["found"], today["deadline"], today["people"]) == ("2026-10-31", "2026-11-15", 2)


def test_policy_deadlines_are_settings(villages: list[str]) -> None:
    run("config set dispute_deadline_days 10")
    run("config set dispute_deadline_days_high 3")
    assert add("--found", "2026-10-01")["deadline"] == "2026-10-11"
    assert add("--found", "2026-10-01", "--risk", "high")["deadline"] == "2026-10-04"


def test_reference_year_is_the_found_year_and_labels_are_accepted(villages: list[str]) -> None:
    d = add(
        "--found", "2025年12月30日", "--risk", "高", "--source", "12345热线", category="婚姻家庭"
    )
    assert (d["ref"], d["category"], d["risk"], d["source"]) == (
        "JF-2025-0001",
        "marriage_family",
        "high",
        "hotline",
    )
    assert d["deadline"] == "2026-01-06"
    assert add()["ref"] == "JF-2026-0001"


def test_subject_and_sweep_links(villages: list[str]) -> None:
    run("sweep add --subject 城庄中学 --by 网格员 --date 2026-10-20")
    d = add("--subject", "城庄中学", "--sweep", "PC-2026-0001", "--found", "2026-10-20")
    assert (d["subject"], d["sweep"]) == ("城庄中学", "PC-2026-0001")
    # the enterprise is in 李家湾村, not 城庄村
    r = fail(
        "dispute",
        "add",
        "--village",
        "城庄村",
        "--subject",
        "兴旺煤业",
        "--category",
        "debt",
        "--summary",
        "x",
        "--handler",
        "张三",
    )
    assert "not in" in r.err
    fail(
        "dispute",
        "add",
        "--village",
        "李家湾村",
        "--sweep",
        "PC-2026-0001",
        "--category",
        "debt",
        "--summary",
        "x",
        "--handler",
        "张三",
    )
    # found before the sweep that found it
    fail(
        "dispute",
        "add",
        "--village",
        "城庄村",
        "--sweep",
        "PC-2026-0001",
        "--found",
        "2026-10-19",
        "--category",
        "debt",
        "--summary",
        "x",
        "--handler",
        "张三",
    )
    fail(
        "dispute",
        "add",
        "--village",
        "城庄村",
        "--sweep",
        "PC-2026-0099",
        "--category",
        "debt",
        "--summary",
        "x",
        "--handler",
        "张三",
    )


def test_bad_input_is_refused_and_changes_nothing(villages: list[str]) -> None:
    base = ["dispute", "add", "--category", "land", "--summary", "x", "--handler", "张三"]
    assert "no village or community named" in fail(*base, "--village", "不存在村").err
    assert "is a unit; village/community expected" in fail(*base, "--village", "城庄中学").err
    assert "future" in fail(*base, "--village", "城庄村", "--found", "2026-11-01").err
    assert (
        "cannot read the date" in fail(*base, "--village", "城庄村", "--found", "2026-13-45x").err
    )
    assert "not a real date" in fail(*base, "--village", "城庄村", "--found", "2026-02-30").err
    r = fail(*base, "--village", "城庄村", "--found", "2026-10-20", "--deadline", "2026-10-19")
    assert "before the found date" in r.err
    assert "people" in fail(*base, "--village", "城庄村", "--people", "-1").err
    fail(*base, "--village", "城庄村", "--risk", "extreme", code=2)
    fail(
        "dispute",
        "add",
        "--village",
        "城庄村",
        "--category",
        "weather",
        "--summary",
        "x",
        "--handler",
        "张三",
        code=2,
    )
    fail("dispute", "add", "--village", "城庄村", "--category", "land", "--summary", "x", code=2)
    fail(
        "dispute",
        "add",
        "--village",
        "城庄村",
        "--category",
        "land",
        "--summary",
        "  ",
        "--handler",
        "张三",
    )


# ---- workflow -----------------------------------------------------------------------------
def test_progress_log_in_date_order_and_resolution(villages: list[str]) -> None:
    add("--found", "2026-10-10")
    run(
        "dispute",
        "progress",
        "JF-2026-0001",
        "走访双方",
        "--status",
        "in_progress",
        "--date",
        "2026-10-12",
    )
    run(
        "dispute",
        "review",
        "JF-2026-0001",
        "--note",
        "集体研判：由司法所主调",
        "--date",
        "2026-10-14",
    )
    run("dispute", "progress", "JF-2026-0001", "补记：村委初步了解", "--date", "2026-10-11")
    run(
        "dispute",
        "progress",
        "JF-2026-0001",
        "双方情绪稳定",
        "--status",
        "稳控",
        "--date",
        "2026-10-20",
    )
    d = run(
        "dispute",
        "resolve",
        "JF-2026-0001",
        "--method",
        "调解",
        "--result",
        "签订调解协议",
        "--date",
        "2026-10-25",
        "--format",
        "json",
    ).json()
    assert (d["status"], d["resolved_on"], d["method"], d["result"], d["reviewed"]) == (
        "resolved",
        "2026-10-25",
        "mediation",
        "签订调解协议",
        True,
    )
    log = [(n["date"], n["kind"], n["status"], n["text"]) for n in d["notes"]]
    assert log == [
        ("2026-10-11", "progress", None, "补记：村委初步了解"),
        ("2026-10-12", "status", "in_progress", "走访双方"),
        ("2026-10-14", "review", None, "集体研判：由司法所主调"),
        ("2026-10-20", "status", "stabilized", "双方情绪稳定"),
        ("2026-10-25", "resolve", "resolved", "签订调解协议"),
    ]
    shown = run("dispute show JF-2026-0001").out
    assert shown.index("补记") < shown.index("走访双方") < shown.index("双方情绪稳定")
    actions = [e["action"] for e in run("log --ref JF-2026-0001 -f json").json()]
    assert actions == [
        "dispute.resolve",
        "dispute.progress",
        "dispute.progress",
        "dispute.review",
        "dispute.progress",
        "dispute.add",
    ]


def test_impossible_changes_are_refused(villages: list[str]) -> None:
    add("--found", "2026-10-10")
    assert (
        "before the dispute was found"
        in fail(
            "dispute",
            "resolve",
            "JF-2026-0001",
            "--method",
            "mediation",
            "--result",
            "x",
            "--date",
            "2026-10-09",
        ).err
    )
    assert (
        "future"
        in fail(
            "dispute",
            "resolve",
            "JF-2026-0001",
            "--method",
            "mediation",
            "--result",
            "x",
            "--date",
            "2026-11-01",
        ).err
    )
    assert (
        "in_progress or stabilized"
        in fail("dispute", "progress", "JF-2026-0001", "x", "--status", "resolved").err
    )
    fail("dispute", "progress", "JF-2026-0001", "x", "--date", "2026-10-09")
    fail("dispute", "progress", "JF-2026-0001", "x", "--status", "finished", code=2)
    fail("dispute", "resolve", "JF-2026-0001", "--method", "magic", "--result", "x", code=2)
    fail("dispute", "resolve", "JF-2026-0099", "--method", "mediation", "--result", "x")
    run("dispute", "resolve", "JF-2026-0001", "--method", "mediation", "--result", "x")
    r = fail("dispute", "resolve", "JF-2026-0001", "--method", "legal", "--result", "again")
    assert "already resolved" in r.err
    fail("dispute", "progress", "JF-2026-0001", "more")
    fail("dispute", "refer", "JF-2026-0001", "--to", "县信访局")
    fail("dispute", "review", "JF-2026-0001", "--note", "x")


def test_referral_ends_the_dispute_without_resolving_it(villages: list[str]) -> None:
    add("--found", "2026-10-01")
    d = run(
        "dispute",
        "refer",
        "JF-2026-0001",
        "--to",
        "县人民法院",
        "--date",
        "2026-10-05",
        "--format",
        "json",
    ).json()
    assert (d["status"], d["referred_to"], d["referred_on"], d["resolved_on"]) == (
        "referred",
        "县人民法院",
        "2026-10-05",
        None,
    )
    assert d["overdue"] is False  # done, although its deadline (10-16) has passed
    assert (
        "already referred"
        in fail("dispute", "resolve", "JF-2026-0001", "--method", "legal", "--result", "x").err
    )


# ---- lists, overdue and due soon ----------------------------------------------------------
def _ledger() -> None:
    """0001 overdue by 3 days, 0002 due in 2 days, 0003 resolved, 0004 stabilized and overdue,
    0005 far off, 0006 referred after its deadline."""
    add("--found", "2026-10-10", "--deadline", "2026-10-28")
    add("--found", "2026-10-25", "--deadline", "2026-11-02", village="李家湾村", category="debt")
    add("--found", "2026-09-01")
    run(
        "dispute",
        "resolve",
        "JF-2026-0003",
        "--method",
        "mediation",
        "--result",
        "x",
        "--date",
        "2026-09-10",
    )
    add("--found", "2026-10-01", "--handler", "李四")  # deadline 10-16
    run(
        "dispute",
        "progress",
        "JF-2026-0004",
        "稳控",
        "--status",
        "stabilized",
        "--date",
        "2026-10-10",
    )
    add("--found", "2026-10-30", "--deadline", "2026-12-31", village="前进村")
    add("--found", "2026-09-01")  # deadline 09-16
    run("dispute", "refer", "JF-2026-0006", "--to", "县法院", "--date", "2026-10-20")


def test_list_sorts_by_deadline_and_filters(villages: list[str]) -> None:
    _ledger()
    assert refs() == [
        "JF-2026-0003",
        "JF-2026-0006",
        "JF-2026-0004",
        "JF-2026-0001",
        "JF-2026-0002",
        "JF-2026-0005",
    ]
    assert refs("--village", "城庄村") == [
        "JF-2026-0003",
        "JF-2026-0006",
        "JF-2026-0004",
        "JF-2026-0001",
    ]
    assert refs("--category", "债务") == ["JF-2026-0002"]
    assert refs("--handler", "李四") == ["JF-2026-0004"]
    assert refs("--status", "resolved") == ["JF-2026-0003"]
    assert refs("--status", "稳控") == ["JF-2026-0004"]
    assert refs("--from", "2026-10-01", "--to", "2026-10-25") == [
        "JF-2026-0004",
        "JF-2026-0001",
        "JF-2026-0002",
    ]
    fail("dispute", "list", "--village", "无此村")
    fail("dispute", "list", "--status", "late", code=2)
    fail("dispute", "list", "--from", "yesterdayish")


def test_overdue_and_due_soon_as_of_any_date(villages: list[str]) -> None:
    _ledger()
    # stabilized (稳控) is not done: 0004 stays open and falls overdue
    assert refs("--status", "overdue") == ["JF-2026-0004", "JF-2026-0001"]
    assert refs("--status", "due-soon") == ["JF-2026-0002"]
    rows = {r["ref"]: r for r in run("dispute list --format json").json()}
    assert (rows["JF-2026-0001"]["overdue"], rows["JF-2026-0001"]["days_overdue"]) == (True, 3)
    assert (rows["JF-2026-0004"]["days_overdue"], rows["JF-2026-0002"]["due_soon"]) == (15, True)
    assert (rows["JF-2026-0002"]["overdue"], rows["JF-2026-0002"]["days_overdue"]) == (False, None)
    # as of 2026-10-16: 0006 (referred on 10-20) is overdue then, 0004 is due today
    assert refs("--status", "overdue", "--as-of", "2026-10-16") == ["JF-2026-0006"]
    assert refs("--status", "due-soon", "--as-of", "2026-10-16") == ["JF-2026-0004"]
    # as of 2026-10-26: due soon means a deadline within 3 days: 0001 (10-28)
    assert refs("--status", "due-soon", "--as-of", "2026-10-26") == ["JF-2026-0001"]
    # the due-soon window is a setting
    run("config set due_soon_days 1")
    assert refs("--status", "due-soon") == []
    # as of a later date: everything still open is overdue
    assert refs("--status", "overdue", "--as-of", "2027-01-05") == [
        "JF-2026-0004",
        "JF-2026-0001",
        "JF-2026-0002",
        "JF-2026-0005",
    ]
    shown = run("dispute show JF-2026-0002 --as-of 2026-11-05 --format json").json()
    assert (shown["overdue"], shown["days_overdue"], shown["due_soon"]) == (True, 3, False)
    fail("dispute", "show", "JF-2026-0002", "--as-of", "someday")
