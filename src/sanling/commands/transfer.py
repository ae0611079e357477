"""sanling import / export: an office's Excel and CSV ledgers in and out (导入、导出台账)."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from sanling.commands.common import say, write_atomic
from sanling.commands.options import refused
from sanling.i18n import tr
from sanling.transfer import KINDS

KIND_HELP = "one of 种类: " + ", ".join(KINDS)
PROGRESS_FROM = 3000  # rows: a bar only for files that take a moment


def _kind(value: str) -> str:
    kind = value.strip().lower()
    aliases = {k.rstrip("s"): k for k in KINDS}
    kind = aliases.get(kind, kind)
    if kind not in KINDS:
        raise refused(
            "“{v}”不是可导入的种类；可选：{k}",
            "'{v}' is not a kind; use one of: {k}",
            "'KIND'",
            v=value,
            k=", ".join(KINDS),
        )
    return kind


class _Bar:
    """A Rich progress bar on stderr, shown only on a terminal and for long files."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.task: Any = None
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < PROGRESS_FROM:
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _whole_file(key: str, zh: str) -> Any:
    return typer.Option(
        f"--{key}",
        help=f"{key} of every row where the file has none ({zh}, the whole file)",
        rich_help_panel="Values for the whole file 整个文件的值",
    )


def import_(
    kind: Annotated[str, typer.Argument(help=KIND_HELP, metavar="KIND")],
    file: Annotated[
        Path,
        typer.Argument(help=".xlsx, .csv (UTF-8 or GB18030) or .json file 文件", dir_okay=False),
    ],
    village: Annotated[str | None, _whole_file("village", "所属村")] = None,
    subject: Annotated[str | None, _whole_file("subject", "创建主体; gives its village")] = None,
    town: Annotated[str | None, _whole_file("town", "所属乡镇")] = None,
    found: Annotated[str | None, _whole_file("found", "排查时间")] = None,
    category: Annotated[str | None, _whole_file("category", "类别")] = None,
    area: Annotated[str | None, _whole_file("area", "领域")] = None,
    form: Annotated[str | None, _whole_file("form", "信访形式")] = None,
    level: Annotated[str | None, _whole_file("level", "层级")] = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="import only this sheet (name or number) 只导入该工作表"),
    ] = None,
    map_: Annotated[
        str | None,
        typer.Option(
            "--map",
            help="TOML map file, or the name of a map saved in the ledger 导入映射",
            metavar="FILE|NAME",
        ),
    ] = None,
    save_map: Annotated[
        str | None,
        typer.Option("--save-map", help="keep the --map in the ledger under NAME 保存映射"),
    ] = None,
    suggest_map: Annotated[
        bool,
        typer.Option(
            "--suggest-map",
            help="write a starter map (unmatched headers and values) instead of importing",
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="file for --suggest-map 输出文件", dir_okay=False),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="check every row and say what would be added, write nothing 试导入"
        ),
    ] = False,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="text or json summary 输出格式", metavar="text|json"),
    ] = "text",
) -> None:
    """Import records from an Excel or CSV ledger (导入台账): all rows or none.

    Headers may be Chinese (as offices write them: 所属村, 排查时间, 首办责任人 ...) or the
    option names of the matching add command (village, found, handler ...). Every bad row is
    listed with its row number and column; nothing is written until every row is right.
    Rows already in the ledger are skipped, so importing a file twice adds nothing.
    Every sheet with the kind's header is imported. A column the file lacks can be given for
    the whole file (--village, --found ...); a map (--map) names the rest.
    """
    from sanling.commands.common import check_format, writing
    from sanling.errors import SanlingError
    from sanling.transfer import importer, maps
    from sanling.transfer.shape import Options
    from sanling.transfer.specs import SPECS

    kind = _kind(kind)
    check_format(fmt, ("text", "json"))
    spec = SPECS[kind]
    if suggest_map:
        text = maps.suggest(spec, file, sheet)
        if output is None:
            typer.echo(text, nl=False)
        else:
            write_atomic(output, text.encode())
            say(tr("已写入映射草稿 {f}", "starter map written to {f}", f=output))
        return
    if save_map and not map_:
        raise refused("--save-map 需要 --map", "--save-map needs --map", "'--save-map'")
    given = {
        "village": village,
        "subject": subject,
        "town": town,
        "found": found,
        "category": category,
        "area": area,
        "form": form,
        "level": level,
    }
    options = Options({k: v for k, v in given.items() if v is not None}, sheet)
    bar = _Bar(tr("导入中", "importing"))
    try:
        with writing(commit=not dry_run) as lx:
            if map_:
                options.map = maps.load(map_, spec, lx)
            outcome = importer.run(lx, kind, file, dry_run=dry_run, progress=bar, options=options)
            if save_map and options.map is not None:
                maps.save(lx, save_map, kind, options.map)
    except importer.ImportFailed as exc:
        bar.close()
        if fmt == "json":
            typer.echo(_json(exc.data()))
        else:
            for problem in exc.problems:
                typer.echo(f"  {problem.line()}", err=True)
            if exc.more:
                typer.echo(
                    "  "
                    + tr(
                        "……另有 {n} 行有错误，未列出",
                        "... and {n} more wrong rows, not listed",
                        n=exc.more,
                    ),
                    err=True,
                )
        raise
    except SanlingError as exc:
        if fmt == "json":
            typer.echo(_json({"error": exc.message, "problems": [], "more_wrong_rows": 0}))
        raise
    finally:
        bar.close()
    for name, why in outcome.left_sheets:
        say(tr("未导入工作表“{s}”：{w}", "sheet '{s}' not imported: {w}", s=name, w=why))
    for line in outcome.notes():  # kept columns, inferred values, outcomes dated by rule
        say(line)
    if save_map and not dry_run:
        say(tr("映射已保存为“{n}”", "map saved as '{n}'", n=save_map))
    if fmt == "json":
        typer.echo(_json(outcome.data()))
        return
    typer.echo(_summary(outcome))


