"""Reading the audit log (sanling log) and checking its hash chain (db check)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, or_, select

from sanling.ledger.base import GENESIS, Ledger, entry_hash
from sanling.models import AuditEntry
from sanling.privacy import masked_logged


def entries(
    lx: Ledger, *, ref: str | None = None, since: dt.date | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Newest first. Times are stored in UTC and shown in the town's time zone."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(lx.policy.timezone)
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if ref:
        # Record numbers in any case (jf-2026-0001); names and setting keys as written.
        query = query.where(
            or_(AuditEntry.ref == ref.strip(), AuditEntry.ref == ref.strip().upper())
        )
    if since:
        local_midnight = dt.datetime.combine(since, dt.time(), tzinfo=zone)
        query = query.where(AuditEntry.at >= local_midnight.astimezone(dt.UTC).replace(tzinfo=None))
    return [
        {
            "at": e.at.replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None),
            "operator": e.operator,
            "action": e.action,
            "ref": e.ref,
            "before": _short(*shown),
            "after": _short(*reversed(shown)),
        }
        for e in lx.session.scalars(query)
        for shown in [(masked_logged(e.action, e.before), masked_logged(e.action, e.after))]
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
            problems.append(
                f"audit log entry {e.id}: does not follow the entry before it "
                "(an entry was deleted or inserted)"
            )
        expected = entry_hash(e.prev_hash, e.at, e.operator, e.action, e.ref, e.before, e.after)
        if expected != e.hash:
            problems.append(f"audit log entry {e.id} ({e.action} {e.ref}): its content was edited")
        prev = e.hash
    return problems


# Actions whose `after` is not a snapshot of the record named by `ref` (an unmasked read).
_NOT_SNAPSHOTS = ("%.reveal",)


def _differs(after: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """The columns whose value disagrees with the audit snapshot.

    Only columns the snapshot holds are compared: a column added by a later schema revision
    is not in older entries. Extra keys of an entry (a progress note, a visit) are not columns.
    """
    from sanling.models import VOID_COLUMNS

    # A void stamp missing from an entry written before the stamp existed is no stamp.
    old = dict.fromkeys(VOID_COLUMNS)
    return sorted(k for k in now if (k in after or k in old) and after.get(k) != now[k])


def _against_trail(who: str, after: dict[str, Any] | None, obj: Any) -> list[str]:
    """What is wrong with a record (`who`) against its latest audit snapshot (`after`, None
    when the log holds none)."""
    from sanling.ledger.base import snapshot

    if after is None:
        return [f"{who}: not in the audit log (added behind sanling's back)"]
    changed = _differs(after, snapshot(obj))
    if changed:
        from sanling import privacy  # personal fields: masked then perhaps as masked no more

        table = getattr(obj, "__tablename__", "")
        changed = [k for k in changed if not privacy.logged_as(table, k, after[k], getattr(obj, k))]
    if not changed:
        return []
    return [
        f"{who}: differs from its audit trail in {', '.join(changed)} "
        "(changed behind sanling's back)"
    ]


def state_problems(lx: Ledger) -> list[str]:
    """Records whose current state disagrees with their audit trail.

    Every change writes the record's snapshot to the audit log in the same transaction, so the
    latest snapshot of a record must equal the record as stored. A record changed, added or
    deleted with plain SQL (behind sanling's back) breaks this.
    """
    return [p for check in STATE_CHECKS for p in check(lx)]


def validate_records(lx: Ledger) -> list[str]:
    """Numbered records: each one's latest snapshot, matched by reference number."""
    from sanling.models import RECORD_MODELS

    found: list[str] = []
    for prefix, model in RECORD_MODELS.items():
        found += _record_trail(lx, prefix, model)
    return found


def _record_trail(lx: Ledger, prefix: str, model: Any) -> list[str]:
    s = lx.session
    found: list[str] = []
    keep = [AuditEntry.action.not_like(p) for p in _NOT_SNAPSHOTS]
    ref_col: Any = model.__table__.c.ref
    latest = (
        select(AuditEntry.ref.label("ref"), func.max(AuditEntry.id).label("id"))
        .where(AuditEntry.ref.like(f"{prefix}-%"), AuditEntry.after.is_not(None), *keep)
        .group_by(AuditEntry.ref)
        .subquery()
    )
    rows = s.execute(
        select(model, latest.c.id, AuditEntry.after)
        .outerjoin(latest, latest.c.ref == ref_col)
        .outerjoin(AuditEntry, AuditEntry.id == latest.c.id)
        .order_by(model.__table__.c.id)
        .execution_options(yield_per=2000)
    )
    for obj, entry_id, after in rows:
        ref = getattr(obj, "ref", None)
        if entry_id is not None and not isinstance(after, dict):
            found.append(f"{ref}: its latest audit entry {entry_id} holds no record")
        else:
            found.extend(_against_trail(f"{ref}", None if entry_id is None else after, obj))
    missing = s.execute(
        select(latest.c.ref)
        .where(~select(ref_col).where(ref_col == latest.c.ref).exists())
        .order_by(latest.c.ref)
    )
    for (ref,) in missing:
        found.append(
            f"{ref}: in the audit log but missing from the ledger (deleted behind sanling's back)"
        )
    return found


def validate_named(lx: Ledger) -> list[str]:
    """Towns and subjects are named, not numbered (and a subject can be renamed): matched by id."""
    from sanling.models import Subject, Town

    named: tuple[tuple[Any, str], ...] = ((Town, "town"), (Subject, "subject"))
    return [p for model, noun in named for p in _named_trail(lx, model, noun)]


def _named_trail(lx: Ledger, model: Any, noun: str) -> list[str]:
    s = lx.session
    found: list[str] = []
    trail: dict[int, dict[str, Any]] = {}
    for (after,) in s.execute(
        select(AuditEntry.after).where(AuditEntry.action.like(f"{noun}.%")).order_by(AuditEntry.id)
    ):
        if isinstance(after, dict) and isinstance(after.get("id"), int):
            trail[after["id"]] = after
    for obj in s.scalars(select(model).order_by(model.id)):
        found.extend(_against_trail(f"{noun} {obj.name}", trail.pop(obj.id, None), obj))
    for after in trail.values():
        found.append(
            f"{noun} {after.get('name')}: in the audit log but missing from the ledger "
            "(deleted behind sanling's back)"
        )
    return found


def validate_settings(lx: Ledger) -> list[str]:
    """Every stored setting is the one its last `config set` logged: a setting inserted or
    changed with SQL (case_criminal_breaks=false) would change the 三零 results unseen. A
    secret (masked in the log) is compared by its digest."""
    from sanling import config
    from sanling.models import Setting

    s = lx.session
    logged: dict[str, dict[str, Any]] = {}
    for key, after in s.execute(
        select(AuditEntry.ref, AuditEntry.after)
        .where(AuditEntry.action == "config.set")
        .order_by(AuditEntry.id)
    ):
        if key and isinstance(after, dict) and key in after:
            logged[key] = after
    stored = {k: v for k, v in s.execute(select(Setting.key, Setting.value))}
    policy = config.decode_all(stored)
    found: list[str] = []
    for key in sorted(set(stored) | set(logged)):
        after = logged.get(key)
        if after is None:
            found.append(
                f"setting {key}: stored but never set with `config set` (set behind sanling's back)"
            )
        elif key not in stored:
            found.append(
                f"setting {key}: differs from its audit trail (removed behind sanling's back)"
            )
        elif "sha256" in after:
            if config.digest(stored[key]) != after["sha256"]:
                found.append(
                    f"setting {key}: differs from its audit trail (changed behind sanling's back)"
                )
        elif config.shown(key, getattr(policy, key, None)) != after[key]:
            found.append(
                f"setting {key}: differs from its audit trail (changed behind sanling's back)"
            )
    return found


# The checks of records against their audit trail, in the order their problems are listed.
STATE_CHECKS: list[Callable[[Ledger], list[str]]] = [
    validate_records,
    validate_named,
    validate_settings,
]


def anchor_problems(lx: Ledger, anchor: str) -> list[str]:
    """An audit hash copied elsewhere earlier must still be in the log.

    Whoever rewrites the log (to hide an edit, every later hash recomputed) or cuts it back
    loses the entry that carried this hash.
    """
    value = anchor.strip().lower()
    if lx.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.hash == value)
    ):
        return []
    return [
        f"audit anchor {value[:16]}…: no longer in the audit log"
        " (the log was rewritten or cut back)"
    ]
