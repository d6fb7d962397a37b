"""The standard tests (tests/cases.py) for import jobs (导入记录): the importing unit's people see them."""

import pytest

from imports.models import ColumnMapping, ImportJob
from tests.cases import DetailCases, ListCases, ModelCases


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


@pytest.mark.django_db
class TestColumnMapping(ModelCases):
    """Remembered column mappings have no pages: the mapping step reads the unit's own (see
    elevators/tests/test_import_mapping.py); here the gate keeps another unit's out of reach."""

    model = ColumnMapping

    def make(self, world):
        return ColumnMapping.objects.create(
            organization=world.company_a, kind="elevators", header="设备注册号码", field="register_code"
        )

    def test_only_the_units_own_people_see_its_mappings(self, world):
        obj = self.make(world)
        assert list(ColumnMapping.objects.visible_to(world.admin_a)) == [obj]
        assert not ColumnMapping.objects.visible_to(world.admin_b).exists()
        assert not ColumnMapping.objects.visible_to(world.use_admin_a).exists()
