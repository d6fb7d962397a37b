"""The days plans avoid: the package's arrangement, the operator's 节假日调整 over it, and the cache."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maintenance import services
from maintenance.days_off import avoid_for, calendar_of, days_off, is_working_day, workdays_of

pytestmark = pytest.mark.django_db

YEAR_2026 = (date(2026, 1, 1), date(2026, 12, 31))


def test_national_day_week_is_avoided_whole_with_its_sunday():
    avoided = days_off(*YEAR_2026, "holidays")
    assert {date(2026, 10, d) for d in range(1, 8)} <= avoided
    assert date(2026, 10, 4) in avoided  # a Sunday the package does not list
    assert date(2026, 10, 8) not in avoided and date(2026, 10, 10) not in avoided  # 10-10 is a 调休 Saturday


def test_holidays_mode_keeps_ordinary_weekends():
    avoided = days_off(*YEAR_2026, "holidays")
    assert date(2026, 3, 7) not in avoided  # a plain Saturday


def test_a_substituted_saturday_is_a_working_day():
    avoided = days_off(*YEAR_2026, "days_off")
    assert date(2026, 2, 14) not in avoided  # Saturday, 调休上班
    assert date(2026, 2, 15) in avoided  # Sunday before the Spring Festival
    assert date(2026, 2, 20) in avoided  # the Friday given off for it
    assert date(2026, 3, 7) in avoided  # a plain Saturday
    assert is_working_day(date(2026, 2, 14))
    assert not is_working_day(date(2026, 10, 4))


def test_a_plain_wednesday_is_not_off():
    day = date(2026, 3, 11)
    assert day not in days_off(day, day, "holidays")
    assert day not in days_off(day, day, "days_off")
    assert is_working_day(day)


def test_no_mode_avoids_nothing():
    assert days_off(*YEAR_2026, "") == frozenset()


def test_the_range_is_kept():
    assert days_off(date(2026, 10, 3), date(2026, 10, 5), "holidays") == {
        date(2026, 10, 3),
        date(2026, 10, 4),
        date(2026, 10, 5),
    }


def test_workdays_of_a_year():
    days = workdays_of(2026)
    assert date(2026, 2, 14) in days and date(2026, 10, 4) not in days and date(2026, 3, 11) in days
    assert 245 <= len(days) <= 252


def test_the_operators_rows_change_the_answer_at_once(world):
    first, last = date(2027, 2, 1), date(2027, 2, 28)
    before = days_off(first, last, "days_off")
    assert date(2027, 2, 6) in before  # Saturday, Spring Festival by the package
    assert date(2027, 2, 11) not in before  # Thursday
    services.save_holiday(
        actor=world.operator, data={"date": date(2027, 2, 6), "is_workday": True, "name": "春节调休上班"}
    )
    holiday = services.save_holiday(
        actor=world.operator, data={"date": date(2027, 2, 11), "is_workday": False, "name": "春节"}
    )
    after = days_off(first, last, "days_off")
    assert date(2027, 2, 6) not in after
    assert date(2027, 2, 11) in after
    assert date(2027, 2, 11) in days_off(first, last, "holidays")
    assert is_working_day(date(2027, 2, 6))
    services.delete_holiday(holiday, actor=world.operator, reason="通知更正")
    assert date(2027, 2, 11) not in days_off(first, last, "days_off")


def test_a_holiday_block_extends_through_an_operators_weekend():
    """An operator's Friday off reaches the weekend after it in "holidays" mode, unless a 调休 Saturday."""
    from maintenance.models import Holiday

    Holiday.objects.create(date=date(2027, 6, 11), is_workday=False, name="端午节")  # Friday
    avoided = days_off(date(2027, 6, 1), date(2027, 6, 30), "holidays")
    assert {date(2027, 6, 11), date(2027, 6, 12), date(2027, 6, 13)} <= avoided
    Holiday.objects.create(date=date(2027, 6, 12), is_workday=True, name="调休上班")
    avoided = days_off(date(2027, 6, 1), date(2027, 6, 30), "holidays")
    assert date(2027, 6, 12) not in avoided and date(2027, 6, 13) not in avoided


def test_at_most_one_query_per_call_and_none_once_cached(world):
    days_off(*YEAR_2026, "days_off")
    with CaptureQueriesContext(connection) as cached:
        days_off(*YEAR_2026, "holidays")
        days_off(date(2025, 12, 1), date(2027, 1, 31), "days_off")
        is_working_day(date(2026, 5, 6))
    assert len(cached) == 0
    services.save_holiday(actor=world.operator, data={"date": date(2026, 5, 6), "is_workday": False, "name": "x"})
    with CaptureQueriesContext(connection) as fresh:
        assert date(2026, 5, 6) in days_off(*YEAR_2026, "days_off")
    assert len(fresh) == 1


def test_a_company_avoids_what_its_settings_say(world):
    first, last = date(2026, 10, 1), date(2026, 10, 11)
    assert avoid_for(world.company_a.pk, first, last) == frozenset()
    services.save_planning_settings(world.company_a, avoid="days_off", actor=world.admin_a)
    avoided = avoid_for(world.company_a.pk, first, last)
    assert date(2026, 10, 4) in avoided and date(2026, 10, 11) in avoided and date(2026, 10, 10) not in avoided
    assert avoid_for(world.company_b.pk, first, last) == frozenset()


def test_the_year_view_names_each_day_and_its_source(world):
    services.save_holiday(
        actor=world.operator, data={"date": date(2026, 12, 31), "is_workday": False, "name": "跨年调整"}
    )
    days = {day.date: day for day in calendar_of(2026)}
    assert days[date(2026, 10, 1)].source == "package" and not days[date(2026, 10, 1)].is_workday
    assert days[date(2026, 10, 4)].source == "weekend"
    assert days[date(2026, 2, 14)].is_workday and "2026-02-20" in days[date(2026, 2, 14)].name
    assert days[date(2026, 12, 31)].source == "operator" and days[date(2026, 12, 31)].holiday is not None
    assert date(2026, 3, 7) not in days
