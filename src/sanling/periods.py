"""Dates, periods and rates: the calendar arithmetic every report shares."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sanling.errors import InvalidValue
from sanling.i18n import tr

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９／－．", "0123456789/-.")

# The years a date may fall in: events, periods, filters and SANLING_TODAY alike. Outside
# them the calendar arithmetic (a year before, a deadline after) would leave Python's range.
MIN_YEAR, MAX_YEAR = 1900, 2100


def check_year(year: int, what: str, field: str | None = None) -> None:
    """Refuse a year outside MIN_YEAR-MAX_YEAR, naming the range."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidValue(
            tr(
                "{what} 的年份 {y} 超出范围（{lo}—{hi} 年）",
                "{what}: the year {y} is outside {lo}-{hi}",
                what=what,
                y=year,
                lo=MIN_YEAR,
                hi=MAX_YEAR,
            ),
            tr(
                "填写 {lo} 年至 {hi} 年之间的日期",
                "give a date between {lo} and {hi}",
                lo=MIN_YEAR,
                hi=MAX_YEAR,
            ),
            field=field,
        )


def today(timezone: str = "Asia/Shanghai") -> dt.date:
    """SANLING_TODAY if set (tests, reruns), else the local date in the town's time zone."""
    pinned = os.environ.get("SANLING_TODAY")
    if pinned:
        day = parse_date(pinned, dt.date(2000, 1, 1), field="SANLING_TODAY", allow_future=True)
        real = clock_today(timezone)
        if day > real + dt.timedelta(days=1) and not future_today_allowed:
            # A pinned day ahead of the clock would let anyone number records in a year to
            # come (JF-2099-0001) or date them ahead: only a test may ask for it.
            raise InvalidValue(
                tr(
                    "SANLING_TODAY {d} 晚于实际日期 {r}",
                    "SANLING_TODAY {d} is after the real date {r}",
                    d=day.isoformat(),
                    r=real.isoformat(),
                ),
                tr(
                    "去掉 SANLING_TODAY，或（仅测试）加全局选项 --allow-future-today",
                    "unset SANLING_TODAY, or (tests only) give --allow-future-today",
                ),
            )
        return day
    return clock_today(timezone)


# Set by the global option --allow-future-today (for tests): SANLING_TODAY may lie ahead.
future_today_allowed = False


def clock_today(timezone: str = "Asia/Shanghai") -> dt.date:
    """The real local date in the town's time zone, whatever SANLING_TODAY says."""
    from zoneinfo import ZoneInfo

    try:
        return dt.datetime.now(ZoneInfo(timezone)).date()
    except Exception:
        return dt.date.today()


def parse_date(
    text: str | dt.date,
    as_of: dt.date,
    *,
    field: str = "date",
    allow_future: bool = False,
) -> dt.date:
    """Parse 2026-11-27, 2026/11/27, 2026.11.27, 2026年11月27日, today, yesterday (今天, 昨天).

    A date after `as_of` is refused unless `allow_future` (deadlines may lie ahead).
    """
    if isinstance(text, dt.datetime):
        value = text.date()
    elif isinstance(text, dt.date):
        value = text
    else:
        raw = str(text).translate(_FULLWIDTH).strip()
        low = raw.lower()
        if low in ("today", "今天", "今日"):
            value = as_of
        elif low in ("yesterday", "昨天", "昨日"):
            value = as_of - dt.timedelta(days=1)
        else:
            m = _DATE.match(raw)
            if not m:
                raise InvalidValue(
                    tr(
                        "{field} 日期“{text}”无法识别",
                        "{field}: cannot read the date '{text}'",
                        field=field,
                        text=raw[:40],
                    ),
                    tr(
                        "写成 2026-11-27、2026/11/27 或 2026年11月27日",
                        "write it as 2026-11-27, 2026/11/27 or 2026年11月27日",
                    ),
                    field=field,
                )
            try:
                value = dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise InvalidValue(
                    tr(
                        "{field} 日期“{text}”不存在",
                        "{field}: '{text}' is not a real date",
                        field=field,
                        text=raw[:40],
                    ),
                    tr("检查月份和日", "check the month and day"),
                    field=field,
                )
    check_year(value.year, f"{field} {value.isoformat()}", field)
    if not allow_future and value > as_of:
        raise InvalidValue(
            tr(
                "{field} {value} 晚于今天 {today}",
                "{field} {value} is in the future (today is {today})",
                field=field,
                value=value.isoformat(),
                today=as_of.isoformat(),
            ),
            tr("已发生的事不能填未来日期", "something that has happened cannot have a future date"),
            field=field,
        )
    return value


@dataclass(frozen=True)
class Period:
    """An inclusive date range [start, end]."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def half_month(day: dt.date) -> Period:
    """The 1st-15th or the 16th-month end containing `day`."""
    if day.day <= 15:
        return Period(day.replace(day=1), day.replace(day=15))
    return Period(day.replace(day=16), month_end(day))


def month(day: dt.date) -> Period:
    return Period(day.replace(day=1), month_end(day))


def parse_month(text: str) -> Period:
    m = re.match(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$", text.translate(_FULLWIDTH))
    if not m or not 1 <= int(m[2]) <= 12:
        raise InvalidValue(
            tr("月份“{text}”无法识别", "cannot read the month '{text}'", text=text[:20]),
            tr("写成 2026-10", "write it as 2026-10"),
        )
    check_year(int(m[1]), text.strip()[:20])
    return month(dt.date(int(m[1]), int(m[2]), 1))


def previous_month(period: Period) -> Period:
    return month(period.start - dt.timedelta(days=1))


def year(y: int) -> Period:
    check_year(y, str(y))
    return Period(dt.date(y, 1, 1), dt.date(y, 12, 31))


def year_to_date(day: dt.date) -> Period:
    """今年以来: 1 January to `day`."""
    return Period(day.replace(month=1, day=1), day)


def shift_year(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def same_period_last_year(period: Period) -> Period:
    start = shift_year(period.start, -1)
    end = shift_year(period.end, -1)
    # A whole month stays a whole month (February of a leap year against a common one).
    if period.end == month_end(period.end):
        end = month_end(end)
    return Period(start, end)


def as_of_for(period: Period, today: dt.date) -> dt.date:
    """A past period is computed as of its last day; the current one as of today."""
    return period.end if period.end < today else today


def rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal, rounded half up; None when nothing was found."""
    if not whole:
        return None
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(value)


def change(now: int, before: int) -> float | None:
    """The change from `before` to `now` in percent, one decimal, half up; None if before is 0."""
    if not before:
        return None
    value = (Decimal(now - before) * 100 / Decimal(before)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return float(value)
