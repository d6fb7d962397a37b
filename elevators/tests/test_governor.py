"""限速器校验 in the ledger: the dates on creation and edit, a calibration report, a replaced governor, the page."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alerts.services import replace_component as replace_from_warning
from elevators.models import Component, Elevator
from elevators.services import record_inspection, replace_component, update_elevator
from tests.cases import audit_events
from tests.factories import make_elevator

from .test_inspections import pdf

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def report(day, result="passed", number="XS-2026-01"):
    return {"kind": "governor", "date": day, "result": result, "number": number, "next_date": None}


def test_a_new_elevator_s_governor_starts_with_the_installation(world):
    elevator = make_elevator(world)
    assert elevator.governor_since == elevator.installation_date == date(2020, 1, 15)
    assert elevator.governor_calibrated_on is None
    assert elevator.next_governor_calibration == date(2022, 1, 15)
    dumbwaiter = make_elevator(world, category="3430")
    assert dumbwaiter.next_governor_calibration == date(2025, 1, 15)
    hydraulic = make_elevator(world, category="3210", drive_type="hydraulic")
    assert hydraulic.next_governor_calibration == date(2022, 1, 15)
    for category in ("3310", "3320"):
        assert make_elevator(world, category=category).next_governor_calibration is None


def test_the_edit_sets_the_governor_dates_and_recomputes_the_next(world):
    elevator = make_elevator(world, installation_date=date(2005, 5, 1))
    calibrated = date(2020, 5, 10)  # the governor is 15 years and 9 days old: yearly
    update_elevator(elevator, actor=world.admin_a, data={"governor_calibrated_on": calibrated}, reason="补录")
    elevator.refresh_from_db()
    assert elevator.next_governor_calibration == date(2021, 5, 10)
    update_elevator(elevator, actor=world.admin_a, data={"governor_since": date(2019, 1, 1)}, reason="更换过")
    elevator.refresh_from_db()
    assert elevator.next_governor_calibration == date(2022, 5, 10)  # a 1-year-old governor: every 2 years
    event = audit_events(elevator, "update").first()
    assert event.changes["next_governor_calibration"] == ["2021-05-10", "2022-05-10"]
    with pytest.raises(ValidationError) as error:
        update_elevator(elevator, actor=world.admin_a, data={"governor_calibrated_on": date(2018, 1, 1)})
    assert "governor_calibrated_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        update_elevator(elevator, actor=world.admin_a, data={"governor_since": today() + timedelta(days=1)})
    assert "governor_since" in error.value.message_dict


def test_the_default_start_of_use_follows_a_corrected_installation_date(world):
    elevator = make_elevator(world)
    update_elevator(elevator, actor=world.admin_a, data={"installation_date": date(2021, 3, 1)})
    elevator.refresh_from_db()
    assert elevator.governor_since == date(2021, 3, 1) and elevator.next_governor_calibration == date(2023, 3, 1)


def test_a_calibration_report_moves_the_next_date_and_a_failed_one_does_not(world):
    elevator = make_elevator(world)
    done = today() - timedelta(days=3)
    failed = record_inspection(elevator, actor=world.admin_a, data=report(done, "failed", "XS-1"), upload=pdf())
    elevator.refresh_from_db()
    assert failed.pk and elevator.governor_calibrated_on is None
    assert elevator.next_governor_calibration == date(2022, 1, 15)  # still overdue
    record_inspection(elevator, actor=world.admin_a, data=report(done, "rechecked", "XS-2"), upload=pdf())
    elevator.refresh_from_db()
    assert elevator.governor_calibrated_on == done
    assert elevator.next_governor_calibration == done + relativedelta(years=2)
    event = audit_events(elevator, "update").first()
    assert event.changes["governor_calibrated_on"] == [None, str(done)] and "XS-2" in event.reason
    # an older report entered afterwards does not move the dates back
    older = report(done - timedelta(days=400), "passed", "XS-0")
    record_inspection(elevator, actor=world.admin_a, data=older, upload=pdf())
    elevator.refresh_from_db()
    assert elevator.governor_calibrated_on == done


def test_a_sooner_date_stated_on_the_report_wins_and_survives_an_edit(world):
    elevator = make_elevator(world)
    done = today() - timedelta(days=10)
    sooner = done + relativedelta(years=1)
    record_inspection(elevator, actor=world.admin_a, data={**report(done), "next_date": sooner}, upload=pdf())
    elevator.refresh_from_db()
    assert elevator.next_governor_calibration == sooner
    update_elevator(elevator, actor=world.admin_a, data={"building": "改名大厦"}, reason="更正楼名")
    elevator.refresh_from_db()
    assert elevator.building == "改名大厦" and elevator.next_governor_calibration == sooner
    # a later date on the next report cannot stretch the two-year interval
    again = today() - timedelta(days=2)
    later = again + relativedelta(years=3)
    record_inspection(elevator, actor=world.admin_a, data={**report(again), "next_date": later}, upload=pdf())
    elevator.refresh_from_db()
    assert elevator.next_governor_calibration == again + relativedelta(years=2)


def test_a_calibration_of_an_escalator_changes_nothing(world):
    escalator = make_elevator(world, category="3310")
    record_inspection(escalator, actor=world.admin_a, data=report(today()), upload=pdf())
    escalator.refresh_from_db()
    assert escalator.next_governor_calibration is None and escalator.governor_calibrated_on is None


def test_replacing_the_governor_restarts_its_age(world):
    elevator = make_elevator(world, installation_date=date(2004, 2, 1))
    record_inspection(elevator, actor=world.admin_a, data=report(date(2025, 3, 1)), upload=pdf())
    elevator.refresh_from_db()
    assert elevator.next_governor_calibration == date(2026, 3, 1)  # 21 years old: yearly
    governor = Component.objects.get(elevator=elevator, name="限速器")
    day = today() - timedelta(days=2)
    replace_component(governor, actor=world.admin_a, replaced_on=day, note="新限速器")
    elevator.refresh_from_db()
    assert elevator.governor_since == day and elevator.governor_calibrated_on is None
    assert elevator.next_governor_calibration == day + relativedelta(years=2)
    event = audit_events(elevator, "update").first()
    assert event.changes["governor_since"] == ["2004-02-01", str(day)] and "新限速器" in event.reason


def test_replacing_another_component_leaves_the_governor(world):
    elevator = make_elevator(world)
    brake = Component.objects.get(elevator=elevator, name="制动器")
    replace_from_warning(brake, actor=world.admin_a, replaced_on=today())
    assert Elevator.objects.get(pk=elevator.pk).governor_since == date(2020, 1, 15)


def test_the_warning_s_replacement_resets_the_governor_too(world):
    elevator = make_elevator(world)
    governor = Component.objects.get(elevator=elevator, name="限速器")
    replace_from_warning(governor, actor=world.admin_a, replaced_on=today())
    elevator.refresh_from_db()
    assert elevator.governor_since == today()
    assert elevator.next_governor_calibration == today() + relativedelta(years=2)


def test_the_elevator_page_shows_the_governor_dates(world, client_for):
    elevator = make_elevator(world)
    page = client_for(world.admin_a).get(reverse("elevators:detail", args=[elevator.pk])).content.decode()
    assert 'data-testid="next-governor-calibration">2022-01-15' in page
    assert 'data-testid="governor-since">2020-01-15' in page
    escalator = make_elevator(world, category="3310")
    page = client_for(world.admin_a).get(reverse("elevators:detail", args=[escalator.pk])).content.decode()
    assert "next-governor-calibration" not in page


def test_the_ledger_s_edit_form_sets_the_governor_dates(world, client_for):
    from tests.factories import elevator_form_data

    elevator = make_elevator(world)
    client = client_for(world.admin_a)
    url = reverse("elevators:edit", args=[elevator.pk])
    assert 'name="governor_since"' in client.get(url).content.decode()
    data = elevator_form_data(
        world,
        register_code=elevator.register_code,
        rescue_code=elevator.rescue_code,
        installation_date="2020-01-15",
        governor_since="2021-09-01",
        governor_calibrated_on="2024-10-08",
        reason="补录限速器",
    )
    response = client.post(url, {**data, "step": "3", "action": "submit"})
    assert response.status_code == 302
    elevator.refresh_from_db()
    assert (elevator.governor_since, elevator.governor_calibrated_on) == (date(2021, 9, 1), date(2024, 10, 8))
    assert elevator.next_governor_calibration == date(2026, 10, 8)
    bad = client.post(url, {**data, "governor_calibrated_on": "2021-01-01", "step": "3", "action": "submit"})
    assert bad.status_code == 200 and "上次限速器校验日期不能早于限速器启用日期" in bad.content.decode()


def test_the_migration_backfills_the_existing_rows(world):
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("elevators.migrations.0011_governor_calibration").backfill
    traction, escalator, old = make_elevator(world), make_elevator(world, category="3310"), make_elevator(world)
    record_inspection(old, actor=world.admin_a, data=report(date(2025, 4, 1)), upload=pdf())
    record_inspection(old, actor=world.admin_a, data=report(date(2025, 9, 1), "failed", "XS-F"), upload=pdf())
    Elevator.objects.update(governor_since=None, governor_calibrated_on=None, next_governor_calibration=None)
    backfill(apps, None)
    rows = {e.pk: e for e in Elevator.objects.all()}
    assert (rows[traction.pk].governor_since, rows[traction.pk].next_governor_calibration) == (
        date(2020, 1, 15),
        date(2022, 1, 15),
    )
    assert rows[escalator.pk].governor_since is None and rows[escalator.pk].next_governor_calibration is None
    assert rows[old.pk].governor_calibrated_on == date(2025, 4, 1)  # the failed one does not count
    assert rows[old.pk].next_governor_calibration == date(2027, 4, 1)
