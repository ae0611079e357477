"""`sanling merge`: a town's own SQLite ledger rolled up into a county ledger (issue 17).

A town that keeps its own ledger sends the file up; the county merges it whole, in one
transaction: the town's rows (ids mapped: merged_rows says which row here each of the town's
rows became), and its audit log exactly as written there (merged_audit_log), so its hash
chain verifies here and `db check` matches each merged record against the town's own trail.
Merging again (the same file, or a later copy) compares the file's log with the part merged
before, entry by entry: it must start with it (else the file's history conflicts, and the
first entry that differs is named), and then the new entries are added and every row of the
town is brought to the file's state. A merged town is changed in its own ledger only.

Every table of models.py is named once: merged row by row (codes.MergedTable), kept as the
town's trail, or left out for a stated reason (NOT_MERGED); a merged table's rows that are not
the town's own are left out (LEFT_OUT_ROWS). A table added later and named nowhere stops the
merge. A card's or an extension's record (kind and id, no foreign key) is translated like a
foreign key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Engine,
    Table,
    create_engine,
    delete,
    event,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DatabaseError, IntegrityError
from sqlalchemy.orm import Session

from sanling.codes import MergedTable
from sanling.errors import InvalidState, InvalidValue, NeedsUpgrade, NotFound, SanlingError
from sanling.i18n import tr
from sanling.ledger.base import Ledger
from sanling.models import (
    BY_KIND,
    RECORD_TABLES,
    AuditEntry,
    Base,
    MergedEntry,
    MergedRow,
    MergedTown,
    Town,
)

# Rows merged one by one, in the order of their foreign keys (Base.metadata.sorted_tables).
MERGED = tuple(t.value for t in MergedTable)
# Tables not merged row by row, and why (docs/merge.md says the same).
NOT_MERGED: dict[str, str] = {
    "audit_log": "kept as the town wrote it, in merged_audit_log",
    "settings": "one policy per ledger: the county's settings govern its reports",
    "import_maps": "a town's import layouts are its own; the county keeps its own",
    "ref_counters": "a merged record keeps its number; the town hands out the next one",
    "merged_towns": "a county ledger is not merged into another",
    "merged_audit_log": "a county ledger is not merged into another",
    "merged_rows": "a county ledger is not merged into another",
}
_VALUES = ("county", "area_km2", "households", "population")  # a town's own columns
# Rows of a merged table that are not the town's own, left out (docs/merge.md): a sheet without
# a town is the county's sheet as the town's ledger holds it; the county's own sheets govern its
# reports (as its settings do), so such a sheet and its items stay in the town's ledger.
LEFT_OUT_ROWS: dict[str, str] = {
    "appraisal_sheets": "town_id IS NOT NULL",
    "appraisal_items": "sheet_id IN (SELECT id FROM appraisal_sheets WHERE town_id IS NOT NULL)",
}


def unnamed_tables() -> list[str]:
    """Tables of the schema this module neither merges nor leaves out: none, or merge stops."""
    return sorted(set(Base.metadata.tables) - set(MERGED) - set(NOT_MERGED))


# ---- opening the town's file --------------------------------------------------------------
@contextmanager
def town_file(path: Path) -> Iterator[Session]:
    """The town's ledger, read only, at this sanling's schema."""
    from sanling.db import HEAD, REVISIONS

    if not path.is_file():
        raise NotFound(
            tr("没有文件 {p}", "there is no file {p}", p=path),
            tr("给出乡镇台账文件的路径", "give the path of the town's ledger file"),
        )
    import sqlite3
    from urllib.parse import quote

    # Read only: the town's file is never changed (a path may hold ? or #, hence quoted).
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    engine = create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, isolation_level=None)
    )
    # Every read in one transaction: one state of the file, even if the town writes to it.
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    try:
        try:
            revision = current_revision_quiet(engine)
        except DatabaseError:
            revision = None
        if revision is None:
            raise InvalidValue(
                tr("{p} 不是 sanling 台账", "{p} is not a sanling ledger", p=path),
                tr(
                    "给出乡镇用 sanling 记的 SQLite 台账文件",
                    "give the SQLite ledger file the town keeps with sanling",
                ),
            )
        if revision != HEAD:
            older = revision in REVISIONS
            raise NeedsUpgrade(
                tr(
                    "乡镇台账结构版本 {r} {w}本程序（{h}）",
                    "the town ledger's schema {r} is {w} this sanling ({h})",
                    r=revision,
                    h=HEAD,
                    w=tr("落后于", "behind") if older else tr("新于", "newer than"),
                ),
                tr(
                    "先升级它：`sanling --db {p} db upgrade`",
                    "upgrade it first: `sanling --db {p} db upgrade`",
                    p=path,
                )
                if older
                else tr("升级 sanling", "upgrade sanling"),
            )
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def current_revision_quiet(engine: Engine) -> str | None:
    """The file's schema revision, None if it has none (not a sanling ledger)."""
    with engine.connect() as conn:
        names = {n for (n,) in conn.execute(text("SELECT name FROM sqlite_master"))}
        if "alembic_version" not in names:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


