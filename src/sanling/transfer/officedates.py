"""Dates as offices write them in a 台账, read into what the ledger's date parser takes.

- `2026年3月5日9时`, `2026年3月5日 9:30`, `2026年2月10日前`, `2026.3.20之前`: the day (a time of
  day, and 前 / 之前 / 以前 / 止 after a deadline, are dropped);
- `3月底` / `3月末`: that month's last day; `3月5日`: that day; the year is the row's found
  date's (or the file's: today's) year, so these wait for the row (`Pending`);
- `立即整改`, `立即`, `即时`, `当天`: the found date (`Pending`);
- `长期`, `长期坚持`, `常态化`, `持续`: no deadline set, so the ledger's policy default applies
  (`Pending`; the record notes the office's word).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_FULL = re.compile(
    r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*[日号]?"
    r"(?:\s*\d{1,2}\s*(?:[时点:：]\s*(?:\d{1,2}\s*分?)?)?(?::\d{2})?)?"
    r"\s*(?:前|之前|以前|止|为止|完成)?$"
)
_MONTH_END = re.compile(r"^(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(?:底|末|末前|底前)$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]\s*(?:前|之前|以前|止)?$")
AT_ONCE = ("立即整改", "立即", "即时", "当天", "当日", "马上整改", "立行立改", "即知即改")
NO_DEADLINE = ("长期", "长期坚持", "常态化", "持续", "长期整改", "持续整改", "长期跟踪")


@dataclass(frozen=True)
class Pending:
    """A date that needs the row: `rule` is "month_end", "month_day", "found" or "none"."""

    text: str
    rule: str
    month: int = 0
    day: int = 0
    year: int | None = None

    def resolve(self, found: dt.date) -> dt.date | None:
        """The day it names for a row found on `found` (None: no deadline, the default)."""
        if self.rule == "found":
            return found
        if self.rule == "none":
            return None
        year = self.year or found.year
        if self.rule == "month_end":
            return dt.date(year, self.month, calendar.monthrange(year, self.month)[1])
        return dt.date(year, self.month, self.day)


def read(raw: str) -> str | Pending:
    """An office's date text as ISO text, a Pending, or the text unchanged (for the ledger's
    parser to read or refuse)."""
    text = raw.strip().replace("：", ":")
    m = _FULL.match(text)
    if m:
        return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
    m = _MONTH_END.match(text)
    if m and 1 <= int(m[2]) <= 12:
        return Pending(raw, "month_end", int(m[2]), year=int(m[1]) if m[1] else None)
    m = _MONTH_DAY.match(text)
    if m and 1 <= int(m[1]) <= 12 and 1 <= int(m[2]) <= 31:
        return Pending(raw, "month_day", int(m[1]), int(m[2]))
    if text in AT_ONCE:
        return Pending(raw, "found")
    if text in NO_DEADLINE:
        return Pending(raw, "none")
    return raw
