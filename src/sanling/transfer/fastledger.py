"""A Ledger for bulk imports: the same operations, without a round trip to the database per row.

An import calls the very `add` (and `resolve`, `rectify` ...) functions the commands call, on
this subclass of Ledger. It changes how, not what:

- a new record is a Draft (its column values as plain attributes, not a mapped object), and
  drafts go into the database in batches through one compiled Core INSERT per table, the bulk
  path SQLAlchemy documents (examples/performance/bulk_inserts.py);
- lookups of towns, subjects and referenced records are cached for the whole file (a missing
  name is remembered too, and forgotten when a subject is added);
- reference numbers are counted in memory: the counter row is locked (and read) on first use
  and written once at the end, so PREFIX-YYYY-NNNN stays dense and unique;
- primary keys are handed out before the insert (SQLite: after max(id), which the write lock
  keeps still; PostgreSQL: drawn from the table's sequence in blocks), and column defaults
  applied, so a record's audit snapshot is exactly what the row will hold;
- audit entries are chained in memory (the chain is locked for the transaction, as every
  writer does).

What a ledger operation still gives the ORM (a note, a visit, a patrol's villages) is flushed
by the ORM as usual; a `before_flush` hook writes the pending drafts first, so the rows those
point to are there. The audit log holds one entry per change, as with the commands: `sanling
db check` verifies the chain after an import like after any other command.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import Any, ClassVar, cast

from sqlalchemy import JSON, event, func, inspect, select, text, update
from sqlalchemy.orm import Session

from sanling import privacy
from sanling.codes import PLACES, RefPrefix
from sanling.errors import SanlingError
from sanling.ledger.base import (
    GENESIS,
    Ledger,
    State,
    T,
    entry_hash,
    jsonable,
    logged_extra,
    snapshot,
)
from sanling.models import AuditEntry, Base, RefCounter, Subject, Town

ID_BLOCK = 1000
CACHE_KB = 16_000
_PLAIN = {str, int, float, bool}


class Draft:
    """A record an import will insert: the row's values as attributes (every column and
    relationship of the model reads None until set). Not a mapped object: the ORM never sees
    it; ImportLedger inserts its values with Core."""

    __table__: ClassVar[Any]
    __tablename__: ClassVar[str]
    model: ClassVar[type[Base]]

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)  # a plain object's own attributes


def _plain_type(type_: Any) -> bool:
    """Whether a column holds str, int, float or bool, which a snapshot keeps as they are."""
    try:
        return type_.python_type in _PLAIN and not hasattr(type_, "enums")
    except NotImplementedError:
        return False


class _TableInfo:
    """What a model's drafts need, worked out once: the draft class, defaults, the insert."""

    def __init__(self, model: type[Base], session: Session) -> None:
        mapper = inspect(model)
        table: Any = model.__table__
        self.table = table
        pk = list(table.primary_key.columns)
        self.id_table = table if len(pk) == 1 and pk[0].key == "id" else None
        self.columns = [str(c.key) for c in table.columns]
        self.defaults = [
            (str(c.key), c.default.arg)
            for c in table.columns
            if c.default is not None and c.default.is_scalar
        ]
        self.many_to_one = [
            (rel.key, [(str(lo.key), str(re.key)) for lo, re in rel.local_remote_pairs])
            for rel in mapper.relationships
            if rel.direction.name == "MANYTOONE"
        ]
        self.collections = [rel.key for rel in mapper.relationships if rel.secondary is not None]
        self.convert = [str(c.key) for c in table.columns if not _plain_type(c.type)]
        self.personal = table.name in privacy.MASKERS  # snapshot() masks what _snapshot won't
        names = dict.fromkeys([*self.columns, *(rel.key for rel in mapper.relationships)])
        attrs: dict[str, Any] = {"__table__": table, "__tablename__": table.name, "model": model}
        self.draft = type(f"{model.__name__}Draft", (Draft,), {**names, **attrs})
        self.values = operator.attrgetter(*self.columns)
        # SQLite: the compiled Core INSERT (positional) and the columns' own bind processors,
        # applied here so the stored text is what SQLAlchemy would store.
        dialect = session.get_bind().dialect
        self.sql = str(table.insert().compile(dialect=dialect))
        processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in table.columns]
        # (index, processor, what it makes of None, its answers so far): a processor is a
        # pure function, and dates, codes and the second of an audit entry repeat down a
        # file; a JSON column's values (dicts) are not kept
        self.steps: list[tuple[int, Callable[[Any], Any], Any, dict[Any, Any] | None]] = [
            (i, p, p(None), None if isinstance(c.type, JSON) else {})
            for i, (c, p) in enumerate(zip(table.columns, processors, strict=True))
            if p is not None
        ]


