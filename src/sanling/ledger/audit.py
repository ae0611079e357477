"""Reading the audit log (sanling log) and checking its hash chain (db check)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from sanling.ledger.base import GENESIS, Ledger, entry_hash
from sanling.models import AuditEntry


def entries(lx: Ledger, *, ref: str | None = None, since: dt.date | None = None,
            limit: int = 50) -> list[dict[str, Any]]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if ref:
        query = query.where(AuditEntry.ref == ref.strip())
    if since:
        query = query.where(AuditEntry.at >= dt.datetime.combine(since, dt.time()))
    return [
        {"at": e.at, "operator": e.operator, "action": e.action, "ref": e.ref,
         "before": _short(e.before, e.after), "after": _short(e.after, e.before)}
        for e in lx.session.scalars(query)
    ]


def _short(mine: dict[str, Any] | None, other: dict[str, Any] | None) -> str:
    """Only the fields that changed, as k=v; a whole record for an add."""
    if not mine:
        return ""
    keys = [k for k in mine if other is None or other.get(k) != mine.get(k)]
    return "; ".join(f"{k}={mine[k]}" for k in keys if mine[k] not in (None, "", False))


def chain_problems(lx: Ledger) -> list[str]:
    """Every break of the hash chain: an edited, inserted or deleted entry."""
    problems = []
    prev = GENESIS
    for e in lx.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(2000):
        if e.prev_hash != prev:
            problems.append(f"audit log entry {e.id}: does not follow the entry before it "
                            "(an entry was deleted or inserted)")
        expected = entry_hash(e.prev_hash, e.at, e.operator, e.action, e.ref, e.before, e.after)
        if expected != e.hash:
            problems.append(f"audit log entry {e.id} ({e.action} {e.ref}): its content was edited")
        prev = e.hash
    return problems
