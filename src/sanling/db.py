"""Opening a ledger: the URL, the engine, the schema check and the one transaction per command.

SQLite is set up for many hands (WAL, foreign keys, a busy timeout, BEGIN IMMEDIATE for
writers); PostgreSQL is reached through an SQLAlchemy URL. Alembic is imported only by the
commands that migrate: the revision check here is one plain query.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from sanling import oneshot
from sanling.errors import LedgerMissing, NeedsUpgrade, SanlingError, os_reason
from sanling.i18n import tr

# Every revision in order; the last is what this version of sanling expects. A test checks
# that this list is Alembic's history, so the per-command check needs no Alembic import.
REVISIONS = [
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
]
HEAD = REVISIONS[-1]

BUSY_TIMEOUT_MS = 30_000


def default_path() -> Path:
    import typer

    return Path(typer.get_app_dir("sanling")) / "sanling.db"


def resolve_url(db: str | None) -> str:
    """--db / SANLING_DB: a file path or an SQLAlchemy URL; default in the user data folder."""
    value = db or os.environ.get("SANLING_DB") or str(default_path())
    if "://" in value:
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(value)
        except ArgumentError:
            url = None
        if url is None or url.get_backend_name() not in ("sqlite", "postgresql"):
            raise SanlingError(
                tr(
                    "不支持的台账地址 {u}：sanling 只支持 SQLite 文件和 PostgreSQL",
                    "cannot use the ledger {u}: sanling keeps its ledger in an SQLite file "
                    "or PostgreSQL only",
                    u=value.split("://")[0] + "://…",
                ),
                tr(
                    "用文件路径，或 postgresql://用户@主机/库名",
                    "give a file path or postgresql://user@host/dbname",
                ),
            )
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def display(url: str) -> str:
    path = sqlite_path(url)
    return str(path) if path else make_url(url).render_as_string(hide_password=True)


def make_engine(url: str, *, write: bool, busy_ms: int | None = None) -> Engine:
    """An engine whose transactions are BEGIN IMMEDIATE on SQLite when `write`; on SQLite it
    waits `busy_ms` (default BUSY_TIMEOUT_MS) for a lock another connection holds."""
    oneshot.resume()  # the command's imports are done: see sanling.oneshot
    if make_url(url).get_backend_name() == "sqlite":
        wait = BUSY_TIMEOUT_MS if busy_ms is None else busy_ms
        engine = create_engine(url, connect_args={"timeout": wait / 1000})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy's "begin" event (below) issue BEGIN, not pysqlite.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={wait}")
            if sqlite_path(url) is not None:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    try:
        return create_engine(url, pool_pre_ping=False)
    except ModuleNotFoundError:
        raise SanlingError(
            tr("未安装 PostgreSQL 驱动", "the PostgreSQL driver is not installed"),
            "pip install 'sanling[postgres]'",
        )


def current_revision(engine: Engine) -> str | None:
    """The ledger's schema revision, or None if it has no alembic_version table."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DatabaseError as exc:
        reason = str(exc.orig or exc)  # the driver's words, not the statement's text
        if "no such table" in reason or ("alembic_version" in reason and "exist" in reason):
            return None
        if _is_busy(exc):
            raise_busy(engine)
        raise_connection_error(exc, display(engine.url.render_as_string(hide_password=False)))
        raise


def _is_busy(exc: Exception) -> bool:
    message = str(getattr(exc, "orig", None) or exc)
    return "locked" in message or "busy" in message


# ---- who holds the ledger -----------------------------------------------------------------
# A writing command notes itself in `<ledger>.writer` while it holds an SQLite ledger, so a
# clerk kept waiting is told which command (and since when) instead of "database is locked".
def writer_note(path: Path) -> Path:
    return path.with_name(path.name + ".writer")