def _json(data: Any) -> str:
    import json

    return json.dumps(data, ensure_ascii=False)


def _summary(o: Any) -> str:
    from sanling.transfer.specs import SPECS

    name = SPECS[o.kind].name()
    refs = ""
    if o.refs:
        refs = f" ({o.refs[0]}" + (f" … {o.refs[-1]})" if len(o.refs) > 1 else ")")
    said = (
        ("试导入：{f} 中 {n} 条{k}可以导入{r}", "dry run: {n} {k} from {f} would be added{r}")
        if o.dry_run
        else ("已从 {f} 导入 {n} 条{k}{r}", "imported {n} {k} from {f}{r}")
    )
    line = tr(*said, f=o.file, n=o.added, k=name, r=refs)
    if o.skipped:
        line += tr("；{s} 条已在台账中，跳过", "; {s} already in the ledger, skipped", s=o.skipped)
    if len(o.sheets) > 1:
        each = tr("、", ", ").join(
            tr("{s} {n} 行", "{s} {n} rows", s=name, n=rows) for name, rows in o.sheets
        )
        line += tr("；{k} 个工作表：{e}", "; {k} sheets: {e}", k=len(o.sheets), e=each)
    if o.cleaner is not None and o.cleaner.count:
        line += tr(
            "；清除了 {c} 个控制字符",
            "; {c} control characters removed",
            c=o.cleaner.count,
        )
    if o.dry_run:
        line += tr("；未写入任何内容", "; nothing was written")
    return line


def export(
    kind: Annotated[str, typer.Argument(help=KIND_HELP, metavar="KIND")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="file to write 输出文件", dir_okay=False)
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="csv, xlsx or json (default from the file name) 格式",
            metavar="csv|xlsx|json",
        ),
    ] = None,
    reveal: Annotated[
        bool,
        typer.Option(
            "--reveal",
            help="personal data (key persons, petitioners) unmasked; written to the audit log"
            " 显示完整个人信息（记入操作日志）",
        ),
    ] = False,
    layout: Annotated[
        str,
        typer.Option(
            "--layout",
            help="plain: one row per record, with the history (default); ledger: the office"
            " 台账 to file and print (title, 序号, borders, A4 landscape; xlsx only) 版式",
            metavar="plain|ledger",
        ),
    ] = "plain",
) -> None:
    """Export records as CSV, Excel or JSON (导出台账), readable by `sanling import`.

    Headers follow the ledger language. Personal data (key persons, petitioners) are masked
    unless --reveal. Progress
    notes, visits and grade history go with the records in .xlsx (a second sheet) and .json;
    `--layout ledger` writes the office's printed 台账 instead.
    """
    from sanling.commands.common import check_format, later, reading, revealing
    from sanling.transfer import exporter

    kind = _kind(kind)
    if layout not in exporter.LAYOUTS:
        raise refused(
            "“{v}”不是版式；可选：{c}",
            "'{v}' is not a layout; use one of: {c}",
            "'--layout'",
            v=layout,
            c=", ".join(exporter.LAYOUTS),
        )
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".")
        fmt = suffix if suffix in exporter.FORMATS else "xlsx" if layout == "ledger" else "csv"
    check_format(fmt, exporter.FORMATS)
    if layout == "ledger" and fmt != "xlsx":
        raise refused(
            "台账版式只能导出为 xlsx，收到 {f}",
            "the ledger layout is an .xlsx file, not {f}",
            "'--layout'",
            f=fmt,
        )
    unmasked = reveal and exporter.personal(kind)
    # A reveal is written to the audit log once the file is written (in one transaction);
    # a file of any kind with personal fields (fields.MASKED: key persons, petitions, backlog
    # cases ...), masked or not, is its owner's only (0600).
    audit = revealing(lambda lx: exporter.audit_reveal(lx, kind, output.name), output)
    private = exporter.personal(kind)
    with audit if unmasked else reading() as lx:
        done = exporter.export(lx, kind, fmt, reveal=unmasked, layout=layout)
        later(lambda: write_atomic(output, done.data, private=private))
    say(tr("已导出 {n} 条到 {f}", "exported {n} records to {f}", n=done.count, f=output))
    if done.history and fmt == "csv":
        say(
            tr(
                "CSV 只含记录本身，未含 {h} 条历史记录（进展、走访、定级）；"
                "完整导出用 .xlsx 或 .json",
                "CSV holds the records only, not their {h} history entries (progress, visits,"
                " grades); use .xlsx or .json for a full copy",
                h=done.history,
            )
        )


def register_top(app: typer.Typer) -> None:
    """Adds this module's top-level commands to the root app."""
    app.command("import")(import_)
    app.command("export")(export)