# ---- the merge ----------------------------------------------------------------------------
def merge(lx: Ledger, path: Path) -> dict[str, Any]:
    """Merge the town ledger at `path` into this one; what was added, changed and removed."""
    unnamed = unnamed_tables()
    if unnamed:
        raise SanlingError(
            tr(
                "sanling 还不知道如何合并表 {t}",
                "sanling does not know how to merge the table(s) {t}",
                t=", ".join(unnamed),
            ),
            tr(
                "在 codes.MergedTable 或 ledger/merge.py 的 NOT_MERGED 中写明",
                "name it in codes.MergedTable or in NOT_MERGED of ledger/merge.py",
            ),
        )
    if lx.session.get_bind().dialect.name == "postgresql":
        # One writer of the ledger at a time, as Ledger.audit takes it (SQLite: BEGIN IMMEDIATE).
        lx.session.execute(text("SELECT pg_advisory_xact_lock(730100)"))
    with town_file(path) as src:
        town_row, entries = _read_town(src, path)
        target = _target_town(lx, town_row["name"])
        new = _new_entries(lx, target, town_row["name"], entries)
        _town_passes_check(src, path)
        done = _apply(lx, src, path, town_row, target, entries, new)
        notes = {"settings_differ": settings_differ(lx, src)}
        return {**done, **notes, "sheet_differs": sheet_differs(lx, src, town_row["name"])}


def _read_town(src: Session, path: Path) -> tuple[dict[str, Any], list[Any]]:
    """The file's one town and its audit log, oldest first."""
    towns = [dict(r._mapping) for r in src.execute(select(Town.__table__))]
    if len(towns) != 1:
        raise InvalidValue(
            tr(
                "{p} 有 {n} 个乡镇；只能合并一个乡镇的台账",
                "{p} holds {n} towns; only a town's own ledger (one town) can be merged",
                p=path,
                n=len(towns),
            ),
            tr("每个乡镇的台账分别合并", "merge each town's own ledger"),
        )
    if src.scalar(select(MergedTown.town_id).limit(1)) is not None:
        raise InvalidValue(
            tr(
                "{p} 是汇总了其他乡镇的台账，不能再合并",
                "{p} holds towns merged from other ledgers: a county ledger is not merged",
                p=path,
            ),
            tr("合并各乡镇自己的台账", "merge each town's own ledger"),
        )
    entries = list(src.execute(select(AuditEntry.__table__).order_by(AuditEntry.id)))
    return towns[0], entries


def _target_town(lx: Ledger, name: str) -> Town | None:
    """The county's town of that name, None if new; refused if it was not merged."""
    town = lx.session.scalar(select(Town).where(Town.name == name))
    if town is not None and lx.session.get(MergedTown, town.id) is None:
        raise InvalidState(
            tr(
                "本台账已有乡镇“{n}”，且不是合并来的；不能把同名乡镇台账合并进来",
                "this ledger has a town '{n}' of its own (not merged): a town ledger of that "
                "name cannot be merged into it",
                n=name,
            ),
            tr(
                "乡镇的记录要么在县台账里直接记，要么在乡镇台账里记后合并，不能两处都记",
                "a town keeps its records in the county ledger or in its own ledger merged "
                "up, not both",
            ),
        )
    return town


