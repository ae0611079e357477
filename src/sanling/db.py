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
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from sanling import oneshot
from sanling.errors import LedgerMissing, NeedsUpgrade, SanlingError
from sanling.i18n import tr

# Every revision in order; the last is what this version of sanling expects. A test checks
# that this list is Alembic's history, so the per-command check needs no Alembic import.
REVISIONS = ["0001", "0002", "0003", "0004", "0005"]
HEAD = REVISIONS[-1]

BUSY_TIMEOUT_MS = 30_000


def default_path() -> Path:
    import typer

    return Path(typer.get_app_dir("sanling")) / "sanling.db"


def resolve_url(db: str | None) -> str:
    """--db / SANLING_DB: a file path or an SQLAlchemy URL; default in the user data folder."""
    value = db or os.environ.get("SANLING_DB") or str(default_path())
    if "://" in value:
        url = make_url(value)
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


def make_engine(url: str, *, write: bool) -> Engine:
    """An engine whose transactions are BEGIN IMMEDIATE on SQLite when `write`."""
    oneshot.resume()  # the command's imports are done: see sanling.oneshot
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy's "begin" event (below) issue BEGIN, not pysqlite.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
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
    except (OperationalError, ProgrammingError) as exc:
        if "alembic_version" in str(exc) or "no such table" in str(exc):
            return None
        raise_connection_error(exc, engine.url.render_as_string(hide_password=True))
        raise


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


@contextmanager
def session_scope(
    url: str, *, write: bool, check: bool = True, commit: bool = True
) -> Iterator[Session]:
    """One transaction: committed if the block succeeds, rolled back (nothing saved) if not.

    `commit=False` takes the writer's lock but rolls back at the end (a dry run)."""
    engine = make_engine(url, write=write)
    try:
        if check:
            check_schema(engine, url)
        with Session(engine, expire_on_commit=False, autoflush=True) as session:
            try:
                yield session
                if write and commit:
                    session.commit()
                else:
                    session.rollback()
            except BaseException:
                session.rollback()
                raise
    except OperationalError as exc:
        message = str(exc.orig) if exc.orig else str(exc)
        if "locked" in message or "busy" in message:
            raise SanlingError(
                tr(
                    "台账正被他人写入，等待超时",
                    "the ledger is busy (another writer held it too long)",
                ),
                tr("稍后再试", "try again in a moment"),
            )
        raise_connection_error(exc, display(url))
    finally:
        engine.dispose()


def create_private_file(path: Path) -> None:
    """Create an empty ledger file readable by its owner only (it holds personal data)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def backup_sqlite(source: Path, target: Path) -> None:
    """An online backup (SQLite's backup API): consistent while others write."""
    tmp = target.with_name(target.name + ".part")
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
