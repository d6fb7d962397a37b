"""限速器动作速度校验 (TSG T5002-2017 A-4-06, B-4-4, C-4-6): the kinds, the intervals and the 15-year mark."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from elevators.governor import DUMBWAITER, HYDRAULIC, TRACTION, governor_kind, interval_years, next_calibration

SINCE = date(2010, 3, 15)


def years(n, days=0, since=SINCE):
    return since + relativedelta(years=n) + timedelta(days=days)


@pytest.mark.parametrize(
    ("category", "drive", "kind"),
    [
        ("3110", "traction", TRACTION),
        ("3120", "", TRACTION),
        ("3130", "forced", TRACTION),
        ("3410", "traction", TRACTION),
        ("3410", "hydraulic", HYDRAULIC),
        ("3420", "traction", TRACTION),
        ("3210", "", HYDRAULIC),
        ("3220", "hydraulic", HYDRAULIC),
        ("3430", "traction", DUMBWAITER),
        ("3310", "", None),
        ("3320", "", None),
    ],
)
def test_the_kind_follows_the_category_and_the_drive(category, drive, kind):
    assert governor_kind(category, drive) == kind


@pytest.mark.parametrize(("kind", "interval"), [(TRACTION, 2), (HYDRAULIC, 2), (DUMBWAITER, 5)])
def test_without_a_calibration_the_first_is_due_one_interval_after_the_start_of_use(kind, interval):
    due = next_calibration(kind, SINCE, None)
    assert (due.interval_years, due.due) == (interval, years(interval))


def test_escalators_and_moving_walks_have_nothing_due():
    assert next_calibration(None, SINCE, None) is None
    assert next_calibration(governor_kind("3310"), SINCE, date(2020, 1, 1)) is None


@pytest.mark.parametrize(
    ("calibrated", "interval", "due"),
    [
        (years(13), 2, years(15)),
        (years(14), 2, years(16)),  # 2 years, and exactly the 16th anniversary
        (years(14, 364), 2, years(16)),  # 2 years would be 16y364d: capped at 16 years
        (years(15), 2, years(16)),  # 15 years to the day is "不超过15年": 2 years, capped
        (years(15, 1), 1, years(16, 1)),  # over 15 years: every year
        (years(20), 1, years(21)),
    ],
)
def test_traction_around_the_fifteen_year_mark(calibrated, interval, due):
    result = next_calibration(TRACTION, SINCE, calibrated)
    assert (result.interval_years, result.due) == (interval, due)
    assert interval_years(TRACTION, SINCE, calibrated) == interval


@pytest.mark.parametrize("calibrated", [years(14, 364), years(15), years(15, 1), years(30)])
def test_hydraulic_and_dumbwaiters_ignore_the_age(calibrated):
    assert next_calibration(HYDRAULIC, SINCE, calibrated).due == calibrated + relativedelta(years=2)
    assert next_calibration(DUMBWAITER, SINCE, calibrated).due == calibrated + relativedelta(years=5)


def test_a_replaced_governor_restarts_the_age():
    old = date(1995, 1, 1)
    calibrated = date(2020, 6, 1)
    assert next_calibration(TRACTION, old, calibrated).due == date(2021, 6, 1)  # 25 years old: yearly
    new = date(2019, 6, 1)
    assert next_calibration(TRACTION, new, calibrated).due == date(2022, 6, 1)  # 1 year old: every 2 years
    # a calibration from before the replacement belongs to the old governor: the new one's first is due
    assert next_calibration(TRACTION, new, date(2019, 1, 1)).due == date(2021, 6, 1)


def test_a_leap_day_governor_reaches_its_years_on_the_28th():
    assert next_calibration(TRACTION, date(2012, 2, 29), None).due == date(2014, 2, 28)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        interval_years("escalator", SINCE, SINCE)


dates = st.dates(min_value=date(1980, 1, 1), max_value=date(2060, 12, 31))


@given(kind=st.sampled_from([TRACTION, HYDRAULIC, DUMBWAITER]), since=dates, age=st.integers(0, 40 * 366))
def test_the_next_date_is_after_the_calibration_and_at_most_its_interval_later(kind, since, age):
    calibrated = since + timedelta(days=age)
    result = next_calibration(kind, since, calibrated)
    assert calibrated < result.due <= calibrated + relativedelta(years=result.interval_years)
    if kind == TRACTION:
        # never past the 16th anniversary while the governor is at most 15 at the calibration
        if calibrated <= since + relativedelta(years=15):
            assert result.due <= since + relativedelta(years=16)
        else:
            assert result.interval_years == 1


@given(since=dates, first=st.integers(0, 40 * 366), later=st.integers(1, 3 * 366))
def test_a_later_calibration_never_brings_the_next_date_forward(since, first, later):
    """Monotone: calibrating later never makes the next calibration due earlier (no cliff at 15 years)."""
    one = since + timedelta(days=first)
    two = one + timedelta(days=later)
    assert next_calibration(TRACTION, since, one).due <= next_calibration(TRACTION, since, two).due