def _new_entries(lx: Ledger, town: Town | None, name: str, entries: list[Any]) -> list[Any]:
    """The file's audit entries after those merged before; refused if its history differs."""
    if town is None:
        return entries
    merged = lx.session.scalars(
        select(MergedEntry).where(MergedEntry.town_id == town.id).order_by(MergedEntry.seq)
    )
    count = 0
    for i, old in enumerate(merged):
        mine = entries[i] if i < len(entries) else None
        if mine is None or any(getattr(old, k) != v for k, v in _entry(town.id, mine).items()):
            _conflict(name, old, mine, removed=mine is None)
        count += 1
    return entries[count:]


def _conflict(name: str, old: Any, mine: Any, *, removed: bool) -> None:
    what = f"{old.action} {old.ref or ''}".strip()
    if removed:
        message = tr(
            "{n} 的台账比已合并的旧：已合并的日志第 {s} 条（{w}）在文件中没有",
            "the ledger of {n} is behind what was merged: audit entry {s} ({w}) merged "
            "before is not in the file",
            n=name,
            s=old.seq,
            w=what,
        )
    else:
        message = tr(
            "{n} 的台账与已合并的历史冲突：第一处不同在 {r}（日志第 {s} 条，{w}）",
            "the ledger of {n} conflicts with the history merged before: the first record "
            "that differs is {r} (audit entry {s}, {w})",
            n=name,
            r=old.ref or mine.ref or "-",
            s=old.seq,
            w=what,
        )
    hint = (
        tr(
            "未合并任何内容；请合并该乡镇最新的台账",
            "nothing was merged: merge the town's latest ledger",
        )
        if removed
        else tr(
            "已合并的历史不能改写；未合并任何内容，请乡镇核查其台账",
            "history already merged cannot be rewritten; nothing was merged: ask the town "
            "to check its ledger",
        )
    )
    raise InvalidState(message, hint)


def settings_differ(lx: Ledger, src: Session) -> list[str]:
    """The settings the town's ledger holds otherwise than this one (their keys): its own
    reports may differ from its row in this ledger's --by-town, which this ledger's govern."""
    from sanling.models import Setting

    query = select(Setting.key, Setting.value)
    mine = {k: v for k, v in lx.session.execute(query)}
    theirs = {k: v for k, v in src.execute(query)}
    return sorted(k for k in set(mine) | set(theirs) if mine.get(k) != theirs.get(k))


def sheet_differs(lx: Ledger, src: Session, name: str) -> str | None:
    """The appraisal sheet the town's ledger scores the town by, if this ledger scores it by
    another (a sheet without a town is the county's, as the town holds it: not merged, this
    ledger's own govern); None if the items are the same."""
    from sanling.ledger import appraisal

    theirs = appraisal.current(Ledger(src), src.scalar(select(Town.id)))
    mine = appraisal.current(lx, lx.session.scalar(select(Town.id).where(Town.name == name)))
    items = [[appraisal.item_row(i) for i in s.items] for s in (theirs, mine)]
    return None if items[0] == items[1] else theirs.name


def _town_passes_check(src: Session, path: Path) -> None:
    """The town's ledger must pass its own `db check` (its rows match its trail)."""
    from sanling.ledger import check

    found = check.problems(Ledger(src))
    if found:
        raise InvalidState(
            tr(
                "乡镇台账 {p} 未通过检查（{k} 处问题），首个：{f}",
                "the town ledger {p} fails its own check ({k} problem(s)), first: {f}",
                p=path,
                k=len(found),
                f=found[0],
            ),
            tr(
                "在乡镇运行 `sanling --db {p} db check` 并改正",
                "run `sanling --db {p} db check` at the town and mend it",
                p=path,
            ),
        )


