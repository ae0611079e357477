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
from typing import Any

from sqlalchemy import event, func, inspect, select, text, update
from sqlalchemy.orm import Session

from sanling.codes import RefPrefix, SubjectKind
from sanling.errors import SanlingError
from sanling.ledger.base import GENESIS, Ledger, entry_hash, snapshot
from sanling.models import AuditEntry, Base, RefCounter, Subject, Town

ID_BLOCK = 1000


class ImportLedger(Ledger):
    def __init__(self, lx: Ledger) -> None:
        super().__init__(lx.session, operator=lx.operator, today=lx.today)
        if "policy" in lx.__dict__:
            self.__dict__["policy"] = lx.__dict__["policy"]
        self.dialect = self.session.get_bind().dialect.name
        self._towns: dict[str | None, Town] = {}
        self._subjects: dict[tuple[Any, ...], Subject | tuple[type[SanlingError], str, str | None]] = {}
        self._found: dict[tuple[type[Base], str], Base] = {}
        self._counters: dict[tuple[str, int], int] = {}
        self._next_ids: dict[str, list[int]] = {}
        self._sqlite_ids: dict[str, int] = {}
        self._created: dict[tuple[type[Base], str], Base] = {}
        self._prev_hash: str | None = None
        self._real_flush: Any = None

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
            prev = self.session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
            self._prev_hash = prev or GENESIS
            event.listen(self.session, "before_flush", self._before_flush)
            self._real_flush = self.session.flush
            self.session.flush = self._deferred_flush  # type: ignore[method-assign]

    def flush(self) -> None:
        """Write what is pending now (the importer calls this every few thousand rows)."""
        if self._real_flush is not None:
            self._real_flush()
            self._created.clear()
        else:
            self.session.flush()

    def finish(self) -> None:
        """Flush what is pending and write the reference counters back."""
        self.flush()
        for (prefix, year), last in self._counters.items():
            self.session.execute(
                update(RefCounter).where(RefCounter.prefix == prefix, RefCounter.year == year)
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
                rows = self.session.execute(
                    text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                    {"t": name, "n": ID_BLOCK},
                ).scalars().all()
                block = sorted((int(r) for r in rows), reverse=True)
                self._next_ids[name] = block
            return block.pop()
        # SQLite: under BEGIN IMMEDIATE nobody else inserts; ids continue after the largest.
        nxt = self._sqlite_ids.get(name)
        if nxt is None:
            nxt = int(self.session.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        self._sqlite_ids[name] = nxt + 1
        return nxt

    def _prepare(self, obj: Base) -> None:
        """An id and the column defaults now, as the flush would give them."""
        table: Any = obj.__table__
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and pk[0].key == "id" and getattr(obj, "id", None) is None:
            with self.session.no_autoflush:
                obj.id = self._next_id(table)  # type: ignore[attr-defined]
        state = inspect(obj)
        for column in table.columns:
            if column.default is not None and column.default.is_scalar and getattr(obj, column.key) is None:
                setattr(obj, column.key, column.default.arg)
        # A many-to-one set through its relationship: copy the key, as the flush would.
        for rel in state.mapper.relationships:
            if rel.direction.name != "MANYTOONE":
                continue
            target = state.attrs[rel.key].loaded_value
            if target is None or not isinstance(target, Base):
                continue
            for local, remote in rel.local_remote_pairs:
                lkey, rkey = str(local.key), str(remote.key)
                if getattr(obj, lkey) is None:
                    setattr(obj, lkey, getattr(target, rkey))

    # ---- lookups ---------------------------------------------------------------------------
    def town(self, name: str | None = None) -> Town:
        key = name.strip() if name else None
        found = self._towns.get(key)
        if found is None:
            found = super().town(name)
            self._towns[key] = found
        return found

    def subject(self, name: str, *, town: str | None = None,
                kinds: tuple[SubjectKind, ...] | None = None, field: str = "subject",
                include_retired: bool = False) -> Subject:
        key = (name.strip(), town, kinds, field, include_retired)
        hit = self._subjects.get(key)
        if hit is None:
            try:
                hit = super().subject(name, town=town, kinds=kinds, field=field,
                                      include_retired=include_retired)
            except SanlingError as exc:
                hit = (type(exc), exc.message, exc.hint)
            self._subjects[key] = hit
        if isinstance(hit, tuple):
            raise hit[0](hit[1], hit[2])
        return hit

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
                insert(RefCounter).values(prefix=prefix.value, year=year, last=0)
                .on_conflict_do_update(index_elements=[RefCounter.prefix, RefCounter.year],
                                       set_={"last": RefCounter.last})
                .returning(RefCounter.last)
            )
            with self.session.no_autoflush:
                self._counters[key] = int(self.session.execute(stmt).scalar_one())
        self._counters[key] += 1
        return f"{prefix.value}-{year:04d}-{self._counters[key]:04d}"

    # ---- audit log -----------------------------------------------------------------------------
    def audit(self, action: str, ref: str | None, before: dict[str, Any] | None,
              after: dict[str, Any] | None) -> AuditEntry:
        if self._prev_hash is None:
            raise RuntimeError("ImportLedger.start() must come before the first change")
        at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        entry = AuditEntry(
            at=at, operator=self.operator, action=action, ref=ref, before=before, after=after,
            prev_hash=self._prev_hash,
            hash=entry_hash(self._prev_hash, at, self.operator, action, ref, before, after),
        )
        self._prev_hash = entry.hash
        self.session.add(entry)
        self._prepare(entry)  # its id now: the chain is read in id order
        return entry

    def created(self, obj: Base, action: str) -> None:
        self.session.add(obj)
        self._prepare(obj)
        ref = getattr(obj, "ref", None)
        if ref:
            self._created[(type(obj), str(ref))] = obj
        self.audit(action, ref or getattr(obj, "name", None), None, snapshot(obj))
        if isinstance(obj, Subject):
            # Later rows may name it (a unit's village): write it now so lookups find it.
            self._subjects.clear()
            self.flush()
