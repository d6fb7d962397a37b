"""限速器动作速度校验: the age-conditional part of the annual governor test appears only in the years it is due."""

from datetime import date

import pytest

from elevators.models import Component
from records.services import calibration_note, governor_age
from tests.factories import make_elevator, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def elevator():
    world = make_world()
    lift = make_elevator(world, installation_date=date(2010, 3, 1))
    Component.objects.filter(elevator=lift, name="限速器").delete()
    return lift


def governor(elevator, installed_on):
    Component.objects.create(elevator=elevator, name="限速器", installed_on=installed_on)


@pytest.mark.parametrize(
    ("installed_on", "day", "due"),
    [
        (date(2024, 6, 1), date(2025, 6, 10), False),  # one year: the factory's calibration holds
        (date(2024, 6, 1), date(2026, 6, 1), True),  # two years to the day
        (date(2024, 6, 1), date(2026, 5, 31), False),  # a day short of two years
        (date(2023, 6, 1), date(2026, 6, 10), False),  # three years: next at four
        (date(2011, 6, 1), date(2026, 6, 10), False),  # fifteen years: still every second year (odd → no)
        (date(2010, 6, 1), date(2026, 6, 10), True),  # sixteen years: every year from now on
        (date(2009, 6, 1), date(2026, 6, 10), True),  # seventeen
    ],
)
def test_a_traction_governor_by_its_age(elevator, installed_on, day, due):
    governor(elevator, installed_on)
    note = calibration_note("A-4-6", elevator, day)
    assert ("本次须进行限速器动作速度校验" in note) is due
    assert ("本次不需校验" in note) is not due


def test_the_ledgers_newest_governor_counts_else_the_elevator(elevator):
    assert governor_age(elevator, date(2026, 3, 1)) == (16, False)  # installed with the elevator in 2010
    governor(elevator, date(2020, 1, 1))
    governor(elevator, date(2025, 1, 1))  # replaced: its life starts again
    assert governor_age(elevator, date(2026, 3, 1)) == (1, True)
    assert "满 2 年时校验" in calibration_note("A-4-6", elevator, date(2026, 3, 1))


def test_hydraulic_every_two_years_and_dumbwaiters_every_five(elevator):
    governor(elevator, date(2016, 1, 1))
    day = date(2026, 2, 1)  # ten years
    assert "本次须进行" in calibration_note("B-4-4", elevator, day)
    assert "本次须进行" in calibration_note("C-4-6", elevator, day)
    day = date(2027, 2, 1)  # eleven
    assert "本次不需" in calibration_note("B-4-4", elevator, day)
    assert "满 15 年时校验" in calibration_note("C-4-6", elevator, day)
    assert calibration_note("A-1-1", elevator, day) == ""  # every other item adds nothing