def _apply(
    lx: Ledger,
    src: Session,
    path: Path,
    town_row: dict[str, Any],
    target: Town | None,
    entries: list[Any],
    new: list[Any],
) -> dict[str, Any]:
    s = lx.session
    town_id = _town_row(lx, town_row, target)
    ids = {
        (t, a): b
        for t, a, b in s.execute(
            select(MergedRow.table_name, MergedRow.source_id, MergedRow.target_id).where(
                MergedRow.town_id == town_id
            )
        )
    }
    if target is None:
        _map(lx, town_id, ids, "towns", town_row["id"], town_id)
    counts: dict[str, list[int]] = {}
    try:
        for table in _in_order():
            if table.name in MERGED and table.name != "towns":
                counts[table.name] = Rows(lx, src, table, town_id, ids).sync()
        for table in reversed(_in_order()):
            if table.name in counts:
                counts[table.name][2] = Rows(lx, src, table, town_id, ids).remove_gone()
        if new:
            s.execute(insert(MergedEntry), [_entry(town_id, e) for e in new])
    except IntegrityError as exc:
        raise InvalidState(
            tr(
                "合并 {n} 时与本台账已有的记录冲突：{r}",
                "merging {n} clashes with a row already in this ledger: {r}",
                n=town_row["name"],
                r=str(exc.orig).splitlines()[0][:160],
            ),
            tr("未合并任何内容", "nothing was merged"),
        )
    return _finish(lx, path, town_row["name"], town_id, entries, new, counts)


def _in_order() -> list[Table]:
    """The tables in the order of their foreign keys, those naming a record by kind and id
    (supervision, extensions) after every record's table."""
    return sorted(Base.metadata.sorted_tables, key=lambda t: t.name in BY_KIND)


def _town_row(lx: Ledger, row: dict[str, Any], target: Town | None) -> int:
    values = {k: row[k] for k in _VALUES}
    if target is None:
        town = Town(name=row["name"], **values)
        lx.session.add(town)
        lx.session.flush()
        return town.id
    lx.session.execute(update(Town).where(Town.id == target.id).values(**values))
    return target.id


def _map(lx: Ledger, town_id: int, ids: dict[Any, int], table: str, src: int, tgt: int) -> None:
    ids[(table, src)] = tgt
    lx.session.execute(
        insert(MergedRow).values(town_id=town_id, table_name=table, source_id=src, target_id=tgt)
    )


def _entry(town_id: int, e: Any) -> dict[str, Any]:
    return {
        "town_id": town_id,
        "seq": e.id,
        **{k: getattr(e, k) for k in ("at", "operator", "action", "ref", "before", "after")},
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    }


