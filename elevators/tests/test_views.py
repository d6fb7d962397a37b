"""电梯管理 pages: the three-step form, the list (filters, sort, keyset pages, export), components, doors."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEvent
from elevators.models import Elevator
from organizations.models import Region
from tests.factories import elevator_form_data, make_elevator

pytestmark = pytest.mark.django_db


def wizard_data(world, **overrides):
    return elevator_form_data(world, **{"register_code": "31105001122024060001", "rescue_code": "654321", **overrides})


def test_three_steps_then_create(world, client_for):
    client = client_for(world.admin_a)
    url = reverse("elevators:create")
    page = client.get(url).content.decode()
    assert 'data-step="1"' in page and "电梯信息" in page and "电梯参数" in page and "地理位置" in page

    # step 1 with a missing required field stays on step 1 and names the field
    response = client.post(url, {**wizard_data(world, building=""), "step": "1", "action": "next"})
    assert response.context["step"] == 1
    assert "building" in response.context["form"].errors
    # step 1 complete: go to step 2, with no error shown for parameters not filled yet
    response = client.post(url, {**wizard_data(world, rated_load=""), "step": "1", "action": "next"})
    assert response.context["step"] == 2
    assert not response.context["form"].errors
    # step 2 with a missing parameter stays on step 2
    response = client.post(url, {**wizard_data(world, rated_load=""), "step": "2", "action": "next"})
    assert response.context["step"] == 2
    assert "该设备品种必须填写此参数" in response.content.decode()
    response = client.post(url, {**wizard_data(world), "step": "2", "action": "next"})
    assert response.context["step"] == 3
    response = client.post(url, {**wizard_data(world), "step": "3", "action": "back"})
    assert response.context["step"] == 2
    assert not Elevator.objects.exists()

    response = client.post(url, {**wizard_data(world), "step": "3", "action": "submit"})
    elevator = Elevator.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/elevators/{elevator.pk}/?created=1")
    assert str(elevator.latitude) == "29.600001"
    detail = client.get(response["Location"]).content.decode()
    assert "data-show-on-load" in detail and "二维码标识牌" in detail and "<svg" in detail


def test_submit_with_a_duplicate_register_code_goes_back_to_step_one(world, client_for):
    existing = make_elevator(world)
    response = client_for(world.admin_a).post(
        reverse("elevators:create"),
        {**wizard_data(world, register_code=existing.register_code), "step": "3", "action": "submit"},
    )
    assert response.context["step"] == 1
    assert "这个注册代码已登记在平台上" in response.content.decode()
    assert Elevator.objects.count() == 1


def test_worker_may_not_add_elevators(world, client_for):
    assert client_for(world.worker_a).get(reverse("elevators:create")).status_code == 403


def test_edit_through_the_wizard_keeps_history(world, client_for):
    elevator = make_elevator(world)
    client = client_for(world.admin_a)
    data = wizard_data(
        world,
        register_code=elevator.register_code,
        rescue_code=elevator.rescue_code,
        building="改名大厦",
        reason="门牌变更",
    )
    response = client.post(reverse("elevators:edit", args=[elevator.pk]), {**data, "step": "3", "action": "submit"})
    assert response.status_code == 302
    elevator.refresh_from_db()
    assert elevator.building == "改名大厦"
    page = client.get(reverse("elevators:detail", args=[elevator.pk])).content.decode()
    assert "门牌变更" in page and "改名大厦" in page


def test_regulator_sees_but_does_not_edit(world, client_for):
    elevator = make_elevator(world)
    client = client_for(world.yubei_admin)
    page = client.get(reverse("elevators:detail", args=[elevator.pk])).content.decode()
    assert elevator.register_code in page and reverse("elevators:edit", args=[elevator.pk]) not in page
    assert client.get(reverse("elevators:edit", args=[elevator.pk])).status_code == 403
    assert client.post(reverse("elevators:components", args=[elevator.pk]), {}).status_code == 403


@pytest.fixture
def ledger(world):
    elevators = [make_elevator(world, building=f"甲小区{i % 3}") for i in range(12)]
    elevators.append(
        make_elevator(
            world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107", building="乙小区"
        )
    )
    return elevators


def test_list_is_scoped_filtered_sorted_and_paged_by_keyset(world, client_for, ledger):
    client = client_for(world.admin_a)
    response = client.get(reverse("elevators:list"))
    codes = [e.register_code for e in response.context["page"].items]
    assert len(codes) == 12 and codes == sorted(codes)
    assert "乙小区" not in response.content.decode()

    response = client.get(reverse("elevators:list"), {"building": "甲小区1"})
    assert {e.building for e in response.context["page"].items} == {"甲小区1"}
    response = client.get(reverse("elevators:list"), {"q": ledger[3].register_code[-8:]})
    assert [e.pk for e in response.context["page"].items] == [ledger[3].pk]
    response = client.get(reverse("elevators:list"), {"q": ledger[5].rescue_code})
    assert ledger[5].pk in [e.pk for e in response.context["page"].items]
    response = client.get(reverse("elevators:list"), {"status": "in_use"})
    assert response.context["page"].items == []

    seen = []
    params = {"sort": "building"}
    for _ in range(20):
        from elevators import views

        response = client.get(reverse("elevators:list"), params)
        page = response.context["page"]
        seen += [e.pk for e in page.items]
        if not page.next_cursor:
            break
        params = {"sort": "building", "cursor": page.next_cursor}
        assert views  # the list view follows cursors, never OFFSET
    assert len(seen) == 12 and len(set(seen)) == 12


def test_list_pages_by_25_with_a_next_link(world, client_for):
    for _ in range(27):
        make_elevator(world)
    client = client_for(world.admin_a)
    first = client.get(reverse("elevators:list"))
    assert len(first.context["page"].items) == 25
    cursor = first.context["page"].next_cursor
    second = client.get(reverse("elevators:list"), {"cursor": cursor})
    assert len(second.context["page"].items) == 2
    # a stale or forged cursor lands on the first page with a message, never an error
    stale = client.get(reverse("elevators:list"), {"cursor": "garbage!!"})
    assert stale.status_code == 200 and not stale.context["page"].has_previous
    assert "分页链接已失效" in stale.content.decode()


def test_list_query_count_does_not_grow_with_rows(world, client_for, django_assert_max_num_queries):
    for _ in range(40):
        make_elevator(world)
    client = client_for(world.city_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("elevators:list"), {"status": "pending_registration", "sort": "-updated_at"})
    assert len(response.context["page"].items) == 25


def test_export_xlsx_and_csv_follow_the_filters_and_the_gate(world, client_for, ledger):
    client = client_for(world.admin_a)
    response = client.get(reverse("elevators:list"), {"export": "xlsx", "building": "甲小区0"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "注册代码"
    building = rows[0].index("小区/大厦")
    assert len(rows) == 1 + 4 and all(r[building] == "甲小区0" for r in rows[1:])
    assert {"生产单位", "型号", "安装地址", "纬度"} <= set(rows[0])  # export-only columns
    response = client.get(reverse("elevators:list"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.count("\n") == 13 and "乙小区" not in text


def test_components_lifespan_edit_recomputes_expiry_and_is_audited(world, client_for):
    elevator = make_elevator(world)
    client = client_for(world.admin_a)
    url = reverse("elevators:components", args=[elevator.pk])
    response = client.get(url)
    formset = response.context["formset"]
    data = {
        "components-TOTAL_FORMS": str(len(formset.forms)),
        "components-INITIAL_FORMS": str(formset.initial_form_count()),
        "components-MIN_NUM_FORMS": "0",
        "components-MAX_NUM_FORMS": "1000",
    }
    for i, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if name == "id":
                value = form.instance.pk or ""
            if name == "DELETE":
                continue
            data[f"components-{i}-{name}"] = "" if value is None else value
    first = formset.forms[0].instance
    data["components-0-lifespan_months"] = "24"
    last = len(formset.forms) - 1
    data[f"components-{last}-name"] = "应急电源"
    data[f"components-{last}-installed_on"] = "2024-01-01"
    data[f"components-{last}-lifespan_months"] = "12"
    data["components-1-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["formset"].errors
    first.refresh_from_db()
    assert first.lifespan_months == 24 and str(first.expires_on) == "2022-01-15"
    assert elevator.components.filter(name="应急电源", expires_on="2025-01-01").exists()
    assert elevator.components.count() == 20  # one added, one deleted
    assert AuditEvent.objects.filter(action="components", target_id=str(elevator.pk)).exists()


def test_landing_doors_are_editable(world, client_for):
    elevator = make_elevator(world)
    client = client_for(world.admin_a)
    url = reverse("elevators:landing_doors", args=[elevator.pk])
    doors = list(elevator.landing_doors.all())
    data = {
        "doors-TOTAL_FORMS": str(len(doors)),
        "doors-INITIAL_FORMS": str(len(doors)),
        "doors-MIN_NUM_FORMS": "0",
        "doors-MAX_NUM_FORMS": "1000",
    }
    for i, door in enumerate(doors):
        data.update(
            {
                f"doors-{i}-id": door.pk,
                f"doors-{i}-elevator": elevator.pk,
                f"doors-{i}-floor_label": door.floor_label,
                f"doors-{i}-door_type": "center",
                f"doors-{i}-width_mm": "",
                f"doors-{i}-height_mm": "",
                f"doors-{i}-lock_model": "",
                f"doors-{i}-notes": "",
            }
        )
    data["doors-0-floor_label"] = "B1"
    data["doors-0-width_mm"] = "900"
    assert client.post(url, data).status_code == 302
    assert elevator.landing_doors.get(position=1).floor_label == "B1"
    data["doors-1-width_mm"] = "50"
    response = client.post(url, data)
    assert response.status_code == 200 and "300" in response.content.decode()  # "at least 300 mm"


def test_unit_filters_by_name_with_an_autocomplete_of_visible_units(world, client_for, ledger):
    client = client_for(world.city_admin)
    response = client.get(reverse("elevators:list"), {"use_unit_name": "乙物"})
    assert {e.use_unit_id for e in response.context["page"].items} == {world.use_unit_b.pk}
    response = client.get(reverse("elevators:list"), {"maintenance_company": world.company_a.pk})
    assert len(response.context["page"].items) == 12
    options = client.get(reverse("elevators:unit_lookup"), {"kind": "use_unit", "use_unit_name": "物业"})
    assert "甲物业" in options.content.decode() and "乙物业" in options.content.decode()
    options = client_for(world.admin_a).get(reverse("elevators:unit_lookup"), {"kind": "use_unit", "q": "物业"})
    assert "甲物业" in options.content.decode() and "乙物业" not in options.content.decode()
    assert client.get(reverse("elevators:unit_lookup"), {"kind": "regulator"}).status_code == 404


def test_search_by_the_start_or_the_end_of_the_register_code(world, client_for, ledger):
    client = client_for(world.admin_a)
    code = ledger[2].register_code
    for fragment in (code[:12], code[-6:].lower(), code):
        items = client.get(reverse("elevators:list"), {"q": fragment}).context["page"].items
        assert ledger[2].pk in [e.pk for e in items], fragment
    items = client.get(reverse("elevators:list"), {"q": "甲小区2"}).context["page"].items
    assert {e.building for e in items} == {"甲小区2"}


def test_large_unit_lists_render_only_the_chosen_unit_and_search_the_rest(world, client_for, settings):
    settings.UNIT_PICKER_THRESHOLD = 1
    client = client_for(world.operator)
    page = client.get(reverse("elevators:create")).content.decode()
    assert 'data-unit-picker="/elevators/unit-options/?field=use_unit"' in page
    assert "甲物业" not in page and "乙物业" not in page  # no <option> for every unit
    found = client.get(reverse("elevators:unit_options"), {"field": "use_unit", "q": "物业"}).json()["results"]
    assert {u["name"] for u in found} == {"甲物业", "乙物业"}
    mine = client_for(world.admin_a).get(reverse("elevators:unit_options"), {"field": "use_unit", "q": "物业"})
    assert [u["name"] for u in mine.json()["results"]] == ["甲物业"]
    # a bound form shows the chosen unit again, and validates against every unit
    response = client.post(
        reverse("elevators:create"),
        {
            **wizard_data(
                world,
                use_unit=world.use_unit_b.pk,
                maintenance_company=world.company_b.pk,
                region=Region.objects.get(code="500107").pk,
            ),
            "step": "3",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    assert Elevator.objects.get().use_unit == world.use_unit_b
    assert client.get(reverse("elevators:unit_options"), {"field": "regulator", "q": "x"}).status_code == 404


def test_the_district_filter_offers_the_users_reach_and_says_all(world, client_for):
    def offered(user):
        field = client_for(user).get(reverse("elevators:list")).context["filter"].form.fields["region"]
        return field.empty_label, {region.code for region in field.queryset}

    label, company = offered(world.admin_a)  # a company in 渝北区: the districts of 重庆
    assert label == "全部" and {"500000", "500112", "500107"} <= company and "440300" not in company
    assert offered(world.yubei_admin)[1] == {"500112"}  # a district bureau: its district
    assert {"440300", "440305"} <= offered(world.sz_admin)[1] and "500112" not in offered(world.sz_admin)[1]
    assert "440300" in offered(world.operator)[1]
    page = client_for(world.admin_a).get(reverse("elevators:list")).content.decode()
    assert "---------" not in page


def test_step_two_shows_the_chosen_categorys_parameters_without_red_outlines(world, client_for):
    client = client_for(world.admin_a)
    data = wizard_data(world, device_category="3310", register_code="33105001122024060001")
    response = client.post(reverse("elevators:create"), {**data, "step": "1", "action": "next"})
    assert response.context["step"] == 2
    shown = {field.name for field in response.context["step_fields"][2]}
    assert {"inclination", "step_width", "rise"} <= shown and not shown & {"rated_load", "floors", "stops", "doors"}
    page = response.content.decode()
    assert "is-invalid" not in page and "has-error" not in page
    passenger = client.post(reverse("elevators:create"), {**wizard_data(world), "step": "1", "action": "next"})
    assert {"rated_load", "floors"} <= {field.name for field in passenger.context["step_fields"][2]}
