"""sanling dispute: disputes (矛盾纠纷) from intake to resolution, with their progress log."""

from typing import Annotated, Any

import typer

from sanling.codes import DisputeCategory, DisputeSource, DisputeStatus, ResolutionMethod, Risk
from sanling.commands.common import Format, Output, code_option, emit, reading, writing
from sanling.commands.options import (
    Date,
    OnlyVillage,
    Subject,
    Town,
    Village,
    command_group,
    date_range,
    status_parser,
)
from sanling.i18n import tr

app = command_group()

COLUMNS = [
    "ref",
    "village",
    "found",
    "category",
    "summary",
    "risk",
    "handler",
    "deadline",
    "status",
    "overdue",
    "days_overdue",
    "due_soon",
]
LOG = ["date", "kind", "status", "text", "operator"]
DERIVED = ("overdue", "due-soon")

Ref = Annotated[str, typer.Argument(help="reference number, e.g. JF-2026-0007 编号")]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="compute overdue and due soon as of this date 统计日期 (default today)"
    ),
]


def _detail(lx: Any, ref: str, as_of: str | None = None) -> Any:
    from sanling.ledger import dispute as disputes
    from sanling.render import Detail, Listing

    day = lx.date(as_of, "--as-of", allow_future=True) if as_of else None
    fields, notes = disputes.detail(lx, ref, as_of=day)
    return Detail(
        fields, [Listing.of(LOG, notes, key="notes", title=tr("化解台账", "progress log"))]
    )


@app.command("add")
def add(
    village: Village,
    category: DisputeCategory = code_option(
        DisputeCategory,
        "--category",
        help="category 类别 (land 土地山林, debt 债务 ...)",
        default=...,
    ),
    summary: Annotated[str, typer.Option(help="what happened 简要情况")] = ...,  # type: ignore[assignment]
    handler: Annotated[str, typer.Option(help="first handler 首办责任人")] = ...,  # type: ignore[assignment]
    subject: Subject = None,
    parties: Annotated[str | None, typer.Option(help="the parties 当事人")] = None,
    people: Annotated[int | None, typer.Option(help="people involved 涉及人数 (default 2)")] = None,
    risk: Risk = code_option(Risk, "--risk", help="low|medium|high 风险等级", default=Risk.low),
    lead: Annotated[str | None, typer.Option(help="leader on the case 包案领导")] = None,
    source: DisputeSource = code_option(
        DisputeSource, "--source", help="where it came from 来源", default=DisputeSource.sweep
    ),
    found: Annotated[str | None, typer.Option(help="date found 排查时间 (default today)")] = None,
    deadline: Annotated[
        str | None, typer.Option(help="deadline 化解时限 (default found + 15 days, high risk + 7)")
    ] = None,
    sweep: Annotated[str | None, typer.Option(help="the sweep that found it 排查记录编号")] = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Register a dispute (登记矛盾纠纷)."""
    from sanling.ledger import dispute as disputes
    from sanling.schemas import DisputeIn, validate

    data = validate(
        DisputeIn,
        dict(
            village=village,
            subject=subject,
            category=category,
            summary=summary,
            handler=handler,
            parties=parties,
            people=people,
            risk=risk,
            lead=lead,
            source=source,
            found=found,
            deadline=deadline,
            sweep=sweep,
            town=town,
        ),
    )
    with writing() as lx:
        d = disputes.add(lx, data)
        emit(_detail(lx, d.ref), fmt, output)


@app.command("progress")
def progress(
    ref: Ref,
    text: Annotated[str, typer.Argument(help="what was done 进展情况")],
    status: DisputeStatus | None = code_option(
        DisputeStatus,
        "--status",
        help="in_progress|stabilized 化解中/稳控 (optional status change)",
    ),
    date: Date = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Log progress on a dispute, optionally changing its status (记录化解进展)."""
    from sanling.ledger import dispute as disputes

    with writing() as lx:
        d = disputes.progress(lx, ref, text, status=status, date=date)
        emit(_detail(lx, d.ref), fmt, output)


@app.command("resolve")
def resolve(
    ref: Ref,
    method: ResolutionMethod = code_option(
        ResolutionMethod,
        "--method",
        help="mediation|legal|administrative|petition 化解方式",
        default=...,
    ),
    result: Annotated[str, typer.Option(help="the outcome 化解情况")] = ...,  # type: ignore[assignment]
    date: Date = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Mark a dispute resolved (化解)."""
    from sanling.ledger import dispute as disputes

    with writing() as lx:
        d = disputes.resolve(lx, ref, method=method, result=result, date=date)
        emit(_detail(lx, d.ref), fmt, output)


@app.command("refer")
def refer(
    ref: Ref,
    to: Annotated[str, typer.Option("--to", help="the body it is handed to 移交单位")],
    date: Date = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Refer a dispute to another body; it leaves the town's open list (移交)."""
    from sanling.ledger import dispute as disputes

    with writing() as lx:
        d = disputes.refer(lx, ref, to=to, date=date)
        emit(_detail(lx, d.ref), fmt, output)


@app.command("review")
def review(
    ref: Ref,
    note: Annotated[str, typer.Option("--note", help="what the review decided 研判意见")],
    date: Date = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Record a collective review of a dispute (集体研判)."""
    from sanling.ledger import dispute as disputes

    with writing() as lx:
        d = disputes.review(lx, ref, note=note, date=date)
        emit(_detail(lx, d.ref), fmt, output)


@app.command("list")
def list_(
    village: OnlyVillage = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            parser=status_parser(DisputeStatus),
            metavar="open|in_progress|resolved|stabilized|referred|overdue|due-soon",
            help="status 状态, or overdue 逾期 / due-soon 临期",
        ),
    ] = None,
    category: DisputeCategory | None = code_option(
        DisputeCategory, "--category", help="category 类别"
    ),
    handler: Annotated[str | None, typer.Option(help="first handler 首办责任人")] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="found on or after 排查时间起")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="found on or before 排查时间止")] = None,
    as_of: AsOf = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """List disputes, soonest deadline first (纠纷台账)."""
    from sanling.ledger import dispute as disputes
    from sanling.render import Listing

    with reading() as lx:
        day = lx.date(as_of, "--as-of", allow_future=True) if as_of else lx.today
        start, end = date_range(lx, from_, to)
        rows = disputes.listing(
            lx,
            village=village,
            town=town,
            status=status,
            category=category,
            handler=handler,
            start=start,
            end=end,
            as_of=day,
        )
        emit(Listing.of(COLUMNS, rows), fmt, output)


@app.command("show")
def show(
    ref: Ref,
    as_of: AsOf = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Show a dispute with its progress log (纠纷详情)."""
    with reading() as lx:
        emit(_detail(lx, ref, as_of), fmt, output)
