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
        for problem in exc.problems:
            typer.echo(f"  {problem.line()}", err=True)
        raise
    finally:
        bar.close()
    if outcome.ignored:
        say(tr("未使用的列：{c}", "columns not used: {c}", c="、".join(outcome.ignored)))
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
            "--reveal", help="key persons unmasked; written to the audit log 显示完整个人信息"
        ),
    ] = False,
) -> None:
    """Export records as CSV, Excel or JSON (导出台账), readable by `sanling import`.

    Headers follow the ledger language. Key persons are masked unless --reveal.
    """
    from sanling.commands.common import check_format, later, reading, revealing
    from sanling.transfer import exporter

    kind = _kind(kind)
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".")
        fmt = suffix if suffix in exporter.FORMATS else "csv"
    check_format(fmt, exporter.FORMATS)
    unmasked = reveal and kind == "persons"
    # A reveal is written to the audit log once the file is written (in one transaction);
    # a file of key persons, masked or not, is its owner's only (0600).
    audit = revealing(lambda lx: exporter.audit_reveal(lx, output.name), output)
    with audit if unmasked else reading() as lx:
        data, count = exporter.export(lx, kind, fmt, reveal=unmasked)
        later(lambda: write_atomic(output, data, private=kind == "persons"))
    say(tr("已导出 {n} 条到 {f}", "exported {n} records to {f}", n=count, f=output))


def register_top(app: typer.Typer) -> None:
    """Adds this module's top-level commands to the root app."""
    app.command("import")(import_)
    app.command("export")(export)
