"""The correction commands every kind of record shares (issue 14): `edit`, `void`, `unvoid`,
the correction of an entry of a record's own log (`edit-note`, `edit-visit`), and `show` for
the kinds that had none. Each noun's module registers them with `register`; their options
come from fields.py (commands/options.record_options), their work from ledger/corrections.

`annotate` adds a record's void stamp and its corrections to the way it is shown.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanling.commands.common import Format, Output, change, emit, reading
from sanling.commands.options import command_of, record_options
from sanling.i18n import tr

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.render import Column, Detail

Shown = Callable[["Ledger", Any], "Detail"]

Reason = Annotated[str, typer.Option("--reason", help="why it is corrected 更正原因 (required)")]
VoidReason = Annotated[str, typer.Option("--reason", help="why 原因 (required)")]
# A correction of a locked record (lock_reported_periods, edit_max_age_days) needs --force.
Force = Annotated[
    bool,
    typer.Option("--force", help="correct a locked record (a reported month) 强制更正已锁定记录"),
]
Entry = Annotated[int, typer.Argument(help="the entry's number as `show` lists it 序号", min=1)]
# Whether a list shows the voided records (only them), with their void stamp.
Voided = Annotated[
    bool, typer.Option("--voided", help="list the voided records only 仅列出已作废的记录")
]


def _param(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> Any:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


def _ref(noun: str) -> Any:
    return Annotated[str, typer.Argument(help=f"{noun} reference number 编号")]


def _output() -> list[Any]:
    return [_param("fmt", Format, "table"), _param("output", Output, None)]


def _correcting() -> list[Any]:
    """A correction's last options: --force, then the output options."""
    return [_param("force", Force, False), *_output()]


def annotate(ledger: Ledger, detail: Detail) -> Detail:
    """A record's detail with its void stamp first (已作废, when, by whom, why) and its
    corrections after its other sections; other details as they are."""
    from sanling.ledger import corrections
    from sanling.models import RECORD_MODELS
    from sanling.render import Listing

    ref = detail.fields.get("ref")
    model = RECORD_MODELS.get(str(ref)[:2]) if isinstance(ref, str) else None
    if model is None:
        return detail
    with ledger.showing():
        obj = ledger.record(model, str(ref))
    head = {"ref": ref, **corrections.stamp(ledger, obj)}
    detail.fields = {**head, **detail.fields}
    history = corrections.history(ledger, str(ref))
    if history:
        columns = ["at", "operator", "correction", "changes", "reason"]
        title = tr("更正记录", "corrections")
        detail.sections = [
            *detail.sections,
            Listing.of(columns, history, key="corrections", title=title),
        ]
    return detail


def register(app: typer.Typer, noun: str, shown: Shown, *, show: bool = False) -> None:
    """Add the correction commands of `noun` to its command group: edit, void and unvoid;
    edit-note (disputes, backlog cases) or edit-visit (key persons); and show when `show`."""
    from sanling.fields import KIND_OF

    def shown_annotated(ledger: Ledger, record: Any) -> Detail:
        with ledger.showing():
            return annotate(ledger, shown(ledger, record))

    def act(action: str, *args: Any, force: bool) -> Callable[[Ledger], Any]:
        def run(ledger: Ledger) -> Any:
            from sanling.ledger import corrections

            return getattr(corrections, action)(ledger, noun, *args, force=force)

        return run

    def edit(ref: str, reason: str, force: bool, fmt: str, output: Any, **fields: Any) -> None:
        given = {k: v for k, v in fields.items() if v is not None and v != []}
        change(act("edit", ref, given, reason, force=force), shown_annotated, fmt, output)

    params = [
        _param("ref", _ref(noun)),
        *record_options(KIND_OF[noun]),
        _param("reason", Reason),
        *_correcting(),
    ]
    app.command("edit")(
        command_of(
            edit,
            params,
            f"Correct the facts of one {noun} record, with a reason; it keeps its number (更正)."
            " The options are those of add; a field left out keeps its value.",
        )
    )

    for action, doc in (
        ("void", f"Void a {noun} record entered in error (作废): it stays, counts nowhere."),
        ("unvoid", f"Take back the void of a {noun} record (撤销作废): it counts again."),
    ):

        def step(
            ref: str, reason: str, force: bool, fmt: str, output: Any, action: str = action
        ) -> None:
            change(act(action, ref, reason, force=force), shown_annotated, fmt, output)

        void_params = [_param("ref", _ref(noun)), _param("reason", VoidReason), *_correcting()]
        app.command(action)(command_of(step, void_params, doc))

    if noun in ("dispute", "backlog"):
        _edit_note(app, noun, act, shown_annotated)
    if noun == "person":
        _edit_visit(app, act, shown_annotated)
    if show:

        def show_command(ref: str, fmt: str, output: Any) -> None:
            from sanling.ledger.corrections import KINDS

            with reading() as ledger, ledger.showing():
                record = ledger.record(KINDS[noun].model, ref)
                emit(annotate(ledger, shown(ledger, record)), fmt, output)

        show_params = [_param("ref", _ref(noun)), *_output()]
        doc = f"Show one {noun}, with its void stamp and corrections ({noun} 详情)."
        app.command("show")(command_of(show_command, show_params, doc))


