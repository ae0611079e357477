"""The ledger as a file: its status, an online backup, and a checked restore (sanling db).

Core logic below the commands: no Typer, no Rich. What a command prints along the way goes
through `tell`; a restore refused by the checks raises RestoreRefused with the problems.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from sanling.errors import Duplicate, InvalidValue, LedgerMissing, NeedsUpgrade, SanlingError
from sanling.i18n import tr

SQLITE_MAGIC = b"SQLite format 3\x00"
Tell = Callable[[str], None]


class RestoreRefused(SanlingError):
    """The backup fails the checks of `db check`: `problems` lists them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            tr(
                "备份未通过检查（{n} 个问题），台账未改动",
                "the backup fails the checks ({n} problems); the ledger is unchanged",
                n=len(problems),
            )
        )
        self.problems = problems


def require_ledger(url: str) -> Path | None:
    """The SQLite file of `url` (None for PostgreSQL); there must be one."""
    from sanling.db import sqlite_path

    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise LedgerMissing(
            tr("台账 {p} 不存在", "there is no ledger at {p}", p=path),
            tr("先运行 `sanling init`", "run `sanling init` first"),
        )
    return path


# ---- status ------------------------------------------------------------------------------------
def status(url: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The ledger's schema state, size and newest audit hash, and the rows of each table."""
    from sanling.db import HEAD, current_revision, display, make_engine

    path = require_ledger(url)
    engine = make_engine(url, write=False)
    try:
        revision = current_revision(engine)
        with engine.connect() as conn:
            counts, head_hash = _counts(conn)
    finally:
        engine.dispose()
    state_text = (
        tr("正常", "ok")
        if revision == HEAD
        else tr("需要升级：运行 `sanling db upgrade`", "needs upgrade: run `sanling db upgrade`")
        if revision
        else tr("尚未初始化：运行 `sanling init`", "not initialised: run `sanling init`")
    )
    fields = {
        "ledger": display(url),
        "revision": revision,
        "head": HEAD,
        "state": state_text,
        "size_bytes": path.stat().st_size if path else None,
        "audit_head": head_hash,
    }
    return fields, counts


def _counts(conn: Any) -> tuple[list[dict[str, Any]], str | None]:
    from sqlalchemy import func, inspect, select

    from sanling.models import AuditEntry, Base

    present = set(inspect(conn).get_table_names())
    counts = [
        {"table": name, "count": conn.execute(select(func.count()).select_from(table)).scalar()}
        for name, table in sorted(Base.metadata.tables.items())
        if name in present
    ]
    # The newest audit hash: copied somewhere else (a paper ledger, a message), it lets
    # `db check --anchor HASH` prove later that the log was not rewritten or cut back.
    head_hash = (
        conn.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
        if "audit_log" in present
        else None
    )
    return counts, head_hash


# ---- the file's mode --------------------------------------------------------------------------
def make_private(url: str) -> Path | None:
    """An SQLite ledger (and its -wal, -shm files) readable by its owner only, as `init`
    creates it: it holds personal data. Returns the ledger's path if its mode was changed."""
    from sanling.db import sqlite_path

    path = sqlite_path(url)
    if path is None or not path.is_file():
        return None
    changed = None
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = stat.S_IMODE(file.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            os.chmod(file, mode & 0o700)
            changed = changed or path
    return changed


# ---- backup ------------------------------------------------------------------------------------
def backup(url: str, path: Path, *, force: bool) -> Path:
    """An online copy of an SQLite ledger, safe while others write; returns where."""
    from sanling.db import backup_sqlite, check_schema, make_engine, sqlite_path

    source = sqlite_path(url)
    given = path.expanduser()
    if given.exists() and not given.is_file():
        # A device, a FIFO or a folder is never renamed over (`db backup /dev/null` as root).
        raise InvalidValue(
            tr("{p} 不是普通文件", "{p} is not a regular file", p=given),
            tr("备份写到一个文件，如 ledger-backup.db", "back up into a file, e.g. backup.db"),
        )
    target = given.resolve()
    if target.exists() and not force:
        raise Duplicate(
            tr("{p} 已存在", "{p} exists already", p=target),
            tr("加 --force 覆盖", "add --force to overwrite"),
        )
    if source is None:
        raise SanlingError(
            tr("PostgreSQL 台账请用 pg_dump 备份", "back up a PostgreSQL ledger with pg_dump"),
            "pg_dump --format=custom DBNAME > FILE",
        )
    if not source.exists():
        raise LedgerMissing(tr("台账 {p} 不存在", "there is no ledger at {p}", p=source))
    if source == target:
        raise SanlingError(
            tr("备份不能覆盖台账本身", "the backup cannot overwrite the ledger itself")
        )
    engine = make_engine(url, write=False)
    try:
        check_schema(engine, url)
    finally:
        engine.dispose()
    backup_sqlite(source, target)
    return target


# ---- restore -----------------------------------------------------------------------------------
def restore(url: str, path: Path, *, force: bool, tell: Tell) -> Path:
    """Replace the ledger with a backup, after checking it; returns the backup's path.

    The backup is copied beside the ledger, upgraded if it was made by an older sanling, and
    checked like `sanling db check`; only a backup that passes replaces the ledger, in one step.
    """
    source, target = _restore_paths(url, path, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.restore-{os.getpid()}")
    try:
        try:
            from sanling.db import backup_sqlite

            backup_sqlite(source, tmp)  # a private copy: the backup itself is never changed
        except sqlite3.DatabaseError as exc:
            raise InvalidValue(
                tr("无法读取备份 {p}：{e}", "cannot read the backup {p}: {e}", p=source, e=exc)
            )
        _upgrade_copy("sqlite:///" + str(tmp), source, tell)
        _check_copy("sqlite:///" + str(tmp))
        for extra in ("-wal", "-shm"):
            Path(str(tmp) + extra).unlink(missing_ok=True)
        _replace(tmp, target)
    finally:
        for extra in ("", "-wal", "-shm", "-journal", ".part"):
            Path(str(tmp) + extra).unlink(missing_ok=True)
    return source


def _restore_paths(url: str, path: Path, force: bool) -> tuple[Path, Path]:
    """The backup to read and the ledger file to replace, both checked."""
    from sanling.db import sqlite_path

    target = sqlite_path(url)
    if target is None:
        raise SanlingError(
            tr(
                "PostgreSQL 台账请用 pg_restore 恢复", "restore a PostgreSQL ledger with pg_restore"
            ),
            "pg_restore --clean --dbname DBNAME FILE",
        )
    source = path.expanduser().resolve()
    if not source.is_file():
        raise InvalidValue(tr("备份文件 {p} 不存在", "there is no backup file {p}", p=source))
    if source == target:
        raise InvalidValue(tr("备份就是台账本身", "the backup is the ledger itself"))
    with source.open("rb") as fh:
        if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise InvalidValue(
                tr("{p} 不是 sanling 台账备份", "{p} is not a sanling ledger backup", p=source),
                tr(
                    "用 `sanling db backup` 生成的文件", "use a file written by `sanling db backup`"
                ),
            )
    if target.exists() and not force:
        raise Duplicate(
            tr("台账 {p} 已存在", "the ledger {p} exists already", p=target),
            tr("加 --force 用备份替换它", "add --force to replace it with the backup"),
        )
    return source, target


def _upgrade_copy(tmp_url: str, source: Path, tell: Tell) -> None:
    """The copy's schema: a sanling one, not newer than this sanling, upgraded to the head."""
    from sanling import migrate
    from sanling.db import HEAD, REVISIONS, current_revision, make_engine

    engine = make_engine(tmp_url, write=False)
    try:
        try:
            revision = current_revision(engine)
        except SanlingError:
            revision = None
        if revision is None:
            raise InvalidValue(
                tr("{p} 不是 sanling 台账备份", "{p} is not a sanling ledger backup", p=source)
            )
        if revision not in REVISIONS:
            raise NeedsUpgrade(
                tr(
                    "备份的结构版本 {rev} 比本程序新",
                    "the backup's schema {rev} is newer than this sanling",
                    rev=revision,
                ),
                tr("升级 sanling", "upgrade sanling"),
            )
        if revision != HEAD:
            migrate.upgrade(engine)
            tell(
                tr(
                    "备份已从 {b} 升级到 {h}",
                    "upgraded the backup from {b} to {h}",
                    b=revision,
                    h=HEAD,
                )
            )
    finally:
        engine.dispose()


def _check_copy(tmp_url: str) -> None:
    from sanling.db import session_scope
    from sanling.ledger import check as checks
    from sanling.ledger.base import Ledger

    with session_scope(tmp_url, write=False) as session:
        found = checks.problems(Ledger(session))
    if found:
        raise RestoreRefused(found)


def _replace(tmp: Path, target: Path) -> None:
    """The checked copy becomes the ledger."""
    from sanling.db import BUSY_TIMEOUT_MS

    if not target.exists():
        os.replace(tmp, target)
        return
    # Copy into the live file through SQLite, in one transaction: its WAL and any reader stay
    # consistent, and a crash leaves the old ledger or the new, never half.
    with (
        closing(sqlite3.connect(str(tmp))) as src,
        closing(sqlite3.connect(str(target), timeout=BUSY_TIMEOUT_MS / 1000)) as dst,
    ):
        src.backup(dst)
    os.chmod(target, 0o600)
