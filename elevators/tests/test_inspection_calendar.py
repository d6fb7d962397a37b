"""年检日历 (TSG T7001-2023 4.1, TSG T7008-2023): the kinds of the first 20 years, due dates in the base month, the
next inspection from the calendar and from the last report."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from elevators.inspection import (
    PERIODIC,
    SELF,
    covered_year,
    due_before_reuse,
    due_in_year,
    kind_of_year,
    next_inspection,
    schedule,
)

# 第 1 年检验，第 2、3 年自行检测，第 4 年检验，第 5、6 年检测，第 7 年检验，第 8 年检测，
# 第 9 年检验……第 15 年检验，之后每年检验
FIRST_20_YEARS = {
    1: PERIODIC,
    2: SELF,
    3: SELF,
    4: PERIODIC,
    5: SELF,
    6: SELF,
    7: PERIODIC,
    8: SELF,
    9: PERIODIC,
    10: SELF,
    11: PERIODIC,
    12: SELF,
    13: PERIODIC,
    14: SELF,
    15: PERIODIC,
    16: PERIODIC,
    17: PERIODIC,
    18: PERIODIC,
    19: PERIODIC,
    20: PERIODIC,
}

supervision_dates = st.dates(min_value=date(1995, 1, 1), max_value=date(2040, 12, 31))
years = st.integers(min_value=1, max_value=20)


def report(day, kind=PERIODIC, result="passed", next_date=None):
    return SimpleNamespace(date=day, kind=kind, result=result, next_date=next_date)


@pytest.mark.parametrize(("n", "kind"), sorted(FIRST_20_YEARS.items()))
def test_the_kind_of_each_of_the_first_20_years(n, kind):
    assert kind_of_year(n) == kind


def test_the_first_20_years_of_an_elevator_supervised_in_june_2010():
    rows = [(d.year, d.date, d.kind) for d in schedule(date(2010, 6, 18))]
    assert rows[:5] == [
        (1, date(2011, 6, 30), PERIODIC),
        (2, date(2012, 6, 30), SELF),
        (3, date(2013, 6, 30), SELF),
        (4, date(2014, 6, 30), PERIODIC),
        (5, date(2015, 6, 30), SELF),
    ]
    assert [kind for _n, _d, kind in rows] == [FIRST_20_YEARS[n] for n in range(1, 21)]
    assert rows[-1] == (20, date(2030, 6, 30), PERIODIC)


def test_year_zero_is_not_in_the_calendar():
    with pytest.raises(ValueError):
        kind_of_year(0)


def test_a_february_base_month_ends_on_the_29th_in_a_leap_year():
    assert due_in_year(date(2019, 2, 10), 1).date == date(2020, 2, 29)
    assert due_in_year(date(2019, 2, 10), 2).date == date(2021, 2, 28)


@given(supervision_dates, years)
def test_each_year_is_due_by_the_end_of_the_base_month(supervision, n):
    due = due_in_year(supervision, n)
    assert due.date.year == supervision.year + n and due.date.month == supervision.month
    assert (due.date + timedelta(days=1)).day == 1
    assert due.kind == FIRST_20_YEARS[n]


@given(supervision_dates, years)
def test_exactly_one_periodic_or_self_inspection_each_year(supervision, n):
    """TSG T7008: a self-inspection every year except those of a periodic inspection — never both, never none."""
    kinds = {d.kind for d in schedule(supervision) if d.year == n}
    assert kinds in ({PERIODIC}, {SELF})


@given(supervision_dates, st.integers(min_value=0, max_value=19 * 366))
def test_without_a_report_the_next_date_is_the_first_calendar_date_from_today(supervision, offset):
    today = supervision + timedelta(days=offset)
    due, kind = next_inspection(supervision, today)
    entries = schedule(supervision, 21)
    expected = next(d for d in entries if d.date >= today)
    assert (due, kind) == (expected.date, expected.kind)
    assert today <= due < today + relativedelta(years=1, months=1)


@given(supervision_dates, years, st.integers(min_value=0, max_value=60))
def test_a_passed_report_up_to_its_allowed_advance_fulfils_its_year(supervision, n, days_early):
    entry = due_in_year(supervision, n)
    day = max(entry.window_opens, entry.date - timedelta(days=days_early))
    due, kind = next_inspection(supervision, day, report(day, kind=entry.kind))
    following = due_in_year(supervision, n + 1)
    assert (due, kind) == (following.date, following.kind)
    assert due.month == supervision.month  # the next date does not move with an early inspection


@given(supervision_dates, years, st.integers(min_value=1, max_value=250))
def test_a_late_report_fulfils_the_overdue_year(supervision, n, days_late):
    entry = due_in_year(supervision, n)
    day = entry.date + timedelta(days=days_late)
    if day >= due_in_year(supervision, n + 1).window_opens:
        return  # late into the next year's window: that year's inspection
    assert covered_year(supervision, day) == n
    assert next_inspection(supervision, day, report(day))[0] == due_in_year(supervision, n + 1).date


@given(supervision_dates, years)
def test_a_failed_report_leaves_its_year_due(supervision, n):
    entry = due_in_year(supervision, n)
    due, kind = next_inspection(supervision, entry.date, report(entry.date, result="failed"))
    assert (due, kind) == (entry.date, entry.kind)


@given(supervision_dates, years, st.integers(min_value=30, max_value=800))
def test_the_date_stated_on_the_report_wins(supervision, n, days):
    day = due_in_year(supervision, n).date
    stated = day + timedelta(days=days)
    due, kind = next_inspection(supervision, day, report(day, next_date=stated))
    assert due == stated
    assert kind in (PERIODIC, SELF)


def test_a_stated_date_takes_the_kind_of_its_calendar_year():
    supervision = date(2020, 5, 6)
    assert next_inspection(supervision, date(2021, 5, 1), report(date(2021, 5, 1), next_date=date(2022, 5, 31))) == (
        date(2022, 5, 31),
        SELF,
    )
    assert next_inspection(supervision, date(2023, 5, 1), report(date(2023, 5, 1), next_date=date(2024, 5, 31))) == (
        date(2024, 5, 31),
        PERIODIC,
    )


def test_a_governor_calibration_does_not_move_the_calendar():
    supervision = date(2020, 5, 6)
    today = date(2022, 1, 10)
    assert next_inspection(supervision, today, report(today, kind="governor")) == next_inspection(supervision, today)


def test_a_report_before_the_first_window_leaves_the_calendar():
    supervision = date(2020, 5, 6)
    assert covered_year(supervision, date(2020, 6, 1)) is None
    assert next_inspection(supervision, date(2020, 6, 1), report(date(2020, 6, 1))) == (date(2021, 5, 31), PERIODIC)


def test_a_suspension_of_over_a_year_needs_a_periodic_inspection_before_reuse():
    assert due_before_reuse(date(2023, 3, 1), date(2024, 3, 2))
    assert not due_before_reuse(date(2023, 3, 1), date(2024, 3, 1))
