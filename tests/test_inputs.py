"""No input answers 500: NUL characters, integers beyond 64 bits, malformed cursors, over-long reasons, nulls in a
PATCH. One family per section; the suite runs on SQLite and on PostgreSQL (where NUL and overflow used to be
DataError), so each test holds on both."""

import base64
import json

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.api import UserPatch
from core.audit import CHANGE_REASON_MAX_LENGTH
from core.filters import DB_ID_MAX
from elevators.api import ElevatorPatch
from elevators.models import Elevator
from organizations.api import OrganizationPatch
from organizations.models import Organization
from tests import sweep
from tests.factories import elevator_form_data, make_elevator

pytestmark = pytest.mark.django_db

BIG = str(2**64 + 1)  # beyond any column and beyond what SQLite can bind
NUL_MESSAGE = "输入内容不能包含空字符（NUL）。"


def detail(response) -> dict:
    """{field: messages} of an API 422 in the project's form."""
    return {item["field"]: item["messages"] for item in response.json()["detail"]}


# --- NUL characters ------------------------------------------------------------------------------------------------


def list_urls():
    for page, kwargs_list in sweep.list_pages():
        for kwargs in kwargs_list:
            view_class = page.view.view_class
            filters = list(view_class.filterset_class.base_filters) if view_class.filterset_class else []
            yield reverse(page.name, kwargs=kwargs or None), [*filters, "q", "sort", "cursor", "export"]


def test_nul_in_the_query_string_of_every_list_page_is_a_400(world, client_for):
    client = client_for(world.operator)
    urls = list(list_urls())
    assert len(urls) >= 5
    for url, params in urls:
        for param in params:
            response = client.get(url, {param: "a\x00b"})
            assert response.status_code == 400, (url, param, response.status_code)
            assert NUL_MESSAGE in response.content.decode()


def test_nul_in_a_form_saves_nothing(world, client_for):
    client = client_for(world.admin_a)
    url = reverse("organizations:edit", args=[world.company_a.pk])
    response = client.post(url, {"name": "改名\x00公司", "reason": "x"})
    assert response.status_code == 400 and NUL_MESSAGE in response.content.decode()
    world.company_a.refresh_from_db()
    assert "\x00" not in world.company_a.name


def test_nul_in_the_login_is_refused_before_the_lockout_counts_it(world):
    from axes.models import AccessAttempt

    client = Client()
    response = client.post(
        reverse("accounts:login"),
        {"username": "admin_a\x00", "password": "x", "captcha_0": "x", "captcha_1": "PASSED"},
    )
    assert response.status_code == 400 and NUL_MESSAGE in response.content.decode()
    assert not AccessAttempt.objects.exists()
    token = client.post(
        "/api/v1/auth/token", {"username": "admin_a\x00", "password": "x"}, content_type="application/json"
    )
    assert token.status_code == 422 and detail(token) == {"username": [NUL_MESSAGE]}


def test_nul_in_the_path_and_in_a_cookie_are_400(world, client_for):
    assert Client().get("/e/abc%00def").status_code == 400
    # a quoted cookie's octal escape decodes to NUL
    assert client_for(world.admin_a).get("/", HTTP_COOKIE='sessionid="\\000abcdefgh"').status_code == 400


@pytest.mark.parametrize(
    "body, field",
    [
        ({"building": "甲\x00乙"}, "building"),
        ({"building": "甲乙大厦", "reason": "\x00"}, "reason"),
        ({"building\x00": "甲乙大厦"}, "building\x00"),
        ({"components": [{"name": "ok"}, {"name": "\x00"}]}, "components.1.name"),
    ],
)
def test_nul_in_an_api_body_is_a_422_naming_the_field_and_changes_nothing(world, api, body, field):
    elevator = make_elevator(world)
    response = api(world.admin_a)("PATCH", f"/elevators/{elevator.pk}", body)
    assert response.status_code == 422
    assert detail(response) == {field: [NUL_MESSAGE]}
    elevator.refresh_from_db()
    assert "\x00" not in elevator.building and elevator.history.count() == 1


def test_nul_in_an_api_query_is_a_422_in_the_requests_language(world, api):
    call = api(world.admin_a)
    assert detail(call("GET", "/organizations?q=a%00b")) == {"q": [NUL_MESSAGE]}
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/api/v1/elevators?cursor=%00")
    assert response.status_code == 422
    assert response.json()["detail"][0]["messages"] == ["Input must not contain NUL characters."]


def test_the_text_backslash_u0000_is_not_a_nul(world, api):
    elevator = make_elevator(world)
    response = api(world.admin_a)("PATCH", f"/elevators/{elevator.pk}", {"building": "大厦\\u0000"})
    assert response.status_code == 200, response.content
    elevator.refresh_from_db()
    assert elevator.building == "大厦\\u0000"


