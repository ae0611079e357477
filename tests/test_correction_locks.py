"""Who may correct what (ledger.locks): reported months and old records are locked by
the settings; a correction past a lock needs --force and is named in the month's findings.

The edit and void commands call `locks.guard`; here it is called the way they call it,
on a record changed in a transaction, before the change's audit entry is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from sanling.errors import InvalidState
from tests.helpers import fail, ledgers, run


@pytest.fixture
def ledger(villages: list[str]) -> None:
    with ledgers.writing() as lx:
        for day in ("2026-09-30", "2026-10-01", "2026-10-13"):
            ledgers.add(
                lx, "accident", village="前进村", kind="road", summary="车祸", deaths=1, date=day
            )


@contextmanager
def correcting(ref: str, today: str | None = None, **changes: Any) -> Iterator[dict[str, Any]]:
    """A correction of accident `ref` (its fields set to `changes`), as `accident edit` makes
    it; yields {"guard": kwargs} to fill, then the marks guard returned under "marks"."""
    from sanling.ledger import locks
    from sanling.ledger.base import Ledger, snapshot
    from sanling.models import Accident

    call: dict[str, Any] = {"force": False}
    with ledgers.writing() as plain:
        lx = Ledger(plain.session, today=dt.date.fromisoformat(today) if today else None)
        record = lx.record(Accident, ref)
        before = snapshot(record)
        for key, value in changes.items():
            setattr(record, key, value)
        yield call
        marks = locks.guard(lx, record, force=call["force"], before=before)
        call["marks"] = marks
        after = {**snapshot(record), "_reason": call.get("reason", "输错"), **marks}
        lx.audit("accident.edit", record.ref, before, after)


def refused(ref: str, today: str | None = None, **changes: Any) -> str:
    with pytest.raises(InvalidState) as caught, correcting(ref, today, **changes):
        pass
    return caught.value.line()


def test_nothing_is_locked_by_default(ledger: None) -> None:
    with correcting("SG-2026-0001", deaths=0) as call:
        pass
    assert call["marks"] == {}


def test_a_reported_month_needs_force(ledger: None) -> None:
    run("config set lock_reported_periods true")
    # Today is 31 October: September is reported, October is not.
    with correcting("SG-2026-0002", deaths=0) as call:
        pass
    assert call["marks"] == {}
    assert refused("SG-2026-0001", deaths=0) == (
        "error: SG-2026-0001 is locked against corrections: 2026-09-30 lies in 2026-09, a month "
        "already reported (lock_reported_periods) (hint: add --force if it must be corrected; "
        "the month's analysis will list it)"
    )
    # Moved into a reported month, or out of one: locked either way.
    refused("SG-2026-0002", date=dt.date(2026, 9, 20))
    refused("SG-2026-0001", date=dt.date(2026, 10, 2))
    with correcting("SG-2026-0001", deaths=0) as call:
        call["force"] = True
    assert call["marks"] == {"_forced": ["lock_reported_periods"]}
    # Every figure follows the correction that went through.
    listed = {a["ref"]: a["deaths"] for a in run("accident list --format json").json()}
    assert listed == {"SG-2026-0001": 0, "SG-2026-0002": 0, "SG-2026-0003": 1}


def test_the_refusal_leaves_the_ledger_as_it_was(ledger: None) -> None:
    from tests.helpers import dump

    run("config set lock_reported_periods true")
    before = dump()
    refused("SG-2026-0001", deaths=0)
    assert dump() == before


def test_grace_days_keep_last_month_open_a_little(ledger: None) -> None:
    run("config set lock_reported_periods true")
    run("config set lock_grace_days 5")
    with correcting("SG-2026-0001", today="2026-10-05", deaths=0) as call:
        pass
    assert call["marks"] == {}
    assert "a month already reported" in refused("SG-2026-0001", today="2026-10-06", deaths=0)


def test_an_age_limit(ledger: None) -> None:
    run("config set edit_max_age_days 30")
    with correcting("SG-2026-0002", deaths=0) as call:  # 1 October: 30 days ago
        pass
    assert call["marks"] == {}
    assert "2026-09-30 is more than 30 days ago (edit_max_age_days)" in refused(
        "SG-2026-0001", deaths=0
    )
    run("config set lock_reported_periods true")
    with correcting("SG-2026-0001", deaths=0) as call:
        call["force"] = True
    assert call["marks"] == {"_forced": ["lock_reported_periods", "edit_max_age_days"]}


def test_the_settings_are_checked(ledger: None) -> None:
    assert "allowed: int >= 0 and <= 36500" in fail("config set edit_max_age_days 40000").err
    assert "invalid value 'perhaps'" in fail("config set lock_reported_periods perhaps").err
    assert run("config get lock_reported_periods").out.strip() == "false"


def test_subjects_are_never_locked(ledger: None) -> None:
    from sanling.ledger import locks

    run("config set lock_reported_periods true")
    run("config set edit_max_age_days 1")
    with ledgers.writing() as lx:
        assert locks.guard(lx, lx.subject("前进村"), force=False) == {}


def test_a_forced_correction_is_a_finding_of_the_month_it_was_made_in(
    ledger: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zoneinfo import ZoneInfo

    from sanling import periods
    from sanling.ledger import locks

    # Today is the real day (the audit log's times are real): October is long reported.
    now = dt.datetime.now(ZoneInfo("Asia/Shanghai"))
    monkeypatch.setenv("SANLING_TODAY", now.date().isoformat())
    run("config set lock_reported_periods true")
    with correcting("SG-2026-0001", deaths=0) as call:
        call["force"], call["reason"] = True, "死亡人数误录"
    with correcting("SG-2026-0003", deaths=0) as call:
        call["force"] = True
    assert call["marks"] == {"_forced": ["lock_reported_periods"]}
    run("config set lock_reported_periods false")
    with correcting("SG-2026-0002", deaths=2) as call:  # not locked now: no finding
        pass

    data = run("report monthly --format json").json()
    found = [f for f in data["findings"] if f["rule"] == "forced_corrections"]
    day = now.date().isoformat()
    assert [(f["text"], f["refs"]) for f in found] == [
        (
            f"SG-2026-0001 was locked and was edited with --force by tester on {day}: "
            "死亡人数误录.",
            ["SG-2026-0001"],
        ),
        (
            f"SG-2026-0003 was locked and was edited with --force by tester on {day}: 输错.",
            ["SG-2026-0003"],
        ),
    ]
    assert found[0]["rule_text"].startswith("records corrected with --force this month")
    zh = run("--lang zh report monthly --format json").json()["findings"]
    assert f"SG-2026-0001 属已锁定的记录，tester 于 {day} 强制更正：死亡人数误录。" in [
        f["text"] for f in zh
    ]
    # October's analysis (the month the records are in) does not carry it: the next one does.
    october = run("report monthly --month 2026-10 --format json").json()["findings"]
    assert all(f["rule"] != "forced_corrections" for f in october)
    # The listing of changes marks them.
    start = (now - dt.timedelta(hours=1)).isoformat()
    changes = run(f"report monthly --format json --changes-since {start}").json()
    marked = [(c["ref"], c["change"]) for c in changes["changes_since"]["changes"]]
    assert ("SG-2026-0001", "edited (forced)") in marked and ("SG-2026-0002", "edited") in marked
    # By town: a town's analysis names its own records only.
    with ledgers.writing() as lx:
        month = periods.month(lx.today)
        assert [c["ref"] for c in locks.forced_in(lx, month)] == [
            "SG-2026-0001",
            "SG-2026-0003",
        ]
        assert locks.forced_in(lx, month, town_id=999) == []


def test_the_correction_commands_are_guarded(ledger: None) -> None:
    """`edit`, `void`, `unvoid` of a record of a reported month: refused, the ledger as it
    was; with --force done and marked in its audit entry."""
    from tests.helpers import dump

    run("config set lock_reported_periods true")  # today 2026-10-31: September is reported
    before = dump()
    out = fail("accident edit SG-2026-0001 --deaths 0 --reason 误录")
    assert "SG-2026-0001" in out.err and "--force" in out.err
    fail("accident void SG-2026-0001 --reason 误录")
    assert dump() == before
    run("accident edit SG-2026-0002 --deaths 0 --reason 误录")  # October: still open
    run("accident edit SG-2026-0001 --deaths 0 --reason 误录 --force")
    run("accident void SG-2026-0001 --reason 重复 --force")
    fail("accident unvoid SG-2026-0001 --reason 撤销")
    run("accident unvoid SG-2026-0001 --reason 撤销 --force")
    log = run("log --ref SG-2026-0001 --format json").json()
    assert [e["action"] for e in log][:3] == ["accident.unvoid", "accident.void", "accident.edit"]
