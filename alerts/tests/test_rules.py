"""维保预警 rules: the level of a due date and the escalation of an overdue visit, at every edge."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alerts import rules
from alerts.rules import NEAR, OVERDUE, escalation_step, level

TODAY = date(2026, 3, 10)


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


@pytest.mark.parametrize(
    ("offset", "near_days", "expected"),
    [
        (0, 3, NEAR),  # due today is near, not overdue
        (-1, 3, OVERDUE),  # due yesterday
        (-400, 3, OVERDUE),
        (1, 3, NEAR),
        (3, 3, NEAR),  # the window's edge
        (4, 3, None),  # just outside
        (1, 1, NEAR),
        (2, 1, None),
        (14, 14, NEAR),
        (15, 14, None),
        (0, 1, NEAR),
    ],
)
def test_level_at_the_edges(offset, near_days, expected):
    assert level(day(offset), TODAY, near_days) == expected


def test_the_default_threshold_is_three_days():
    assert level(day(3), TODAY) == NEAR and level(day(4), TODAY) is None


@pytest.mark.parametrize(
    ("offset", "step"),
    [(5, 0), (0, 0), (-1, 1), (-2, 1), (-3, 2), (-6, 2), (-7, 3), (-100, 3)],
)
def test_escalation_steps_at_one_three_and_seven_days(offset, step):
    assert escalation_step(day(offset), TODAY) == step


def test_days_left():
    assert rules.days_left(day(2), TODAY) == 2
    assert rules.days_left(day(0), TODAY) == 0
    assert rules.days_left(day(-3), TODAY) == -3


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
thresholds = st.integers(min_value=rules.NEAR_DAYS_MIN, max_value=rules.NEAR_DAYS_MAX)


@given(due=dates, today=dates, near_days=thresholds)
def test_level_is_the_position_of_the_due_date(due, today, near_days):
    left = (due - today).days
    result = level(due, today, near_days)
    assert (result == OVERDUE) == (left < 0)
    assert (result == NEAR) == (0 <= left <= near_days)
    assert (result is None) == (left > near_days)


@given(due=dates, today=dates, near_days=thresholds)
def test_a_wider_window_never_loses_a_warning(due, today, near_days):
    if level(due, today, near_days) is not None and near_days < rules.NEAR_DAYS_MAX:
        assert level(due, today, near_days + 1) is not None


@given(due=dates, today=dates)
def test_escalation_grows_with_time_and_only_when_overdue(due, today):
    step = escalation_step(due, today)
    assert 0 <= step <= 3
    assert (step > 0) == (level(due, today) == OVERDUE)
    assert escalation_step(due, today + timedelta(days=1)) >= step


# --- 人员证书到期预警 and 维保记录待确认预警 ------------------------------------------------------------------------

from datetime import UTC, datetime  # noqa: E402 - this block is appended on its own

NOW = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (61, None),  # in 61 days: not yet
        (60, NEAR),  # in exactly 60 days: yellow
        (1, NEAR),
        (0, NEAR),  # its last valid day is today: still valid, yellow
        (-1, OVERDUE),  # ended yesterday: red
        (-400, OVERDUE),
    ],
)
def test_certificate_level_at_its_edges(offset, expected):
    assert rules.certificate_level(day(offset), TODAY) == expected


def test_a_worker_without_any_certificate_is_red():
    assert rules.certificate_level(None, TODAY) == OVERDUE


@pytest.mark.parametrize(
    ("waited", "expected"),
    [
        (timedelta(hours=23, minutes=59), NEAR),
        (timedelta(hours=24), NEAR),  # exactly 24 hours: not yet past them (records.services.awaiting_confirmation)
        (timedelta(hours=24, minutes=1), OVERDUE),
        (timedelta(0), NEAR),
        (timedelta(days=9), OVERDUE),
    ],
)
def test_confirmation_level_at_its_edges(waited, expected):
    assert rules.confirmation_level(NOW - waited, NOW) == expected


def test_waiting_minutes_are_whole_and_never_negative():
    assert rules.waiting_minutes(NOW - timedelta(hours=24, minutes=1, seconds=59), NOW) == 24 * 60 + 1
    assert rules.waiting_minutes(NOW + timedelta(minutes=5), NOW) == 0  # a phone's clock ahead of the server


def test_the_confirmation_edge_is_the_records_app_s():
    from records.services import CONFIRMATION_DUE

    assert rules.CONFIRMATION_DUE == CONFIRMATION_DUE


@given(st.integers(min_value=-1000, max_value=1000))
def test_certificate_level_is_the_sixty_day_window(offset):
    expected = OVERDUE if offset < 0 else NEAR if offset <= 60 else None
    assert rules.certificate_level(day(offset), TODAY) == expected
