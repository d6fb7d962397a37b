"""节假日安排, 排期设置 and 按需维保 beyond the standard tests: who sees which buttons, who reaches which page."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from core.models import AuditEvent
from maintenance import services
from maintenance.models import Holiday, OnDemandMaintenance, PlanningSettings
from tests.factories import make_elevator

pytestmark = pytest.mark.django_db

YEAR_VIEW = reverse("maintenance:holiday_year")


def test_everyone_reads_the_year_view_but_only_the_operator_has_buttons(world, client_for):
    services.save_holiday(
        actor=world.operator, data={"date": date(2026, 12, 31), "is_workday": False, "name": "跨年调整"}
    )
    page = client_for(world.worker_a).get(YEAR_VIEW, {"year": 2026}).content.decode()
    assert 'data-date="2026-10-04"' in page and "假期相连的周末" in page
    assert 'data-date="2026-02-14"' in page and "调休上班" in page
    assert "跨年调整" in page and "运营方调整" in page
    assert "新增调整" not in page and 'data-testid="edit-2026-12-31"' not in page
    page = client_for(world.operator).get(YEAR_VIEW, {"year": 2026}).content.decode()
    assert (
        "新增调整" in page and 'data-testid="edit-2026-12-31"' in page and 'data-testid="override-2026-10-01"' in page
    )


def test_the_year_view_falls_back_to_this_year_on_a_bad_year(world, client_for):
    response = client_for(world.admin_a).get(YEAR_VIEW, {"year": "x' or 1=1"})
    assert response.status_code == 200 and response.context["year"] >= 2026
    assert client_for(world.admin_a).get(YEAR_VIEW, {"year": "99999"}).status_code == 200


def test_the_year_view_in_english_names_the_package_days_in_english(world, client_for):
    client = client_for(world.admin_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(YEAR_VIEW, {"year": 2026}).content.decode()
    assert "National Day" in page and "国庆节" not in page and "Adjusted working day" in page


def test_only_the_operator_changes_the_calendar(world, client_for):
    holiday = services.save_holiday(
        actor=world.operator, data={"date": date(2027, 2, 6), "is_workday": True, "name": "调休上班"}
    )
    client = client_for(world.admin_a)
    for name in ("maintenance:holiday_edit", "maintenance:holiday_delete"):
        assert client.post(reverse(name, args=[holiday.pk]), {"reason": "x", "name": "y"}).status_code == 403
    assert client.get(reverse("maintenance:holiday_create")).status_code == 403
    response = client_for(world.operator).post(
        reverse("maintenance:holiday_delete", args=[holiday.pk]), {"reason": "通知更正"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    assert not Holiday.objects.exists()
    event = AuditEvent.objects.get(action="delete", target_id=str(holiday.pk))
    assert event.reason == "通知更正" and event.actor == world.operator


def test_an_override_takes_a_day_only_once(world, client_for):
    services.save_holiday(actor=world.operator, data={"date": date(2027, 2, 6), "is_workday": True, "name": "调休"})
    data = {"date": "2027-02-06", "is_workday": "", "name": "春节", "reason": "国办发明电"}
    response = client_for(world.operator).post(reverse("maintenance:holiday_create"), data)
    assert response.status_code == 200 and "这一天已有调整记录" in response.content.decode()
    assert Holiday.objects.count() == 1


def test_the_create_form_takes_the_day_from_the_year_view(world, client_for):
    response = client_for(world.operator).get(reverse("maintenance:holiday_create"), {"date": "2027-10-06"})
    assert 'value="2027-10-06"' in response.content.decode()


# --- 排期设置 ---------------------------------------------------------------------------------------------------


def test_a_worker_reads_the_settings_and_cannot_change_them(world, client_for):
    services.save_planning_settings(world.company_a, avoid="holidays", actor=world.admin_a)
    client = client_for(world.worker_a)
    page = client.get(reverse("maintenance:planning_settings"))
    assert page.status_code == 200 and "避开法定节假日" in page.content.decode() and "form" not in page.context
    assert client.post(reverse("maintenance:planning_settings"), {"avoid": "days_off"}).status_code == 403
    assert PlanningSettings.objects.get(organization=world.company_a).avoid == "holidays"


def test_other_units_have_no_planning_settings(world, client_for):
    assert client_for(world.use_admin_a).get(reverse("maintenance:planning_settings")).status_code == 403
    assert client_for(world.city_admin).get(reverse("maintenance:planning_settings")).status_code == 403
    assert client_for(world.operator).get(reverse("maintenance:planning_settings")).status_code == 404


def test_saving_again_changes_the_row_and_audits_the_change(world, client_for):
    client = client_for(world.admin_a)
    url = reverse("maintenance:planning_settings")
    assert client.post(url, {"avoid": "holidays"}).status_code == 302
    assert client.post(url, {"avoid": "", "reason": "春运期间照常维保"}).status_code == 302
    settings_row = PlanningSettings.objects.get(organization=world.company_a)
    assert settings_row.avoid == ""
    event = AuditEvent.objects.filter(target_id=str(settings_row.pk), action="update").get()
    assert event.changes == {"avoid": ["holidays", ""]} and event.reason == "春运期间照常维保"


# --- 按需维保 ----------------------------------------------------------------------------------------------------


def test_the_elevators_readers_see_its_on_demand_row(world, client_for):
    record = services.set_on_demand(
        make_elevator(world), interval_days=30, starts_on=date(2027, 1, 1), note="试点批复", actor=world.operator
    )
    url = reverse("maintenance:on_demand_list")
    for who in ("admin_a", "worker_a", "use_admin_a", "yubei_admin", "city_admin"):
        response = client_for(getattr(world, who)).get(url)
        assert record in response.context["object_list"], who
        assert "新增按需维保" not in response.content.decode(), who
        assert 'name="selection"' not in response.content.decode(), who
    for who in ("admin_b", "use_admin_b", "jlp_admin", "sz_admin"):
        assert record not in client_for(getattr(world, who)).get(url).context["object_list"], who
    page = client_for(world.operator).get(url).content.decode()
    assert "新增按需维保" in page and 'name="selection"' in page


def test_an_unknown_or_taken_register_code_is_refused(world, client_for):
    elevator = make_elevator(world)
    client = client_for(world.operator)
    data = {"interval_days": "30", "starts_on": "2027-01-01", "note": "批复"}
    response = client.post(reverse("maintenance:on_demand_create"), {**data, "register_code": "31105001122099990000"})
    assert "没有注册代码为" in response.content.decode()
    assert (
        client.post(
            reverse("maintenance:on_demand_create"), {**data, "register_code": elevator.register_code}
        ).status_code
        == 302
    )
    response = client.post(reverse("maintenance:on_demand_create"), {**data, "register_code": elevator.register_code})
    assert "已设置按需维保" in response.content.decode()
    assert OnDemandMaintenance.objects.count() == 1


def test_the_service_checks_the_interval(world):
    from django.core.exceptions import ValidationError

    elevator = make_elevator(world)
    for days in (14, 61):
        with pytest.raises(ValidationError) as error:
            services.set_on_demand(
                elevator, interval_days=days, starts_on=date(2027, 1, 1), note="x", actor=world.operator
            )
        assert "interval_days" in error.value.error_dict
    assert not OnDemandMaintenance.objects.exists()


# --- API ---------------------------------------------------------------------------------------------------------


def test_the_holiday_api_lists_by_year_and_deletes(world, api):
    operator = api(world.operator)
    one = operator("POST", "/maintenance/holidays", {"date": "2027-02-06", "is_workday": True, "name": "调休上班"})
    operator("POST", "/maintenance/holidays", {"date": "2028-01-03", "is_workday": False, "name": "元旦"})
    assert one.status_code == 201
    listed = api(world.admin_a)("GET", "/maintenance/holidays?year=2027").json()
    assert [item["date"] for item in listed["items"]] == ["2027-02-06"]
    assert api(world.admin_a)("DELETE", f"/maintenance/holidays/{one.json()['id']}").status_code == 403
    assert operator("DELETE", f"/maintenance/holidays/{one.json()['id']}?reason=更正").status_code == 204
    assert not Holiday.objects.filter(date=date(2027, 2, 6)).exists()
    taken = operator("POST", "/maintenance/holidays", {"date": "2028-01-03", "is_workday": True, "name": "x"})
    assert taken.status_code == 422


def test_the_on_demand_api_refuses_a_bad_interval_in_words(world, api):
    body = {"elevator_id": make_elevator(world).pk, "interval_days": 90, "starts_on": "2027-01-01", "note": "x"}
    response = api(world.operator)("POST", "/maintenance/on-demand", body)
    assert response.status_code == 422 and "不能超过 60 天" in str(response.json()["detail"])
    assert api(world.admin_a)("POST", "/maintenance/on-demand", {**body, "interval_days": 30}).status_code == 403
