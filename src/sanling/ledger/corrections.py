"""Corrections (更正): edit a record's facts, void a record entered in error, take a void back,
and correct an entry of a record's own log, each with a reason and one audit entry.

An edit is validated as an add is: the record's facts as its `add` input (`as_input`), the
changes laid over them, the whole validated by the kind's input schema and built by the
kind's own `add` on a Draft ledger (which hands out the record's own reference and stores
nothing); the columns of add's input are then copied onto the record. So every rule of `add`
(a deadline before the found date, a subject outside the village, a sex that contradicts the
ID number ...) holds for an edit, written once. Columns later steps set (resolved, rectified,
closed ...) are kept, and must still follow the record's first date.

A voided record stays (nothing is deleted) and counts nowhere: models._leave_out_voided.
Every correction's audit entry holds the whole record before and after, the after with the
reason under `_reason`, so the ledger at an earlier moment can be rebuilt from the log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from sqlalchemy import inspect, select

from sanling import fields, schemas
from sanling.codes import RefPrefix
from sanling.errors import InvalidState, InvalidValue, UsageError
from sanling.fields import DATE, LIST, TIME, Field
from sanling.i18n import header, tr
from sanling.ledger import locks, supervision
from sanling.ledger.base import Ledger, T, snapshot
from sanling.ledger.recorded import CHANGED, local
from sanling.models import (
    AuditEntry,
    BacklogNote,
    Base,
    DisputeNote,
    Town,
    Visit,
)

# Actions of the audit log that correct a record (its `show` lists them).
ACTIONS = ("edit", "void", "unvoid", "edit-note")
REASON = "_reason"  # where an entry's `after` holds the reason


@dataclass(frozen=True)
class Kind:
    """A kind of record as corrections see it: its command noun (which names its fields in
    fields.FIELDS and its input schema), the column of an input field that is stored
    under another name (`date` of a backlog case is `assigned_on`), and the columns its add
    works out from the input (a patrol's minutes, a person's sex)."""

    noun: str
    columns: tuple[tuple[str, str], ...] = ()
    derived: tuple[str, ...] = ()

    @property
    def fields(self) -> str:
        return fields.KIND_OF[self.noun]

    @property
    def schema(self) -> str:
        return f"{self.noun.capitalize()}In"

    @property
    def model(self) -> Any:
        from sanling.models import RECORD_MODELS

        return RECORD_MODELS[RefPrefix[self.noun].value]

    def column(self, key: str) -> str:
        return dict(self.columns).get(key, key)

    def inputs(self) -> tuple[Field, ...]:
        return fields.inputs(self.fields)

    def copied(self) -> set[str]:
        """The columns an edit takes from the rebuilt record: those of add's input fields
        (a name becomes its id) and what add works out from them. Never the reference, the
        void stamp or what later steps recorded (resolved, rectified, reviewed ...)."""
        named = {"village", "subject", "town", *_LINKS}
        return {
            *(f"{f.key}_id" if f.key in named else self.column(f.key) for f in self.inputs()),
            "town_id",
            *self.derived,
        }


KINDS: dict[str, Kind] = {
    k.noun: k
    for k in (
        Kind("dispute"),
        Kind("petition", derived=("accept_due",)),  # from its date (issue 16)
        Kind("backlog", (("date", "assigned_on"),)),
        Kind("hazard"),
        Kind("patrol", derived=("minutes",)),
        Kind("hotspot", (("date", "found"),)),
        Kind("case"),
        Kind("accident"),
        Kind("person", derived=("sex",)),
        Kind("sweep"),
    )
}

# Input fields that name another record by its number: the column holding its id.
_LINKS = {"sweep": "sweep_id", "dispute": "dispute_id", "hotspot": "hotspot_id"}


class Draft(Ledger):
    """A ledger on which a kind's `add` rebuilds the record `ref` without storing anything:
    the reference number is the record's own, `created` keeps the built record."""

    def __init__(self, lx: Ledger, ref: str, linked: set[str]) -> None:
        super().__init__(lx.session, operator=lx.operator, today=lx.today)
        self.editing = ref
        self.linked = linked  # the records it names now: kept even if voided since
        self.built: Base | None = None

    def record(self, model: type[T], ref: str) -> T:
        if ref.strip().upper() in self.linked:
            with self.showing():
                return super().record(model, ref)
        return super().record(model, ref)

    def next_ref(self, prefix: RefPrefix, year: int) -> str:
        assert self.editing is not None
        return self.editing

    def created(self, obj: Base, action: str) -> None:
        self.built = obj


def reason_of(lx: Ledger, reason: str | None) -> str:
    """The reason a correction must give."""
    text = lx.text(reason, "reason", required=True, limit=1000)
    assert text is not None
    return text


