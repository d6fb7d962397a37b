"""RowImporter: a row's cells converted by their kinds, every reason at once, each row saved whole or not at all."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from imports.columns import Column, Columns
from imports.lookups import Lookups
from imports.parsing import Choices, plain_text
from imports.rows import Row, RowImporter
from imports.services import ImportFailed
from organizations.models import Organization, OrganizationKind, Region
from tests.factories import credit_code, region

pytestmark = pytest.mark.django_db


class UnitRows(RowImporter):
    """Units as rows: enough columns to go through every kind the base converts."""

    columns = Columns(
        [
            Column("credit_code", "信用代码", "text", True),
            Column("name", "名称", "text", True),
            Column("region", "所在区县", "region", True),
            Column("kind", "类别", "choice"),
            Column("latitude", "纬度", "decimal"),
            Column("maintenance_company", "维保单位", "org"),
        ],
        key="credit_code",
    )
    model = Organization
    parsers = {"text": plain_text}
    choices = {"kind": Choices(OrganizationKind)}
    conflict = "信用代码已被其他单位使用。"

    def make_lookups(self, actor):
        return Lookups(
            units=lambda field: Organization.objects.filter(kind=field),
            districts=Region.objects.filter(level="district"),
            regions=Region.objects.all(),
            own=actor.organization if actor else None,
            own_unit_fields={"maintenance_company": "maintenance_company"},
        )

    def check_duplicates(self, row_number, data, errors):
        if first := self.earlier_row(data.get("credit_code"), row_number):
            errors["credit_code"] = [f"与第 {first} 行重复。"]

    def create(self, data):
        unit = Organization.objects.create(
            kind=data["kind"] or "use_unit",
            name=data["name"],
            credit_code=data["credit_code"],
            region=data["region"],
            latitude=data.get("latitude"),
            address="地址",
            legal_representative="法人",
            legal_representative_phone="13800138000",
            contact_name="联系人",
            contact_phone="13800138000",
        )
        if unit.name == "拒收":  # refused after it was written: the savepoint takes it back
            raise ValidationError({"name": "不收这个名称。"})


FIELDS = {"credit_code", "name", "region", "kind", "latitude", "maintenance_company"}


def row(number=2, **cells) -> Row:
    values = {"credit_code": credit_code(), "name": "新单位", "region": "渝北区", "kind": "", "latitude": ""}
    return Row(number=number, cells={"maintenance_company": "", **values, **cells})


def test_a_good_row_lands_with_its_values_converted_by_kind(world):
    importer = UnitRows(world.admin_a, FIELDS)
    good = row(kind="维保单位", latitude="29.7180004", maintenance_company=world.company_b.name)
    assert importer.import_row(good) == []
    unit = Organization.objects.get(credit_code=good.key)
    assert unit.region == region("500112") and unit.kind == "maintenance_company"
    assert unit.latitude == Decimal("29.718000")  # rounded to the model field's places


def test_a_row_says_every_reason_at_once_in_column_order_with_the_fields_names(world):
    importer = UnitRows(world.admin_a, FIELDS)
    bad = row(name=" ", region="火星区", kind="外星", latitude="很北", maintenance_company="不存在的公司")
    reasons = importer.import_row(bad)
    assert [reason.split("：")[0] for reason in reasons] == ["单位名称", "所在区域", "单位类别", "纬度", "维保单位"]
    assert reasons[0] == "单位名称：必填，不能为空。" and "未找到“不存在的公司”" in reasons[-1]
    assert not Organization.objects.filter(credit_code=bad.key).exists()


def test_a_blank_or_missing_column_of_the_own_unit_is_the_importers_own_unit(world):
    company = UnitRows(world.admin_a, FIELDS - {"maintenance_company"})
    cells = row().cells
    del cells["maintenance_company"]
    assert company.convert(cells)[0]["maintenance_company"] == world.company_a
    assert company.convert(row().cells)[0]["maintenance_company"] == world.company_a
    data, errors = UnitRows(world.operator, FIELDS).convert(row().cells)  # the operator has no unit of its own
    assert data["maintenance_company"] is None and errors == {"maintenance_company": ["必填，不能为空。"]}


def test_duplicates_in_the_file_and_in_the_database_and_a_refusal_after_writing(world):
    importer = UnitRows(world.admin_a, FIELDS)
    first = row(2)
    assert importer.import_row(first) == []
    assert importer.import_row(row(3, credit_code=first.key)) == ["统一社会信用代码：与第 2 行重复。"]
    again = UnitRows(world.admin_a, FIELDS)  # another file: only the database knows the code
    assert again.import_row(row(2, credit_code=first.key)) == ["信用代码已被其他单位使用。"]
    assert again.import_row(row(4, name="拒收")) == ["单位名称：不收这个名称。"]
    assert not Organization.objects.filter(name="拒收").exists()


def test_merge_keeps_the_importers_own_reason_for_a_field(world):
    importer, errors = UnitRows(world.admin_a, FIELDS), {"name": ["名称太长。"]}
    importer.merge(ValidationError({"name": "服务说的。", "region": "不在本市。"}), errors)
    importer.merge(ValidationError("整行不行。"), errors)
    assert errors == {"name": ["名称太长。"], "region": ["不在本市。"], NON_FIELD_ERRORS: ["整行不行。"]}


def test_a_sheet_without_rows_or_without_required_columns_fails_whole(world):
    job = SimpleNamespace(created_by=world.operator)
    with pytest.raises(ImportFailed, match="文件是空的"):
        UnitRows.import_rows(job, [])
    header = ["信用代码", "名称", "类别"]
    with pytest.raises(ImportFailed, match="“所在区县”、“维保单位”"):
        UnitRows.import_rows(job, [header, ["x", "y", "z"]])
    assert [c.field for c in UnitRows(world.admin_a, {"credit_code", "name", "kind"}).missing_columns()] == ["region"]
