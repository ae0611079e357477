"""sanling hazard: safety hazards (安全隐患), rectified (整改) and closed after a re-check
(复查销号)."""

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanling.codes import HazardArea, HazardGrade, HazardStatus
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
    FoundFrom,
    FoundTo,
    OnlyVillage,
    Subject,
    Town,
    Village,
    code_option,
    command_group,
    rectified,
    status_parser,
    titled,
    total,
)
from sanling.i18n import tr

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.render import Column, Detail

app = command_group()

# The list keeps to what a ledger page shows; `hazard show` has every field.
COLUMNS = [
    "ref",
    "village",
    "subject",
    "found",
    "area",
    "grade",
    "supervised",
    "description",
    "responsible",
    "deadline",
    "status",
    "rectified_on",
    "overdue",
    "due_soon",
    "days_overdue",
]

Ref = Annotated[str, typer.Argument(help="hazard reference, e.g. YH-2026-0001 隐患编号")]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="judge overdue and due soon as of this date (default today) 统计截止日期"
    ),
]


def _columns() -> list["Column"]:
    titles = {
        "found": tr("发现日期", "found"),
        "deadline": tr("完成时限", "deadline"),
        "closed_on": tr("销号日期", "closed on"),
    }
    return titled(COLUMNS, titles)


def _detail(ledger: "Ledger", ref: str, as_of: dt.date | None = None) -> "Detail":
    from sanling.ledger import audit
    from sanling.ledger import hazard as hazards
    from sanling.render import Detail, Listing

    fields = hazards.detail(ledger, ref, as_of)
    history = audit.entries(ledger, ref=fields["ref"], limit=1000)
    history.reverse()
    detail = Detail(
        fields,
        [
            Listing.of(
                ["at", "operator", "action"],
                history,
                key="history",
                title=tr("变更记录", "history"),
            )
        ],
        titles={column.key: column.title for column in _columns() if column.title},
    )
    return supervision.supervised(ledger, "hazard", detail, as_of)


_shown = by_ref(_detail)


@app.command("add")
def add(
    village: Village,
    area: Annotated[HazardArea, code_option(HazardArea, "--area", help="area 领域")],
    description: Annotated[str, typer.Option(help="what is wrong 隐患描述")],
    responsible: Annotated[str, typer.Option(help="responsible person or unit 责任人")],
    grade: Annotated[
        HazardGrade,
        code_option(
            HazardGrade, "--grade", help="general|major 一般/重大 (major is supervised 挂牌督办)"
        ),
    ] = HazardGrade.general,
    subject: Subject = None,
    location: Annotated[str | None, typer.Option(help="where 隐患部位")] = None,
    measures: Annotated[str | None, typer.Option(help="planned measures 整改措施")] = None,
    found: Annotated[
        str | None, typer.Option(help="date found 发现日期 (default today, or the sweep's date)")
    ] = None,
    deadline: Annotated[
        str | None,
        typer.Option(
            help="deadline 完成时限 (default found + 30 days, major + 90; see `config list`)"
        ),
    ] = None,
    sweep: Annotated[
        str | None, typer.Option(help="the sweep that found it, e.g. PC-2026-0001 排查记录")
    ] = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Record a safety hazard (登记安全隐患)."""
    add_record("hazard", locals(), _shown)


@app.command("start")
def start(
    ref: Ref,
    measures: Annotated[str | None, typer.Option(help="measures being taken 整改措施")] = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Mark a hazard as being rectified (整改中): open -> rectifying."""
    step("hazard", "start", _shown, fmt, output, ref, measures)


@app.command("rectify")
def rectify(
    ref: Ref,
    measures: Annotated[str, typer.Option(help="measures taken 整改措施")],
    date: Annotated[
        str | None, typer.Option(help="date rectified 整改日期 (default today)")
    ] = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Record that a hazard was rectified (已整改): open or rectifying -> rectified."""
    step("hazard", "rectify", _shown, fmt, output, ref, measures, date)


@app.command("close")
def close(
    ref: Ref,
    checked_by: Annotated[str, typer.Option("--checked-by", help="who re-checked it 复查人")],
    date: Annotated[
        str | None, typer.Option(help="date of the re-check 销号日期 (default today)")
    ] = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Close a rectified hazard after a re-check (复查销号): rectified -> closed."""
    step("hazard", "close", _shown, fmt, output, ref, checked_by, date)


def _as_of(ledger: "Ledger", as_of: str | None) -> dt.date | None:
    return ledger.optional_date(as_of, "--as-of", allow_future=True)


def _totals(
    ledger: "Ledger", rows: list[dict[str, Any]], filters: dict[str, Any]
) -> dict[str, Any]:
    from sanling.ledger import hazard as hazards

    summary = hazards.summary(ledger, **filters)
    return {
        "ref": total(summary["found"]),
        "status": tr("已整改 {r}", "rectified {r}", r=rectified(summary)),
        "supervised": summary["major"],
        "overdue": summary["overdue"],
        "due_soon": summary["due_soon"],
    }


@app.command("list")
def list_(
    village: OnlyVillage = None,
    area: Annotated[
        HazardArea | None, code_option(HazardArea, "--area", help="only this area 领域")
    ] = None,
    grade: Annotated[
        HazardGrade | None, code_option(HazardGrade, "--grade", help="general|major 隐患等级")
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            parser=status_parser(HazardStatus),
            metavar="open|rectifying|rectified|closed|overdue|due-soon",
            help="only this status, or overdue 逾期 / due-soon 临期 as of --as-of 状态",
        ),
    ] = None,
    from_: FoundFrom = None,
    to: FoundTo = None,
    as_of: AsOf = None,
    town: Town = None,
    voided: corrections.Voided = False,
    fmt: Format = "table",
    output: Output = None,
    limit: Limit = None,
) -> None:
    """List hazards, newest first, with a total row: found, rectified, 整改率, overdue
    (隐患台账)."""
    from sanling.ledger import hazard as hazards

    filters = dict(
        # --as-of is read before --from and --to (which error a user sees first).
        as_of=lambda ledger: _as_of(ledger, as_of),
        village=village,
        area=area,
        grade=grade,
        status=status,
        town=town,
    )
    emit_list(
        _columns(),
        hazards.listing,
        filters,
        fmt,
        output,
        dates=(from_, to),
        totals=_totals,
        voided="hazard" if voided else None,
        limit=limit,
    )


@app.command("show")
def show(
    ref: Ref,
    as_of: AsOf = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Show one hazard with its history (隐患详情)."""
    emit_read(lambda ledger: _detail(ledger, ref, _as_of(ledger, as_of)), fmt, output)


corrections.register(app, "hazard", _shown)
supervision.register(app, "hazard", _shown)
