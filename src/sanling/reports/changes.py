"""The changes since a moment (--changes-since): the records added, corrected, voided or
moved on since a report was sent, with their reasons, so today's figures can be told apart
from the ones sent (ledger.recorded.changes)."""

from __future__ import annotations

import datetime as dt

from sanling.i18n import tr
from sanling.ledger import recorded
from sanling.ledger.base import Ledger
from sanling.render import Listing
from sanling.reports.base import BuiltReport, columns

COLUMNS = (
    ("at", "时间", "time"),
    ("operator", "操作人", "operator"),
    ("change", "变动", "change"),
    ("action", "操作", "action"),
    ("ref", "编号", "ref"),
    ("day", "记录日期", "record date"),
    ("fields", "变动内容", "fields changed"),
    ("reason", "原因", "reason"),
)


def add_to(
    report: BuiltReport,
    lx: Ledger,
    since: dt.datetime,
    up_to: dt.date,
    town_id: int | None = None,
) -> None:
    """Append the changes logged after `since` (UTC) to records dated up to `up_to` (of the
    town `town_id`, None: every town) to the report: `changes_since` in its data, and a table
    after its own."""
    rows = recorded.changes(lx, since, up_to=up_to, town_id=town_id)
    shown = recorded.local(since, lx.policy.timezone)
    report.payload["changes_since"] = {"since": shown, "changes": rows}
    report.sections()  # the report's own tables first
    report.parts.append(
        Listing(
            columns(*COLUMNS),
            rows,
            title=tr(
                "{t} 以来的变动（{n} 项）",
                "Changes since {t} ({n})",
                t=shown.isoformat(sep=" "),
                n=len(rows),
            ),
            key="changes_since",
        )
    )
