"""sanling merge: a town's own ledger rolled up into this (county) ledger (县级汇总)."""

from pathlib import Path
from typing import Annotated

import typer

from sanling.commands.common import Format, Output, emit, say, state, writing
from sanling.i18n import tr

SUMMARY = ["town", "file", "entries_added", "entries", "rows_added", "rows_changed", "rows_removed"]


def merge(
    file: Annotated[
        Path, typer.Argument(help="the town's SQLite ledger 乡镇台账文件", metavar="TOWN_LEDGER")
    ],
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """Merge a town's own ledger into this one, audit trail and all; again adds only what is
    new (合并乡镇台账)."""
    from sanling.db import display, sqlite_path
    from sanling.errors import InvalidValue
    from sanling.ledger.merge import merge as merge_town
    from sanling.render import Detail, Listing

    with writing() as lx:
        own = sqlite_path(state.url)
        if own is not None and file.exists() and own.resolve() == file.resolve():
            raise InvalidValue(
                tr(
                    "不能把台账 {p} 合并进它自己",
                    "cannot merge the ledger {p} into itself",
                    p=display(state.url),
                ),
                tr("用 --db 指向县台账", "point --db at the county ledger"),
            )
        done = merge_town(lx, file)
        fields = {k: done[k] for k in SUMMARY}
        tables = Listing.of(["table", "added", "changed", "removed"], done["tables"], key="tables")
        emit(Detail(fields, [tables]), fmt, output)
    if done["settings_differ"]:
        say(
            tr(
                "注意：{t} 的台账中这些设置与本台账不同：{k}；本台账的报表按本台账的设置计算",
                "note: the ledger of {t} sets these otherwise than this one: {k}; this "
                "ledger's reports follow its own settings",
                t=done["town"],
                k=", ".join(done["settings_differ"]),
            )
        )
    if done["sheet_differs"]:
        say(
            tr(
                "注意：{t} 的台账按考评表“{s}”（不属于乡镇的考评表，未合并）考评该乡镇，本台账按"
                "本台账的考评表",
                "note: the ledger of {t} appraises the town by the sheet '{s}' (a sheet without a"
                " town, not merged); this ledger appraises it by its own",
                t=done["town"],
                s=done["sheet_differs"],
            )
        )
    say(
        tr(
            "已合并 {t}：新增日志 {e} 条、记录行 {a} 行，更新 {c} 行",
            "merged {t}: {e} new audit entries, {a} rows added, {c} changed",
            t=done["town"],
            e=done["entries_added"],
            a=done["rows_added"],
            c=done["rows_changed"],
        )
    )


def register_top(app: typer.Typer) -> None:
    """Adds this module's top-level command to the root app."""
    app.command("merge")(merge)
