"""`supervise` and `extend` on disputes, backlog cases and hazards (issue 16): supervision
cards (交办, 黄牌督办, 红牌督办) and deadline extensions (延期). Each noun's module registers them
with `register`; the work is ledger/supervision's. `supervised` adds a record's cards and
extensions to the way `show` prints it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanling.codes import CardLevel
from sanling.commands.common import Format, Output, change
from sanling.commands.options import Date, code_option, command_of
from sanling.i18n import tr

if TYPE_CHECKING:
    import datetime as dt

    from sanling.ledger.base import Ledger
    from sanling.render import Detail

Shown = Callable[["Ledger", Any], "Detail"]


def _param(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> Any:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


Level = Annotated[
    CardLevel | None,
    code_option(
        CardLevel,
        "--level",
        help="normal|yellow|red 交办/黄牌督办/红牌督办 (required unless --lift)",
    ),
]
By = Annotated[
    str | None, typer.Option("--by", help="the supervising body 督办单位 (required unless --lift)")
]
Note = Annotated[str | None, typer.Option("--note", help="note 督办事项或说明")]
Lift = Annotated[bool, typer.Option("--lift", help="lift the card standing on the record 解除督办")]
To = Annotated[str, typer.Option("--to", help="the new deadline 延期后的时限")]
Reason = Annotated[str, typer.Option("--reason", help="why it is extended 延期理由")]
ApprovedBy = Annotated[str, typer.Option("--approved-by", help="who approved it 批准人")]
ApprovedOn = Annotated[
    str | None, typer.Option("--date", help="date approved 批准日期 (default today)")
]


def _ref(noun: str) -> Any:
    return _param("ref", Annotated[str, typer.Argument(help=f"{noun} reference number 编号")])


def _output() -> list[Any]:
    return [_param("fmt", Format, "table"), _param("output", Output, None)]


def register(app: typer.Typer, noun: str, shown: Shown) -> None:
    """Add `supervise` and `extend` to the command group of `noun`."""
    _supervise(app, noun, shown)
    _extend(app, noun, shown)


def _supervise(app: typer.Typer, noun: str, shown: Shown) -> None:
    def supervise(
        ref: str,
        level: CardLevel | None,
        by: str | None,
        date: str | None,
        note: str | None,
        lift: bool,
        fmt: str,
        output: Any,
    ) -> None:
        from sanling.errors import UsageError
        from sanling.ledger import supervision

        if lift and level is not None:
            raise UsageError(
                tr("--lift 与 --level 不能同时使用", "--lift takes no --level"),
                tr("解除督办只需 --lift [--date]", "lift with --lift [--date] alone"),
            )
        if not lift and (level is None or not by):
            raise UsageError(
                tr("督办须给出 --level 和 --by", "a card needs --level and --by"),
                tr(
                    "如 `{n} supervise REF --level red --by 县委政法委`",
                    "e.g. `{n} supervise REF --level red --by 县委政法委`",
                    n=noun,
                ),
            )

        def act(ledger: Ledger) -> Any:
            if lift:
                return supervision.lift(ledger, noun, ref, date=date, note=note)
            assert level is not None and by is not None
            return supervision.supervise(
                ledger, noun, ref, level=level, by=by, date=date, note=note
            )

        change(act, shown, fmt, output)

    params = [
        _ref(noun),
        _param("level", Level, None),
        _param("by", By, None),
        _param("date", Date, None),
        _param("note", Note, None),
        _param("lift", Lift, False),
        *_output(),
    ]
    doc = (
        f"Supervise a {noun}: give it a card (交办, 黄牌督办, 红牌督办) or lift it (解除督办). "
        "A card stands until the record is done or the card is lifted; a later card replaces it."
    )
    app.command("supervise")(command_of(supervise, params, doc))


def _extend(app: typer.Typer, noun: str, shown: Shown) -> None:
    def extend(
        ref: str,
        to: str,
        reason: str,
        approved_by: str,
        date: str | None,
        fmt: str,
        output: Any,
    ) -> None:
        from sanling.ledger import supervision

        def act(ledger: Ledger) -> Any:
            return supervision.extend(
                ledger, noun, ref, to=to, reason=reason, approved_by=approved_by, date=date
            )

        change(act, shown, fmt, output)

    params = [
        _ref(noun),
        _param("to", To),
        _param("reason", Reason),
        _param("approved_by", ApprovedBy),
        _param("date", ApprovedOn, None),
        *_output(),
    ]
    doc = (
        f"Extend a {noun}'s deadline (延期), approved by a named person; the original deadline is "
        "kept and overdue is judged against the new one."
    )
    app.command("extend")(command_of(extend, params, doc))


CARDS = ["date", "card", "supervised_by", "lifted", "note", "operator"]
EXTENSIONS = ["date", "from_deadline", "to_deadline", "reason", "approved_by", "operator"]


def supervised(ledger: Ledger, noun: str, detail: Detail, as_of: dt.date | None = None) -> Detail:
    """A record's detail with its supervision: the card standing (挂牌督办 for a major hazard),
    the original deadline once extended, and the lists of its cards and extensions."""
    from sanling.ledger import supervision
    from sanling.ledger.corrections import KINDS
    from sanling.render import Listing

    with ledger.showing():
        obj = ledger.record(KINDS[noun].model, str(detail.fields["ref"]))
    day = as_of or ledger.today
    added = supervision.fields(ledger, noun, obj, day)
    fields: dict[str, Any] = {}
    for key, value in detail.fields.items():
        fields[key] = value
        if key == "deadline":
            fields["original_deadline"] = added.pop("original_deadline")
    detail.fields = {**fields, **added}
    cards = supervision.card_rows(ledger, noun, obj)
    extensions = supervision.extension_rows(ledger, noun, obj)
    detail.sections = [
        *detail.sections,
        Listing.of(CARDS, cards, key="cards", title=tr("督办记录", "supervision cards")),
        Listing.of(EXTENSIONS, extensions, key="extensions", title=tr("延期记录", "extensions")),
    ]
    return detail