# --- integers beyond 64 bits ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/organizations", "/users", "/regions"])
@pytest.mark.parametrize("param", ["limit", "offset"])
def test_limit_and_offset_beyond_64_bits_are_422(world, api, path, param):
    response = api(world.operator)("GET", f"{path}?{param}={BIG}")
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"][-1] == param


def test_the_largest_offset_is_an_empty_page_and_the_limit_is_capped(world, api):
    call = api(world.operator)
    response = call("GET", f"/organizations?offset={DB_ID_MAX}")
    assert response.status_code == 200 and response.json()["items"] == []
    assert call("GET", "/organizations?limit=500").status_code == 200
    assert call("GET", "/organizations?limit=501").status_code == 422


@pytest.mark.parametrize(
    "path, field",
    [
        ("/elevators?use_unit={}", "use_unit"),
        ("/elevators?maintenance_company={}", "maintenance_company"),
        ("/elevators?region={}", "region"),
        ("/organizations?region={}", "region"),
        ("/users?organization={}", "organization"),
    ],
)
def test_integer_filters_beyond_64_bits_are_field_errors(world, api, path, field):
    response = api(world.operator)("GET", path.format(BIG))
    assert response.status_code == 422, response.content
    assert list(detail(response)) == [field]


def test_region_parent_beyond_64_bits_is_422(world, api):
    response = api(world.operator)("GET", f"/regions?parent={BIG}")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "parent"


@pytest.mark.parametrize("value", [BIG, f"-{BIG}", "1e400", "1.5", "²", "0x10", "9" * 400])
def test_every_filter_of_every_list_page_takes_any_number_without_a_500(world, client_for, value):
    client = client_for(world.operator)
    for url, params in list_urls():
        for param in params:
            response = client.get(url, {param: value})
            assert response.status_code == 200, (url, param, value, response.status_code)


def test_huge_ids_in_paths_and_sign_sheets_are_404(world, client_for, api):
    client = client_for(world.operator)
    assert client.get(f"/elevators/{BIG}/").status_code == 404
    assert client.get(reverse("elevators:sign_sheet"), {"ids": [BIG, "²"]}).status_code == 404
    assert api(world.operator)("GET", f"/elevators/{BIG}").status_code == 404


# --- cursors -------------------------------------------------------------------------------------------------------


def cursor(value) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


BAD_CURSORS = [
    "not base64!",
    "x",
    cursor(b"\xff\xfe"),
    cursor({"a": 1}),
    cursor([]),
    cursor(["31105001122024060001"]),  # one value for two columns
    cursor(["31105001122024060001", 1, 2]),
    cursor(["31105001122024060001", None]),
    cursor([None, 1]),
    cursor(["31105001122024060001", [1]]),
    cursor(["31105001122024060001", {"a": 1}]),
    cursor(["31105001122024060001", True]),
    cursor(["31105001122024060001", 2**70]),
    cursor(["31105001122024060001", -(2**70)]),
    cursor(["31105001122024060001", "abc"]),
    cursor(["3110\x00", 1]),
    cursor(["3" * 500, 1]),
    cursor(["31105001122024060001", 1.5e300]),
]


@pytest.mark.parametrize("bad", BAD_CURSORS)
def test_a_malformed_cursor_is_page_one_on_the_page_and_422_in_the_api(world, client_for, api, bad):
    make_elevator(world)
    response = client_for(world.admin_a).get(reverse("elevators:list"), {"cursor": bad})
    assert response.status_code == 200
    assert "分页链接已失效" in response.content.decode()
    assert len(response.context["object_list"]) == 1
    response = api(world.admin_a)("GET", f"/elevators?cursor={bad}")
    assert response.status_code == 422, response.content
    assert list(detail(response)) == ["cursor"]


@pytest.mark.parametrize("sort", ["installation_date", "-updated_at", "building"])
def test_a_cursor_of_another_sort_is_refused_not_a_500(world, api, sort):
    make_elevator(world)
    response = api(world.admin_a)("GET", f"/elevators?sort={sort}&cursor={cursor(['not a date', 'x'])}")
    assert response.status_code == 422


# --- the change reason ---------------------------------------------------------------------------------------------