class ImportLedger(Ledger):
    extra: dict[str, Any] | None = None  # set by the importer for the record a row adds

    def __init__(self, lx: Ledger) -> None:
        super().__init__(lx.session, operator=lx.operator, today=lx.today)
        if "policy" in lx.__dict__:
            self.__dict__["policy"] = lx.__dict__["policy"]
        self.dialect = self.session.get_bind().dialect.name
        self._towns: dict[str | None, Town] = {}
        self._subjects: dict[
            tuple[Any, ...], Subject | tuple[type[SanlingError], str, str | None]
        ] = {}
        self._found: dict[tuple[Any, str], Any] = {}
        self._villages: dict[tuple[str, str | None], Subject] = {}
        self._names: dict[str, list[Subject]] | None = None  # every subject by name
        self._counters: dict[tuple[str, int], int] = {}
        self._next_ids: dict[str, list[int]] = {}
        self._sqlite_ids: dict[str, int] = {}
        self._created: dict[tuple[Any, str], Any] = {}
        self._prev_hash: str | None = None
        self._tables: dict[type[Base], _TableInfo] = {}
        # New rows by table, in the order they were added: drafts and the ORM's notes.
        self._drafts: dict[Any, list[Any]] = {}
        self._audit_rows: list[tuple[Any, ...]] = []
        self._listening = False

    # ---- life cycle ----------------------------------------------------------------------
    def start(self) -> None:
        """Lock the audit chain for the transaction and read its last hash."""
        if self._listening:
            return
        if self.dialect == "postgresql":
            # Serialise writers of the audit chain for the transaction, as audit() does.
            self.session.execute(text("SELECT pg_advisory_xact_lock(730100)"))
        else:
            # The indexes of a big ledger take rows at random pages: keep more of them
            # (SQLite's default cache is 2 MB; this connection is this command's alone).
            self.session.execute(text(f"PRAGMA cache_size=-{CACHE_KB}"))
        self.session.flush()
        prev = self.session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
        self._prev_hash = prev or GENESIS
        event.listen(self.session, "before_flush", self._before_flush)
        self._listening = True

    def flush(self) -> None:
        """Write what is pending now (the importer calls this every few thousand rows)."""
        self._write()
        self.session.flush()
        self._created.clear()

    def finish(self) -> None:
        """Flush what is pending and write the reference counters back."""
        self.flush()
        for (prefix, year), last in self._counters.items():
            self.session.execute(
                update(RefCounter)
                .where(RefCounter.prefix == prefix, RefCounter.year == year)
                .values(last=last)
            )
        self._counters.clear()
        self.stop()

    def stop(self) -> None:
        if self._listening:
            event.remove(self.session, "before_flush", self._before_flush)
            self._listening = False

    def _before_flush(self, session: Session, _ctx: Any, _instances: Any) -> None:
        """A ledger operation flushes to write a note or a visit: the row joins the batch
        instead (it may point to a record still waiting there), and the ORM's flush is left
        with nothing to do. A record with a collection stays for the ORM to write (its
        association rows), with an id from the same counter as the batch's rows."""
        for obj in list(session.new):
            if not isinstance(obj, Base):
                continue
            info = self._info(type(obj))
            self._complete(obj, info)
            if not info.collections:
                session.expunge(obj)
                self._drafts.setdefault(info.table, []).append(obj)

    def _write(self) -> None:
        """The pending drafts and audit entries: one executemany per table, parents first."""
        drafts, self._drafts = self._drafts, {}
        audit_rows, self._audit_rows = self._audit_rows, []
        for table in AuditEntry.metadata.sorted_tables:
            if table in drafts:
                info = self._info(_model(drafts[table][0]))
                self._insert(info, [info.values(d) for d in drafts[table]])
        if audit_rows:
            self._insert(self._info(AuditEntry), audit_rows)

    def _insert(self, info: _TableInfo, rows: list[tuple[Any, ...]]) -> None:
        """The compiled Core INSERT with plain tuples. On SQLite the values go through the
        columns' bind processors straight to the driver's executemany (SQLAlchemy's per-row
        parameter handling cost as much as the insert itself); PostgreSQL takes the Core
        insert with the rows as mappings (batched by psycopg)."""
        if self.dialect != "sqlite":
            self.session.execute(
                info.table.insert(), [dict(zip(info.columns, r, strict=True)) for r in rows]
            )
            return
        if info.steps:
            processed = []
            for row in rows:
                values = list(row)
                for i, process, none, memo in info.steps:
                    value = values[i]
                    if value is None:
                        values[i] = none
                    elif memo is None:
                        values[i] = process(value)
                    else:
                        values[i] = _memo(memo, process, value)
                processed.append(tuple(values))
            rows = processed
        self.session.connection().exec_driver_sql(info.sql, rows)

    # ---- ids and defaults ------------------------------------------------------------------
    def _next_id(self, table: Any) -> int:
        name = table.name
        if self.dialect == "postgresql":
            block = self._next_ids.get(name)
            if not block:
                rows = self.session.execute(
                    text(
                        "SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                        "FROM generate_series(1, :n)"
                    ),
                    {"t": name, "n": ID_BLOCK},
                ).scalars()
                block = sorted((int(r) for r in rows), reverse=True)
                self._next_ids[name] = block
            return block.pop()
        # SQLite: under BEGIN IMMEDIATE nobody else inserts; ids continue after the largest.
        nxt = self._sqlite_ids.get(name)
        if nxt is None:
            with self.session.no_autoflush:
                nxt = int(self.session.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        self._sqlite_ids[name] = nxt + 1
        return nxt

    def _info(self, model: type[Base]) -> _TableInfo:
        info = self._tables.get(model)
        if info is None:
            info = self._tables[model] = _TableInfo(model, self.session)
        return info

    def new(self, model: type[T], **values: Any) -> T:
        """A Draft of the record (the ORM's per-attribute events cost ten times as much). A
        record with a many-to-many collection (a patrol's villages) is built and written by
        the ORM as usual."""
        info = self._info(model)
        if self.extra is not None and "extra" in info.columns and "extra" not in values:
            # the imported row's kept columns and notes (importer), on the record it adds
            values = {**values, "extra": self.extra}
            self.extra = None
        if info.collections:
            return model(**values)
        return cast(T, info.draft(**values))

    def _complete(self, obj: Any, info: _TableInfo) -> None:
        """An id and the column defaults now, as the insert would give them."""
        if info.id_table is not None and obj.id is None:
            obj.id = self._next_id(info.id_table)
        for key, default in info.defaults:
            if getattr(obj, key) is None:
                setattr(obj, key, default)
        # A many-to-one given as its record: copy the key, as the ORM's flush would.
        for rel_key, pairs in info.many_to_one:
            target = getattr(obj, rel_key)
            if target is not None:
                for local, remote in pairs:
                    if getattr(obj, local) is None:
                        setattr(obj, local, getattr(target, remote))

    # ---- lookups ---------------------------------------------------------------------------
    def town(self, name: str | None = None) -> Town:
        key = name.strip() if name else None
        found = self._towns.get(key)
        if found is None:
            found = super().town(name)
            self._towns[key] = found
        return found

    def subject(self, name: str, **options: Any) -> Subject:
        # Ledger.subject's answer (or refusal) for a name and its options, asked once.
        key = (name.strip(), *sorted(options.items()))
        hit = self._subjects.get(key)
        if hit is None:
            try:
                hit = super().subject(name, **options)
            except SanlingError as exc:
                hit = (type(exc), exc.message, exc.hint)
            self._subjects[key] = hit
        if isinstance(hit, tuple):
            raise hit[0](hit[1], hit[2])
        return hit

    def village(self, name: str, *, town: str | None = None) -> Subject:
        # A row's village is looked up three times (its check, its key, its add): once here.
        key = (name, town)
        found = self._villages.get(key)
        if found is None:
            found = self._one_village(name, town) or super().village(name, town=town)
            self._villages[key] = found
        return found

    def _one_village(self, name: str, town: str | None) -> Subject | None:
        """The village when the name is plainly one active village or community (of the town
        if named), from every subject read in one query instead of a query per name; None
        otherwise, and Ledger.village says what is wrong."""
        if self._names is None:
            self._names = {}
            for subject in self.session.scalars(select(Subject)):
                self._names.setdefault(subject.name, []).append(subject)
        found = self._names.get(name.strip(), [])
        if town:
            town_id = self.town(town).id
            found = [s for s in found if s.town_id == town_id]
        if len(found) == 1 and found[0].kind in PLACES and found[0].active:
            return found[0]
        return None

    def record(self, model: type[Any], ref: str) -> Any:
        key = (model, ref.strip().upper())
        obj = self._created.get(key) or self._found.get(key)
        if obj is None:
            obj = super().record(model, ref)
            self._found[key] = obj
        return obj

    # ---- reference numbers -------------------------------------------------------------------
    def next_ref(self, prefix: RefPrefix, year: int) -> str:
        key = (prefix.value, year)
        if key not in self._counters:
            from sqlalchemy.dialects import postgresql, sqlite

            insert: Any = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
            # Takes the counter row's lock until commit (PostgreSQL), and reads its number.
            stmt = (
                insert(RefCounter)
                .values(prefix=prefix.value, year=year, last=0)
                .on_conflict_do_update(
                    index_elements=[RefCounter.prefix, RefCounter.year],
                    set_={"last": RefCounter.last},
                )
                .returning(RefCounter.last)
            )
            with self.session.no_autoflush:
                self._counters[key] = int(self.session.execute(stmt).scalar_one())
        self._counters[key] += 1
        return f"{prefix.value}-{year:04d}-{self._counters[key]:04d}"

    # ---- audit log -----------------------------------------------------------------------------
    def audit(self, action: str, ref: str | None, before: State, after: State) -> AuditEntry:
        """The entry is chained now and inserted with the next batch (callers do not use the
        returned value as a mapped object)."""
        if self._prev_hash is None:
            raise RuntimeError("ImportLedger.start() must come before the first change")
        self.not_merged(action, before, after)  # a merged town's records change at the town
        at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        digest = entry_hash(self._prev_hash, at, self.operator, action, ref, before, after)
        row = (
            self._next_id(AuditEntry.__table__),
            at,
            self.operator,
            action,
            ref,
            before,
            after,
            self._prev_hash,
            digest,
        )
        self._prev_hash = digest
        self._audit_rows.append(row)
        return cast(AuditEntry, row)

    def created(self, obj: Base, action: str) -> None:
        """Like Ledger.created, without a flush: the record waits for the next batch."""
        model = _model(obj)
        info = self._info(model)
        self._complete(obj, info)
        if isinstance(obj, Draft):
            self._drafts.setdefault(info.table, []).append(obj)
        else:
            self.session.add(obj)  # the ORM writes its association rows
        ref = getattr(obj, "ref", None)
        if ref:
            self._created[(model, str(ref))] = obj
        after = snapshot(obj) if info.personal else _snapshot(obj, info)
        self.audit(action, ref or getattr(obj, "name", None), None, after)
        if model is Subject:
            # Later rows may name it (a unit's village): write it now so lookups find it.
            self._subjects.clear()
            self._villages.clear()
            self._names = None
            self.flush()


def _memo(memo: dict[Any, Any], process: Callable[[Any], Any], value: Any) -> Any:
    """process(value), from `memo` if this value (of this type: True and 1 stay apart) came
    before."""
    key = (value.__class__, value)
    try:
        return memo[key]
    except KeyError:
        out = memo[key] = process(value)
        return out
    except TypeError:  # unhashable
        return process(value)


def _model(obj: Any) -> type[Base]:
    return cast(type[Base], obj.model if isinstance(obj, Draft) else type(obj))


def _snapshot(obj: Any, info: _TableInfo) -> dict[str, Any]:
    """ledger.base.snapshot for a record without personal fields."""
    out = dict(zip(info.columns, info.values(obj), strict=True))
    for key in info.convert:
        value = out[key]
        if value is not None and value.__class__ not in _PLAIN:
            out[key] = jsonable(value)
    if out.get("extra"):
        out["extra"] = logged_extra(out["extra"], person=False)
    return out
