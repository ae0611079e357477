"""`sanling remind`: each handler's reminder (到期提醒) as text, JSON or Markdown, and the
message a group robot gets for one handler.

The items come from ledger/remind.py (its registry of kinds and their rules); this module only
shapes them. Phones never appear here: `Handler.mobiles` is read by the command that posts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sanling.i18n import get_lang, label, tr
from sanling.ledger import remind as ledger
from sanling.ledger.base import Ledger
from sanling.render import Column, Detail, Listing
from sanling.reports.village import _md as month_day
from sanling.reports.village import _when as when

KINDS = {s.kind: s.label for s in ledger.SOURCES}
WIDTH = 80  # the text fits a terminal and reads well in a chat
COLUMNS = ["handler", "on_roster", "kind", "ref", "village", "what", "due", "state", "days"]


def _kind(code: str) -> str:
    zh, en = KINDS[code]
    return zh if get_lang() == "zh" else en


def _what(value: Any) -> str:
    return label(value) if value is not None else ""


def card_mark(item: dict[str, Any]) -> str:
    """`【红牌督办】` for an item under a yellow or red card (`[red card] ` in English)."""
    card = item.get("card")
    if card is None:
        return ""
    return f"【{label(card)}】" if get_lang() == "zh" else f"[{label(card)}] "


def item_line(item: dict[str, Any]) -> str:
    """One item: `JF-2026-0001 纠纷 城庄村 土地山林 逾期3天（时限10月28日）`, the card first
    after the reference for one under a yellow or red card (`JF-2026-0001 【红牌督办】纠纷 …`)."""
    due = month_day(item["due"])
    name = f" {item['name']}" if item.get("name") else ""
    kind = card_mark(item) + _kind(item["kind"])
    head = f"{item['ref']} {kind} {item['village']}{name} {_what(item['what'])}"
    if get_lang() == "zh":
        word = "应访" if item["kind"] == "visit" else "时限"
        return f"{head} {when(item)}（{word}{due}）"
    return f"{head}, {when(item)} (due {due})"


def _tally(h: ledger.Handler) -> str:
    n = h.counts()
    if get_lang() == "zh":
        return f"逾期{n[ledger.OVERDUE]}项、临期{n[ledger.DUE_SOON]}项"
    return f"{n[ledger.OVERDUE]} overdue, {n[ledger.DUE_SOON]} due soon"


def who(h: ledger.Handler) -> str:
    """The handler's heading: name, role and village, or why no @-mention reaches them."""
    zh = get_lang() == "zh"
    if h.name is None:
        return "（未指定责任人）" if zh else "(no handler named)"
    if not h.on_roster:
        note = "不在人员名册，无法@提醒" if zh else "not on the staff roster: cannot be @-mentioned"
        return f"{h.name}（{note}）" if zh else f"{h.name} ({note})"
    about = "·".join(x for x in (h.role, h.village) if x)
    if not about:
        return h.name
    return f"{h.name}（{about}）" if zh else f"{h.name} ({about})"


def _wrapped(line: str, indent: str) -> list[str]:
    """`line` in lines of at most WIDTH cells, after `indent`; what wraps is indented more."""
    from sanling.render.fit import wrap

    first, *rest = wrap(line, WIDTH - len(indent) - 2)
    return [indent + first, *(f"{indent}  {part}" for part in rest)]


@dataclass
class Reminders:
    """Every handler's reminder of a day, in one town."""

    town: str
    day: dt.date
    days: int
    handlers: list[ledger.Handler]

    title: str = ""

    def __post_init__(self) -> None:
        d = self.day
        self.title = (
            f"【{self.town}到期提醒】{d.year}年{d.month}月{d.day}日"
            if get_lang() == "zh"
            else f"{self.town} reminders, {d.isoformat()}"
        )

    def scope(self) -> str:
        return tr(
            "已逾期及{n}天内到期的事项，按责任人",
            "overdue or due within {n} days, by handler",
            n=self.days,
        )

    def data(self) -> dict[str, Any]:
        return {
            "date": self.day,
            "town": self.town,
            "days": self.days,
            "handlers": [
                {
                    "handler": h.name,
                    "on_roster": h.on_roster,
                    "role": h.role,
                    "village": h.village,
                    **h.counts(),
                    "items": h.items,
                }
                for h in self.handlers
            ],
        }

    def sections(self) -> list[Listing | Detail]:
        rows = [
            {
                "handler": h.name,
                "on_roster": h.on_roster,
                **i,
                "kind": _kind(i["kind"]),
                "what": card_mark(i) + " ".join(x for x in (i.get("name"), _what(i["what"])) if x),
                "state": when(i),
                "days": i["days_overdue"] if i["days_overdue"] is not None else i["days_left"],
            }
            for h in self.handlers
            for i in h.items
        ]
        titles = {
            "handler": tr("责任人", "handler"),
            "on_roster": tr("在名册", "on roster"),
            "kind": tr("类别", "kind"),
            "what": tr("事项", "what"),
            "due": tr("到期日", "due"),
            "state": tr("状态", "state"),
            "days": tr("天数", "days"),
        }
        columns = [Column(k, titles.get(k)) for k in COLUMNS]
        return [Listing(columns, rows, title=self.scope())]

    def text(self) -> str:
        lines = [self.title, self.scope() + ("。" if get_lang() == "zh" else ".")]
        if not self.handlers:
            lines.append(tr("无逾期或临期事项。", "Nothing overdue or due soon."))
        for h in self.handlers:
            lines += ["", *_wrapped(f"{who(h)} {_tally(h)}", "")]
            for i in h.items:
                lines += _wrapped(item_line(i), "  ")
        return "\n".join(lines) + "\n"

    def message(self, h: ledger.Handler, items: list[dict[str, Any]]) -> str:
        """What the robot posts for one handler: `items` (those not sent yet), under the
        title the text has and the handler's totals, marked as continued (（续）) when some of
        the handler's items were sent before; the robot adds the @-mention itself from the
        phone it is given."""
        more = len(items) < len(h.items)
        heading = f"{who(h)} {_tally(h)}" + (tr("（续）", " (continued)") if more else "")
        return "\n".join([self.title, heading, *map(item_line, items)])


def build(lx: Ledger, day: dt.date, days: int, *, town: str | None = None) -> Reminders:
    place = lx.town(town)
    return Reminders(place.name, day, days, ledger.collect(lx, place, day, days))
