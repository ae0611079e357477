"""What the records that can break a zero (零事故, 零案件, 零上访) share in their commands:
shown with the ledger's policy, list columns that begin as filters.dated_row's and end with
breaks_zero, and (accident and case) one list command.

No `from __future__ import annotations` here: Typer reads the annotations of the list
command this module makes, and they name the caller's code list.
"""

from collections.abc import Callable
from enum import StrEnum
from importlib import import_module
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanling.commands.common import Filters, Format, Limit, Output, Rows, emit_list
from sanling.commands.corrections import Voided
from sanling.commands.options import From, OnlyVillage, To, Town, code_option

if TYPE_CHECKING:
    from sanling.ledger.base import Ledger
    from sanling.render import Detail

DATED = ["ref", "date", "village", "subject"]  # filters.dated_row's keys, in its order


def columns(*own: str) -> list[str]:
    """A list's columns: the dated row's, the record's `own`, whether it breaks its zero."""
    return [*DATED, *own, "breaks_zero"]


def shown(kind: str) -> Callable[["Ledger", Any], "Detail"]:
    """How a record of ledger module `kind` shows after add: as stored, with whether it
    breaks its zero (the ledger's policy)."""

    def show(ledger: "Ledger", record: Any) -> "Detail":
        from sanling.render import Detail

        return Detail(import_module(f"sanling.ledger.{kind}").row(record, ledger.policy))

    return show


def list_command(
    app: typer.Typer,
    noun: str,
    codes: type[StrEnum],
    helps: tuple[str, str, str],
    heads: list[str],
    totals: Callable[["Ledger", Rows, Filters], dict[str, Any]],
) -> None:
    """Register `noun`'s list command on `app`: filtered by village, `codes` (--kind),
    --breaking and dates, newest first, with a total row. `helps`: the --kind help, the
    --breaking help and the command's own."""
    kind_help, breaking_help, doc = helps

    def list_(
        village: OnlyVillage = None,
        kind: Annotated[str | None, code_option(codes, "--kind", help=kind_help)] = None,
        breaking: Annotated[bool, typer.Option("--breaking", help=breaking_help)] = False,
        from_: From = None,
        to: To = None,
        town: Town = None,
        voided: Voided = False,
        fmt: Format = "table",
        output: Output = None,
        limit: Limit = None,
    ) -> None:
        listing = import_module(f"sanling.ledger.{noun}").listing
        filters = dict(village=village, kind=kind, breaking=breaking, town=town)
        only = noun if voided else None
        emit_list(
            heads,
            listing,
            filters,
            fmt,
            output,
            dates=(from_, to),
            totals=totals,
            voided=only,
            limit=limit,
        )

    list_.__doc__ = doc
    app.command("list")(list_)