def test_every_history_keeps_a_reason_of_the_longest_length_the_forms_take():
    from django.apps import apps

    histories = [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    assert histories
    for model in histories:
        assert model._meta.get_field("history_change_reason").max_length >= CHANGE_REASON_MAX_LENGTH, model


def test_api_reason_is_bounded_and_the_longest_is_kept(world, api):
    elevator = make_elevator(world)
    call = api(world.admin_a)
    too_long = call("PATCH", f"/elevators/{elevator.pk}", {"building": "甲", "reason": "长" * 101})
    assert too_long.status_code == 422
    elevator.refresh_from_db()
    assert elevator.building != "甲" and elevator.history.count() == 1
    longest = "长" * CHANGE_REASON_MAX_LENGTH
    assert call("PATCH", f"/elevators/{elevator.pk}", {"building": "甲", "reason": longest}).status_code == 200
    assert elevator.history.first().history_change_reason == longest


def test_wizard_reason_is_bounded_with_a_message(world, client_for):
    elevator = make_elevator(world)
    client = client_for(world.admin_a)
    url = reverse("elevators:edit", args=[elevator.pk])
    page = client.get(url, {"step": 3}).content.decode()
    assert f'name="reason" id="id_reason" maxlength="{CHANGE_REASON_MAX_LENGTH}"' in page
    data = elevator_form_data(world, register_code=elevator.register_code, rescue_code=elevator.rescue_code)
    response = client.post(url, {**data, "building": "改名大厦", "reason": "长" * 150, "step": "3", "action": "submit"})
    assert response.status_code == 200
    assert "修改原因最多 100 个字" in response.content.decode() and response.context["step"] == 3
    elevator.refresh_from_db()
    assert elevator.building != "改名大厦"


def test_generic_edit_reason_is_bounded(world, client_for):
    client = client_for(world.admin_a)
    url = reverse("organizations:edit", args=[world.company_a.pk])
    form = client.get(url).context["form"]
    assert form.fields["reason"].max_length == CHANGE_REASON_MAX_LENGTH
    name = world.company_a.name
    response = client.post(url, {"name": "新名字维保公司", "reason": "长" * 101})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    world.company_a.refresh_from_db()
    assert world.company_a.name == name


# --- null in a PATCH -----------------------------------------------------------------------------------------------


def _patch_targets(world):
    elevator = make_elevator(world)
    return [
        (ElevatorPatch, f"/elevators/{elevator.pk}", Elevator, elevator.pk),
        (OrganizationPatch, f"/organizations/{world.company_a.pk}", Organization, world.company_a.pk),
        (UserPatch, f"/users/{world.worker_a.pk}", type(world.worker_a), world.worker_a.pk),
    ]


def _row(model, pk):
    return model.objects.filter(pk=pk).values().get()


def test_null_for_any_field_of_a_patch_is_saved_or_refused_whole(world, api):
    call = api(world.admin_a)
    for schema, path, model, pk in _patch_targets(world):
        for name in schema.model_fields:
            before = _row(model, pk)
            response = call("PATCH", path, {name: None})
            assert response.status_code in (200, 422), (path, name, response.status_code, response.content)
            if response.status_code == 422:
                after = _row(model, pk)
                before.pop("updated_at", None), after.pop("updated_at", None)
                assert after == before, (path, name)


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 2**31, 1e308, "9" * 50])
def test_numbers_beyond_the_columns_in_a_body_are_refused(world, api, value):
    call = api(world.admin_a)
    for schema, path, _model, _pk in _patch_targets(world):
        for name, field in schema.model_fields.items():
            if field.annotation is str:
                continue
            response = call("PATCH", path, {name: value})
            assert response.status_code in (200, 422), (path, name, value, response.status_code, response.content)


def test_the_database_is_still_usable_after_the_refusals(world, api):
    """On PostgreSQL a failed statement aborts the transaction: every refusal above must happen before SQL."""
    call = api(world.admin_a)
    call("GET", f"/elevators?use_unit={BIG}")
    call("PATCH", f"/organizations/{world.company_a.pk}", {"name": "甲\x00"})
    assert call("GET", "/organizations").status_code == 200
    with connection.cursor() as cur:
        cur.execute("SELECT 1")


def test_a_multipart_body_without_a_boundary_is_not_a_500(world, api):
    client = Client()
    response = client.generic("POST", "/api/v1/auth/token", b"x", content_type="multipart/form-data")
    assert response.status_code in (400, 422)
    response = client.generic("POST", reverse("accounts:login"), b"x", content_type="multipart/form-data")
    assert response.status_code < 500


def test_null_for_any_field_of_a_create_is_saved_or_refused_whole(world, api):
    from tests.factories import elevator_api_payload

    call = api(world.admin_a)
    bodies = {
        "/elevators": (Elevator, elevator_api_payload(world)),
        "/organizations": (
            Organization,
            {
                "kind": "use_unit",
                "name": "空值物业公司",
                "credit_code": "91500112MA5U000000",
                "region_id": world.company_a.region_id,
                "address": "重庆市渝北区空值路1号",
                "legal_representative": "王五",
                "contact_name": "赵六",
            },
        ),
    }
    for path, (model, body) in bodies.items():
        for name in body:
            count = model.objects.count()
            response = call("POST", path, {**body, name: None})
            assert response.status_code in (201, 422), (path, name, response.status_code, response.content)
            if response.status_code == 422:
                assert model.objects.count() == count, (path, name)
            else:  # a field that may be empty: make room for the next try with the same codes
                model.objects.filter(pk=response.json()["id"]).delete()
