"""sanling appraisal: appraisal score sheets and the scores given on them (考评).

`appraisal sheet import FILE` stores a town's (or the county's) sheet, `appraisal sheet show`
prints the one in force, `appraisal score` records a subject's points on an item for a
quarter. The year's result is `sanling report appraisal`.
"""

from pathlib import Path
from typing import Annotated

import typer

from sanling.commands.common import Format, Output, emit, reading, writing
from sanling.commands.options import Town, command_group
from sanling.i18n import tr
from sanling.render import TEXT, WHOLE

app = command_group()
sheet_app = command_group()
app.add_typer(sheet_app, name="sheet", help="the score sheet 考评表")

ITEM_COLUMNS: list[tuple[str, str, str] | tuple[str, str, str, str]] = [
    ("key", "编号", "key", WHOLE),  # what --item takes: never broken
    ("title", "考评内容", "content", TEXT),
    ("points", "分值", "points"),
    ("body", "评分单位", "scored by"),
    ("rule", "自动计分", "computed"),
    ("veto", "一票否决", "veto"),
]


def _sheet_detail(sheet: object) -> object:
    """The sheet: its name, import date and town, then its items (veto items last)."""
    from sanling.codes import AppraisalRule, VetoRule
    from sanling.ledger import appraisal as sheets
    from sanling.render import Detail, Listing
    from sanling.reports.base import columns

    assert isinstance(sheet, sheets.Sheet)
    rows = []
    for item in sheet.items:
        row = sheets.item_row(item)
        row["rule"] = AppraisalRule(row["rule"]) if row["rule"] else None
        row["veto"] = VetoRule(row["veto"]) if row["veto"] else None
        rows.append(row)
    fields = {"name": sheet.name, "imported_on": sheet.imported_on, "town": sheet.town}
    titles = {
        "name": tr("考评表", "sheet"),
        "imported_on": tr("导入日期", "imported on"),
        "town": tr("乡镇（空：全县）", "town (none: county-wide)"),
    }
    items = Listing(columns(*ITEM_COLUMNS), rows, title=tr("考评项", "Items"), key="items")
    return Detail(fields, [items], titles=titles)


@sheet_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="a .toml or .xlsx sheet 考评表文件")],
    town: Annotated[
        str | None,
        typer.Option("--town", help="this town's sheet (default: the county's) 乡镇"),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option("--name", help="the sheet's name (default: its own and today) 名称"),
    ] = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Import a score sheet: items with points adding up to 100, the body that scores each,
    the rule for items the ledger computes, and veto items (导入考评表)."""
    from sanling.ledger import appraisal as sheets
    from sanling.transfer import appraisal as files

    spec = files.read(file)
    with writing() as ledger:
        stored = sheets.import_sheet(ledger, spec, source=file.name, name=name, town=town)
        emit(_sheet_detail(stored), fmt, output)  # type: ignore[arg-type]


@sheet_app.command("show")
def show(
    town: Annotated[
        str | None,
        typer.Option("--town", help="the sheet in force in this town 乡镇"),
    ] = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """The sheet in force: the town's latest, else the county's, else the one sanling ships
    (当前考评表)."""
    from sanling.ledger import appraisal as sheets

    with reading() as ledger:
        town_id = ledger.town(town).id if town else _only_town(ledger)
        emit(_sheet_detail(sheets.current(ledger, town_id)), fmt, output)  # type: ignore[arg-type]


def _only_town(ledger: object) -> int | None:
    """The ledger's town when it has one; with several, the county's sheet."""
    from sqlalchemy import select

    from sanling.ledger.base import Ledger
    from sanling.models import Town as TownRow

    assert isinstance(ledger, Ledger)
    ids = ledger.session.scalars(select(TownRow.id).limit(2)).all()
    return ids[0] if len(ids) == 1 else None


@app.command("score")
def score(
    subject: Annotated[str, typer.Argument(help="subject name 创建主体")],
    quarter: Annotated[str, typer.Option("--quarter", help="YYYYQN, e.g. 2026Q3 季度")],
    item: Annotated[str, typer.Option("--item", help="the item's key on the sheet 考评项编号")],
    points: Annotated[str, typer.Option("--points", help="points given 得分")],
    note: Annotated[str | None, typer.Option("--note", help="why 说明")] = None,
    town: Town = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Score a subject on one item for a quarter; a later score of the same item and quarter
    replaces it (考评打分)."""
    from sanling.ledger import appraisal as sheets
    from sanling.render import Detail

    with writing() as ledger:
        row = sheets.score(ledger, subject, quarter, item, points, note, town=town)
        titles = {
            "quarter": tr("季度", "quarter"),
            "item": tr("考评项", "item"),
            "points": tr("得分", "points"),
            "max": tr("分值", "max"),
            "body": tr("评分单位", "scored by"),
            "sheet": tr("考评表", "sheet"),
            "scored_on": tr("打分日期", "scored on"),
            "operator": tr("操作人", "operator"),
            "note": tr("说明", "note"),
        }
        emit(Detail(row, titles=titles), fmt, output)
