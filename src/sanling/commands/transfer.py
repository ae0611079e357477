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


def import_(
    kind: Annotated[str, typer.Argument(help=KIND_HELP, metavar="KIND")],
    file: Annotated[
        Path,
        typer.Argument(help=".xlsx, .csv (UTF-8 or GB18030) or .json file 文件", dir_okay=False),
    ],
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
    """
    from sanling.commands.common import check_format, writing
    from sanling.transfer import importer

    kind = _kind(kind)
    check_format(fmt, ("text", "json"))
    bar = _Bar(tr("导入中", "importing"))
    try:
        with writing(commit=not dry_run) as lx:
            outcome = importer.run(lx, kind, file, dry_run=dry_run, progress=bar)
    except importer.ImportFailed as exc:
        bar.close()
        if fmt == "json":  # the problems for a script, on stdout; the error line as always
            import json

            problems = [vars(p) for p in exc.problems]
            typer.echo(json.dumps({"problems": problems}, ensure_ascii=False))
        else:
            for problem in exc.problems:
                typer.echo(f"  {problem.line()}", err=True)
        raise
    finally:
        bar.close()
    for line in outcome.notes():  # kept columns, inferred values, outcomes dated by rule
        say(line)
    if fmt == "json":
        import json

        typer.echo(json.dumps(outcome.data(), ensure_ascii=False))
        return
    typer.echo(_summary(outcome))


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
            "--reveal", help="key persons unmasked; written to the audit log 显示完整个人信息"
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

    Headers follow the ledger language. Key persons are masked unless --reveal. Progress
    notes, visits and grade history go with the records in .xlsx (a second sheet) and .json;
    `--layout ledger` writes the office's printed 台账 instead.
    """
    from sanling.commands.common import check_format, reading, writing
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
    revealing = reveal and kind == "persons"
    with writing() if revealing else reading() as lx:
        done = exporter.export(lx, kind, fmt, reveal=revealing, layout=layout)
        if revealing:
            exporter.audit_reveal(lx, output.name)
    # Written after the reveal is committed to the audit log; unmasked files are owner-only.
    write_atomic(output, done.data, private=revealing)
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
