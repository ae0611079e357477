"""Backlog cases assigned from above: one ledger per case, closed and settled kept apart."""

from __future__ import annotations

from typing import Any

from tests.helpers import fail, run


def add(*extra: str, village: str = "城庄村") -> dict[str, Any]:
    result: dict[str, Any] = run(
        "backlog",
        "add",
        "--assigned-by",
        "county",
        "--village",
        village,
        "--petitioner",
        "王某",
        "--summary",
        "宅基地纠纷多年信访",
        "--lead",
        "李书记",
        "--plan",
        "包案领导每周走访，司法所调解",
        *extra,
        "--format",
        "json",
    ).json()
    return result


def test_add_progress_close_settle(villages: list[str]) -> None:
    case = add("--date", "2026-03-01", "--deadline", "2026-06-30", "--unit", "司法所")
    assert (
        case["ref"],
        case["assigned_by"],
        case["assigned_on"],
        case["deadline"],
        case["unit"],
    ) == ("JA-2026-0001", "county", "2026-03-01", "2026-06-30", "司法所")
    assert (case["closed_on"], case["outcome"], case["overdue"], case["notes"]) == (
        None,
        None,
        True,
        [],
    )
    run("backlog", "progress", "JA-2026-0001", "首次走访", "--date", "2026-03-05")
    run("backlog", "progress", "JA-2026-0001", "召开听证会", "--date", "2026-04-10")
    closed = run(
        "backlog",
        "close",
        "JA-2026-0001",
        "--outcome",
        "稳控",
        "--date",
        "2026-05-20",
        "-f",
        "json",
    ).json()
    assert (closed["closed_on"], closed["outcome"], closed["outcome_on"], closed["overdue"]) == (
        "2026-05-20",
        "stabilized",
        "2026-05-20",
        False,
    )
    settled = run(
        "backlog",
        "settle",
        "JA-2026-0001",
        "--outcome",
        "settled",
        "--date",
        "2026-09-01",
        "-f",
        "json",
    ).json()
    # settling later changes the outcome, not the closing date
    assert (settled["closed_on"], settled["outcome"], settled["outcome_on"]) == (
        "2026-05-20",
        "settled",
        "2026-09-01",
    )
    assert [(n["date"], n["kind"]) for n in settled["notes"]] == [
        ("2026-03-05", "progress"),
        ("2026-04-10", "progress"),
        ("2026-05-20", "close"),
        ("2026-09-01", "settle"),
    ]
    assert [e["action"] for e in run("log --ref JA-2026-0001 -f json").json()] == [
        "backlog.settle",
        "backlog.close",
        "backlog.progress",
        "backlog.progress",
        "backlog.add",
    ]


def test_closed_is_not_settled(villages: list[str]) -> None:
    add("--date", "2026-01-10", "--deadline", "2026-03-31")
    add("--date", "2026-02-10", "--deadline", "2026-12-31", village="李家湾村")
    add("--date", "2026-02-20", "--deadline", "2026-10-30", village="前进村")
    run("backlog close JA-2026-0001 --outcome unsettled --date 2026-03-30")
    # settled before it is closed: the outcome is recorded, the case stays open
    run("backlog settle JA-2026-0002 --outcome stabilized --date 2026-05-01")
    rows = {r["ref"]: r for r in run("backlog list -f json").json()}
    assert [(r["closed_on"], r["outcome"]) for r in rows.values()] == [
        ("2026-03-30", "unsettled"),
        (None, None),
        (None, "stabilized"),
    ]
    assert list(rows) == ["JA-2026-0001", "JA-2026-0003", "JA-2026-0002"]  # by deadline
    open_refs = [r["ref"] for r in run("backlog list --open -f json").json()]
    assert open_refs == ["JA-2026-0003", "JA-2026-0002"]
    assert [r["ref"] for r in run("backlog list --overdue -f json").json()] == ["JA-2026-0003"]
    assert [r["ref"] for r in run("backlog list --outcome stabilized -f json").json()] == [
        "JA-2026-0002"
    ]
    assert [r["ref"] for r in run("backlog list --village 前进村 -f json").json()] == [
        "JA-2026-0003"
    ]


def test_impossible_changes_are_refused(villages: list[str]) -> None:
    base = [
        "backlog",
        "add",
        "--assigned-by",
        "county",
        "--village",
        "城庄村",
        "--petitioner",
        "王某",
        "--summary",
        "x",
        "--lead",
        "李书记",
        "--plan",
        "y",
    ]
    assert (
        "before the assignment date"
        in fail(*base, "--date", "2026-05-01", "--deadline", "2026-04-30").err
    )
    fail(*base, "--date", "2026-11-01", "--deadline", "2026-12-31")
    fail(*base, code=2)  # no deadline
    fail(
        "backlog",
        "add",
        "--assigned-by",
        "town",
        "--village",
        "城庄村",
        "--petitioner",
        "王某",
        "--summary",
        "x",
        "--lead",
        "李书记",
        "--plan",
        "y",
        "--deadline",
        "2026-12-31",
        code=2,
    )
    add("--date", "2026-05-01", "--deadline", "2026-12-31")
    assert (
        "before the case was assigned"
        in fail("backlog", "progress", "JA-2026-0001", "x", "--date", "2026-04-30").err
    )
    fail("backlog", "close", "JA-2026-0001", "--outcome", "done", code=2)
    fail("backlog", "close", "JA-2026-0001", "--outcome", "settled", "--date", "2026-11-02")
    run("backlog close JA-2026-0001 --outcome stabilized --date 2026-08-01")
    assert (
        "closed on 2026-08-01 already"
        in fail("backlog", "close", "JA-2026-0001", "--outcome", "settled").err
    )
    assert (
        "stabilized already" in fail("backlog", "settle", "JA-2026-0001", "--outcome", "稳控").err
    )
    assert (
        "before the last outcome"
        in fail(
            "backlog", "settle", "JA-2026-0001", "--outcome", "settled", "--date", "2026-07-31"
        ).err
    )
    fail("backlog", "show", "JA-2026-0009")
    fail("backlog", "progress", "JA-2026-0001", "  ")
