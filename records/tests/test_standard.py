"""The standard tests (tests/cases.py) for 维保纪录: the list and a record's page."""

from datetime import datetime

from django.utils import timezone

from records.models import MaintenanceRecord, RecordWorker
from tests.cases import DetailCases, ListCases
from tests.factories import make_elevator


def make_record(world, *, company=None, worker=None, **elevator):
    """A finished record of a new elevator, made through the ORM (the rules are tested in test_visits)."""
    company = company or world.company_a
    elevator = make_elevator(world, company=company, **elevator)
    record = MaintenanceRecord.objects.create(
        organization=company,
        elevator=elevator,
        cycle="half_month",
        work_type="HM",
        status="finished",
        started_at=timezone.make_aware(datetime(2026, 11, 20, 9, 0)),
        finished_at=timezone.make_aware(datetime(2026, 11, 20, 9, 45)),
        duration_minutes=45,
        hazard_codes=["S0"],
        flags=["too_short"],
    )
    RecordWorker.objects.create(
        record=record, user=worker or world.worker_a, role="first", joined_at=record.started_at, face_matched=True
    )
    return record


class TestMaintenanceRecord(ListCases, DetailCases):
    model = MaintenanceRecord
    list_url, detail_url = "records:list", "records:detail"
    max_queries = {"list": 5, "detail": 8}

    def make(self, world):
        return make_record(world)

    def marker(self, obj):
        return obj.elevator.register_code
