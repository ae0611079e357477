"""sanling init and sanling db: create, upgrade, inspect, back up and check a ledger."""

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from sanling.commands.common import Format, Output, emit, say, state
from sanling.commands.options import command_group
from sanling.i18n import tr

app = command_group()


def register_top(root: typer.Typer) -> None:
    root.command("init")(init)


def _migrate(url: str, *, backup: bool) -> tuple[str | None, str]:
    """Bring the ledger to the newest schema; back up an existing SQLite ledger first."""
    from sanling import migrate
    from sanling.db import (
        HEAD,
        backup_sqlite,
        create_private_file,
        current_revision,
        make_engine,
        sqlite_path,
    )

    path = sqlite_path(url)
    if path is not None and not path.exists():
        create_private_file(path)
    engine = make_engine(url, write=False)
    try:
        before = current_revision(engine)
        if before != HEAD:
            if backup and before is not None and path is not None:
                stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
                target = path.with_name(f"{path.stem}.before-{HEAD}-{stamp}{path.suffix or '.db'}")
                backup_sqlite(path, target)
                say(tr("已备份到 {p}", "backed up to {p}", p=target))
            migrate.upgrade(engine)
        return before, HEAD
    finally:
        engine.dispose()


def init(
    town: Annotated[str | None, typer.Option(help="the town that keeps this ledger 乡镇")] = None,
    county: Annotated[str | None, typer.Option(help="its county 县")] = None,
    timezone: Annotated[str | None, typer.Option(help="time zone, e.g. Asia/Shanghai 时区")] = None,
) -> None:
    """Create the ledger, or upgrade it; safe to run twice (初始化台账)."""
    from sanling import config
    from sanling.commands.common import writing
    from sanling.db import display
    from sanling.ledger import settings
    from sanling.ledger import town as towns

    url = state.url
    if timezone:
        config.parse_value("timezone", timezone)
    before, head = _migrate(url, backup=True)
    with writing() as lx:
        settings.init_defaults(lx, timezone)
        if town:
            towns.ensure(lx, town, county)
    if before is None:
        say(
            tr(
                "已创建台账 {w}（结构版本 {h}）",
                "created the ledger {w} (schema {h})",
                w=display(url),
                h=head,
            )
        )
    elif before != head:
        say(
            tr(
                "已升级台账 {w}：{b} → {h}",
                "upgraded the ledger {w}: {b} -> {h}",
                w=display(url),
                b=before,
                h=head,
            )
        )
    else:
        say(
            tr(
                "台账 {w} 已是最新（结构版本 {h}）",
                "the ledger {w} is up to date (schema {h})",
                w=display(url),
                h=head,
            )
        )


@app.command("upgrade")
def upgrade() -> None:
    """Apply migrations, backing up an SQLite ledger first (升级台账结构)."""
    from sanling.db import LedgerMissing, display, sqlite_path

    url = state.url
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise LedgerMissing(
            tr("台账 {p} 不存在", "there is no ledger at {p}", p=path),
            tr("先运行 `sanling init`", "run `sanling init` first"),
        )
    before, head = _migrate(url, backup=True)
    if before == head:
        say(
            tr(
                "台账 {w} 已是最新（{h}）",
                "the ledger {w} is up to date ({h})",
                w=display(url),
                h=head,
            )
        )
    else:
        say(
            tr(
                "已升级 {w}：{b} → {h}",
                "upgraded {w}: {b} -> {h}",
                w=display(url),
                b=before or "-",
                h=head,
            )
        )


@app.command("status")
def status(fmt: Format = "table", output: Output = None) -> None:
    """Schema revision, record counts and file size (台账状态)."""
    from sqlalchemy import func, inspect, select

    from sanling.db import HEAD, LedgerMissing, current_revision, display, make_engine, sqlite_path
    from sanling.models import AuditEntry, Base
    from sanling.render import Detail, Listing

    url = state.url
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise LedgerMissing(
            tr("台账 {p} 不存在", "there is no ledger at {p}", p=path),
            tr("先运行 `sanling init`", "run `sanling init` first"),
        )
    engine = make_engine(url, write=False)
    try:
        revision = current_revision(engine)
        with engine.connect() as conn:
            present = set(inspect(conn).get_table_names())
            counts = [
                {
                    "table": name,
                    "count": conn.execute(select(func.count()).select_from(table)).scalar(),
                }
                for name, table in sorted(Base.metadata.tables.items())
                if name in present
            ]
            # The newest audit hash: copied somewhere else (a paper ledger, a message), it lets
            # `db check --anchor HASH` prove later that the log was not rewritten or cut back.
            head_hash = (
                conn.execute(
                    select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
                ).scalar()
                if "audit_log" in present
                else None
            )
    finally:
        engine.dispose()
    state_text = (
        "ok"
        if revision == HEAD
        else "needs upgrade: run `sanling db upgrade`"
        if revision
        else "not initialised: run `sanling init`"
    )
    fields = {
        "ledger": display(url),
        "revision": revision,
        "head": HEAD,
        "state": state_text,
        "size_bytes": path.stat().st_size if path else None,
        "audit_head": head_hash,
    }
    emit(Detail(fields, [Listing.of(["table", "count"], counts, key="counts")]), fmt, output)


