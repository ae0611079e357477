"""Options and output shared by every report command (format, -o, --town, --explain)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sanling.commands.common import emit
from sanling.render import REPORT_FORMATS

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.reports.base import ReportBase

ReportFormat = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="table, json, csv, markdown, text, html or xlsx 输出格式",
        metavar="table|json|csv|markdown|text|html|xlsx",
    ),
]
Output = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="write to this file (atomically) 输出到文件", dir_okay=False
    ),
]
TownOpt = Annotated[str | None, typer.Option("--town", help="only this town 乡镇")]
ByTown = Annotated[bool, typer.Option("--by-town", help="add a table of towns (county) 分乡镇")]
Explain = Annotated[
    str | None,
    typer.Option(
        "--explain",
        help="list the records behind one figure, e.g. totals.overdue 明细",
        metavar="KEY",
    ),
]


def emit_report(report: ReportBase, fmt: str, output: Path | None, explain: str | None) -> None:
    """Print the report, or with --explain the records behind one of its figures."""
    if explain:
        # The records behind a figure are a plain listing: the listing formats only.
        emit(report.explain(explain), fmt, output)
        return
    if fmt in ("xlsx",) and output is None:
        from sanling.errors import UsageError
        from sanling.i18n import tr

        raise UsageError(tr("xlsx 需要用 -o 指定文件", "xlsx needs a file: add -o FILE"))
    emit(report, fmt, output, allowed=REPORT_FORMATS)


def show(
    build: Callable[[Ledger], ReportBase], fmt: str, output: Path | None, explain: str | None
) -> ReportBase:
    """Build a report from the ledger (read only) and print it, or one figure's records."""
    from sanling.commands.common import reading

    with reading() as lx:
        built = build(lx)
        emit_report(built, fmt, output, explain)
    return built
