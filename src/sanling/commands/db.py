"""sanling init and sanling db: create, upgrade, inspect, back up and check a ledger."""

from pathlib import Path
from typing import Annotated

import typer

from sanling.commands.common import Format, Output, emit, say, state
from sanling.commands.options import command_group
from sanling.errors import os_reason
from sanling.i18n import tr

app = command_group()


def register_top(root: typer.Typer) -> None:
    root.command("init")(init)


def init(
    town: Annotated[str | None, typer.Option(help="the town that keeps this ledger 乡镇")] = None,
    county: Annotated[str | None, typer.Option(help="its county 县")] = None,
    timezone: Annotated[str | None, typer.Option(help="time zone, e.g. Asia/Shanghai 时区")] = None,
    parents: Annotated[
        bool, typer.Option("--parents", help="create missing parent folders 创建上级文件夹")
    ] = False,
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
    _check_new_ledger(url, parents)
    from sanling.migrate import to_head

    before, head = to_head(url, backup=True, tell=say)
    _make_private(url)
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


def _make_private(url: str) -> None:
    """A ledger others could read (0644) is made its owner's only, and `init` says so."""
    from sanling.backup import make_private

    path = make_private(url)
    if path is not None:
        say(
            tr(
                "台账 {p} 含个人信息，已改为仅所有者可读写（0600）",
                "the ledger {p} holds personal data: made readable by its owner only (0600)",
                p=path,
            )
        )


def _check_new_ledger(url: str, parents: bool) -> None:
    """`init` makes a ledger in a folder that exists (a mistyped path is not created unless
    --parents), and never adds sanling's tables to a database that holds other tables."""
    from sqlalchemy import create_engine

    from sanling.db import current_revision, display, make_engine, other_tables, sqlite_path
    from sanling.errors import SanlingError

    path = sqlite_path(url)
    if path is not None and not path.exists():
        if not path.parent.is_dir():
            if not parents:
                raise SanlingError(
                    tr(
                        "文件夹 {d} 不存在",
                        "the folder {d} does not exist",
                        d=path.parent,
                    ),
                    tr(
                        "检查路径；要新建文件夹，加 --parents",
                        "check the path; add --parents to create it",
                    ),
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise SanlingError(
                    tr(
                        "无法创建 {d}：{r}",
                        "cannot create {d}: {r}",
                        d=path.parent,
                        r=os_reason(exc),
                    ),
                    tr("检查路径和权限", "check the path and its permissions"),
                )
        return
    # Looked at without sanling's own set-up, which would turn the file to WAL mode.
    engine = create_engine(url) if path is not None else make_engine(url, write=False)
    try:
        if current_revision(engine) is None and (tables := other_tables(engine)):
            raise SanlingError(
                tr(
                    "{w} 不是 sanling 台账，里面已有别的表（{t}），不会改动它",
                    "{w} is not a sanling ledger: it holds other tables ({t}); left as it is",
                    w=display(url),
                    t=", ".join(tables[:5]) + ("…" if len(tables) > 5 else ""),
                ),
                tr(
                    "换一个新文件或空数据库给 --db",
                    "give --db a new file or an empty database",
                ),
            )
    finally:
        engine.dispose()


@app.command("upgrade")
def upgrade() -> None:
    """Apply migrations, backing up an SQLite ledger first (升级台账结构)."""
    from sanling.backup import require_ledger
    from sanling.db import display
    from sanling.migrate import to_head

    url = state.url
    require_ledger(url)
    before, head = to_head(url, backup=True, tell=say)
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
    from sanling import backup as ledger_file
    from sanling.render import Detail, Listing

    fields, counts = ledger_file.status(state.url)
    emit(Detail(fields, [Listing.of(["table", "count"], counts, key="counts")]), fmt, output)


@app.command("backup")
def backup(
    path: Annotated[Path, typer.Argument(help="backup file to write 备份文件", dir_okay=False)],
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing file 覆盖")] = False,
) -> None:
    """An online backup, safe while others write (在线备份)."""
    from sanling import backup as ledger_file

    target = ledger_file.backup(state.url, path, force=force)
    say(tr("已备份到 {p}", "backed up to {p}", p=target))


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
    from sanling import backup as ledger_file
    from sanling.db import display
    from sanling.render import Listing

    url = state.url
    try:
        source = ledger_file.restore(url, path, force=force, tell=say)
    except ledger_file.RestoreRefused as exc:
        emit(Listing.of(["problem"], [{"problem": p} for p in exc.problems]), fmt, output)
        raise
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
            help="an audit_head printed earlier by `db status`: the log must still hold it"
            " 审计锚点",
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
    raise SanlingError(
        tr(
            "发现 {n} 个问题",
            "1 problem found" if len(found) == 1 else "{n} problems found",
            n=len(found),
        )
    )