def _finish(
    lx: Ledger,
    path: Path,
    name: str,
    town_id: int,
    entries: list[Any],
    new: list[Any],
    counts: dict[str, list[int]],
) -> dict[str, Any]:
    head = entries[-1].hash if entries else ""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    values = {"source": path.name, "merged_at": now, "entries": len(entries), "head": head}
    row = lx.session.get(MergedTown, town_id)
    if row is None:
        lx.session.add(MergedTown(town_id=town_id, **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)
    added, changed, removed = (sum(c[i] for c in counts.values()) for i in range(3))
    summary = {
        "town": name,
        "file": path.name,
        "entries_added": len(new),
        "entries": len(entries),
        "rows_added": added,
        "rows_changed": changed,
        "rows_removed": removed,
        "head": head,
    }
    lx.audit("merge", name, None, summary)
    tables = [
        {"table": MergedTable(t), "added": c[0], "changed": c[1], "removed": c[2]}
        for t, c in counts.items()
        if any(c)
    ]
    return {**summary, "tables": tables}


class Rows:
    """One table's rows of the town, brought to the file's state in this ledger."""

    def __init__(
        self, lx: Ledger, src: Session, table: Table, town_id: int, ids: dict[Any, int]
    ) -> None:
        self.lx, self.src, self.table, self.town_id, self.ids = lx, src, table, town_id, ids
        pk = list(table.primary_key.columns)
        self.key = pk[0] if len(pk) == 1 and pk[0].key == "id" else None
        self.pk = pk
        only = LEFT_OUT_ROWS.get(table.name)
        self.only = [text(only)] if only else []  # the town's own rows of the table

    def _target(self, col: Any, value: Any) -> Any:
        """A town id as this ledger has it (a foreign key through the mapping)."""
        if value is None:
            return None
        fk = next(iter(col.foreign_keys))
        name = fk.column.table.name
        if name == "towns":
            return self.town_id
        return self.ids.get((name, value))

    def values(self, row: Any, *, self_refs: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for col in self.table.columns:
            if col is self.key:
                continue
            value = row._mapping[col]
            if col.foreign_keys:
                own = next(iter(col.foreign_keys)).column.table is self.table
                value = None if own and not self_refs else self._target(col, value)
            out[col.key] = value
        if self.table.name in BY_KIND:  # the record's id, by its kind, like a foreign key
            out["record_id"] = self.ids.get((RECORD_TABLES[out["kind"]], out["record_id"]))
        return out

    def sync(self) -> list[int]:
        """Insert the new rows, update the changed ones: [added, changed, 0]."""
        rows = list(self.src.execute(select(self.table).where(*self.only).order_by(*self.pk)))
        if self.key is None:
            return [self._sync_links(rows), 0, 0]
        s, name = self.lx.session, self.table.name
        # New rows first (in one statement), their links to rows of this table after.
        new = [row for row in rows if (name, row.id) not in self.ids]
        if new:
            stmt = insert(self.table).returning(self.key, sort_by_parameter_order=True)
            made = s.execute(stmt, [self.values(row, self_refs=False) for row in new]).scalars()
            links = [
                {"town_id": self.town_id, "table_name": name, "source_id": row.id, "target_id": t}
                for row, t in zip(new, made.all(), strict=True)
            ]
            s.execute(insert(MergedRow), links)
            self.ids.update({(name, x["source_id"]): x["target_id"] for x in links})
        fresh = {row.id for row in new}
        changed = 0
        targets = [self.ids[(name, row.id)] for row in rows]
        have: dict[int, Any] = {}
        for i in range(0, len(targets), 500):
            chunk = select(self.table).where(self.key.in_(targets[i : i + 500]))
            have.update({r._mapping[self.key]: r._mapping for r in s.execute(chunk)})
        for row, target in zip(rows, targets, strict=True):
            want = self.values(row)
            if any(have[target][k] != v for k, v in want.items()):
                s.execute(update(self.table).where(self.key == target).values(**want))
                changed += row.id not in fresh
        return [len(fresh), changed, 0]

    def _sync_links(self, rows: list[Any]) -> int:
        """A table keyed by its foreign keys (a patrol's villages): insert the missing."""
        s, added = self.lx.session, 0
        for row in rows:
            want = self.values(row)
            where = [self.table.c[k] == v for k, v in want.items() if self.table.c[k].primary_key]
            if s.execute(select(self.table).where(*where)).first() is None:
                s.execute(insert(self.table).values(**want))
                added += 1
        return added

    def remove_gone(self) -> int:
        """Delete the rows merged before that the town's file no longer holds."""
        s, name = self.lx.session, self.table.name
        if self.key is not None:
            present = {r for (r,) in self.src.execute(select(self.key).where(*self.only))}
            gone = [(a, b) for (t, a), b in self.ids.items() if t == name and a not in present]
            for a, b in gone:
                s.execute(delete(self.table).where(self.key == b))
                s.execute(
                    delete(MergedRow).where(
                        MergedRow.town_id == self.town_id,
                        MergedRow.table_name == name,
                        MergedRow.source_id == a,
                    )
                )
                del self.ids[(name, a)]
            return len(gone)
        first = self.pk[0]
        owner = next(iter(first.foreign_keys)).column.table.name
        mine = [b for (t, _a), b in self.ids.items() if t == owner]
        keep = {
            tuple(self.values(r)[c.key] for c in self.pk)
            for r in self.src.execute(select(self.table))
        }
        removed = 0
        for row in s.execute(select(*self.pk).where(first.in_(mine))):
            if tuple(row) not in keep:
                s.execute(
                    delete(self.table).where(*[c == v for c, v in zip(self.pk, row, strict=True)])
                )
                removed += 1
        return removed