# ---- the record as its add input ------------------------------------------------------
def as_input(lx: Ledger, kind: Kind, obj: Any) -> dict[str, Any]:
    """The record's facts as the values of its `add` input, so that add, given them, would
    build the record again."""
    s = lx.session
    values: dict[str, Any] = {}
    for f in kind.inputs():
        key = f.key
        if key == "town":
            values[key] = s.get(Town, obj.town_id).name  # type: ignore[union-attr]
        elif key == "village" and f.vtype == LIST:
            values[key] = [v.name for v in obj.villages]
        elif key in ("village", "subject"):
            target = getattr(obj, key)
            values[key] = target.name if target is not None else None
        elif key in _LINKS:
            values[key] = _ref_of(lx, key, getattr(obj, _LINKS[key]))
        else:
            value = getattr(obj, kind.column(key))
            if f.vtype == TIME and value is not None:
                value = value.strftime("%H:%M")
            elif f.vtype == fields.FLOAT and value is not None:
                value = float(value)
            values[key] = value
    return values


def _ref_of(lx: Ledger, key: str, ident: int | None) -> str | None:
    from sanling.models import RECORD_MODELS

    if ident is None:
        return None
    model: Any = RECORD_MODELS[RefPrefix[key].value]
    with lx.including_voided():
        ref: str | None = lx.session.scalar(select(model.ref).where(model.id == ident))
    return ref


# ---- edit ------------------------------------------------------------------------------
def state(obj: Any) -> dict[str, Any]:
    """A record's snapshot for the audit log, a patrol's villages included (not a column)."""
    data = snapshot(obj)
    if hasattr(obj, "villages"):
        data["_villages"] = sorted(v.id for v in obj.villages)
    return data


def edit(
    lx: Ledger,
    noun: str,
    ref: str,
    changes: dict[str, Any],
    reason: str | None,
    *,
    force: bool = False,
) -> Any:
    """Correct the facts of record `ref` (`changes`: add's input names to new values); a
    record of a locked period needs `force` (ledger.locks)."""
    kind = KINDS[noun]
    known = {f.key for f in kind.inputs()}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise UsageError(
            tr(
                "{noun} 没有可更正的字段 {f}",
                "{noun} has no field {f} to correct",
                noun=noun,
                f=", ".join(unknown),
            ),
            tr("可更正：{k}", "fields: {k}", k=", ".join(sorted(known))),
        )
    if not changes:
        raise UsageError(
            tr("没有要更正的内容", "nothing to correct"),
            tr(
                "给出要更正的字段，如 `{n} edit REF --village 新村 --reason ...`",
                "give the fields to correct, e.g. `{n} edit REF --village NAME --reason ...`",
                n=noun,
            ),
        )
    why = reason_of(lx, reason)
    obj = lx.record(kind.model, ref)
    given = dict(changes)
    current = as_input(lx, kind, obj)
    if noun == "person" and "id_number" in given and "sex" not in given:
        current.pop("sex", None)  # follows the new number, as add's does
    data = schemas.validate(getattr(schemas, kind.schema), {**current, **given})
    linked = {str(current[k]) for k in _LINKS if current.get(k)}
    draft = Draft(lx, obj.ref, linked)
    import_module(f"sanling.ledger.{noun}").add(draft, data)
    built = draft.built
    assert built is not None
    before = state(obj)
    deadline = getattr(obj, "deadline", None)
    raw = _columns(obj)  # unmasked: a key person's corrected phone is a change
    set_by_add = set(inspect(built).dict)
    for key in sorted(kind.copied() & set_by_add):
        setattr(obj, key, getattr(built, key))
    if hasattr(obj, "villages"):
        obj.villages = list(built.villages)  # type: ignore[attr-defined]
    lx.session.flush()
    lx.session.expire(obj)  # its village and subject are loaded again, as now named
    _still_in_order(lx, kind, obj)
    supervision.check_edit(lx, noun, obj, deadline)
    after = state(obj)
    if _columns(obj) == raw and after == before:
        raise UsageError(
            tr("更正前后相同：{ref} 未改变", "{ref} would not change", ref=obj.ref),
            tr("给出与现值不同的字段", "give fields whose values differ from the record's"),
        )
    marks = locks.guard(lx, obj, force=force, before=before)
    hidden = _masked_changes(obj, raw, before, after)
    lx.audit(f"{noun}.edit", obj.ref, before, {**after, **hidden, REASON: why, **marks})
    return obj