def note_writer(path: Path) -> Path | None:
    """Write the note of the running command; None if it cannot be written (no matter)."""
    import datetime as dt
    import json

    try:  # the running command's path (`sanling import`), from Click's context
        from typer._click.globals import get_current_context

        ctx = get_current_context(silent=True)
        command = ctx.command_path if ctx is not None else "sanling"
    except ImportError:
        command = "sanling"
    note = writer_note(path)
    body = {
        "command": command,
        "pid": os.getpid(),
        "user": os.environ.get("SANLING_USER") or os.environ.get("USER") or "",
        "since": dt.datetime.now().isoformat(timespec="seconds"),
    }
    try:
        fd = os.open(note, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(body, fh, ensure_ascii=False)
    except OSError:
        return None
    return note


def drop_note(note: Path) -> None:
    """Remove this command's note, not one the next writer (who may hold the ledger already,
    the moment this one committed) has written since."""
    import json

    try:
        if json.loads(note.read_text(encoding="utf-8")).get("pid") == os.getpid():
            note.unlink()
    except (OSError, ValueError, AttributeError):
        pass


def read_writer(path: Path) -> dict[str, Any] | None:
    """The note of the command that holds the ledger, if it is still running."""
    import json

    try:
        body = json.loads(writer_note(path).read_text(encoding="utf-8"))
        pid = int(body["pid"])
        os.kill(pid, 0)  # a note left by a command that died is no one's
    except (OSError, ValueError, KeyError, TypeError):
        return None
    except Exception:
        return None
    return body if isinstance(body, dict) else None


def raise_busy(engine: Engine) -> None:
    """The ledger stayed locked by another writer for the whole busy timeout."""
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    holder = read_writer(path) if path is not None else None
    if holder:
        message = tr(
            "台账正忙：{cmd}（{user}，{since} 起）正在写入，已等待 {s} 秒",
            "the ledger is busy: `{cmd}` ({user}, since {since}) is writing to it; waited {s} s",
            cmd=holder.get("command", "sanling"),
            user=holder.get("user") or "?",
            since=str(holder.get("since", "?")).replace("T", " "),
            s=BUSY_TIMEOUT_MS // 1000,
        )
    else:
        message = tr(
            "台账正忙：另一个命令正在写入，已等待 {s} 秒",
            "the ledger is busy: another command is writing to it; waited {s} s",
            s=BUSY_TIMEOUT_MS // 1000,
        )
    raise SanlingError(
        message,
        tr("等它完成后重试，未保存任何更改", "retry when it has finished; nothing was saved"),
    )


def raise_connection_error(exc: Exception, where: str) -> None:
    raise SanlingError(
        tr(
            "无法打开台账 {where}：{reason}",
            "cannot open the ledger {where}: {reason}",
            where=where,
            reason=str(getattr(exc, "orig", exc)).splitlines()[0][:200],
        ),
        tr("检查 --db 或 SANLING_DB", "check --db or SANLING_DB"),
    )


def other_tables(engine: Engine) -> list[str]:
    """The tables of a database that is not (yet) a sanling ledger: none for a new one."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        return sorted(inspect(conn).get_table_names())


def check_schema(engine: Engine, url: str) -> None:
    """Stop unless the ledger exists and is at HEAD: never show an empty or stale ledger."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise LedgerMissing(
            tr("台账 {path} 不存在", "there is no ledger at {path}", path=path),
            tr("先运行 `sanling init`", "run `sanling init` first"),
        )
    revision = current_revision(engine)
    if revision is None:
        raise LedgerMissing(
            tr(
                "{where} 不是 sanling 台账（尚未初始化）",
                "{where} is not a sanling ledger yet",
                where=display(url),
            ),
            tr("先运行 `sanling init`", "run `sanling init` first"),
        )
    if revision != HEAD:
        if revision in REVISIONS:
            raise NeedsUpgrade(
                tr(
                    "台账结构版本 {rev} 落后于本程序（{head}）",
                    "the ledger's schema {rev} is behind this sanling ({head})",
                    rev=revision,
                    head=HEAD,
                ),
                tr(
                    "运行 `sanling db upgrade`（会先备份）",
                    "run `sanling db upgrade` (it backs up first)",
                ),
            )
        raise NeedsUpgrade(
            tr(
                "台账结构版本 {rev} 比本程序新",
                "the ledger's schema {rev} is newer than this sanling",
                rev=revision,
            ),
            tr("升级 sanling", "upgrade sanling"),
        )


# A schema check reads one row: in WAL mode a writer never blocks it, so it waits briefly at
# most (a checkpoint) and a writer's command waits only in its own write transaction.
CHECK_BUSY_MS = 2_000


def _check_reading(url: str, engine: Engine) -> None:
    """check_schema through a read-only connection with a short wait (on SQLite): a write
    engine would take the writer's lock (BEGIN IMMEDIATE) for the check, and wait the whole
    busy timeout there behind a long import before its own transaction waits again."""
    if sqlite_path(url) is None:
        check_schema(engine, url)
        return
    reader = make_engine(url, write=False, busy_ms=min(CHECK_BUSY_MS, BUSY_TIMEOUT_MS))
    try:
        check_schema(reader, url)
    finally:
        reader.dispose()


@contextmanager
def session_scope(
    url: str, *, write: bool, check: bool = True, commit: bool = True
) -> Iterator[Session]:
    """One transaction: committed if the block succeeds, rolled back (nothing saved) if not.

    `commit=False` takes the writer's lock but rolls back at the end (a dry run)."""
    engine = make_engine(url, write=write)
    path = sqlite_path(url) if write else None
    note: Path | None = None
    try:
        if check:
            _check_reading(url, engine)
        with Session(engine, expire_on_commit=False, autoflush=True) as session:
            try:
                if path is not None:
                    session.connection()  # BEGIN IMMEDIATE: the ledger is ours from here
                    note = note_writer(path)
                yield session
                if write and commit:
                    session.commit()
                else:
                    session.rollback()
            except BaseException:
                session.rollback()
                raise
    except OperationalError as exc:
        if _is_busy(exc):
            raise_busy(engine)
        raise_connection_error(exc, display(url))
    finally:
        if note is not None:
            drop_note(note)
        engine.dispose()


def create_private_file(path: Path) -> None:
    """Create an empty ledger file readable by its owner only (it holds personal data)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def backup_sqlite(source: Path, target: Path) -> None:
    """An online backup (SQLite's backup API): consistent while others write."""
    tmp = target.with_name(target.name + ".part")
    try:
        if tmp.exists():
            tmp.unlink()
        create_private_file(tmp)
        src = sqlite3.connect(str(source), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dst = sqlite3.connect(str(tmp))
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:
        if tmp.is_file():
            tmp.unlink()
        if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
            raise SanlingError(
                tr("台账正忙，无法备份", "the ledger is busy; the backup could not start"),
                tr("稍后重试", "retry in a moment"),
            )
        reason = os_reason(exc)
        raise SanlingError(
            tr("无法写入备份 {p}：{r}", "cannot write the backup {p}: {r}", p=target, r=reason),
            tr("检查文件夹是否存在、是否可写", "check that the folder exists and is writable"),
        )
