"""The ledger as it was recorded at a moment, rebuilt from the audit log (--as-recorded), and
the changes made since a moment (--changes-since).

Every change to the ledger is an audit entry holding the record before and after it, so the
ledger of a past moment is today's with every later entry undone, newest first: an add is
deleted (with its own log: notes, visits, a patrol's villages, a grade history), any other
change (a step, an edit, a void) puts the `before` columns back (a patrol's villages too, kept
under `_villages`), a step that wrote a note, a visit or a grade has that row taken out again,
a corrected log entry (`edit-note`) gets its earlier values, a setting its earlier value.
`rewind` does this inside the caller's transaction, which must be rolled back
(commands.common.reading(lock=True)): nothing is ever changed for good. Personal fields and
secret settings are masked in the log and left as they are (the reports never show them).
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from sqlalchemy import Date, DateTime, Numeric, Time, delete, insert, select, update
from sqlalchemy.sql.schema import Column, Table

from sanling import config, privacy
from sanling.codes import RefPrefix
from sanling.errors import InvalidValue
from sanling.i18n import tr
from sanling.ledger.base import Ledger
from sanling.models import (
    RECORD_MODELS,
    AppraisalItem,
    AppraisalScore,
    AppraisalSheet,
    AuditEntry,
    BacklogCase,
    BacklogNote,
    Base,
    BulletinSent,
    Dispute,
    DisputeFollowup,
    DisputeNote,
    Extension,
    GradeChange,
    Inspection,
    Patrol,
    PatrolVillage,
    Person,
    ReminderSent,
    Setting,
    Staff,
    Subject,
    SupervisionEvent,
    Title,
    Town,
    Visit,
)

# The table an action's noun names (`dispute.resolve` -> disputes).
MODELS: dict[str, type[Base]] = {
    **{p.name: RECORD_MODELS[p.value] for p in RefPrefix},
    "subject": Subject,
    "town": Town,
    "title": Title,
    "staff": Staff,
    "appraisal_sheet": AppraisalSheet,
    "appraisal_score": AppraisalScore,
}

# The rows of a record's own log, deleted with the record when its add is undone.
CHILDREN: dict[type[Base], tuple[Any, ...]] = {
    Dispute: (DisputeNote.dispute_id, DisputeFollowup.dispute_id),
    BacklogCase: (BacklogNote.case_id,),
    Person: (Visit.person_id,),
    Patrol: (PatrolVillage.patrol_id,),
    AppraisalSheet: (AppraisalItem.sheet_id,),
    Subject: (GradeChange.subject_id, Inspection.subject_id),
}

# Deliveries (a reminder's items, a village's bulletin), taken out by the time they were sent.
SENT: tuple[Any, ...] = (ReminderSent, BulletinSent)

# Tables no audited change of the ledger's records writes, or rewound otherwise: settings
# (_undo_setting), the log itself, the reference counters (numbers handed out stay taken),
# import maps (how to read a file, not the ledger), inspections (written by no command), and
# the copies of merged towns (a merge is not undone: the town's rows stay as merged).
NOT_REWOUND = frozenset(
    {
        "settings",
        "audit_log",
        "ref_counters",
        "import_maps",
        "inspections",
        "merged_towns",
        "merged_audit_log",
        "merged_rows",
    }
)

# The nouns of audited actions that name no record (`config.set`, `remind.sent` ...): a
# setting, a delivery (SENT), an import map, a merge.
NOT_RECORDS = frozenset({"config", "bulletin", "remind", "import", "merge"})


# ---- the moment ---------------------------------------------------------------------------
def parse_moment(text: str, timezone: str, *, option: str = "--as-recorded") -> dt.datetime:
    """An ISO 8601 moment in the town's time zone (an explicit offset such as +00:00 or Z
    wins; a date alone is the end of that day), as UTC without a zone, as the log stores it."""
    from zoneinfo import ZoneInfo

    raw = text.strip()
    zone = ZoneInfo(timezone)
    try:
        if len(raw) == 10:
            day = dt.date.fromisoformat(raw)
            moment = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zone)
        else:
            moment = dt.datetime.fromisoformat(raw.replace(" ", "T", 1))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zone)
    except ValueError:
        raise InvalidValue(
            tr(
                "{option}“{text}”不是 ISO 8601 时间",
                "{option}: '{text}' is not an ISO 8601 moment",
                option=option,
                text=raw[:40],
            ),
            tr(
                "写成 2026-11-05、2026-11-05T17:30 或 2026-11-05T09:30+00:00",
                "write 2026-11-05, 2026-11-05T17:30 or 2026-11-05T09:30+00:00",
            ),
        )
    utc = moment.astimezone(dt.UTC).replace(tzinfo=None)
    if utc > dt.datetime.now(dt.UTC).replace(tzinfo=None):
        raise InvalidValue(
            tr(
                "{option} {text} 尚未到来",
                "{option} {text} is in the future",
                option=option,
                text=raw,
            ),
            tr("台账只能回看过去的时刻", "the ledger can only be seen as it was"),
        )
    return utc


def local(moment: dt.datetime, timezone: str) -> dt.datetime:
    """A logged (UTC) moment in the town's time zone, without the zone, to the second."""
    from zoneinfo import ZoneInfo

    return moment.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