def _masked_changes(
    obj: Any, raw: dict[str, Any], before: dict[str, Any], after: dict[str, Any]
) -> dict[str, Any]:
    """The personal fields an edit changed whose masked values are the same (李四 and 李四光
    are both 李**), under CHANGED: the log and 更正记录 still say the field changed."""
    from sanling import privacy

    now = _columns(obj)
    personal = privacy.MASKERS.get(obj.__tablename__, {})
    same = sorted(
        k for k in personal if k in now and raw.get(k) != now[k] and before.get(k) == after.get(k)
    )
    return {CHANGED: same} if same else {}


def _columns(obj: Any) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns}


def _first_date(kind: Kind) -> str:
    """The column of the record's first date (found, assigned, listed, the day itself)."""
    for f in kind.inputs():
        if f.vtype == DATE:
            return kind.column(f.key)
    raise AssertionError(kind.noun)


# The entries of a record's own log: (their model, the column naming the record).
LOGS: dict[str, tuple[Any, str]] = {
    "dispute": (DisputeNote, "dispute_id"),
    "backlog": (BacklogNote, "case_id"),
    "person": (Visit, "person_id"),
}


def _still_in_order(lx: Ledger, kind: Kind, obj: Any) -> None:
    """What later steps recorded (a resolution, a rectification, a visit ...) must still come
    on or after the record's first date."""
    first_col = _first_date(kind)
    first: dt.date = getattr(obj, first_col)
    later = [
        (kind.column(f.key), getattr(obj, kind.column(f.key)))
        for f in fields.FIELDS[kind.fields]
        if f.extra and f.vtype == DATE
    ]
    if kind.noun in LOGS:
        model, fk = LOGS[kind.noun]
        earliest = lx.session.scalar(
            select(model.date).where(getattr(model, fk) == obj.id).order_by(model.date).limit(1)
        )
        later.append(("log", earliest))
    for key, day in later:
        if day is not None and day < first:
            raise InvalidValue(
                tr(
                    "{f} {since} 晚于该记录已有的{what} {day}",
                    "{f} {since} is after the record's {what} of {day}",
                    f=header(first_col),
                    since=first.isoformat(),
                    what=header(key) if key != "log" else tr("台账记录", "log entry"),
                    day=day.isoformat(),
                ),
                tr(
                    "日期须早于或等于后续步骤的日期",
                    "the first date must come on or before the later steps' dates",
                ),
            )


# ---- void and unvoid --------------------------------------------------------------------
def void(
    lx: Ledger,
    noun: str,
    ref: str,
    reason: str | None,
    *,
    at: dt.datetime | None = None,
    by: str | None = None,
    force: bool = False,
) -> Any:
    """Void a record entered in error: it stays, stamped, and counts nowhere. `at` and `by`:
    the stamp an imported file gives (when and by whom it was voided), else now and the
    operator."""
    kind = KINDS[noun]
    why = reason_of(lx, reason)
    obj = lx.record(kind.model, ref)  # an already voided one is refused here
    before = state(obj)
    obj.voided_at = at or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    obj.voided_by = lx.text(by, "voided_by", limit=100) or lx.operator
    obj.void_reason = why
    lx.session.flush()
    # An imported stamp (`at`) voids a record the file brings: no correction of the ledger's.
    marks = {} if at else locks.guard(lx, obj, force=force, before=before)
    lx.audit(f"{noun}.void", obj.ref, before, {**state(obj), REASON: why, **marks})
    return obj


def unvoid(lx: Ledger, noun: str, ref: str, reason: str | None, *, force: bool = False) -> Any:
    """Take a void back: the record counts again, as it stood."""
    kind = KINDS[noun]
    why = reason_of(lx, reason)
    with lx.including_voided():
        obj = lx.record(kind.model, ref)
    if obj.voided_at is None:
        raise InvalidState(
            tr("{ref} 未作废", "{ref} is not voided", ref=obj.ref),
            tr("只有作废的记录可以撤销作废", "only a voided record can be taken back"),
        )
    before = state(obj)
    obj.voided_at = obj.voided_by = obj.void_reason = None
    lx.session.flush()
    marks = locks.guard(lx, obj, force=force, before=before)
    lx.audit(f"{noun}.unvoid", obj.ref, before, {**state(obj), REASON: why, **marks})
    return obj


# ---- entries of a record's own log -------------------------------------------------------
def log_entry(lx: Ledger, noun: str, obj: Any, n: int) -> Any:
    """Entry `n` (from 1, in the order `show` lists them: by date, then as entered)."""
    model, fk = LOGS[noun]
    entries = list(
        lx.session.scalars(
            select(model).where(getattr(model, fk) == obj.id).order_by(model.date, model.id)
        )
    )
    if not 1 <= n <= len(entries):
        raise InvalidValue(
            tr(
                "{ref} 没有第 {n} 条记录（共 {k} 条）",
                "{ref} has no entry {n} (it has {k})",
                ref=obj.ref,
                n=n,
                k=len(entries),
            ),
            tr("用 show 查看各条的序号", "`show` lists the entries in order"),
        )
    return entries[n - 1]


