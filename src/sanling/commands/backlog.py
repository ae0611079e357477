"""sanling backlog: backlog petition cases assigned from above (信访积案): one ledger and one
plan per case (一案一台账、一案一施策), closed (办结) and settled (化解) kept apart."""

from typing import TYPE_CHECKING, Annotated

import typer

from sanling.codes import AssignedBy, BacklogOutcome
from sanling.commands import corrections, supervision
from sanling.commands.common import (
    Format,
    Limit,
    Output,
    add_record,
    by_ref,
    emit_list,
    emit_read,
    step,
)
from sanling.commands.options import (
    Date,
    OnlyVillage,
    Town,
    Village,
    code_option,
    command_group,
    titled,
)
from sanling.i18n import header_in, tr

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.render import Detail

app = command_group()

COLUMNS = [
    "ref",
    "assigned_by",
    "assigned_on",
    "village",
    "petitioner",
    "summary",
    "lead",
    "deadline",
    "overdue",
    "closed_on",
    "outcome",
]
LOG = ["date", "kind", "text", "operator"]

Ref = Annotated[str, typer.Argument(help="reference number, e.g. JA-2026-0001 编号")]

# The required --outcome of `close` and `settle`.
Outcome = Annotated[
    BacklogOutcome,
    code_option(BacklogOutcome, "--outcome", help="settled|stabilized|unsettled 化解情况"),
]


Reveal = Annotated[
    bool,
    typer.Option(
        "--reveal",
        help="show the petitioner unmasked; the read is written to the audit log"
        " 显示信访人明文（记入操作日志）",
    ),
]


def _detail(ledger: "Ledger", ref: str) -> "Detail":
    from sanling.ledger import backlog
    from sanling.render import Detail, Listing

    fields, notes = backlog.detail(ledger, ref)
    log = Listing.of(LOG, notes, key="notes", title=tr("一案一台账", "case ledger"))
    titles = {"deadline": header_in("backlog_cases", "deadline")}  # 办结时限, not 化解时限
    return supervision.supervised(ledger, "backlog", Detail(fields, [log], titles=titles))


_shown = by_ref(_detail)


@app.command("add")
def add(
    assigned_by: Annotated[
        AssignedBy,
        code_option(AssignedBy, "--assigned-by", help="county|city|province 交办层级"),
    ],
    village: Village,
    petitioner: Annotated[str, typer.Option(help="the petitioner 信访人")],
    summary: Annotated[str, typer.Option(help="what the case is about 简要情况")],
    lead: Annotated[str, typer.Option(help="leader on the case 包案领导")],
    plan: Annotated[str, typer.Option(help="the plan for this case 一案一策措施")],
    deadline: Annotated[str, typer.Option(help="deadline 办结时限")],
    date: Annotated[str | None, typer.Option(help="date assigned 交办日期 (default today)")] = None,
    unit: Annotated[str | None, typer.Option(help="responsible unit 责任单位")] = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Register a backlog case assigned from above (登记信访积案)."""
    add_record("backlog", locals(), _shown)


@app.command("progress")
def progress(
    ref: Ref,
    text: Annotated[str, typer.Argument(help="what was done 工作进展")],
    date: Date = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Log progress on a backlog case (记录进展)."""
    step("backlog", "progress", _shown, fmt, output, ref, text, date=date)


def _outcome_command(action: str, help: str) -> None:
    """`close` and `settle` take the same options and differ only in the ledger's step."""

    def command(
        ref: Ref,
        outcome: Outcome,
        date: Date = None,
        fmt: Format = "table",
        output: Output = None,
    ) -> None:
        step("backlog", action, _shown, fmt, output, ref, outcome=outcome, date=date)

    app.command(action, help=help)(command)


_outcome_command("close", "Close a backlog case (办结) and record its outcome (化解情况).")
_outcome_command(
    "settle", "Change a backlog case's outcome later, e.g. stabilized to settled (变更化解情况)."
)


@app.command("list")
def list_(
    village: OnlyVillage = None,
    assigned_by: Annotated[
        AssignedBy | None, code_option(AssignedBy, "--assigned-by", help="交办层级")
    ] = None,
    open_: Annotated[bool, typer.Option("--open", help="only cases not closed 未办结")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="only overdue cases 逾期")] = False,
    outcome: Annotated[
        BacklogOutcome | None, code_option(BacklogOutcome, "--outcome", help="化解情况")
    ] = None,
    reveal: Reveal = False,
    town: Town = None,
    voided: corrections.Voided = False,
    fmt: Format = "table",
    output: Output = None,
    limit: Limit = None,
) -> None:
    """List backlog cases, soonest deadline first, petitioners masked unless --reveal
    (积案台账)."""
    from sanling.ledger import backlog

    filters = dict(
        village=village,
        town=town,
        assigned_by=assigned_by,
        open_only=open_,
        overdue=overdue,
        outcome=outcome,
    )
    emit_list(
        titled(COLUMNS, {"deadline": header_in("backlog_cases", "deadline")}),
        backlog.listing,
        filters,
        fmt,
        output,
        voided="backlog" if voided else None,
        limit=limit,
        reveal="backlog" if reveal else None,
    )


@app.command("show")
def show(ref: Ref, reveal: Reveal = False, fmt: Format = "table", output: Output = None) -> None:
    """Show a backlog case with its ledger of progress, the petitioner masked unless --reveal
    (积案详情)."""
    noun = "backlog" if reveal else None
    emit_read(lambda ledger: _detail(ledger, ref), fmt, output, reveal=noun)


corrections.register(app, "backlog", _shown)
supervision.register(app, "backlog", _shown)
