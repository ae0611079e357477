"""sanling petition: petitions (信访), each marked when it breaks 零上访."""

from typing import Annotated

import typer

from sanling.codes import Level, PetitionForm
from sanling.commands.common import Format, Output, code_option, emit, reading, writing
from sanling.commands.options import (
    Date,
    OnlyVillage,
    Subject,
    Town,
    Village,
    command_group,
    date_range,
)

app = command_group()

COLUMNS = [
    "ref",
    "date",
    "village",
    "subject",
    "form",
    "level",
    "people",
    "collective",
    "repeated",
    "abnormal",
    "summary",
    "dispute",
    "handled_at_source",
    "breaks_zero",
]


@app.command("add")
def add(
    village: Village,
    form: PetitionForm = code_option(
        PetitionForm, "--form", help="visit|letter|online|hotline 形式", default=...
    ),
    level: Level = code_option(
        Level, "--level", help="town|county|city|province|national 层级", default=...
    ),
    summary: Annotated[str, typer.Option(help="what it is about 简要情况")] = ...,  # type: ignore[assignment]
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
    date: Date = None,
    dispute: Annotated[str | None, typer.Option(help="linked dispute 关联纠纷编号")] = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Register a petition (登记信访)."""
    from sanling.ledger import petition as petitions
    from sanling.render import Detail
    from sanling.schemas import PetitionIn, validate

    data = validate(
        PetitionIn,
        dict(
            village=village,
            subject=subject,
            form=form,
            level=level,
            summary=summary,
            people=people,
            repeated=repeated,
            abnormal=abnormal,
            date=date,
            dispute=dispute,
            handled_at_source=handled_at_source,
            town=town,
        ),
    )
    with writing() as lx:
        p = petitions.add(lx, data)
        emit(Detail(petitions.row(p, lx.policy)), fmt, output)


@app.command("list")
def list_(
    village: OnlyVillage = None,
    form: PetitionForm | None = code_option(PetitionForm, "--form", help="only this form 形式"),
    level: Level | None = code_option(Level, "--level", help="only this level 层级"),
    breaking: Annotated[
        bool, typer.Option("--breaking", help="only those breaking 零上访 破零")
    ] = False,
    from_: Annotated[str | None, typer.Option("--from", help="from date 起始日期")] = None,
    to: Annotated[str | None, typer.Option("--to", help="to date 截止日期")] = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """List petitions, newest first, with whether each breaks 零上访 (信访台账)."""
    from sanling.ledger import petition as petitions
    from sanling.render import Listing

    with reading() as lx:
        start, end = date_range(lx, from_, to)
        rows = petitions.listing(
            lx,
            village=village,
            town=town,
            form=form,
            level=level,
            breaking=breaking,
            start=start,
            end=end,
        )
        emit(Listing.of(COLUMNS, rows), fmt, output)


@app.command("show")
def show(
    ref: Annotated[str, typer.Argument(help="reference number, e.g. XF-2026-0001 编号")],
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Show one petition (信访详情)."""
    from sanling.ledger import petition as petitions
    from sanling.render import Detail

    with reading() as lx:
        emit(Detail(petitions.detail(lx, ref)), fmt, output)
