"""Reading the audit log (sanling log) and checking its hash chain (db check)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select

from sanling.i18n import get_lang, header, label, tr
from sanling.ledger.base import GENESIS, Ledger, entry_hash
from sanling.ledger.recorded import CHANGED
from sanling.models import BY_KIND, RECORD_TABLES, AuditEntry
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
            "before": _short(shown[0], shown[1], codes),
            "after": _short(shown[1], shown[0], codes),
        }
        for e in lx.session.scalars(query)
        for shown in [(masked_logged(e.action, e.before), masked_logged(e.action, e.after))]
        for codes in [_code_lists(e.action)]
    ]


def _code_lists(action: str) -> dict[str, Any]:
    """The code list of each coded field of the action's kind of record (fields.py), and of
    an entry of a record's own log (its `kind`), so a logged code reads as its label."""
    from sanling.codes import NoteKind
    from sanling.fields import FIELDS, KIND_OF

    kind = KIND_OF.get(action.partition(".")[0])
    found: dict[str, Any] = {f.key: f.enum for f in FIELDS.get(kind or "", ()) if f.enum}
    return {**found, "note.kind": NoteKind}


def _short(mine: dict[str, Any] | None, other: dict[str, Any] | None, codes: dict[str, Any]) -> str:
    """Only the fields that changed, as k=v (a value that became empty or false too, and a
    personal field changed though masked alike: an edit's `_changed`); a whole record for
    an add, its empty and false fields left out."""
    if not mine:
        return ""
    if other is None:
        keys = [k for k, v in mine.items() if not _blank(v)]
    else:
        hidden = [*_listed(mine), *_listed(other)]
        keys = [k for k in mine if k != CHANGED and (other.get(k) != mine.get(k) or k in hidden)]
    return tr("；", "; ").join(f"{_name(k)}={_value(mine[k], k, codes)}" for k in keys)


def _name(key: str) -> str:
    """A field of the log in the ledger's language: its heading in Chinese (原因 for the
    reason a correction gives), the stored key in English."""
    if get_lang() != "zh":
        return key
    return header(key.lstrip("_"))


def _value(value: Any, key: str, codes: dict[str, Any]) -> str:
    """A logged value for people: 是/否, 空, a code by its label, a list by 、, an entry of
    a record's own log (a dict) as its fields; no Python reprs."""
    from sanling.render import cell

    if value is None or value == "":
        return tr("空", "none")
    if isinstance(value, dict):
        inner = tr("，", ", ").join(
            f"{_name(k)} {_value(v, f'{key}.{k}', codes)}" for k, v in value.items()
        )
        return tr("（{x}）", "({x})", x=inner)
    if isinstance(value, list):
        return tr("、", ", ").join(_value(v, key, codes) for v in value)
    if get_lang() != "zh":
        return str(value)
    enum = codes.get(key)
    if enum is not None and isinstance(value, str):
        try:
            return label(enum(value))
        except ValueError:
            return value
    return cell(value)


def _blank(value: Any) -> bool:
    return value is None or value == "" or value is False


def _listed(state: dict[str, Any]) -> list[str]:
    found = state.get(CHANGED)
    return [str(k) for k in found] if isinstance(found, list) else []


def chain_problems(lx: Ledger) -> list[str]:
    """Every break of the hash chain: an edited, inserted or deleted entry. The audit log of
    each merged town (`sanling merge`) is its own chain, kept as the town wrote it."""
    from sanling.models import MergedEntry, MergedTown, Town

    s = lx.session
    problems = _chain_breaks(s.scalars(select(AuditEntry).order_by(AuditEntry.id)), "")
    merged = s.execute(
        select(MergedTown.town_id, Town.name, MergedTown.head, MergedTown.entries)
        .join(Town, Town.id == MergedTown.town_id)
        .order_by(Town.name)
    ).all()
    for town_id, name, head, count in merged:
        chain = list(
            s.scalars(
                select(MergedEntry).where(MergedEntry.town_id == town_id).order_by(MergedEntry.seq)
            )
        )
        problems += _chain_breaks(chain, f"{name}: ")
        if len(chain) != count or (chain[-1].hash if chain else "") != head:
            problems.append(
                f"{name}: its merged audit log holds {len(chain)} entries, {count} were merged"
                " (cut back or added to behind sanling's back)"
            )
    return problems


def _chain_breaks(chain: Any, town: str) -> list[str]:
    """The breaks of one chain; `town` names a merged town's (its entries by their number
    in the town's ledger)."""
    problems = []
    prev = GENESIS
    for e in chain:
        number = getattr(e, "seq", e.id)
        if e.prev_hash != prev:
            problems.append(
                f"{town}audit log entry {number}: does not follow the entry before it "
                "(an entry was deleted or inserted)"
            )
        expected = entry_hash(e.prev_hash, e.at, e.operator, e.action, e.ref, e.before, e.after)
        if expected != e.hash:
            problems.append(
                f"{town}audit log entry {number} ({e.action} {e.ref}): its content was edited"
            )
        prev = e.hash
    return problems


