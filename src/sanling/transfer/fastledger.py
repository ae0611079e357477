"""A Ledger for bulk imports: the same operations, without a round trip to the database per row.

An import calls the very `add` (and `resolve`, `rectify` ...) functions the commands call, on
this subclass of Ledger. It changes how, not what:

- lookups of towns, subjects and referenced records are cached for the whole file (a missing
  name is remembered too, and forgotten when a subject is added);
- reference numbers are counted in memory: the counter row is locked (and read) on first use
  and written once at the end, so PREFIX-YYYY-NNNN stays dense and unique;
- primary keys are handed out before the flush (SQLite: after max(id), which the write lock
  keeps still; PostgreSQL: drawn from the table's sequence in blocks), and column defaults
  applied, so a record's audit snapshot is exactly what a flush would have stored;
- audit entries are chained in memory (the chain is locked for the transaction, as every
  writer does) and flushed with the records in batches.

The audit log holds one entry per change, as with the commands: `sanling db check` verifies
the chain after an import like after any other command.
"""

from __future__ import annotations

import datetime as dt
import operator
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import event, func, inspect, select, text, update
from sqlalchemy.orm import Session

from sanling.codes import RefPrefix, SubjectKind
from sanling.errors import SanlingError
from sanling.ledger.base import (
    GENESIS,
    PERSONAL_FIELDS,
    Ledger,
    T,
    entry_hash,
    jsonable,
    snapshot,
)
from sanling.models import AuditEntry, Base, RefCounter, Subject, Town

ID_BLOCK = 1000


class _ClassInfo:
    """What _prepare and the batched insert need to know about a mapped class, once."""

    def __init__(self, cls: type[Base]) -> None:
        mapper = inspect(cls)
        table: Any = cls.__table__
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
        # Columns whose values may need jsonable() in a snapshot (dates, codes, decimals).
        self.convert = [str(c.key) for c in table.columns if not _plain_type(c.type)]
        self.personal = bool(PERSONAL_FIELDS & set(self.columns)) and table.name == "persons"


_PLAIN = {str, int, float, bool}


def _plain_type(type_: Any) -> bool:
    """Whether a column holds str, int, float or bool, which a snapshot keeps as they are."""
    try:
        return type_.python_type in _PLAIN and not hasattr(type_, "enums")
    except NotImplementedError:
        return False


