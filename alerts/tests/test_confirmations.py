"""维保记录待确认预警: finished records waiting for their use unit, yellow up to 24 hours, red beyond."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.services import confirmation_warnings
from elevators.models import Elevator
from organizations.models import ServiceRelation
from records.models import MaintenanceRecord
from records.tests.builders import signature_data_url, simple_record
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

CONFIRMATION = reverse("alerts:confirmation")


def waiting(world, minutes: int, *, company=None, now=None, **elevator):
    """A finished record (company A's at 甲物业 by default) submitted `minutes` ago."""
    company = company or world.company_a
    if company == world.company_b:
        elevator = {"use_unit": world.use_unit_b, "region_code": "500107", **elevator}
        record = simple_record(world, company=company, worker=world.worker_b, **elevator)
    else:
        record = simple_record(world, company=company, **elevator)
    finished = (now or timezone.now()) - timedelta(minutes=minutes)
    MaintenanceRecord.objects.filter(pk=record.pk).update(
        started_at=finished - timedelta(minutes=45), finished_at=finished
    )
    record.refresh_from_db()
    return record


def listed(response) -> set[int]:
    assert response.status_code == 200
    return {row.pk for row in response.context["object_list"]}


def csv_of(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_level_turns_red_after_twenty_four_hours(world):
    now = timezone.now().replace(microsecond=0)
    before, edge, after = (waiting(world, m, now=now) for m in (23 * 60 + 59, 24 * 60, 24 * 60 + 1))
    assert set(confirmation_warnings(world.admin_a, now=now, level="near")) == {before, edge}
    assert set(confirmation_warnings(world.admin_a, now=now, level="overdue")) == {after}
    assert set(confirmation_warnings(world.admin_a, now=now)) == {before, edge, after}


def test_the_page_shows_yellow_and_red_with_the_hours_waiting(world, client_for):
    fresh, late = waiting(world, 90), waiting(world, 30 * 60 + 5)
    response = client_for(world.admin_a).get(CONFIRMATION)
    assert listed(response) == {fresh.pk, late.pk}
    assert [row.pk for row in response.context["object_list"]] == [late.pk, fresh.pk]  # the longest waiting first
    html = response.content.decode()
    assert 'data-level="near">待确认</span> <span class="small">已等待 1 小时 30 分' in html
    assert 'data-level="overdue">超时未确认</span> <span class="small">已等待 30 小时 5 分' in html
    assert reverse("records:detail", args=[late.pk]) in html
    assert reverse("records:confirm", args=[late.pk]) not in html  # the company does not confirm
    export = csv_of(client_for(world.admin_a).get(CONFIRMATION, {"export": "csv"}))
    assert late.elevator.register_code in export and "等待小时数" in export and "超时未确认" in export


def test_only_records_waiting_for_the_use_unit_are_listed(world):
    kept = waiting(world, 60)
    confirmed = waiting(world, 60)
    MaintenanceRecord.objects.filter(pk=confirmed.pk).update(status="confirmed", confirmed_at=timezone.now())
    running = waiting(world, 60)
    MaintenanceRecord.objects.filter(pk=running.pk).update(status="in_progress", finished_at=None)
    silent = waiting(world, 60)
    Elevator.objects.filter(pk=silent.elevator_id).update(status="suspended")
    correction = waiting(world, 60)
    MaintenanceRecord.objects.filter(pk=correction.pk).update(corrects=kept)  # not approved by the company yet
    approved = waiting(world, 60 * 30)
    approved_at = timezone.now() - timedelta(hours=2)
    MaintenanceRecord.objects.filter(pk=approved.pk).update(corrects=kept, correction_approved_at=approved_at)
    rows = {r.pk: r for r in confirmation_warnings(world.admin_a)}
    assert set(rows) == {kept.pk, approved.pk}
    assert rows[approved.pk].submitted_at == approved_at  # a correction waits from its approval
    assert set(confirmation_warnings(world.admin_a, level="overdue")) == set()


def test_each_reader_sees_only_its_records_and_the_use_unit_confirms(world, client_for):
    mine = waiting(world, 30 * 60)
    theirs = waiting(world, 30 * 60, company=world.company_b)
    other_unit = OrganizationFactory(kind="use_unit", name="丙物业")
    ServiceRelation.objects.create(use_unit=other_unit, maintenance_company=world.company_a)
    elsewhere = waiting(world, 30 * 60, use_unit=other_unit)
    assert listed(client_for(world.admin_a).get(CONFIRMATION)) == {mine.pk, elsewhere.pk}
    assert listed(client_for(world.admin_b).get(CONFIRMATION)) == {theirs.pk}
    use_unit = client_for(world.use_admin_a).get(CONFIRMATION)
    assert listed(use_unit) == {mine.pk}  # its own elevators' records, not the company's others
    assert reverse("records:confirm", args=[mine.pk]) in use_unit.content.decode()
    assert listed(client_for(world.use_admin_b).get(CONFIRMATION)) == {theirs.pk}
    assert listed(client_for(world.yubei_admin).get(CONFIRMATION)) == {mine.pk, elsewhere.pk}
    assert listed(client_for(world.jlp_admin).get(CONFIRMATION)) == {theirs.pk}
    operator = client_for(world.operator).get(CONFIRMATION)
    assert listed(operator) == {mine.pk, theirs.pk, elsewhere.pk}
    assert reverse("records:confirm", args=[mine.pk]) not in operator.content.decode()
    export = csv_of(client_for(world.use_admin_a).get(CONFIRMATION, {"export": "csv"}))
    assert mine.elevator.register_code in export and theirs.elevator.register_code not in export
    rescue = UserFactory(organization=OrganizationFactory(kind="rescue_unit"), category="rescue_worker")
    assert client_for(rescue).get(CONFIRMATION).status_code == 403


def test_confirming_the_record_takes_it_off_the_page(world, client_for):
    record = waiting(world, 30 * 60)
    client = client_for(world.use_admin_a)
    assert listed(client.get(CONFIRMATION)) == {record.pk}
    response = client.post(reverse("records:confirm", args=[record.pk]), {"signature": signature_data_url()})
    assert response.status_code == 302
    assert listed(client.get(CONFIRMATION)) == set()


def test_level_use_unit_district_and_date_filters(world, client_for):
    fresh, late = waiting(world, 60), waiting(world, 48 * 60)
    other = waiting(world, 48 * 60, region_code="500103")
    client = client_for(world.operator)
    assert listed(client.get(CONFIRMATION, {"level": "near"})) == {fresh.pk}
    assert listed(client.get(CONFIRMATION, {"level": "overdue"})) == {late.pk, other.pk}
    assert listed(client.get(CONFIRMATION, {"use_unit": "甲物"})) == {fresh.pk, late.pk, other.pk}
    assert listed(client.get(CONFIRMATION, {"use_unit": "乙物"})) == set()
    assert listed(client.get(CONFIRMATION, {"region": fresh.elevator.region_id})) == {fresh.pk, late.pk}
    submitted = timezone.localtime(fresh.finished_at).date()  # an hour ago: yesterday just after midnight
    assert listed(client.get(CONFIRMATION, {"due_after": submitted.isoformat()})) >= {fresh.pk}
    two_days = (timezone.localtime() - timedelta(hours=48)).date().isoformat()
    assert listed(client.get(CONFIRMATION, {"due_before": two_days})) == {late.pk, other.pk}


@pytest.mark.parametrize("rows", [1, 20])
def test_confirmation_queries_are_bounded(world, client_for, django_assert_max_num_queries, rows):
    for i in range(rows):
        waiting(world, i * 180)
    for user in (world.admin_a, world.use_admin_a, world.city_admin):
        client = client_for(user)
        client.get(CONFIRMATION)
        with django_assert_max_num_queries(8):
            assert len(listed(client.get(CONFIRMATION))) == rows
