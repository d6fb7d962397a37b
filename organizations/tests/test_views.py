"""组织架构 pages: lists, create with a map location, edit with history, qualification and review."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from organizations.models import Organization, Region, ServiceRelation
from tests.factories import png_bytes, unit_form_data

pytestmark = pytest.mark.django_db


def unit_form(**overrides):
    return unit_form_data(**overrides)


def test_maintenance_company_creates_a_use_unit_it_then_serves(world, client_for):
    client = client_for(world.admin_a)
    response = client.post(reverse("organizations:create", args=["use_unit"]), unit_form())
    assert response.status_code == 302
    org = Organization.objects.get(name="新建物业公司")
    assert org.kind == "use_unit" and str(org.latitude) == "29.600000"
    assert ServiceRelation.objects.filter(use_unit=org, maintenance_company=world.company_a).exists()
    assert AuditEvent.objects.filter(action="create", target_id=str(org.pk), actor=world.admin_a).exists()
    listing = client.get(reverse("organizations:list", args=["use_unit"])).content.decode()
    assert "新建物业公司" in listing
    assert (
        "新建物业公司"
        not in client_for(world.admin_b).get(reverse("organizations:list", args=["use_unit"])).content.decode()
    )


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("credit_code", "91500112000000001X", "校验位"),
        ("credit_code", "123", "18 位"),
        ("contact_phone", "12345", "电话号码格式不正确"),
        ("name", "", "必填"),
        ("latitude", "", "经度和纬度都需要"),
        ("latitude", "95", "纬度应在"),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(world, client_for, field, value, message):
    client = client_for(world.admin_a)
    response = client.post(reverse("organizations:create", args=["use_unit"]), unit_form(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organization.objects.filter(address="重庆市渝北区新南路1号").exists()


def test_duplicate_credit_code_is_refused(world, client_for):
    response = client_for(world.admin_a).post(
        reverse("organizations:create", args=["use_unit"]), unit_form(credit_code=world.use_unit_b.credit_code)
    )
    assert response.status_code == 200
    assert "已存在" in response.content.decode()


def test_district_bureau_may_only_place_units_in_its_district(world, client_for):
    client = client_for(world.yubei_admin)
    response = client.post(
        reverse("organizations:create", args=["maintenance_company"]),
        unit_form(region=Region.objects.get(code="500107").pk),
    )
    assert response.status_code == 200  # 九龙坡 is not offered to the Yubei bureau
    assert not Organization.objects.filter(name="新建物业公司").exists()
    response = client.post(reverse("organizations:create", args=["maintenance_company"]), unit_form())
    assert response.status_code == 302


def test_operator_creates_a_regulator_with_its_jurisdiction(world, client_for):
    client = client_for(world.operator)
    url = reverse("organizations:create", args=["regulator"])
    response = client.post(url, unit_form(name="江北区局"))
    assert "必须选择管辖区域" in response.content.decode()
    jiangbei = Region.objects.get(code="500105")
    response = client.post(url, unit_form(name="江北区局", jurisdiction=jiangbei.pk, region=jiangbei.pk))
    assert response.status_code == 302
    assert Organization.objects.get(name="江北区局").jurisdiction == jiangbei


def test_editing_keeps_history_and_an_audit_diff(world, client_for):
    client = client_for(world.use_admin_a)  # a use unit keeps its own record
    org = world.use_unit_a
    data = unit_form(name=org.name, credit_code=org.credit_code, contact_name="新联系人")
    response = client.post(reverse("organizations:edit", args=[org.pk]), data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.contact_name == "新联系人"
    assert org.history.count() == 2
    event = AuditEvent.objects.get(action="update", target_id=str(org.pk))
    assert event.changes["contact_name"] == ["联系人", "新联系人"]
    detail = client.get(reverse("organizations:detail", args=[org.pk])).content.decode()
    assert "新联系人" in detail and "操作记录" in detail


def test_qualification_submit_then_review_by_the_district_bureau(world, client_for):
    client = client_for(world.admin_a)
    files = {
        name: SimpleUploadedFile(f"{name}.png", png_bytes(), content_type="image/png")
        for name in ["business_licence", "qualification_certificate", "self_declaration"]
    }
    response = client.post(
        reverse("organizations:qualification", args=[world.company_a.pk]),
        {"certificate_number": "TS3150001-2027", "valid_from": "2025-01-01", "valid_until": "2027-12-31", **files},
    )
    assert response.status_code == 302
    qualification = world.company_a.qualifications.get()
    assert qualification.status == "submitted"
    attachment_url = reverse("core:attachment", args=[qualification.business_licence_id])
    download = client.get(attachment_url)
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert client_for(world.admin_b).get(attachment_url).status_code == 404

    bureau = client_for(world.yubei_admin)
    review_url = reverse("organizations:qualification_review", args=[qualification.pk])
    bureau.post(review_url, {"decision": "reject", "note": ""})
    qualification.refresh_from_db()
    assert qualification.status == "submitted"  # returning needs a note
    bureau.post(review_url, {"decision": "reject", "note": "营业执照不清晰"})
    qualification.refresh_from_db()
    assert qualification.status == "rejected" and qualification.review_note == "营业执照不清晰"
    assert "营业执照不清晰" in client.get(reverse("organizations:detail", args=[world.company_a.pk])).content.decode()


def test_qualification_dates_must_be_in_order(world, client_for):
    files = {
        name: SimpleUploadedFile(f"{name}.png", png_bytes())
        for name in ["business_licence", "qualification_certificate", "self_declaration"]
    }
    response = client_for(world.admin_a).post(
        reverse("organizations:qualification", args=[world.company_a.pk]),
        {"certificate_number": "X", "valid_from": "2027-01-01", "valid_until": "2025-12-31", **files},
    )
    assert "有效期至必须晚于有效期起" in response.content.decode()


def test_unknown_kind_is_404(world, client_for):
    assert client_for(world.admin_a).get("/organizations/spaceship/").status_code == 404


def test_region_page_lists_the_tree(world, client_for):
    response = client_for(world.worker_a).get(reverse("organizations:region_list"))
    assert response.status_code == 200
    assert "渝北区" in response.content.decode()


@pytest.mark.parametrize("kind", ["maintenance_company", "use_unit", "regulator"])
def test_list_pages_use_a_bounded_number_of_queries(world, client_for, django_assert_max_num_queries, kind):
    from tests.factories import OrganizationFactory

    for _ in range(30):
        OrganizationFactory(kind=kind, region=Region.objects.get(code="500112"))
    client = client_for(world.city_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("organizations:list", args=[kind]))
    assert response.status_code == 200


def test_lists_export_what_the_user_sees(world, client_for):
    import io

    from openpyxl import load_workbook

    client = client_for(world.admin_a)
    response = client.get(reverse("organizations:list", args=["use_unit"]), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "单位名称" and [r[0] for r in rows[1:]] == ["甲物业"]
    response = client.get(reverse("organizations:list", args=["manufacturer"]), {"export": "csv", "q": "电梯"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "某电梯厂" in text and response["Content-Disposition"].startswith("attachment")


def test_menu_has_the_query_section_and_ones_own_unit(world, client_for):
    page = client_for(world.admin_a).get("/").content.decode()
    assert "基本信息查询" in page and "本单位信息" in page
    assert reverse("organizations:detail", args=[world.company_a.pk]) in page


def test_a_unit_links_to_its_elevators(world, client_for):
    from tests.factories import make_elevator

    make_elevator(world)
    client = client_for(world.admin_a)
    page = client.get(reverse("organizations:detail", args=[world.use_unit_a.pk])).content.decode()
    link = f"/elevators/?use_unit={world.use_unit_a.pk}"
    assert link in page
    assert len(client.get(link).context["page"].items) == 1
