"""Options and output shared by every report command (format, -o, --town, --explain)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanling.commands.common import ReportFormat, emit
from sanling.commands.common import ReportOutput as Output
from sanling.commands.options import OnlyTown as TownOpt
from sanling.render import REPORT_FORMATS

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.reports.base import ReportBase

# The format, -o and --town options are the ones every command shares; the report commands
# take them from here along with their own.
__all__ = [
    "AsRecorded",
    "ByTown",
    "Explain",
    "ExplainAppraisal",
    "ExplainCompliance",
    "Output",
    "ReportFormat",
    "TownOpt",
    "emit_report",
    "show",
]

ByTown = Annotated[bool, typer.Option("--by-town", help="add a table of towns (county) 分乡镇")]


def _explain(example: str) -> Any:
    """The --explain option, its example a key of the command's own report."""
    return typer.Option(
        "--explain", help=f"list the records behind one figure, e.g. {example} 明细", metavar="KEY"
    )


Explain = Annotated[str | None, _explain("totals.overdue")]
ExplainCompliance = Annotated[str | None, _explain("kinds.village.gap")]
ExplainAppraisal = Annotated[str | None, _explain("summary.vetoed")]

AsRecorded = Annotated[
    str | None,
    typer.Option(
        "--as-recorded",
        help="the report as the ledger stood at this moment (ISO 8601, town time; "
        "a date alone = its end) 按当时台账重现",
        metavar="DATETIME",
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
    build: Callable[[Ledger], ReportBase],
    fmt: str,
    output: Path | None,
    explain: str | None,
    as_recorded: str | None = None,
) -> ReportBase:
    """Build a report from the ledger (read only) and print it, or one figure's records.

    With `as_recorded`, from the ledger as it stood then: the later audit entries are undone in
    a transaction that holds the writer's lock and is always rolled back."""
    from sanling.commands.common import reading

    with reading(lock=as_recorded is not None) as lx:
        if as_recorded is not None:
            from sanling.ledger import recorded

            recorded.rewind(lx, recorded.parse_moment(as_recorded, lx.policy.timezone))
        built = build(lx)
        emit_report(built, fmt, output, explain)
    return built