# ---- rewinding ----------------------------------------------------------------------------
def rewind(lx: Ledger, moment: dt.datetime) -> int:
    """Undo every audit entry after `moment` (UTC), newest first, and drop those entries, in
    the caller's transaction (which must roll back). The Ledger's policy is read again and its
    today is the moment's day (never later than today). Returns how many entries were undone."""
    timezone = lx.policy.timezone
    s = lx.session
    s.flush()
    later = list(
        s.execute(
            select(AuditEntry.id, AuditEntry.action, AuditEntry.before, AuditEntry.after)
            .where(AuditEntry.at > moment)
            .order_by(AuditEntry.id.desc())
        )
    )
    added: dict[Table, list[int]] = {}
    for _id, action, before, after in later:
        _undo(lx, action, before, after, added)
    _delete_added(lx, added)
    for sent in SENT:
        s.execute(delete(sent).where(sent.sent_at > moment))
    s.execute(delete(AuditEntry).where(AuditEntry.at > moment))
    s.expire_all()
    lx.__dict__.pop("policy", None)
    lx._today = min(lx.today, local(moment, timezone).date())
    return len(later)


def _delete_added(lx: Ledger, added: dict[Table, list[int]]) -> None:
    """Delete the records added after the moment, with their own logs: in bulk, the tables that
    name others first (nothing older than a record names it)."""
    s = lx.session
    tables = {t.name: t for t in added}
    for table in reversed(Base.metadata.sorted_tables):
        if table.name not in tables:
            continue
        ids = added[tables[table.name]]
        model = next(m for m in MODELS.values() if m.__table__ is table)
        for start in range(0, len(ids), 500):  # within every database's limit of parameters
            chunk = ids[start : start + 500]
            for fk in CHILDREN.get(model, ()):
                s.execute(delete(fk.table).where(fk.in_(chunk)))
            s.execute(delete(table).where(table.c.id.in_(chunk)))


def _undo(lx: Ledger, action: str, before: Any, after: Any, added: dict[Table, list[int]]) -> None:
    noun, _, verb = action.partition(".")
    if noun == "config":
        _undo_setting(lx, before)
        return
    model = MODELS.get(noun)
    if model is None or not isinstance(after, dict) or not isinstance(after.get("id"), int):
        return  # not a change of a record (an unmasked read)
    table: Table = model.__table__  # type: ignore[assignment]
    rid = after["id"]
    s = lx.session
    if before is None:
        added.setdefault(table, []).append(rid)  # deleted at the end, in bulk
        return
    if not isinstance(before, dict):
        return
    _undo_log_entry(lx, model, rid, verb, before, after)
    _undo_beside(lx, after)
    values = _columns(table, before)
    if values:
        s.execute(update(table).where(table.c.id == rid).values(values))
    if isinstance(before.get("_villages"), list):
        # A patrol's villages (not a column): as the entry before the change held them.
        links: Table = PatrolVillage.__table__  # type: ignore[assignment]
        s.execute(delete(links).where(links.c.patrol_id == rid))
        for village_id in before["_villages"]:
            s.execute(insert(links).values(patrol_id=rid, village_id=village_id))


# Rows a step writes beside its record (a supervision card, an extension), by the key of the
# step's audit entry that holds the row (with its id).
BESIDE: dict[str, Any] = {"supervision": SupervisionEvent, "extension": Extension}


def _undo_beside(lx: Ledger, after: dict[str, Any]) -> None:
    """Take out the card or extension a step (supervise, lift, extend) added."""
    for key, model in BESIDE.items():
        row = after.get(key)
        if isinstance(row, dict) and isinstance(row.get("id"), int):
            table: Table = model.__table__
            lx.session.execute(delete(table).where(table.c.id == row["id"]))


# A record's own log: the column of each log's rows naming the record.
LOGS: dict[type[Base], Any] = {
    Dispute: DisputeNote.dispute_id,
    BacklogCase: BacklogNote.case_id,
    Person: Visit.person_id,
}