@app.command("backup")
def backup(
    path: Annotated[Path, typer.Argument(help="backup file to write 备份文件", dir_okay=False)],
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing file 覆盖")] = False,
) -> None:
    """An online backup, safe while others write (在线备份)."""
    from sanling.db import LedgerMissing, backup_sqlite, check_schema, make_engine, sqlite_path
    from sanling.errors import Duplicate, SanlingError

    url = state.url
    source = sqlite_path(url)
    target = path.expanduser().resolve()
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
    say(tr("已备份到 {p}", "backed up to {p}", p=target))


SQLITE_MAGIC = b"SQLite format 3\x00"


@app.command("restore")
def restore(
    path: Annotated[Path, typer.Argument(help="backup file to restore 备份文件", dir_okay=False)],
    force: Annotated[
        bool, typer.Option("--force", help="replace the existing ledger 覆盖现有台账")
    ] = False,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Restore the ledger from a backup, after checking it (从备份恢复台账).

    The backup is copied beside the ledger, upgraded if it was made by an older sanling, and
    checked like `sanling db check`; only a backup that passes replaces the ledger, in one
    step. An existing ledger is replaced only with --force. Stop other writers first.
    """
    import os
    import sqlite3

    from sanling import migrate
    from sanling.db import (
        BUSY_TIMEOUT_MS,
        HEAD,
        REVISIONS,
        backup_sqlite,
        current_revision,
        display,
        make_engine,
        session_scope,
        sqlite_path,
    )
    from sanling.errors import Duplicate, InvalidValue, NeedsUpgrade, SanlingError
    from sanling.ledger import check as checks
    from sanling.ledger.base import Ledger
    from sanling.render import Listing

    url = state.url
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
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.restore-{os.getpid()}")
    tmp_url = "sqlite:///" + str(tmp)

    def cleanup() -> None:
        for extra in ("", "-wal", "-shm", "-journal", ".part"):
            Path(str(tmp) + extra).unlink(missing_ok=True)

    try:
        try:
            backup_sqlite(source, tmp)  # a private copy: the backup itself is never changed
        except sqlite3.DatabaseError as exc:
            raise InvalidValue(
                tr("无法读取备份 {p}：{e}", "cannot read the backup {p}: {e}", p=source, e=exc)
            )
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
                say(
                    tr(
                        "备份已从 {b} 升级到 {h}",
                        "upgraded the backup from {b} to {h}",
                        b=revision,
                        h=HEAD,
                    )
                )
        finally:
            engine.dispose()
        with session_scope(tmp_url, write=False) as session:
            found = checks.problems(Ledger(session))
        if found:
            emit(Listing.of(["problem"], [{"problem": p} for p in found]), fmt, output)
            raise SanlingError(
                tr(
                    "备份未通过检查（{n} 个问题），台账未改动",
                    "the backup fails the checks ({n} problems); the ledger is unchanged",
                    n=len(found),
                )
            )
        for extra in ("-wal", "-shm"):
            Path(str(tmp) + extra).unlink(missing_ok=True)
        if target.exists():
            # Copy into the live file through SQLite, in one transaction: its WAL and any
            # reader stay consistent, and a crash leaves the old ledger or the new, never half.
            src = sqlite3.connect(str(tmp))
            try:
                dst = sqlite3.connect(str(target), timeout=BUSY_TIMEOUT_MS / 1000)
                try:
                    src.backup(dst)
                finally:
                    dst.close()
            finally:
                src.close()
            os.chmod(target, 0o600)
        else:
            os.replace(tmp, target)
    finally:
        cleanup()
    say(tr("已从 {s} 恢复台账 {t}", "restored the ledger {t} from {s}", s=source, t=display(url)))


@app.command("check")
def check(
    fmt: Format = "table",
    output: Output = None,
    anchor: Annotated[
        list[str] | None,
        typer.Option(
            "--anchor",
            metavar="HASH",
            help="an audit_head printed earlier by `db status`: the log must still hold it 审计锚点",
        ),
    ] = None,
) -> None:
    """Integrity and consistency checks; lists every problem found (台账检查).

    Checks the audit log's hash chain, that every record agrees with its audit trail, the
    reference numbers, links between records and, on SQLite, the file itself.
    """
    from sanling.commands.common import reading
    from sanling.errors import SanlingError
    from sanling.ledger import audit
    from sanling.ledger import check as checks
    from sanling.render import Listing

    with reading() as lx:
        found = checks.problems(lx)
        for value in anchor or []:
            found += audit.anchor_problems(lx, value)
    if not found:
        say(tr("检查通过，未发现问题", "check passed: no problems found"))
        return
    emit(Listing.of(["problem"], [{"problem": p} for p in found]), fmt, output)
    raise SanlingError(tr("发现 {n} 个问题", "{n} problems found", n=len(found)))