@dataclass
class Trail:
    """Whose audit trail a check reads: the ledger's own (`entry` AuditEntry, for the rows of
    every town not in `others`), or a merged town's (`entry` MergedEntry, for that `town`'s
    rows, its snapshots' ids translated through `ids`)."""

    entry: Any
    town: int | None = None
    others: list[int] = field(default_factory=list)
    ids: dict[tuple[str, int], int] | None = None
    label: str = ""

    def entries(self) -> list[Any]:
        return [self.entry.town_id == self.town] if self.town is not None else []

    def rows(self, town_col: Any) -> list[Any]:
        if self.town is not None:
            return [town_col == self.town]
        return [town_col.not_in(self.others)] if self.others else []

    def snapshot(self, table: Any, after: Any) -> Any:
        """A snapshot of the town's ledger with its ids as this ledger has them."""
        if self.ids is None or not isinstance(after, dict):
            return after
        out = dict(after)
        for col in table.columns:
            value = out.get(col.key)
            if not isinstance(value, int) or isinstance(value, bool):
                continue
            if col.key == "id" and col.primary_key:
                name = table.name
            elif col.foreign_keys:
                name = next(iter(col.foreign_keys)).column.table.name
            else:
                continue
            out[col.key] = self.ids.get((name, value))
        record = out.get("record_id")
        if table.name in BY_KIND and isinstance(record, int) and out.get("kind") in RECORD_TABLES:
            # A card's or an extension's record, named by kind and id: like a foreign key.
            out["record_id"] = self.ids.get((RECORD_TABLES[out["kind"]], record))
        return out


def trails(lx: Ledger) -> list[Trail]:
    """The ledger's own trail, then each merged town's."""
    from sanling.models import MergedEntry, MergedRow, MergedTown, Town

    s = lx.session
    towns = dict(
        s.execute(
            select(MergedTown.town_id, Town.name)
            .join(Town, Town.id == MergedTown.town_id)
            .order_by(Town.name)
        ).all()
    )
    ids: dict[int, dict[tuple[str, int], int]] = {t: {} for t in towns}
    if towns:
        rows = select(
            MergedRow.town_id, MergedRow.table_name, MergedRow.source_id, MergedRow.target_id
        )
        for town, table, source, target in s.execute(rows):
            ids.setdefault(town, {})[(table, source)] = target
    own = Trail(AuditEntry, others=list(towns))
    return [own, *(Trail(MergedEntry, t, ids=ids[t], label=f"{n} ") for t, n in towns.items())]


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
    """Numbered records: each one's latest snapshot, matched by reference number (in its
    town's trail: a county holds the same number in two merged towns)."""
    from sanling.models import RECORD_MODELS

    found: list[str] = []
    for trail in trails(lx):
        for prefix, model in RECORD_MODELS.items():
            found += _record_trail(lx, prefix, model, trail)
    return found


def _record_trail(lx: Ledger, prefix: str, model: Any, trail: Trail) -> list[str]:
    s = lx.session
    found: list[str] = []
    entry = trail.entry
    keep = [entry.action.not_like(p) for p in _NOT_SNAPSHOTS]
    ref_col: Any = model.__table__.c.ref
    mine = trail.rows(model.__table__.c.town_id)
    latest = (
        select(entry.ref.label("ref"), func.max(entry.id).label("id"))
        .where(entry.ref.like(f"{prefix}-%"), entry.after.is_not(None), *keep, *trail.entries())
        .group_by(entry.ref)
        .subquery()
    )
    rows = s.execute(
        select(model, latest.c.id, entry.after)
        .where(*mine)
        .outerjoin(latest, latest.c.ref == ref_col)
        .outerjoin(entry, entry.id == latest.c.id)
        .order_by(model.__table__.c.id)
        .execution_options(yield_per=2000)
    )
    for obj, entry_id, after in rows:
        ref = f"{trail.label}{getattr(obj, 'ref', None)}"
        if entry_id is not None and not isinstance(after, dict):
            found.append(f"{ref}: its latest audit entry {entry_id} holds no record")
        else:
            after = None if entry_id is None else trail.snapshot(model.__table__, after)
            found.extend(_against_trail(ref, after, obj))
    missing = s.execute(
        select(latest.c.ref)
        .where(~select(ref_col).where(ref_col == latest.c.ref, *mine).exists())
        .order_by(latest.c.ref)
    )
    for (ref,) in missing:
        found.append(
            f"{trail.label}{ref}: in the audit log but missing from the ledger"
            " (deleted behind sanling's back)"
        )
    return found


def validate_named(lx: Ledger) -> list[str]:
    """Towns and subjects are named, not numbered (and a subject can be renamed): matched by id."""
    from sanling.models import Staff, Subject, Town

    named: tuple[tuple[Any, str], ...] = ((Town, "town"), (Subject, "subject"), (Staff, "staff"))
    return [
        p
        for trail in trails(lx)
        for model, noun in named
        for p in _named_trail(lx, model, noun, trail)
    ]


def _named_trail(lx: Ledger, model: Any, noun: str, trail: Trail) -> list[str]:
    s = lx.session
    found: list[str] = []
    entry = trail.entry
    logged: dict[int, dict[str, Any]] = {}
    for (after,) in s.execute(
        select(entry.after)
        .where(entry.action.like(f"{noun}.%"), *trail.entries())
        .order_by(entry.id)
    ):
        after = trail.snapshot(model.__table__, after)
        if isinstance(after, dict) and isinstance(after.get("id"), int):
            logged[after["id"]] = after
    town_col = model.id if noun == "town" else model.town_id
    for obj in s.scalars(select(model).where(*trail.rows(town_col)).order_by(model.id)):
        found.extend(_against_trail(f"{noun} {obj.name}", logged.pop(obj.id, None), obj))
    for after in logged.values():
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
