"""sanling hazard: safety hazards (安全隐患), rectified (整改) and closed after a re-check (复查销号)."""

from typing import Annotated, Any

import typer

from sanling.codes import HazardArea, HazardGrade, HazardStatus
from sanling.commands.common import Format, Output, code_option, emit, reading, writing
from sanling.commands.options import (
    FoundFrom,
    FoundTo,
    OnlyVillage,
    Subject,
    Town,
    Village,
    command_group,
    date_range,
    status_parser,
    titled,
    total,
)
from sanling.i18n import tr

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


def _columns() -> list[Any]:
    titles = {
        "found": tr("发现日期", "found"),
        "deadline": tr("完成时限", "deadline"),
        "closed_on": tr("销号日期", "closed on"),
    }
    return titled(COLUMNS, titles)


def _detail(lx: Any, ref: str, as_of: Any = None) -> Any:
    from sanling.ledger import audit
    from sanling.ledger import hazard as hazards
    from sanling.render import Detail, Listing

    fields = hazards.detail(lx, ref, as_of)
    history = audit.entries(lx, ref=fields["ref"], limit=1000)
    history.reverse()
    return Detail(
        fields,
        [
            Listing.of(
                ["at", "operator", "action"],
                history,
                key="history",
                title=tr("变更记录", "history"),
            )
        ],
        titles={c.key: c.title for c in _columns() if c.title},
    )


@app.command("add")
def add(
    village: Village,
    area: HazardArea = code_option(HazardArea, "--area", help="area 领域", default=...),
    description: Annotated[str, typer.Option(help="what is wrong 隐患描述")] = ...,  # type: ignore[assignment]
    responsible: Annotated[str, typer.Option(help="responsible person or unit 责任人")] = ...,  # type: ignore[assignment]
    grade: HazardGrade = code_option(
        HazardGrade,
        "--grade",
        help="general|major 一般/重大 (major is supervised 挂牌督办)",
        default=HazardGrade.general,
    ),
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
    from sanling.ledger import hazard as hazards
    from sanling.schemas import HazardIn, validate

    data = validate(
        HazardIn,
        dict(
            village=village,
            subject=subject,
            area=area,
            description=description,
            responsible=responsible,
            grade=grade,
            location=location,
            measures=measures,
            found=found,
            deadline=deadline,
            sweep=sweep,
            town=town,
        ),
    )
    with writing() as lx:
        h = hazards.add(lx, data)
        emit(_detail(lx, h.ref), fmt, output)


@app.command("start")
def start(
    ref: Ref,
    measures: Annotated[str | None, typer.Option(help="measures being taken 整改措施")] = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Mark a hazard as being rectified (整改中): open -> rectifying."""
    from sanling.ledger import hazard as hazards

    with writing() as lx:
        h = hazards.start(lx, ref, measures)
        emit(_detail(lx, h.ref), fmt, output)


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
    from sanling.ledger import hazard as hazards

    with writing() as lx:
        h = hazards.rectify(lx, ref, measures, date)
        emit(_detail(lx, h.ref), fmt, output)


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
    from sanling.ledger import hazard as hazards

    with writing() as lx:
        h = hazards.close(lx, ref, checked_by, date)
        emit(_detail(lx, h.ref), fmt, output)


@app.command("list")
def list_(
    village: OnlyVillage = None,
    area: HazardArea | None = code_option(HazardArea, "--area", help="only this area 领域"),
    grade: HazardGrade | None = code_option(HazardGrade, "--grade", help="general|major 隐患等级"),
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
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """List hazards, newest first, with a total row: found, rectified, 整改率, overdue (隐患台账)."""
    from sanling.ledger import hazard as hazards
    from sanling.render import Listing

    with reading() as lx:
        day = lx.optional_date(as_of, "--as-of", allow_future=True)
        start, end = date_range(lx, from_, to)
        filters = dict(
            village=village,
            area=area,
            grade=grade,
            status=status,
            town=town,
            start=start,
            end=end,
        )
        rows = hazards.listing(lx, as_of=day, **filters)
        s = hazards.summary(lx, as_of=day, **filters)
        rate = "-" if s["rate"] is None else f"{s['rate']:.1f}%"
        totals = {
            "ref": total(s["found"]),
            "status": tr(
                "已整改 {r}（{rate}）", "rectified {r} ({rate})", r=s["rectified"], rate=rate
            ),
            "supervised": s["major"],
            "overdue": s["overdue"],
            "due_soon": s["due_soon"],
        }
        emit(Listing(_columns(), rows, totals=totals), fmt, output)


@app.command("show")
def show(
    ref: Ref,
    as_of: AsOf = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Show one hazard with its history (隐患详情)."""
    with reading() as lx:
        day = lx.optional_date(as_of, "--as-of", allow_future=True)
        emit(_detail(lx, ref, day), fmt, output)
