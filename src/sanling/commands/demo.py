"""sanling demo: build the demo ledger of 城庄镇 and print its headline reports."""

from pathlib import Path
from typing import Annotated

import typer

from sanling.commands.common import emit, say
from sanling.i18n import tr


def register_top(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="where to write the demo ledger (default ./sanling-demo.db) 演示台账",
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="replace an existing file 覆盖")] = False,
) -> None:
    """Build the demo ledger of 城庄镇 (invented records) and print its reports (演示台账)."""
    from sanling import demo as demo_ledger
    from sanling.db import resolve_url, session_scope
    from sanling.errors import Duplicate
    from sanling.ledger.base import Ledger
    from sanling.migrate import to_head
    from sanling.reports import annual, grading

    # The demo never touches SANLING_DB or the global --db: it writes its own file.
    path = (db or Path("sanling-demo.db")).expanduser().resolve()
    if path.exists():
        if not force:
            raise Duplicate(
                tr("{p} 已存在", "{p} exists already", p=path),
                tr("加 --force 重新生成", "add --force to build it again"),
            )
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    url = resolve_url(str(path))
    try:
        to_head(url, backup=False)
        with session_scope(url, write=True) as session:
            lx = Ledger(session, operator="demo", today=demo_ledger.AS_OF)
            demo_ledger.build(lx)
            session.flush()
            # Grades come out of the grading report under the default policy, as a clerk's
            # `sanling report grading --apply` would record them.
            grading.apply(lx, grading.build(lx, demo_ledger.AS_OF))
    except BaseException:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        raise
    with session_scope(url, write=False) as session:
        lx = Ledger(session, today=demo_ledger.AS_OF)
        emit(annual.build(lx, demo_ledger.YEAR))
    say(
        tr(
            "演示台账已写入 {p}（记录均为虚构，截至 2026-10-31）。试试：\n"
            "  export SANLING_DB={p} SANLING_TODAY=2026-10-31\n"
            "  sanling report bulletin --format text",
            "The demo ledger is in {p} (invented records, as of 2026-10-31). Try:\n"
            "  export SANLING_DB={p} SANLING_TODAY=2026-10-31\n"
            "  sanling report bulletin --format text",
            p=path,
        )
    )
