"""Dates and periods: the formats of cli.md, half-months, months, years, rates half up."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanling import periods
from sanling.errors import InvalidValue

TODAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-27",
        "2026/11/27",
        "2026.11.27",
        "2026年11月27日",
        "2026年11月27",
        "today",
        "今天",
        " 2026-11-27 ",
        "２０２６－１１－２７",
        "2026-11-27",
    ],
)
def test_date_formats(text: str) -> None:
    assert periods.parse_date(text, TODAY) == TODAY


def test_yesterday_and_padding() -> None:
    assert periods.parse_date("yesterday", TODAY) == dt.date(2026, 11, 26)
    assert periods.parse_date("昨天", TODAY) == dt.date(2026, 11, 26)
    assert periods.parse_date("2026-1-5", TODAY) == dt.date(2026, 1, 5)


@pytest.mark.parametrize(
    "text", ["2026-13-01", "2026-02-30", "27.11.2026", "tomorrow", "", "2026-11"]
)
def test_bad_dates(text: str) -> None:
    with pytest.raises(InvalidValue):
        periods.parse_date(text, TODAY)


def test_future_date_refused_unless_allowed() -> None:
    with pytest.raises(InvalidValue, match="future"):
        periods.parse_date("2026-11-28", TODAY)
    assert periods.parse_date("2026-12-31", TODAY, allow_future=True) == dt.date(2026, 12, 31)


def test_half_months() -> None:
    assert periods.half_month(dt.date(2026, 2, 15)) == periods.Period(
        dt.date(2026, 2, 1), dt.date(2026, 2, 15)
    )
    assert periods.half_month(dt.date(2026, 2, 16)) == periods.Period(
        dt.date(2026, 2, 16), dt.date(2026, 2, 28)
    )
    assert periods.half_month(dt.date(2028, 2, 29)).end == dt.date(2028, 2, 29)
    assert periods.half_month(dt.date(2026, 12, 31)).start == dt.date(2026, 12, 16)


def test_months_and_years() -> None:
    assert periods.parse_month("2026-10") == periods.Period(
        dt.date(2026, 10, 1), dt.date(2026, 10, 31)
    )
    assert periods.parse_month("2026年2月").end == dt.date(2026, 2, 28)
    with pytest.raises(InvalidValue):
        periods.parse_month("2026-13")
    assert periods.previous_month(periods.parse_month("2026-01")).start == dt.date(2025, 12, 1)
    feb = periods.parse_month("2028-02")
    assert periods.same_period_last_year(feb) == periods.Period(
        dt.date(2027, 2, 1), dt.date(2027, 2, 28)
    )
    assert periods.shift_year(dt.date(2028, 2, 29), -1) == dt.date(2027, 2, 28)
    assert periods.year_to_date(TODAY) == periods.Period(dt.date(2026, 1, 1), TODAY)
    assert periods.as_of_for(periods.parse_month("2026-10"), TODAY) == dt.date(2026, 10, 31)
    assert periods.as_of_for(periods.parse_month("2026-11"), TODAY) == TODAY


def test_rates_round_half_up() -> None:
    assert periods.rate(78, 84) == 92.9
    assert periods.rate(89, 92) == 96.7
    assert periods.rate(1, 8) == 12.5
    assert periods.rate(1, 16) == 6.3  # 6.25 -> 6.3, half up (banker's rounding would give 6.2)
    assert periods.rate(0, 0) is None
    assert periods.rate(3, 3) == 100.0
    assert periods.change(41, 50) == -18.0
    assert periods.change(1, 0) is None


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_day_is_in_its_half_month(day: dt.date) -> None:
    half = periods.half_month(day)
    assert day in half
    assert half.start.day in (1, 16)
    assert half.days in range(13, 17)
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        assert periods.parse_date(day.strftime(fmt), dt.date(2100, 12, 31)) == day
