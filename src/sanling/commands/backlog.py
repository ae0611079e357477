"""sanling backlog: backlog petition cases assigned from above (信访积案): one ledger and one
plan per case (一案一台账、一案一施策), closed (办结) and settled (化解) kept apart."""

from typing import Annotated, Any

import typer

from sanling.codes import AssignedBy, BacklogOutcome
from sanling.commands.common import Format, Output, code_option, emit, reading, writing
from sanling.commands.options import Date, OnlyVillage, Town, Village, command_group
from sanling.i18n import tr

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


def _outcome() -> Any:
    """The required --outcome of `close` and `settle`."""
    return code_option(
        BacklogOutcome, "--outcome", help="settled|stabilized|unsettled 化解情况", default=...
    )


def _detail(lx: Any, ref: str) -> Any:
    from sanling.ledger import backlog
    from sanling.render import Detail, Listing

    fields, notes = backlog.detail(lx, ref)
    return Detail(
        fields, [Listing.of(LOG, notes, key="notes", title=tr("一案一台账", "case ledger"))]
    )


@app.command("add")
def add(
    assigned_by: AssignedBy = code_option(
        AssignedBy, "--assigned-by", help="county|city|province 交办层级", default=...
    ),
    village: Village = ...,  # type: ignore[assignment]
    petitioner: Annotated[str, typer.Option(help="the petitioner 信访人")] = ...,  # type: ignore[assignment]
    summary: Annotated[str, typer.Option(help="what the case is about 简要情况")] = ...,  # type: ignore[assignment]
    lead: Annotated[str, typer.Option(help="leader on the case 包案领导")] = ...,  # type: ignore[assignment]
    plan: Annotated[str, typer.Option(help="the plan for this case 一案一策措施")] = ...,  # type: ignore[assignment]
    deadline: Annotated[str, typer.Option(help="deadline 办结时限")] = ...,  # type: ignore[assignment]
    date: Annotated[str | None, typer.Option(help="date assigned 交办日期 (default today)")] = None,
    unit: Annotated[str | None, typer.Option(help="responsible unit 责任单位")] = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Register a backlog case assigned from above (登记信访积案)."""
    from sanling.ledger import backlog
    from sanling.schemas import BacklogIn, validate

    data = validate(
        BacklogIn,
        dict(
            assigned_by=assigned_by,
            village=village,
            petitioner=petitioner,
            summary=summary,
            lead=lead,
            plan=plan,
            deadline=deadline,
            date=date,
            unit=unit,
            town=town,
        ),
    )
    with writing() as lx:
        case = backlog.add(lx, data)
        emit(_detail(lx, case.ref), fmt, output)


@app.command("progress")
def progress(
    ref: Ref,
    text: Annotated[str, typer.Argument(help="what was done 工作进展")],
    date: Date = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Log progress on a backlog case (记录进展)."""
    from sanling.ledger import backlog

    with writing() as lx:
        case = backlog.progress(lx, ref, text, date=date)
        emit(_detail(lx, case.ref), fmt, output)


@app.command("close")
def close(
    ref: Ref,
    outcome: BacklogOutcome = _outcome(),
    date: Date = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Close a backlog case (办结) and record its outcome (化解情况)."""
    from sanling.ledger import backlog

    with writing() as lx:
        case = backlog.close(lx, ref, outcome=outcome, date=date)
        emit(_detail(lx, case.ref), fmt, output)


@app.command("settle")
def settle(
    ref: Ref,
    outcome: BacklogOutcome = _outcome(),
    date: Date = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Change a backlog case's outcome later, e.g. stabilized to settled (变更化解情况)."""
    from sanling.ledger import backlog

    with writing() as lx:
        case = backlog.settle(lx, ref, outcome=outcome, date=date)
        emit(_detail(lx, case.ref), fmt, output)


@app.command("list")
def list_(
    village: OnlyVillage = None,
    assigned_by: AssignedBy | None = code_option(AssignedBy, "--assigned-by", help="交办层级"),
    open_: Annotated[bool, typer.Option("--open", help="only cases not closed 未办结")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="only overdue cases 逾期")] = False,
    outcome: BacklogOutcome | None = code_option(BacklogOutcome, "--outcome", help="化解情况"),
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """List backlog cases, soonest deadline first (积案台账)."""
    from sanling.ledger import backlog
    from sanling.render import Listing

    with reading() as lx:
        rows = backlog.listing(
            lx,
            village=village,
            town=town,
            assigned_by=assigned_by,
            open_only=open_,
            overdue=overdue,
            outcome=outcome,
        )
        emit(Listing.of(COLUMNS, rows), fmt, output)


@app.command("show")
def show(ref: Ref, fmt: Format = "table", output: Output = None) -> None:
    """Show a backlog case with its ledger of progress (积案详情)."""
    with reading() as lx:
        emit(_detail(lx, ref), fmt, output)
