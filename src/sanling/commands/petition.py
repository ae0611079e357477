"""sanling petition: petitions (信访), each marked when it breaks 零上访, and each one's life
under the 信访工作条例 (2022): accepted or refused, replied (one extension), 复查 and 复核.

The petitioner's name and phone are masked in every output; `--reveal` shows them and, once
they have been shown or written, an audit entry (petition.reveal) names the operator and the
records shown.
"""

from typing import TYPE_CHECKING, Annotated

import typer

from sanling.codes import Level, PetitionForm, PetitionStage, ReviewStage
from sanling.commands import breaking, corrections
from sanling.commands.common import (
    Format,
    Limit,
    Output,
    add_record,
    by_ref,
    check_format,
    emit,
    limited,
    reading_personal,
    step,
    voided_only,
)
from sanling.commands.options import (
    Date,
    FromDate,
    OnlyVillage,
    Phone,
    Subject,
    ToDate,
    Town,
    Village,
    code_option,
    command_group,
)
from sanling.i18n import choices, tr
from sanling.render import FORMATS

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.render import Detail

app = command_group()

COLUMNS = breaking.columns(
    "form",
    "level",
    "people",
    "collective",
    "repeated",
    "abnormal",
    "summary",
    "petitioner",
    "phone",
    "handler",
    "stage",
    "due",
    "overdue",
    "days_overdue",
    "due_soon",
    "dispute",
    "handled_at_source",
)
STEPS = ["step", "step_due", "done_on", "on_time", "note"]

Ref = Annotated[str, typer.Argument(help="reference number, e.g. XF-2026-0001 编号")]
Reveal = Annotated[
    bool,
    typer.Option(
        "--reveal",
        help="show the petitioner's name and phone unmasked; the read is written to the audit"
        " log 显示信访人明文（记入操作日志）",
    ),
]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="stage, deadline and overdue as of this date 统计日期 (default today)"
    ),
]


def _status(value: str) -> str:
    """A --status: a stage (code or label), open (未办结), overdue (逾期) or due-soon (临期)."""
    from sanling.commands.options import status_parser

    if str(value).strip() == "在办":
        return "open"
    return str(status_parser(PetitionStage, also=(("open", "未办结"),))(value))


def _detail(ledger: "Ledger", ref: str, reveal: bool = False, as_of: str | None = None) -> "Detail":
    from sanling.ledger import petition as petitions
    from sanling.render import Detail, Listing

    day = ledger.date(as_of, "--as-of", allow_future=True) if as_of else None
    fields, steps = petitions.detail(ledger, ref, reveal=reveal, as_of=day)
    return Detail(
        fields, [Listing.of(STEPS, steps, key="steps", title=tr("办理流程", "steps and deadlines"))]
    )


_shown = by_ref(_detail)


@app.command("add")
def add(
    village: Village,
    form: Annotated[
        PetitionForm,
        code_option(PetitionForm, "--form", help="form 形式: " + choices(PetitionForm)),
    ],
    level: Annotated[
        Level, code_option(Level, "--level", help="town|county|city|province|national 层级")
    ],
    summary: Annotated[str, typer.Option(help="what it is about 简要情况")],
    subject: Subject = None,
    people: Annotated[int, typer.Option(help="people 人数 (5 or more: collective 集体访)")] = 1,
    repeated: Annotated[
        bool, typer.Option("--repeated", help="a repeated petition 重复访")
    ] = False,
    abnormal: Annotated[
        bool, typer.Option("--abnormal", help="an abnormal petition 非正常访")
    ] = False,
    handled_at_source: Annotated[
        bool, typer.Option("--handled-at-source", help="handled at source 源头化解")
    ] = False,
    petitioner: Annotated[
        str | None, typer.Option(help="the petitioner's name (masked in output) 信访人")
    ] = None,
    phone: Phone = None,
    handler: Annotated[str | None, typer.Option(help="first handler 首办责任人")] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="date received 登记日期 (default today)")
    ] = None,
    dispute: Annotated[str | None, typer.Option(help="linked dispute 关联纠纷编号")] = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Register a petition received; its acceptance is due petition_accept_days (15) later
    (登记信访)."""
    add_record("petition", locals(), _shown)


@app.command("accept")
def accept(ref: Ref, date: Date = None, fmt: Format = "table", output: Output = None) -> None:
    """Record that a petition was accepted and the petitioner told; the written reply is due
    petition_reply_days (60) later (受理告知)."""
    step("petition", "accept", _shown, fmt, output, ref, date=date)


@app.command("refuse")
def refuse(
    ref: Ref,
    reason: Annotated[str, typer.Option(help="why it is not accepted 不予受理理由")],
    date: Date = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Record that a petition was not accepted and the petitioner told why (不予受理告知)."""
    step("petition", "refuse", _shown, fmt, output, ref, reason=reason, date=date)


