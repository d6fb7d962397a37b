"""The standard tests (tests/cases.py) for import jobs (导入记录): the importing unit's people see them."""

from imports.models import ImportJob
from tests.cases import DetailCases, ListCases


class TestImportJob(ListCases, DetailCases):
    model = ImportJob
    list_url, detail_url = "imports:list", "imports:detail"
    max_queries = {"list": 4, "detail": 3}

    def make(self, world):
        return ImportJob.objects.create(
            kind="elevators", organization=world.company_a, created_by=world.admin_a, status="done", accepted_rows=3
        )

    def marker(self, obj):
        return obj.created_by.display_name  # the list, its export and the job's page name who imported
