"""The list endpoints run the pages' filtersets: same parameters, same meaning, field errors for bad values."""

import pytest

from organizations.models import Region
from tests.factories import TEST_PASSWORD, OrganizationFactory, make_elevator

pytestmark = pytest.mark.django_db


def _fields(response) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content
    return {error["field"]: error["messages"] for error in response.json()["detail"]}


def test_organisation_search_reaches_what_the_page_searches(api, world):
    OrganizationFactory(kind="use_unit", name="丙物业", contact_name="王小明", address="重庆市渝北区梧桐路8号")
    call = api(world.operator)
    for q in ("丙物业", "王小明", "梧桐路"):
        names = [o["name"] for o in call("GET", f"/organizations?q={q}").json()["items"]]
        assert names == ["丙物业"], q
    jlp = Region.objects.get(code="500107").pk
    both = call("GET", f"/organizations?kind=use_unit&region={jlp}").json()["items"]
    assert [o["name"] for o in both] == ["乙物业"]


def test_bad_filter_values_are_field_errors_in_the_users_language(api, world, client):
    call = api(world.admin_a)
    province = Region.objects.get(code="440000").pk  # 广东省: the filter takes cities and districts
    errors = _fields(call("GET", f"/organizations?region={province}&kind=spaceship"))
    assert set(errors) == {"region", "kind"}
    assert "选择" in errors["kind"][0]
    assert set(_fields(call("GET", "/organizations?region=abc"))) == {"region"}
    assert set(_fields(call("GET", f"/users?organization={world.company_b.pk}&category=astronaut"))) == {
        "organization",
        "category",
    }
    assert set(_fields(call("GET", "/elevators?status=bogus&region=0&use_unit=x"))) == {"status", "region", "use_unit"}

    token = client.post(
        "/api/v1/auth/token", {"username": "admin_a", "password": TEST_PASSWORD}, content_type="application/json"
    ).json()["token"]
    english = client.get(
        "/api/v1/users?category=astronaut", headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    )
    assert "Select a valid choice" in _fields(english)["category"][0]


def test_users_filter_by_organisation_and_category_within_the_gate(api, world):
    call = api(world.admin_a)
    assert [u["username"] for u in call("GET", "/users?category=maintenance_worker").json()["items"]] == ["worker_a"]
    in_unit = call("GET", f"/users?organization={world.company_a.pk}").json()["items"]
    assert [u["username"] for u in in_unit] == ["admin_a", "worker_a"]
    # the use unit it serves keeps its own accounts: not a unit the company may filter its accounts by
    assert call("GET", f"/users?organization={world.use_unit_a.pk}").status_code == 422
    in_unit = api(world.operator)("GET", f"/users?organization={world.use_unit_a.pk}").json()["items"]
    assert [u["username"] for u in in_unit] == ["use_a"]
    assert [u["username"] for u in call("GET", "/users?q=work").json()["items"]] == ["worker_a"]


def test_elevators_take_every_filter_of_the_ledger_page(api, world):
    make_elevator(world, building="梧桐苑")
    make_elevator(world, building="银杏苑")
    call = api(world.admin_a)
    by_unit_name = call("GET", "/elevators?use_unit_name=甲物&building=梧桐苑").json()["items"]
    assert [e["building"] for e in by_unit_name] == ["梧桐苑"]
    assert call("GET", "/elevators?maintenance_company_name=乙维保").json()["items"] == []