class ImportLedger(Ledger):
    def __init__(self, lx: Ledger) -> None:
        super().__init__(lx.session, operator=lx.operator, today=lx.today)
        if "policy" in lx.__dict__:
            self.__dict__["policy"] = lx.__dict__["policy"]
        self.dialect = self.session.get_bind().dialect.name
        self._towns: dict[str | None, Town] = {}
        self._subjects: dict[
            tuple[Any, ...], Subject | tuple[type[SanlingError], str, str | None]
        ] = {}
        self._found: dict[tuple[type[Base], str], Base] = {}
        self._villages: dict[tuple[str, str | None], Subject] = {}
        self._counters: dict[tuple[str, int], int] = {}
        self._next_ids: dict[str, list[int]] = {}
        self._sqlite_ids: dict[str, int] = {}
        self._created: dict[tuple[type[Base], str], Base] = {}
        self._prev_hash: str | None = None
        self._real_flush: Any = None
        self._audit_rows: list[dict[str, Any]] = []
        self._pending: list[Base] = []
        self._classes: dict[type[Base], _ClassInfo] = {}
        self._plans: dict[str, tuple[str, Any, list[tuple[int, Any]]]] = {}

    # ---- life cycle ----------------------------------------------------------------------
    def start(self) -> None:
        """Batch the writes: ids at flush for every new row, and flushes only when asked.

        Ledger operations flush to get ids and defaults before they snapshot a record; here
        both are given beforehand, so their flushes (and autoflushes) wait for the next batch.
        Lookups of rows added by the same file are not needed: the importer skips a second
        row with the same natural key before the ledger sees it.
        """
        if self._real_flush is None:
            if self.dialect == "postgresql":
                # Serialise writers of the audit chain for the transaction, as audit() does.
                self.session.execute(text("SELECT pg_advisory_xact_lock(730100)"))
            self.session.flush()
            prev = self.session.scalar(
                select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
            )
            self._prev_hash = prev or GENESIS
            event.listen(self.session, "before_flush", self._before_flush)
            self._real_flush = self.session.flush
            self.session.flush = self._deferred_flush  # type: ignore[method-assign]

    def flush(self) -> None:
        """Write what is pending now (the importer calls this every few thousand rows).

        New records go in with one multi-row INSERT per table (their ids, defaults and keys
        are set already, and nothing reads them back as mapped objects); a record with a
        many-to-many collection (a patrol's villages) and any change to a loaded record go
        through the ORM's own flush.
        """
        if self._real_flush is None:
            self.session.flush()
            return
        session = self.session
        rows: dict[Any, list[dict[str, Any]]] = {}
        taken: set[int] = set()
        for obj in list(session.new):
            if not isinstance(obj, Base):
                continue
            taken.add(id(obj))
            info = self._info(type(obj))
            self._prepare(obj)
            if any(obj.__dict__.get(key) for key in info.collections):
                continue  # the ORM writes the association rows
            rows.setdefault(obj.__table__, []).append(_columns(obj, info))
            session.expunge(obj)
        for obj in self._pending:  # records never added to the session (the common case)
            if id(obj) not in taken:
                info = self._info(type(obj))
                rows.setdefault(obj.__table__, []).append(_columns(obj, info))
        self._pending = []
        if self._audit_rows:
            rows.setdefault(AuditEntry.__table__, []).extend(self._audit_rows)
            self._audit_rows = []
        for table in Base.metadata.sorted_tables:  # parents before children
            if table in rows:
                self._insert(table, rows[table])
        self._real_flush()
        self._created.clear()

    def _insert(self, table: Any, rows: list[dict[str, Any]]) -> None:
        """One multi-row INSERT. On SQLite the values go through the columns' own bind
        processors (what SQLAlchemy applies, so the stored text is the same) straight to the
        driver's executemany: SQLAlchemy's per-row parameter handling cost as much as the
        insert itself. PostgreSQL takes the Core insert (batched by psycopg)."""
        if self.dialect != "sqlite":
            self.session.execute(table.insert(), rows)
            return
        plan = self._plans.get(table.name)
        if plan is None:
            dialect = self.session.get_bind().dialect
            quote = dialect.identifier_preparer.quote
            columns = list(table.columns)
            sql = "INSERT INTO {} ({}) VALUES ({})".format(
                quote(table.name),
                ", ".join(quote(c.name) for c in columns),
                ", ".join("?" for _ in columns),
            )
            processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
            plan = self._plans[table.name] = (
                sql,
                operator.itemgetter(*(str(c.key) for c in columns)),
                [(i, p) for i, p in enumerate(processors) if p is not None],
            )
        sql, values_of, steps = plan
        data = []
        for row in rows:
            values = list(values_of(row))
            for i, process in steps:
                values[i] = process(values[i])
            data.append(tuple(values))
        self.session.connection().exec_driver_sql(sql, data)

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
        if self._real_flush is not None:
            event.remove(self.session, "before_flush", self._before_flush)
            del self.session.flush  # back to Session.flush
            self._real_flush = None

    def _deferred_flush(self, objects: Any = None) -> None:
        return None

    def _before_flush(self, session: Session, _ctx: Any, _instances: Any) -> None:
        for obj in session.new:
            if isinstance(obj, Base):
                self._prepare(obj)

    # ---- ids and defaults ------------------------------------------------------------------
    def _next_id(self, table: Any) -> int:
        name = table.name
        if self.dialect == "postgresql":
            block = self._next_ids.get(name)
            if not block:
                rows = (
                    self.session.execute(
                        text(
                            "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"
                        ),
                        {"t": name, "n": ID_BLOCK},
                    )
                    .scalars()
                    .all()
                )
                block = sorted((int(r) for r in rows), reverse=True)
                self._next_ids[name] = block
            return block.pop()
        # SQLite: under BEGIN IMMEDIATE nobody else inserts; ids continue after the largest.
        nxt = self._sqlite_ids.get(name)
        if nxt is None:
            nxt = int(self.session.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        self._sqlite_ids[name] = nxt + 1
        return nxt

    def _info(self, cls: type[Base]) -> _ClassInfo:
        info = self._classes.get(cls)
        if info is None:
            info = self._classes[cls] = _ClassInfo(cls)
        return info

    def new(self, model: type[T], **values: Any) -> T:
        """The record without the ORM's per-attribute events (a tenth of the cost): its values
        go straight into its dict, which is all that flush() and the snapshot read. A record
        with a many-to-many collection is written by the ORM, so it is built the usual way."""
        if self._info(model).collections:
            return model(**values)
        obj = model.__mapper__.class_manager.new_instance()
        obj.__dict__.update(values)
        return cast(T, obj)

    def _prepare(self, obj: Base) -> None:
        """An id and the column defaults now, as the flush would give them. They go into the
        record's dict: the insert reads the dict, and no flush of the ORM's follows for it."""
        info = self._info(type(obj))
        values = obj.__dict__
        if info.id_table is not None and values.get("id") is None:
            values["id"] = self._next_id(info.id_table)
        for key, default in info.defaults:
            if values.get(key) is None:
                values[key] = default
        # A many-to-one set through its relationship: copy the key, as the flush would.
        for rel_key, pairs in info.many_to_one:
            target = values.get(rel_key)
            if target is None:
                continue
            for local, remote in pairs:
                if values.get(local) is None:
                    values[local] = getattr(target, remote)

    # ---- lookups ---------------------------------------------------------------------------
    def town(self, name: str | None = None) -> Town:
        key = name.strip() if name else None
        found = self._towns.get(key)
        if found is None:
            found = super().town(name)
            self._towns[key] = found
        return found

    def subject(
        self,
        name: str,
        *,
        town: str | None = None,
        kinds: tuple[SubjectKind, ...] | None = None,
        field: str = "subject",
        include_retired: bool = False,
    ) -> Subject:
        key = (name.strip(), town, kinds, field, include_retired)
        hit = self._subjects.get(key)
        if hit is None:
            try:
                hit = super().subject(
                    name, town=town, kinds=kinds, field=field, include_retired=include_retired
                )
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
            found = self._villages[key] = super().village(name, town=town)
        return found

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
    def audit(
        self,
        action: str,
        ref: str | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> AuditEntry:
        """The entry is chained now and inserted with the next batch (callers do not use the
        returned value as a mapped object: it is a plain record of the entry)."""
        if self._prev_hash is None:
            raise RuntimeError("ImportLedger.start() must come before the first change")
        at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        digest = entry_hash(self._prev_hash, at, self.operator, action, ref, before, after)
        row = {
            "id": self._next_id(AuditEntry.__table__),
            "at": at,
            "operator": self.operator,
            "action": action,
            "ref": ref,
            "before": before,
            "after": after,
            "prev_hash": self._prev_hash,
            "hash": digest,
        }
        self._prev_hash = digest
        self._audit_rows.append(row)
        return cast(AuditEntry, SimpleNamespace(**row))

    def created(self, obj: Base, action: str) -> None:
        """Like Ledger.created, without a flush: the record waits for the next batch."""
        info = self._info(type(obj))
        self._prepare(obj)
        if info.collections:
            self.session.add(obj)  # the ORM writes its association rows
        else:
            self._pending.append(obj)
        ref = getattr(obj, "ref", None)
        if ref:
            self._created[(type(obj), str(ref))] = obj
        after = snapshot(obj) if info.personal else self._snapshot(obj, info)
        self.audit(action, ref or getattr(obj, "name", None), None, after)
        if isinstance(obj, Subject):
            # Later rows may name it (a unit's village): write it now so lookups find it.
            self._subjects.clear()
            self._villages.clear()
            self.flush()

    @staticmethod
    def _snapshot(obj: Base, info: _ClassInfo) -> dict[str, Any]:
        """ledger.base.snapshot for a record without personal fields, read from its dict."""
        out = _columns(obj, info)
        for key in info.convert:
            value = out[key]
            if value is not None and value.__class__ not in _PLAIN:
                out[key] = jsonable(value)
        return out


def _columns(obj: Base, info: _ClassInfo) -> dict[str, Any]:
    """The record's column values by key, in the table's order, from its dict."""
    return dict(zip(info.columns, map(obj.__dict__.get, info.columns), strict=True))
