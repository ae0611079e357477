"""Tamper evidence: `sanling db check` reports edited, inserted and deleted audit entries, and
records changed, added or removed with plain SQL behind sanling's back.

What this proves and what it does not is in the README's "Reliability" section: the chain
catches casual and partial edits; someone with write access who rewrites the whole chain is
caught only by an audit hash copied elsewhere earlier (`db status` audit_head, `db check
--anchor`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from sqlalchemy import create_engine, insert, select, text, update

from sanling import db
from sanling.ledger.base import entry_hash
from sanling.models import AuditEntry, Base
from tests.helpers import ledgers, run

# The audit log's table, typed as a Table (a model's __table__ is typed as any FromClause).
AUDIT = Base.metadata.tables["audit_log"]


@pytest.fixture
def ledger(villages: list[str], templates: ledgers.Templates) -> dict[str, Any]:
    """A dispute resolved, a hazard rectified, a setting changed: every kind of entry."""
    templates.apply(f"{__name__}.ledger", build)
    # The anchor as a user copies it (db status), read from each test's own ledger.
    return {"head": run("db status -f json").json()["audit_head"]}


def build() -> None:
    from sanling.ledger import hazard, settings

    with ledgers.writing() as lx:
        add = partial(ledgers.add, lx)
        add(
            "dispute",
            village="城庄村",
            category="land",
            summary="地界",
            handler="王强",
            found="2026-10-01",
        )
        add(
            "dispute",
            village="前进村",
            category="debt",
            summary="欠款",
            handler="李明",
            found="2026-10-02",
        )
        ledgers.resolve(lx, "JF-2026-0001", "2026-10-05")
        add(
            "hazard",
            village="李家湾村",
            area="road",
            description="护栏缺失",
            responsible="张三",
            found="2026-10-03",
        )
        hazard.rectify(lx, "YH-2026-0001", "已安装", "2026-10-10")
        settings.set_(lx, "dispute_deadline_days", "20")
    run("db check")  # the tests start from a ledger that passes


def _sql(sql: str, **params: Any) -> None:
    engine = create_engine(db.resolve_url(None))
    with engine.begin() as conn:
        conn.execute(text(sql), params)
    engine.dispose()


def _entries() -> list[dict[str, Any]]:
    engine = create_engine(db.resolve_url(None))
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(AUDIT).order_by(AuditEntry.id))]
    engine.dispose()
    return rows


def _change(**values: Any) -> None:
    """UPDATE audit_log through SQLAlchemy Core (the JSON columns on either database)."""
    where = values.pop("where")
    engine = create_engine(db.resolve_url(None))
    with engine.begin() as conn:
        conn.execute(update(AUDIT).where(AuditEntry.id == where).values(**values))
    engine.dispose()


def _append(**entry: Any) -> None:
    engine = create_engine(db.resolve_url(None))
    with engine.begin() as conn:
        conn.execute(insert(AUDIT).values(**entry))
    engine.dispose()


def problems(*extra: str) -> list[str]:
    result = run("db", "check", "-f", "json", *extra, code=1)
    found = [p["problem"] for p in result.json()]
    said = "1 problem found" if len(found) == 1 else f"{len(found)} problems found"
    assert result.err.strip() == f"error: {said}"
    return found


def _entry_of(action: str, ref: str) -> dict[str, Any]:
    return next(e for e in _entries() if e["action"] == action and e["ref"] == ref)


def test_untouched_ledger_passes_with_its_anchor(ledger: dict[str, Any]) -> None:
    assert len(ledger["head"]) == 64
    run("db", "check", "--anchor", ledger["head"])


def test_edited_operator_is_reported(ledger: dict[str, Any]) -> None:
    e = _entry_of("dispute.resolve", "JF-2026-0001")
    _change(where=e["id"], operator="mallory")
    assert problems() == [
        f"audit log entry {e['id']} (dispute.resolve JF-2026-0001): its content was edited"
    ]


def test_edited_snapshot_is_reported_twice(ledger: dict[str, Any]) -> None:
    # Rewriting the snapshot to hide a change breaks the hash, and the record no longer agrees.
    e = _entry_of("dispute.resolve", "JF-2026-0001")
    _change(where=e["id"], after={**e["after"], "handler": "赵六"})
    found = problems()
    assert (
        f"audit log entry {e['id']} (dispute.resolve JF-2026-0001): its content was edited" in found
    )
    assert (
        "JF-2026-0001: differs from its audit trail in handler (changed behind sanling's back)"
        in found
    )
    assert len(found) == 2


def test_deleted_entry_is_reported(ledger: dict[str, Any]) -> None:
    e = _entry_of("dispute.add", "JF-2026-0002")
    _sql("DELETE FROM audit_log WHERE id = :i", i=e["id"])
    found = problems()
    assert (
        f"audit log entry {e['id'] + 1}: does not follow the entry before it (an entry was "
        "deleted or inserted)" in found
    )
    assert "JF-2026-0002: not in the audit log (added behind sanling's back)" in found


def test_newest_entry_cut_off_is_reported_by_its_record_and_the_anchor(
    ledger: dict[str, Any],
) -> None:
    # Cutting the tail keeps the chain whole; the record it described no longer agrees with
    # what is left, and the anchor taken earlier is gone.
    last = _entry_of("hazard.rectify", "YH-2026-0001")
    _sql("DELETE FROM audit_log WHERE id >= :i", i=last["id"])
    found = problems("--anchor", ledger["head"])
    assert not any("does not follow" in p or "edited" in p for p in found)
    assert any(
        p.startswith("YH-2026-0001: differs from its audit trail in") and "status" in p
        for p in found
    )
    assert any(p.startswith("audit anchor") and "rewritten or cut back" in p for p in found)


def test_inserted_entry_that_skips_the_chain_is_reported(ledger: dict[str, Any]) -> None:
    entries = _entries()
    before_last = entries[-2]
    snap = _entry_of("dispute.add", "JF-2026-0002")["after"]
    forged = {
        "at": entries[-1]["at"],
        "operator": "mallory",
        "action": "dispute.review",
        "ref": "JF-2026-0002",
        "before": snap,
        "after": snap,
    }
    # It claims to follow the entry before the last one, with a correct hash of its own.
    forged["prev_hash"] = before_last["hash"]
    forged["hash"] = entry_hash(
        before_last["hash"], forged["at"], "mallory", "dispute.review", "JF-2026-0002", snap, snap
    )
    _append(**forged)
    assert problems() == [
        f"audit log entry {entries[-1]['id'] + 1}: does not follow the entry before it "
        "(an entry was deleted or inserted)"
    ]


def test_forged_but_chained_entry_is_caught_by_the_record(ledger: dict[str, Any]) -> None:
    # A well-made forgery (right prev_hash, right hash) that claims a change never made.
    entries = _entries()
    add = _entry_of("dispute.add", "JF-2026-0002")
    after = {**add["after"], "status": "resolved", "resolved_on": "2026-10-06"}
    prev = entries[-1]["hash"]
    at = entries[-1]["at"]
    _append(
        at=at,
        operator="mallory",
        action="dispute.resolve",
        ref="JF-2026-0002",
        before=add["after"],
        after=after,
        prev_hash=prev,
        hash=entry_hash(
            prev, at, "mallory", "dispute.resolve", "JF-2026-0002", add["after"], after
        ),
    )
    assert problems() == [
        "JF-2026-0002: differs from its audit trail in resolved_on, status (changed behind "
        "sanling's back)"
    ]


def test_rewritten_chain_is_caught_only_by_the_anchor(ledger: dict[str, Any]) -> None:
    # The worst case: someone with write access edits a record AND rewrites every later hash.
    # The chain and the records agree again; only the hash copied earlier tells.
    _sql("UPDATE disputes SET handler = '赵六' WHERE ref = 'JF-2026-0002'")
    entries = _entries()
    prev = "0" * 64
    engine = create_engine(db.resolve_url(None))
    with engine.begin() as conn:
        for e in entries:
            after = e["after"]
            if e["action"] == "dispute.add" and e["ref"] == "JF-2026-0002":
                after = {**after, "handler": "赵六"}
            digest = entry_hash(
                prev, e["at"], e["operator"], e["action"], e["ref"], e["before"], after
            )
            conn.execute(
                update(AUDIT)
                .where(AuditEntry.id == e["id"])
                .values(after=after, prev_hash=prev, hash=digest)
            )
            prev = digest
    engine.dispose()
    run("db check")
    assert problems("--anchor", ledger["head"]) == [
        f"audit anchor {ledger['head'][:16]}…: no longer in the audit log (the log was rewritten "
        "or cut back)"
    ]


def test_record_changed_with_sql_is_reported(ledger: dict[str, Any]) -> None:
    _sql(
        "UPDATE disputes SET status = 'resolved', resolved_on = found, method = 'mediation' "
        "WHERE ref = 'JF-2026-0002'"
    )
    _sql("UPDATE hazards SET description = '无' WHERE ref = 'YH-2026-0001'")
    _sql("UPDATE subjects SET population = 99999 WHERE name = '李家湾村'")
    assert problems() == [
        "JF-2026-0002: differs from its audit trail in method, resolved_on, status (changed "
        "behind sanling's back)",
        "YH-2026-0001: differs from its audit trail in description (changed behind sanling's back)",
        "subject 李家湾村: differs from its audit trail in population (changed behind sanling's "
        "back)",
    ]


def test_setting_changed_with_sql_is_reported(ledger: dict[str, Any]) -> None:
    _sql("UPDATE settings SET value = '45' WHERE key = 'dispute_deadline_days'")
    assert problems() == [
        "setting dispute_deadline_days: differs from its audit trail (changed behind sanling's "
        "back)"
    ]


def test_record_added_or_deleted_with_sql_is_reported(ledger: dict[str, Any]) -> None:
    _sql(
        "DELETE FROM dispute_notes WHERE dispute_id = (SELECT id FROM disputes WHERE ref = "
        "'JF-2026-0001')"
    )
    _sql("DELETE FROM disputes WHERE ref = 'JF-2026-0001'")
    _sql(
        "INSERT INTO hotspots (ref, town_id, village_id, found, description) "
        "SELECT 'LD-2026-0001', town_id, id, '2026-10-01', '赌博' FROM subjects WHERE name = "
        "'城庄村'"
    )
    found = problems()
    assert (
        "JF-2026-0001: in the audit log but missing from the ledger (deleted behind sanling's back)"
        in found
    )
    assert "JF-2026: 1 records for numbers 1 to 2 (a record is missing)" in found
    assert "LD-2026-0001: not in the audit log (added behind sanling's back)" in found
    assert "LD-2026: numbers up to 1 used but the counter is at 0" in found
    assert len(found) == 4
