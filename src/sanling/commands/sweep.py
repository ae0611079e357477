"""sanling sweep: half-monthly sweeps (半月一排查); one with no findings is a 零报告."""

from typing import TYPE_CHECKING, Annotated

import typer

from sanling.codes import SweepScope
from sanling.commands import corrections
from sanling.commands.common import Format, Limit, Output, add_record, emit_list
from sanling.commands.options import FromDate, ToDate, code_option, command_group

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.models import Sweep
    from sanling.render import Detail

app = command_group()

# A sweep's --town, in its own words.
SweepTown = Annotated[str | None, typer.Option(help="town 乡镇")]

COLUMNS = ["ref", "date", "subject", "kind", "by", "scope", "findings_count", "zero_report", "note"]


def _shown(ledger: "Ledger", sweep: "Sweep") -> "Detail":
    """A new sweep as its list shows it (no findings yet)."""
    from sanling.ledger import sweep as sweeps
    from sanling.render import Detail

    subject = sweep.subject
    return Detail(sweeps.row(sweep, subject.name, subject.kind, subject.town.name, 0))


@app.command("add")
def add(
    subject: Annotated[str, typer.Option(help="subject swept 排查主体")],
    by: Annotated[str, typer.Option(help="who swept 排查人")],
    date: Annotated[str | None, typer.Option(help="date 排查日期 (default today)")] = None,
    scope: Annotated[
        SweepScope, code_option(SweepScope, "--scope", help="disputes|hazards|both 排查范围")
    ] = SweepScope.both,
    note: Annotated[str | None, typer.Option(help="note 备注")] = None,
    town: SweepTown = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Record a sweep of one subject (登记排查)."""
    add_record("sweep", locals(), _shown)


@app.command("list")
def list_(
    subject: Annotated[str | None, typer.Option(help="only this subject 主体")] = None,
    from_: FromDate = None,
    to: ToDate = None,
    zero: Annotated[bool, typer.Option("--zero", help="zero reports only 仅零报告")] = False,
    town: SweepTown = None,
    voided: corrections.Voided = False,
    fmt: Format = "table",
    output: Output = None,
    limit: Limit = None,
) -> None:
    """List sweeps, newest first (排查记录)."""
    from sanling.ledger import sweep as sweeps

    filters = dict(subject=subject, town=town, zero_only=zero)
    emit_list(
        COLUMNS,
        sweeps.listing,
        filters,
        fmt,
        output,
        dates=(from_, to),
        voided="sweep" if voided else None,
        limit=limit,
    )


corrections.register(app, "sweep", _shown, show=True)
