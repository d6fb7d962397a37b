"""The standard tests (tests/cases.py) for 维保纪录: the list and a record's page."""

from records.models import MaintenanceRecord
from records.tests.builders import simple_record
from tests.cases import DetailCases, ListCases


class TestMaintenanceRecord(ListCases, DetailCases):
    model = MaintenanceRecord
    list_url, detail_url = "records:list", "records:detail"
    max_queries = {"list": 5, "detail": 8}

    def make(self, world):
        return simple_record(world)

    def marker(self, obj):
        return obj.elevator.register_code