def _edit_note(app: typer.Typer, noun: str, act: Any, shown: Shown) -> None:
    def edit_note(
        ref: str,
        n: int,
        text: str | None,
        date: str | None,
        reason: str,
        force: bool,
        fmt: str,
        output: Any,
    ) -> None:
        changes = {"text": text, "date": date}
        change(act("edit_note", ref, n, changes, reason, force=force), shown, fmt, output)

    params = [
        _param("ref", _ref(noun)),
        _param("n", Entry),
        _param("text", Annotated[str | None, typer.Option(help="the entry's text 内容")], None),
        _param("date", Annotated[str | None, typer.Option(help="the entry's date 日期")], None),
        _param("reason", Reason),
        *_correcting(),
    ]
    doc = f"Correct entry N of a {noun}'s progress log, with a reason (更正台账记录)."
    app.command("edit-note")(command_of(edit_note, params, doc))


def _edit_visit(app: typer.Typer, act: Any, shown: Shown) -> None:
    def edit_visit(
        ref: str,
        n: int,
        date: str | None,
        by: str | None,
        note: str | None,
        reason: str,
        force: bool,
        fmt: str,
        output: Any,
    ) -> None:
        changes = {"date": date, "by": by, "note": note}
        change(act("edit_note", ref, n, changes, reason, force=force), shown, fmt, output)

    text = Annotated[str | None, typer.Option(help="who visited 走访人")]
    params = [
        _param("ref", _ref("person")),
        _param("n", Entry),
        _param("date", Annotated[str | None, typer.Option(help="visit date 走访日期")], None),
        _param("by", text, None),
        _param("note", Annotated[str | None, typer.Option(help="note 走访情况")], None),
        _param("reason", Reason),
        *_correcting(),
    ]
    doc = "Correct visit N of a key person, with a reason (更正走访记录)."
    app.command("edit-visit")(command_of(edit_visit, params, doc))


def stamped(ledger: Ledger, noun: str, rows: list[dict[str, Any]]) -> list[Column]:
    """Each listed voided record's stamp added to its row; the columns that show it."""
    from sqlalchemy import select

    from sanling.ledger.corrections import KINDS
    from sanling.ledger.recorded import local
    from sanling.render import Column

    model = KINDS[noun].model
    refs = [row["ref"] for row in rows if "ref" in row]
    found = {
        ref: (at, by, why)
        for ref, at, by, why in ledger.session.execute(
            select(model.ref, model.voided_at, model.voided_by, model.void_reason)
            .where(model.ref.in_(refs))
            .execution_options(include_voided=True)
        )
    }
    for row in rows:
        at, by, why = found.get(row.get("ref"), (None, None, None))
        row.update(
            voided_at=local(at, ledger.policy.timezone) if at else None,
            voided_by=by,
            void_reason=why,
        )
    return [Column("voided_at"), Column("voided_by"), Column("void_reason")]