def _undo_log_entry(
    lx: Ledger, model: type[Base], rid: int, verb: str, before: dict[str, Any], after: Any
) -> None:
    """Take out the note, visit or grade a step added to the record's own log, or put back an
    entry of the log as it was before it was corrected (edit-note)."""
    s = lx.session
    if model is Dispute and isinstance(after.get("followup"), dict):
        # A follow-up visit (回访) on a mediation agreement: its own table.
        visits: Table = DisputeFollowup.__table__  # type: ignore[assignment]
        found = _newest(lx, visits, visits.c.dispute_id == rid, after["followup"])
        if found is not None:
            s.execute(delete(visits).where(visits.c.id == found))
        return
    owner = LOGS.get(model)
    if owner is not None:
        log: Table = owner.table
        entry = after.get("note")
        if verb == "edit-note":
            if isinstance(entry, dict) and isinstance(before.get("note"), dict):
                found = _newest(lx, log, owner == rid, entry)
                if found is not None:
                    values = _columns(log, before["note"])
                    s.execute(update(log).where(log.c.id == found).values(values))
            return
        added = after.get("visit") if model is Person else entry
        if isinstance(added, dict):
            found = _newest(lx, log, owner == rid, added)
            if found is not None:
                s.execute(delete(log).where(log.c.id == found))
    elif model is Subject and verb == "grade" and after.get("grade"):
        grades: Table = GradeChange.__table__  # type: ignore[assignment]
        found = _newest(lx, grades, grades.c.subject_id == rid, {"grade": after["grade"]})
        if found is not None:
            s.execute(delete(grades).where(grades.c.id == found))


def _newest(lx: Ledger, table: Table, whose: Any, state: dict[str, Any]) -> int | None:
    """The id of the newest row of `table` (`whose`) holding the logged `state`."""
    same = [
        col.is_(None) if value is None else col == value
        for col in table.columns
        if col.key in state
        for value in (_value(col, state[col.key]),)
    ]
    found: int | None = lx.session.scalar(
        select(table.c.id).where(whose, *same).order_by(table.c.id.desc()).limit(1)
    )
    return found


def _columns(table: Table, state: dict[str, Any]) -> dict[str, Any]:
    """The columns of a logged state, back in Python types; the key, masked personal fields
    and what the state does not hold (columns of a later schema) left alone."""
    personal = set(privacy.MASKERS.get(table.name, {}))
    if table.name == "staff":
        personal.add("phone")  # masked in the log as a key person's (base.snapshot)
    return {
        col.key: _value(col, state[col.key])
        for col in table.columns
        if col.key in state and not col.primary_key and col.key not in personal
    }


