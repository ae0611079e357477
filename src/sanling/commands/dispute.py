"""sanling dispute: disputes (矛盾纠纷) from intake to resolution, with their progress log."""

from typing import TYPE_CHECKING, Annotated

import typer

from sanling.codes import DisputeCategory, DisputeSource, DisputeStatus, ResolutionMethod, Risk
from sanling.commands import corrections, mediation, supervision
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
    Subject,
    Town,
    Village,
    code_option,
    command_group,
    status_parser,
)
from sanling.i18n import tr

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.render import Detail

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

Ref = Annotated[str, typer.Argument(help="reference number, e.g. JF-2026-0007 编号")]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="compute overdue and due soon as of this date 统计日期 (default today)"
    ),
]


def _detail(ledger: "Ledger", ref: str, as_of: str | None = None) -> "Detail":
    from sanling.ledger import dispute as disputes
    from sanling.ledger import mediation
    from sanling.models import Dispute
    from sanling.render import Detail, Listing

    day = ledger.date(as_of, "--as-of", allow_future=True) if as_of else None
    fields, notes = disputes.detail(ledger, ref, as_of=day)
    record = ledger.record(Dispute, ref)
    sections = [Listing.of(LOG, notes, key="notes", title=tr("化解台账", "progress log"))]
    if record.agreed_on is not None:  # the mediation agreement and its follow-ups (回访)
        fields |= mediation.fields(record, ledger.policy)
        visits = mediation.followups(record)
        title = tr("回访记录", "follow-ups")
        sections.append(
            Listing.of(list(mediation.FOLLOWUP_COLUMNS), visits, key="followups", title=title)
        )
    return supervision.supervised(ledger, "dispute", Detail(fields, sections), day)


_shown = by_ref(_detail)


@app.command("add")
def add(
    village: Village,
    category: Annotated[
        DisputeCategory,
        code_option(
            DisputeCategory,
            "--category",
            help="category 类别 (housing_land 房屋宅基地, labour 劳动争议 ...)",
        ),
    ],
    summary: Annotated[str, typer.Option(help="what happened 简要情况")],
    handler: Annotated[str, typer.Option(help="first handler 首办责任人")],
    subject: Subject = None,
    parties: Annotated[str | None, typer.Option(help="the parties 当事人")] = None,
    people: Annotated[int | None, typer.Option(help="people involved 涉及人数 (default 2)")] = None,
    risk: Annotated[Risk, code_option(Risk, "--risk", help="low|medium|high 风险等级")] = Risk.low,
    lead: Annotated[str | None, typer.Option(help="leader on the case 包案领导")] = None,
    source: Annotated[
        DisputeSource, code_option(DisputeSource, "--source", help="where it came from 来源")
    ] = DisputeSource.sweep,
    found: Annotated[str | None, typer.Option(help="date found 排查时间 (default today)")] = None,
    deadline: Annotated[
        str | None, typer.Option(help="deadline 化解时限 (default found + 15 days, high risk + 7)")
    ] = None,
    sweep: Annotated[str | None, typer.Option(help="the sweep that found it 排查记录编号")] = None,
    town: Town = None,
    prevented_criminal: Annotated[
        bool,
        typer.Option(
            "--prevented-criminal", help="its mediation prevented a criminal case 防止民转刑"
        ),
    ] = False,
    prevented_group_petition: Annotated[
        bool,
        typer.Option(
            "--prevented-group-petition",
            help="its mediation prevented a group petition 防止群体性上访",
        ),
    ] = False,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Register a dispute (登记矛盾纠纷)."""
    add_record("dispute", locals(), _shown)


@app.command("progress")
def progress(
    ref: Ref,
    text: Annotated[str, typer.Argument(help="what was done 进展情况")],
    status: Annotated[
        DisputeStatus | None,
        code_option(
            DisputeStatus,
            "--status",
            help="in_progress|stabilized 化解中/稳控 (optional status change)",
        ),
    ] = None,
    date: Date = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Log progress on a dispute, optionally changing its status (记录化解进展)."""
    step("dispute", "progress", _shown, fmt, output, ref, text, status=status, date=date)


@app.command("resolve")
def resolve(
    ref: Ref,
    method: Annotated[
        ResolutionMethod,
        code_option(
            ResolutionMethod, "--method", help="mediation|legal|administrative|petition 化解方式"
        ),
    ],
    result: Annotated[str, typer.Option(help="the outcome 化解情况")],
    date: Date = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Mark a dispute resolved (化解)."""
    step("dispute", "resolve", _shown, fmt, output, ref, method=method, result=result, date=date)


def _text_step(action: str, option: str, help: str, doc: str) -> None:
    """`refer` and `review` take one text option and a date and differ only in the ledger's
    step (the option is named as the step's parameter)."""

    def command(
        ref: Ref,
        text: Annotated[str, typer.Option(option, help=help)],
        date: Date = None,
        fmt: Format = "table",
        output: Output = None,
    ) -> None:
        step("dispute", action, _shown, fmt, output, ref, date=date, **{option[2:]: text})

    app.command(action, help=doc)(command)


_text_step(
    "refer",
    "--to",
    "the body it is handed to 移交单位",
    "Refer a dispute to another body; it leaves the town's open list (移交).",
)
_text_step(
    "review",
    "--note",
    "what the review decided 研判意见",
    "Record a collective review of a dispute (集体研判).",
)


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
    category: Annotated[
        DisputeCategory | None, code_option(DisputeCategory, "--category", help="category 类别")
    ] = None,
    handler: Annotated[str | None, typer.Option(help="first handler 首办责任人")] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="found on or after 排查时间起")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="found on or before 排查时间止")] = None,
    as_of: AsOf = None,
    town: Town = None,
    voided: corrections.Voided = False,
    fmt: Format = "table",
    output: Output = None,
    limit: Limit = None,
) -> None:
    """List disputes, soonest deadline first (纠纷台账)."""
    from sanling.ledger import dispute as disputes

    filters = dict(
        # --as-of is read before --from and --to (which error a user sees first).
        as_of=lambda ledger: ledger.date(as_of, "--as-of", allow_future=True),
        village=village,
        town=town,
        status=status,
        category=category,
        handler=handler,
    )
    emit_list(
        COLUMNS,
        disputes.listing,
        filters,
        fmt,
        output,
        dates=(from_, to),
        voided="dispute" if voided else None,
        limit=limit,
    )


@app.command("show")
def show(
    ref: Ref,
    as_of: AsOf = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Show a dispute with its progress log (纠纷详情)."""
    emit_read(lambda ledger: _detail(ledger, ref, as_of), fmt, output)


corrections.register(app, "dispute", _shown)
supervision.register(app, "dispute", _shown)
mediation.register(app, _shown)
