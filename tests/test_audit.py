"""The audit log: every change, in the same transaction, chained by hash."""

from __future__ import annotations

import pytest

from sanling.db import resolve_url, session_scope
from sanling.ledger import audit
from sanling.ledger.base import Ledger
from tests.helpers import fail, ledgers, run


def test_every_change_is_logged_newest_first(villages: list[str]) -> None:
    run("sweep add --subject 城庄村 --by 王强 --date 2026-10-20")
    run("subject grade 城庄村 --grade key --reason 纠纷多发")
    entries = run("log --limit 3 -f json").json()
    assert [e["action"] for e in entries] == ["subject.grade", "sweep.add", "subject.add"]
    assert all(e["operator"] == "tester" for e in entries)
    assert "grade=key" in entries[0]["after"]
    assert [e["ref"] for e in run("log --ref PC-2026-0001 -f json").json()] == ["PC-2026-0001"]
    assert len(run("log --since 2000-01-01 -f json").json()) == 9
    assert run("log --limit 0", code=2)


def test_failed_command_logs_nothing(villages: list[str]) -> None:
    before = len(run("log --limit 1000 -f json").json())
    fail("subject add 城庄村 --kind village")
    assert len(run("log --limit 1000 -f json").json()) == before


def test_operator_from_environment(town: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANLING_USER", "李会计")
    run("subject add 新村 --kind village")
    assert run("log --limit 1 -f json").json()[0]["operator"] == "李会计"


def test_chain_is_intact(villages: list[str]) -> None:
    with session_scope(resolve_url(None), write=False) as session:
        assert audit.chain_problems(Ledger(session)) == []


def test_log_filters_by_ref_in_any_case_and_local_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    # Built now, not copied from the session's template: the entries' dates are today's.
    ledgers.init()
    ledgers.add_villages()
    run("sweep add --subject 城庄村 --by 王强 --date 2026-10-20")
    assert [e["ref"] for e in run("log --ref pc-2026-0001 -f json").json()] == ["PC-2026-0001"]
    assert [e["action"] for e in run("log --ref 城庄村 -f json").json()] == ["subject.add"]
    # Entries are stored in UTC and shown (and filtered) in the town's time zone.
    import datetime as dt
    from zoneinfo import ZoneInfo

    now_local = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    monkeypatch.setenv("SANLING_TODAY", now_local.isoformat())
    assert (
        len(run("log", "--since", now_local.isoformat(), "-f", "json", "--limit", "1000").json())
        == 8
    )
