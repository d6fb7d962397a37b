"""Units and districts named in a sheet, looked up among those the importer may use, each answer remembered."""

import pytest
from django.core.exceptions import ValidationError

from imports.lookups import Lookups
from organizations.models import Organization, Region
from tests.factories import region

pytestmark = pytest.mark.django_db


def lookups(**kwargs) -> Lookups:
    return Lookups(
        units=lambda field: Organization.objects.filter(kind=field),
        districts=Region.objects.filter(level="district"),
        regions=Region.objects.all(),
        **kwargs,
    )


def refused(find, value, fragment):
    with pytest.raises(ValidationError) as exc:
        find(value)
    assert fragment in exc.value.messages[0], exc.value.messages


@pytest.mark.parametrize("text", ["渝北区", "渝北", " 渝 北 区 ", "500112", "重庆市渝北区", "重庆/渝北区", "重庆-渝北"])
def test_a_district_by_its_name_as_people_write_it_or_its_code(world, text):
    assert lookups().region(text) == region("500112")


def test_a_district_must_lie_in_the_importers_city(world):
    chongqing = lookups(city=region("500000"))
    assert chongqing.region("九龙坡") == region("500107")
    refused(chongqing.region, "南山区", "不在本单位所在的重庆市")  # Shenzhen's: says so, not "unknown"
    refused(chongqing.region, "440305", "不在本单位所在的重庆市")
    assert lookups().region("南山区") == region("440305")  # no city: anywhere


def test_codes_of_other_levels_and_unknown_names_are_refused_with_what_to_write(world):
    find = lookups().region
    refused(find, "440300", "请填写区县，而不是“深圳市”")
    refused(find, "999999", "没有行政区划代码为 999999 的区县")
    refused(find, "火星区", "6 位行政区划代码")
    Region.objects.create(code="440399", name="渝北区", level="district", parent=region("440300"))
    refused(lookups().region, "渝北区", "有多个名为“渝北区”的区县")
    assert lookups(city=region("500000")).region("渝北区") == region("500112")  # in the city it is one


def test_units_by_name_or_credit_code_among_those_the_column_may_name(world):
    find = lookups().organisation
    assert find("use_unit", world.use_unit_a.name) == world.use_unit_a
    assert find("use_unit", world.use_unit_b.credit_code) == world.use_unit_b
    refused(lambda name: find("use_unit", name), world.company_a.name, "未找到“甲维保公司”")


def test_a_blank_cell_means_the_importers_own_unit_only_where_it_is_of_that_kind(world):
    fields = {"maintenance_company": "maintenance_company", "use_unit": "use_unit"}
    company = lookups(own=world.company_a, own_unit_fields=fields)
    assert company.default("maintenance_company") == world.company_a
    assert company.default("use_unit") is None and company.default("manufacturer") is None
    assert lookups(own=world.use_unit_a, own_unit_fields=fields).default("use_unit") == world.use_unit_a
    assert lookups(own_unit_fields=fields).default("use_unit") is None  # the platform operator has no unit


def test_each_answer_and_each_refusal_is_looked_up_once(world, django_assert_num_queries):
    find, yubei = lookups(city=region("500000")), region("500112")
    with django_assert_num_queries(1):
        find.region("渝北区")
        find.region("渝北区")
    refused(find.region, "火星区", "无法识别")
    assert find.organisation("use_unit", world.use_unit_a.name) == world.use_unit_a
    with django_assert_num_queries(0):
        refused(find.region, "火星区", "无法识别")
        assert find.region(" 渝北区 ") == yubei
        assert find.organisation("use_unit", world.use_unit_a.name) == world.use_unit_a