@app.command("reply")
def reply(
    ref: Ref,
    date: Date = None,
    note: Annotated[str | None, typer.Option(help="what the reply said 答复意见")] = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Record the written reply to an accepted petition (书面答复，办结)."""
    step("petition", "reply", _shown, fmt, output, ref, date=date, note=note)


@app.command("extend")
def extend(
    ref: Ref,
    days: Annotated[
        int,
        typer.Option(
            help="days added to the reply's deadline"
            " (at most petition_extend_max_days, 30) 延期天数"
        ),
    ],
    reason: Annotated[str, typer.Option(help="the reason told to the petitioner 延期理由")],
    approved_by: Annotated[str, typer.Option("--approved-by", help="who approved it 批准人")],
    date: Date = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Extend the reply's deadline once, before it falls due (延期办理)."""
    step(
        "petition",
        "extend",
        _shown,
        fmt,
        output,
        ref,
        days=days,
        reason=reason,
        approved_by=approved_by,
        date=date,
    )


@app.command("review")
def review(
    ref: Ref,
    stage: Annotated[
        ReviewStage, code_option(ReviewStage, "--stage", help="review 复查 or recheck 复核")
    ],
    requested: Annotated[str | None, typer.Option(help="the day it was asked 申请日期")] = None,
    decided: Annotated[str | None, typer.Option(help="the day it was decided 决定日期")] = None,
    result: Annotated[str | None, typer.Option(help="the decision 复查（复核）意见")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="record a request made after its 30 days 逾期申请仍登记")
    ] = False,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Record a 复查 or 复核 of a reply: its request, then or at once its decision (复查复核)."""
    step(
        "petition",
        "review",
        _shown,
        fmt,
        output,
        ref,
        stage=stage.value,
        requested=requested,
        decided=decided,
        result=result,
        force=force,
    )


@app.command("list")
def list_(
    village: OnlyVillage = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            parser=_status,
            metavar="|".join((*(s.value for s in PetitionStage), "open", "overdue", "due-soon")),
            help="stage 办理阶段, or open 未办结 / overdue 逾期 / due-soon 临期",
        ),
    ] = None,
    form: Annotated[
        PetitionForm | None, code_option(PetitionForm, "--form", help="only this form 形式")
    ] = None,
    level: Annotated[
        Level | None, code_option(Level, "--level", help="only this level 层级")
    ] = None,
    breaking: Annotated[
        bool, typer.Option("--breaking", help="only those breaking 零上访 破零")
    ] = False,
    handler: Annotated[str | None, typer.Option(help="first handler 首办责任人")] = None,
    from_: FromDate = None,
    to: ToDate = None,
    as_of: AsOf = None,
    reveal: Reveal = False,
    town: Town = None,
    voided: corrections.Voided = False,
    fmt: Format = "table",
    output: Output = None,
    limit: Limit = None,
) -> None:
    """List petitions, newest first, with their stage, current deadline and whether each
    breaks 零上访; petitioners masked unless --reveal (信访台账)."""
    from sanling.commands.options import date_range
    from sanling.ledger import petition as petitions
    from sanling.render import Column, Listing

    check_format(fmt, FORMATS)
    refs: list[str] = []
    only = "petition" if voided else None
    with (
        reading_personal("petition", reveal, refs, "petition list", output) as ledger,
        voided_only(ledger, only),
    ):
        day = ledger.date(as_of, "--as-of", allow_future=True)
        start, end = date_range(ledger, from_, to)
        every = petitions.listing(
            ledger,
            village=village,
            town=town,
            form=form,
            level=level,
            breaking=breaking,
            status=status,
            handler=handler,
            start=start,
            end=end,
            as_of=day,
            reveal=reveal,
        )
        heads = [Column(key) for key in COLUMNS]
        if voided:
            heads += corrections.stamped(ledger, "petition", every)
        rows, more, older = limited(every, limit, fmt, output)
        refs += [row["ref"] for row in rows if row.get("petitioner") or row.get("phone")]
        emit(
            Listing(heads, rows, more=more, older=older), fmt, output, private=reveal, reveal=reveal
        )


@app.command("show")
def show(
    ref: Ref,
    as_of: AsOf = None,
    reveal: Reveal = False,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Show one petition with its steps and deadlines, the petitioner masked unless --reveal
    (信访详情)."""
    check_format(fmt, FORMATS)
    refs: list[str] = []
    with (
        reading_personal("petition", reveal, refs, "petition show", output) as ledger,
        ledger.showing(),
    ):
        detail = corrections.annotate(ledger, _detail(ledger, ref, reveal, as_of))
        refs.append(detail.fields["ref"])
        emit(detail, fmt, output, private=reveal, reveal=reveal)


corrections.register(app, "petition", _shown)