def _entry_state(entry: Any) -> dict[str, Any]:
    data = snapshot(entry)
    for key in ("id", "dispute_id", "case_id", "person_id"):
        data.pop(key, None)
    return data


def edit_note(
    lx: Ledger,
    noun: str,
    ref: str,
    n: int,
    changes: dict[str, Any],
    reason: str | None,
    *,
    force: bool = False,
) -> Any:
    """Correct entry `n` of a record's log: its text (a visit's note, its visitor) or date."""
    kind = KINDS[noun]
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise UsageError(
            tr("没有要更正的内容", "nothing to correct"),
            tr("给出 --text 或 --date", "give --text or --date"),
        )
    why = reason_of(lx, reason)
    obj = lx.record(kind.model, ref)
    entry = log_entry(lx, noun, obj, n)
    before = {**state(obj), "entry": n, "note": _entry_state(entry)}
    for key, value in changes.items():
        if key == "date":
            day = lx.date(value, "--date")
            lx.not_before(
                day,
                getattr(obj, _first_date(kind)),
                "日期 {day} 早于该记录的起始日期 {since}",
                "date {day} is before the record began ({since})",
            )
            entry.date = day
        elif key == "by":
            entry.by = lx.text(value, "by", required=True, limit=100)
        else:
            required = key == "text"
            setattr(entry, key, lx.text(value, key, required=required))
    if noun == "person":
        days = [v.date for v in obj.visits]
        obj.last_visit = max(days) if days else None
    lx.session.flush()
    after = {**state(obj), "entry": n, "note": _entry_state(entry), REASON: why}
    if after["note"] == before["note"]:
        raise UsageError(
            tr("更正前后相同：第 {n} 条未改变", "entry {n} would not change", n=n),
        )
    after.update(locks.guard(lx, obj, force=force, before=before))
    lx.audit(f"{noun}.edit-note", obj.ref, before, after)
    return obj


# ---- reading corrections ------------------------------------------------------------------
def history(lx: Ledger, ref: str) -> list[dict[str, Any]]:
    """A record's corrections, oldest first: when, who, what, the fields changed, why."""
    from sanling.ledger.recorded import changed_fields
    from sanling.models import Subject

    actions = [f"{noun}.{a}" for noun in KINDS for a in ACTIONS]
    names: dict[int, str] = dict(lx.session.execute(select(Subject.id, Subject.name)).all())
    rows = []
    for e in lx.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.ref == ref, AuditEntry.action.in_(actions))
        .order_by(AuditEntry.id)
    ):
        before, after = e.before or {}, e.after or {}
        rows.append(
            {
                "at": local(e.at, lx.policy.timezone),
                "operator": e.operator,
                "correction": action_label(e.action.split(".", 1)[1]),
                "changes": changed_fields(before, after, names),
                "reason": after.get(REASON),
            }
        )
    return rows


def action_label(action: str) -> str:
    """A correction's name as `show` lists it."""
    names = {
        "edit": ("更正", "edit"),
        "void": ("作废", "void"),
        "unvoid": ("撤销作废", "unvoid"),
        "edit-note": ("更正台账记录", "edit entry"),
    }
    return tr(*names[action])


def stamps(lx: Ledger, model: Any, refs: list[str]) -> dict[str, dict[str, Any]]:
    """The void stamps of those of `refs` that are voided, as an export writes them (the
    time as stored, in UTC)."""
    found: dict[str, dict[str, Any]] = {}
    query = (
        select(model.ref, model.voided_at, model.voided_by, model.void_reason)
        .where(model.voided_at.is_not(None))
        .execution_options(include_voided=True)
    )
    for ref, at, by, why in lx.session.execute(query):
        found[ref] = {
            "voided": True,
            "void_reason": why,
            "voided_by": by,
            "voided_at": at.isoformat(sep=" "),
        }
    wanted = set(refs)
    return {ref: stamp for ref, stamp in found.items() if ref in wanted}


def stamp(lx: Ledger, obj: Any) -> dict[str, Any]:
    """A voided record's stamp (作废): when, by whom, why; empty for a record in force."""
    if getattr(obj, "voided_at", None) is None:
        return {}
    return {
        "voided": True,
        "voided_at": local(obj.voided_at, lx.policy.timezone),
        "voided_by": obj.voided_by,
        "void_reason": obj.void_reason,
    }