def _value(col: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    kind = col.type
    if isinstance(kind, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value)
    if isinstance(kind, Time):
        return dt.time.fromisoformat(value)
    if isinstance(kind, Numeric):
        return decimal.Decimal(str(value))
    return value


def _undo_setting(lx: Ledger, before: Any) -> None:
    """Put a setting back as it was shown in the log (secrets are masked there: left alone)."""
    from pydantic import TypeAdapter, ValidationError

    if not isinstance(before, dict):
        return
    for key, shown in before.items():
        field = config.Policy.model_fields.get(key)
        if field is None or field.annotation is None or key in config.SECRET_KEYS:
            continue
        try:
            value = TypeAdapter(field.annotation).validate_python(shown)
        except ValidationError:
            continue
        stored = lx.session.get(Setting, key)
        if value == getattr(config.Policy(), key):
            # The default: no row and a row holding it mean the same.
            if stored is not None:
                lx.session.delete(stored)
        elif stored is None:
            lx.session.add(Setting(key=key, value=config.encode(value)))
        else:
            stored.value = config.encode(value)
    lx.session.flush()


# ---- what changed since a moment ----------------------------------------------------------
# The day that places each kind of record in a period (what a report counts it under).
DAY_COLUMN: dict[str, str] = {
    "dispute": "found",
    "petition": "date",
    "backlog": "assigned_on",
    "hazard": "found",
    "patrol": "date",
    "sweep": "date",
    "hotspot": "found",
    "case": "date",
    "accident": "date",
    "person": "listed",
}


def record_day(noun: str, state: Any) -> dt.date | None:
    """The day of a logged record (its DAY_COLUMN), if it has one."""
    column = DAY_COLUMN.get(noun)
    if column is None or not isinstance(state, dict) or not state.get(column):
        return None
    try:
        return dt.date.fromisoformat(str(state[column]))
    except ValueError:
        return None


# What kind of change an action is, by its verb (`dispute.edit` -> edited); any other verb
# is a step in the record's life (resolve, rectify, visit...), and `config.set` a setting.
KINDS = {
    "add": ("新增", "added"),
    "edit": ("更正", "edited"),
    "void": ("作废", "voided"),
    "unvoid": ("撤销作废", "unvoided"),
    "edit-note": ("更正台账记录", "entry edited"),
}


def kind_of(action: str) -> str:
    noun, _, verb = action.partition(".")
    if verb in KINDS:
        return tr(*KINDS[verb])
    return tr("设置", "setting") if noun == "config" else tr("办理", "step")


def changes(
    lx: Ledger, since: dt.datetime, *, up_to: dt.date | None = None, town_id: int | None = None
) -> list[dict[str, Any]]:
    """Every change logged after `since` (UTC), oldest first: when, who, what, which record,
    the fields changed (before -> after) and the reason given. With `up_to`, only records
    dated on or before it (before or after the change): those that can move a report of a
    period ending then; changes of subjects, towns and settings are always listed. With
    `town_id`, only that town's records, subjects and town (settings are every town's)."""
    timezone = lx.policy.timezone
    names: dict[int, str] = dict(lx.session.execute(select(Subject.id, Subject.name)).all())
    rows = []
    query = (
        select(AuditEntry)
        .where(AuditEntry.at > since, AuditEntry.action.not_like("%.reveal"))
        .order_by(AuditEntry.id)
    )
    for e in lx.session.scalars(query):
        noun = e.action.partition(".")[0]
        days = [d for d in (record_day(noun, e.before), record_day(noun, e.after)) if d]
        if up_to is not None and days and min(days) > up_to:
            continue
        key = "id" if noun == "town" else "town_id"
        towns = {x.get(key) for x in (e.before, e.after) if isinstance(x, dict)} - {None}
        if town_id is not None and towns and town_id not in towns:
            continue  # another town's record (settings are every town's)
        # Masked as `log` shows them (an older version logged a petitioner in clear).
        before = privacy.masked_logged(e.action, e.before)
        after = privacy.masked_logged(e.action, e.after) if isinstance(e.after, dict) else {}
        forced = after.get("_forced")  # locks.FORCED: past a lock, with --force
        rows.append(
            {
                "at": local(e.at, timezone).isoformat(sep=" "),
                "operator": e.operator,
                "change": kind_of(e.action) + (tr("（强制）", " (forced)") if forced else ""),
                "action": e.action,
                "ref": e.ref,
                "day": days[-1] if days else None,
                "fields": changed_fields(before, after, names),
                "reason": after.get("_reason") or after.get("void_reason") or "",
            }
        )
    return rows


# Shown in the reason column (a void's stamp), or as the names they hold (ids of subjects).
VOID_KEYS = {"voided_at", "voided_by", "void_reason"}
# An edit's list of the personal fields it changed though masked alike (corrections.CHANGED).
CHANGED = "_changed"
NAMED_KEYS = {"village_id": "village", "subject_id": "subject", "_villages": "villages"}


def changed_fields(before: Any, after: dict[str, Any], names: dict[int, str]) -> str:
    """`field: old -> new` for each field a change moved (nothing for an add), fields by their
    heading in the ledger's language; villages and subjects by name, an entry of the
    record's log by the fields of it that moved."""
    from sanling.i18n import header
    from sanling.render import cell

    if not isinstance(before, dict):
        return ""
    none = tr("空", "none")
    listed = after.get(CHANGED)
    hidden: list[Any] = listed if isinstance(listed, list) else []

    def shown(key: str, value: Any) -> str:
        if value is None or value == "":
            return none
        if key in NAMED_KEYS:
            ids = value if isinstance(value, list) else [value]
            return "、".join(names.get(i, str(i)) for i in ids)
        return cell(value)  # 是/否 for a yes/no, as everywhere else

    parts = []
    for key, new in after.items():
        old = before.get(key)
        if key in hidden and key in before and old == new:
            masked = tr("（已更正，脱敏后相同）", " (changed; masked alike)")
            parts.append(f"{header(key)}: {shown(key, old)} → {shown(key, new)}{masked}")
            continue
        if key not in before or old == new or key in VOID_KEYS:
            continue
        if key.startswith("_") and key not in NAMED_KEYS:
            continue
        if isinstance(old, dict) and isinstance(new, dict):  # an entry of the record's log
            moved = [k for k in new if old.get(k) != new[k]]
            parts += [
                f"{header(key)}.{header(k)}: {shown(k, old.get(k))} → {shown(k, new[k])}"
                for k in moved
            ]
        else:
            heading = header(NAMED_KEYS.get(key, key))
            parts.append(f"{heading}: {shown(key, old)} → {shown(key, new)}")
    return tr("；", "; ").join(parts)
