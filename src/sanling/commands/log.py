"""sanling log: the audit log, newest first (操作日志)."""

from typing import Annotated

import typer

from sanling.commands.common import Format, Output, emit, reading
from sanling.i18n import tr


def register_top(app: typer.Typer) -> None:
    app.command("log")(log)


def log(
    ref: Annotated[str | None, typer.Option(help="only this record 编号")] = None,
    since: Annotated[str | None, typer.Option(help="from this date 起始日期")] = None,
    limit: Annotated[
        int, typer.Option(help="at most this many entries 条数", min=1, max=100_000)
    ] = 50,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """The audit log: who changed what, when, before and after (操作日志)."""
    from sanling.ledger import audit
    from sanling.render import PHRASES, Column, Listing

    with reading() as ledger:
        start = ledger.optional_date(since, "--since")
        rows = audit.entries(ledger, ref=ref, since=start, limit=limit)
        columns = [
            Column("at"),
            Column("operator"),
            Column("action", tr("操作", "action")),
            Column("ref"),
            # `字段=值；…` wraps between fields, never inside a reference or a date.
            Column("before", fit=PHRASES),
            Column("after", fit=PHRASES),
        ]
        emit(Listing(columns, rows), fmt, output)
