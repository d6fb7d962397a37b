"""The standard tests (tests/cases.py) for units (组织架构), unit qualifications and regions."""

import itertools
from datetime import date

from organizations import services
from organizations.models import Organization, OrganizationQualification, QualificationStatus, Region
from tests.cases import ActionCases, APICases, CreateCases, DetailCases, EditCases, ListCases
from tests.factories import credit_code, png_upload, region, unit_form_data

_serial = itertools.count(1)


def new_use_unit(world):
    """A use unit that company A's administrator created, and so serves."""
    data = unit_form_data(name=f"标准物业{next(_serial)}", region=region("500112"), kind="use_unit")
    return services.create_organization(actor=world.admin_a, data=data)


class TestOrganization(ListCases, DetailCases, CreateCases, EditCases, APICases):
    model = Organization
    list_url, detail_url, edit_url, create_url = (
        "organizations:list",
        "organizations:detail",
        "organizations:edit",
        "organizations:create",
    )
    list_kwargs = create_kwargs = {"kind": "use_unit"}
    api_path = "/organizations"
    without_permission = "worker_a"  # sees the company's use units, is no administrator
    max_queries = {"list": 5, "detail": 9}

    def make(self, world):
        return new_use_unit(world)

    def marker(self, obj):
        return obj.name

    def create_data(self, world):
        return unit_form_data(name=f"标准新建物业{next(_serial)}")

    def created(self, world, data):
        return Organization.objects.get(name=data["name"])

    def edit_changes(self, world, obj):
        return {"contact_name": "钱七", "address": "重庆市渝北区新南路2号"}

    def api_create_body(self, world):
        return {
            "kind": "use_unit",
            "name": f"接口物业{next(_serial)}",
            "credit_code": credit_code("500112"),
            "region_id": region("500112").pk,
            "address": "重庆市渝北区接口路1号",
            "legal_representative": "甲",
            "legal_representative_phone": "13800000000",
            "contact_name": "乙",
            "contact_phone": "13800000001",
        }

    def api_patch_body(self, world, obj):
        return {"contact_name": "丙"}


class TestOrganizationQualification(ActionCases):
    """资质认证 reviewed by the bureau of the unit's district (company A sits in 渝北区)."""

    model = OrganizationQualification
    action_url = "organizations:qualification_review"
    action_user = "yubei_admin"
    without_permission = "admin_a"  # sees its own submission, never reviews it

    def make(self, world):
        return services.submit_qualification(
            world.company_a,
            actor=world.admin_a,
            certificate_number=f"Q-{next(_serial)}",
            valid_from=date(2025, 1, 1),
            valid_until=date(2028, 1, 1),
            business_licence=png_upload(),
            qualification_certificate=png_upload(),
            self_declaration=png_upload(),
        )

    def action_data(self, world, obj):
        return {"decision": "approve"}

    def acted(self, obj):
        return obj.status == QualificationStatus.APPROVED


class TestRegion(ListCases, APICases):
    """Regions are reference data: everyone reads them (no outsider), only the operator flags pilot districts."""

    model = Region
    list_url = "organizations:region_list"
    api_path = "/regions"
    outsider = None
    max_queries = {"list": 4}

    def make(self, world):
        # codes sort first so that the new region is on the list's first page
        n = next(_serial)
        return Region.objects.create(code=f"0000{n:02d}", name=f"标准区{n}", level="district")

    def marker(self, obj):
        return obj.name
