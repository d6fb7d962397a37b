"""The standard tests every model passes, declared per model (in the spirit of NetBox's ViewTestCases).

A model's test class says which URLs it has, which person of the test world plays each part, how to make an
object and what a valid create or edit changes; the mixins bring the tests:

    class TestProblemReportPages(ListCases, DetailCases, ActionCases):
        model = ProblemReport
        list_url, detail_url, action_url = "elevators:problem_list", "elevators:problem_detail", ...
        without_permission = "use_admin_a"          # sees the report, may not handle it
        max_queries = {"list": 9, "detail": 12}    # ceilings, whatever the number of rows

        def make(self, world): ...

Parts (names of people in tests.factories.make_world): `owner` may do everything to the object made by `make`;
`outsider` is another tenant (404 everywhere); `without_permission` sees the object but may not act (403; None
when no such person exists). Tests in tests/test_standard_coverage.py check that every model with a policy has a
class built from these mixins.
"""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent

__all__ = ["ModelCases", "ListCases", "DetailCases", "CreateCases", "EditCases", "ActionCases", "APICases"]

pytestmark = pytest.mark.django_db


PARTS = ("owner", "outsider", "without_permission")


def form_values(form) -> dict:
    """What a browser would post back for an unchanged form: each field's current value."""
    data = {}
    for bound in form:
        value = bound.value()
        widget = bound.field.widget
        if getattr(widget, "input_type", "") == "file":
            continue
        if value is None:
            data[bound.name] = ""
        elif isinstance(value, bool):
            if value:
                data[bound.name] = "on"
        elif isinstance(value, (list, tuple)):
            data[bound.name] = [str(v) for v in value]
        else:
            data[bound.name] = str(value)
    return data


def audit_events(obj, action: str, actor=None):
    events = AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk), action=action
    )
    return events.filter(actor=actor) if actor is not None else events


def api_ids(response) -> set:
    body = response.json()
    return {item["id"] for item in (body["items"] if isinstance(body, dict) else body)}


def queries_for(client, url, **params) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    return len(captured), response


class ModelCases:
    """The parts and hooks every mixin shares; a test class built from the mixins registers itself."""

    registry: list = []  # the model test classes defined so far (tests/test_standard_coverage.py reads them)
    model = None
    owner = "admin_a"
    outsider = "admin_b"
    without_permission = None
    # ceilings on SQL statements per page, whatever the number of rows: {"list": n, "detail": n}
    max_queries: dict = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is None:
            return
        ModelCases.registry.append(cls)
        # a test that does not apply to this model is absent, not skipped (pytest ignores a None attribute)
        for name in cls.not_applicable():
            setattr(cls, name, None)

    @classmethod
    def not_applicable(cls) -> list[str]:
        def overridden(name):
            return getattr(cls, name, None) is not getattr(APICases, name)

        absent = []
        if cls.outsider is None:  # reference data that everyone reads
            absent += [name for name in dir(cls) if name.startswith("test_") and "another_tenant" in name]
        if getattr(cls, "list_denied", None) is None:
            absent.append("test_list_without_permission_is_403")
        if cls.without_permission is None:
            absent += ["test_edit_without_permission_is_403", "test_action_without_permission_is_403"]
        if (getattr(cls, "create_denied", None) or cls.without_permission) is None:
            absent.append("test_create_without_permission_is_403")
        if not overridden("api_create_body"):
            absent += ["test_api_creates_and_audits", "test_api_refuses_bad_input_and_saves_nothing"]
        if not overridden("api_patch_body"):
            absent.append("test_api_patches_and_audits")
        if (getattr(cls, "api_denied", None) or cls.without_permission) is None or not overridden("api_patch_body"):
            absent.append("test_api_write_without_permission_is_403")
        return absent

    def make(self, world):
        """A new object that `owner` may act on and `outsider` may not see (each call a new one)."""
        raise NotImplementedError(f"{type(self).__name__} must define make()")

    def marker(self, obj) -> str:
        """Text that the object's row and page show."""
        return str(obj)

    def person(self, world, who):
        """A part ("owner", "outsider", "without_permission") or a person of the world ("worker_a")."""
        return getattr(world, getattr(self, who) if who in PARTS else who)

    def url(self, name, obj=None, kwargs=None):
        if obj is not None:
            return reverse(name, kwargs={"pk": obj.pk})
        return reverse(name, kwargs=kwargs or None)


class ListCases(ModelCases):
    list_url = None
    list_kwargs: dict = {}
    list_user = "owner"  # the part that reads the list (a worker's own account is not on the account list)
    list_denied = None  # a person of the world to whom the whole list is closed (403)

    def list_page(self):
        return self.url(self.list_url, kwargs=self.list_kwargs)

    def test_list_shows_the_object(self, world, client_for):
        obj = self.make(world)
        response = client_for(self.person(world, self.list_user)).get(self.list_page())
        assert response.status_code == 200
        assert obj.pk in {row.pk for row in response.context["object_list"]}
        assert self.marker(obj) in response.content.decode()

    def test_list_exports_the_object(self, world, client_for):
        obj = self.make(world)
        response = client_for(self.person(world, self.list_user)).get(self.list_page(), {"export": "csv"})
        assert response.status_code == 200
        assert self.marker(obj) in b"".join(response.streaming_content).decode("utf-8-sig")

    def test_list_queries_do_not_grow_with_the_rows(self, world, client_for):
        self.make(world)
        client = client_for(self.person(world, self.list_user))
        client.get(self.list_page())  # session, content types and translations cached as in real use
        few, _ = queries_for(client, self.list_page())
        for _i in range(4):
            self.make(world)
        many, response = queries_for(client, self.list_page())
        assert response.status_code == 200
        assert many == few, f"{many} queries with 5 rows, {few} with 1"
        assert many <= self.max_queries["list"], f"{many} queries (ceiling {self.max_queries['list']})"

    def test_list_hides_the_object_from_another_tenant(self, world, client_for):
        obj = self.make(world)
        response = client_for(self.person(world, "outsider")).get(self.list_page())
        if response.status_code == 403:
            return
        assert response.status_code == 200
        assert obj.pk not in {row.pk for row in response.context["object_list"]}
        export = client_for(self.person(world, "outsider")).get(self.list_page(), {"export": "csv"})
        assert self.marker(obj) not in b"".join(export.streaming_content).decode("utf-8-sig")

    def test_list_without_permission_is_403(self, world, client_for):
        self.make(world)
        client = client_for(self.person(world, self.list_denied))
        assert client.get(self.list_page()).status_code == 403
        assert client.get(self.list_page(), {"export": "csv"}).status_code == 403


class DetailCases(ModelCases):
    detail_url = None
    detail_user = "owner"

    def test_detail_shows_the_object(self, world, client_for):
        obj = self.make(world)
        client = client_for(self.person(world, self.detail_user))
        client.get(self.url(self.detail_url, obj))
        count, response = queries_for(client, self.url(self.detail_url, obj))
        assert response.status_code == 200
        assert self.marker(obj) in response.content.decode()
        assert count <= self.max_queries["detail"], f"{count} queries (ceiling {self.max_queries['detail']})"

    def test_detail_of_another_tenant_is_404(self, world, client_for):
        obj = self.make(world)
        assert client_for(self.person(world, "outsider")).get(self.url(self.detail_url, obj)).status_code == 404


class CreateCases(ModelCases):
    create_url = None
    create_kwargs: dict = {}
    create_denied = None  # a part that may not add this model (403); defaults to without_permission
    create_extra: dict = {}  # form plumbing posted with the data (a wizard's step and action)

    def create_data(self, world) -> dict:
        raise NotImplementedError(f"{type(self).__name__} must define create_data()")

    def bad_create_data(self, world) -> dict:
        """Data the form must refuse (by default: nothing filled in)."""
        return {}

    def created(self, world, data):
        """The object the valid data created."""
        return self.model._default_manager.order_by("-pk").first()

    def create_page(self):
        return self.url(self.create_url, kwargs=self.create_kwargs)

    def test_create_saves_and_audits(self, world, client_for):
        client = client_for(self.person(world, "owner"))
        assert client.get(self.create_page()).status_code == 200
        before = self.model._default_manager.count()
        data = self.create_data(world)
        response = client.post(self.create_page(), {**data, **self.create_extra})
        assert response.status_code == 302, getattr(response.context.get("form"), "errors", response.status_code)
        assert self.model._default_manager.count() == before + 1
        obj = self.created(world, data)
        assert audit_events(obj, "create", self.person(world, "owner")).exists()

    def test_create_refuses_bad_input_and_saves_nothing(self, world, client_for):
        client = client_for(self.person(world, "owner"))
        before = self.model._default_manager.count()
        response = client.post(self.create_page(), {**self.bad_create_data(world), **self.create_extra})
        assert response.status_code == 200
        assert response.context["form"].errors
        assert "is-invalid" in response.content.decode() or "alert-danger" in response.content.decode()
        assert self.model._default_manager.count() == before

    def test_create_without_permission_is_403(self, world, client_for):
        client = client_for(self.person(world, self.create_denied or self.without_permission))
        before = self.model._default_manager.count()
        assert client.get(self.create_page()).status_code == 403
        assert client.post(self.create_page(), {**self.create_data(world), **self.create_extra}).status_code == 403
        assert self.model._default_manager.count() == before


class EditCases(ModelCases):
    edit_url = None
    edit_extra: dict = {}
    reason_field = "reason"

    def edit_changes(self, world, obj) -> dict:
        """Form fields to change from their current values; each must read back from the saved object."""
        raise NotImplementedError(f"{type(self).__name__} must define edit_changes()")

    def stored(self, obj, field):
        value = getattr(obj, field)
        return str(value.pk if hasattr(value, "pk") else value)

    def test_edit_saves_and_audits_with_the_reason(self, world, client_for):
        obj = self.make(world)
        client = client_for(self.person(world, "owner"))
        page = client.get(self.url(self.edit_url, obj))
        assert page.status_code == 200
        changes = self.edit_changes(world, obj)
        data = {**form_values(page.context["form"]), **changes, self.reason_field: "标准测试的修改", **self.edit_extra}
        response = client.post(self.url(self.edit_url, obj), data)
        assert response.status_code == 302, getattr(response.context.get("form"), "errors", response.status_code)
        obj.refresh_from_db()
        for field, value in changes.items():
            assert self.stored(obj, field) == str(value), field
        event = audit_events(obj, "update", self.person(world, "owner")).first()
        assert event is not None and event.reason == "标准测试的修改"
        assert set(changes) <= set(event.changes)

    def test_edit_of_another_tenant_is_404(self, world, client_for):
        obj = self.make(world)
        client = client_for(self.person(world, "outsider"))
        assert client.get(self.url(self.edit_url, obj)).status_code == 404
        assert client.post(self.url(self.edit_url, obj), {}).status_code == 404

    def test_edit_without_permission_is_403(self, world, client_for):
        obj = self.make(world)
        client = client_for(self.person(world, "without_permission"))
        assert client.get(self.url(self.edit_url, obj)).status_code == 403
        assert client.post(self.url(self.edit_url, obj), {}).status_code == 403


class ActionCases(ModelCases):
    """A status change (ObjectActionView): confirmation page, POST through a service, audited."""

    action_url = None
    action_user = "owner"
    audit_action = "transition"

    def action_data(self, world, obj) -> dict:
        raise NotImplementedError(f"{type(self).__name__} must define action_data()")

    def acted(self, obj) -> bool:
        """Whether the object (reloaded) shows the action's effect."""
        raise NotImplementedError(f"{type(self).__name__} must define acted()")

    def test_action_asks_then_acts_and_audits(self, world, client_for):
        obj = self.make(world)
        actor = self.person(world, self.action_user)
        client = client_for(actor)
        assert client.get(self.url(self.action_url, obj)).status_code == 200
        response = client.post(self.url(self.action_url, obj), self.action_data(world, obj))
        assert response.status_code == 302, getattr(response.context.get("form"), "errors", response.status_code)
        obj.refresh_from_db()
        assert self.acted(obj)
        assert audit_events(obj, self.audit_action, actor).exists()

    def test_action_refuses_an_empty_form(self, world, client_for):
        obj = self.make(world)
        response = client_for(self.person(world, self.action_user)).post(self.url(self.action_url, obj), {})
        assert response.status_code == 200 and response.context["form"].errors
        obj.refresh_from_db()
        assert not self.acted(obj)

    def test_action_of_another_tenant_is_404(self, world, client_for):
        obj = self.make(world)
        client = client_for(self.person(world, "outsider"))
        assert client.post(self.url(self.action_url, obj), self.action_data(world, obj)).status_code == 404

    def test_action_without_permission_is_403(self, world, client_for):
        obj = self.make(world)
        client = client_for(self.person(world, "without_permission"))
        assert client.post(self.url(self.action_url, obj), self.action_data(world, obj)).status_code == 403
        obj.refresh_from_db()
        assert not self.acted(obj)


class APICases(ModelCases):
    """The model's API: /api/v1/<api_path> and /api/v1/<api_path>/{id}."""

    api_path = None
    api_denied = None  # a part that may read but not write (403); defaults to without_permission

    # define these where the API creates / changes the model (the tests that need them are absent otherwise)
    def api_create_body(self, world) -> dict:
        raise NotImplementedError(f"{type(self).__name__} must define api_create_body()")

    def api_patch_body(self, world, obj) -> dict:
        raise NotImplementedError(f"{type(self).__name__} must define api_patch_body()")

    def call(self, world, part, method, path, body=None):
        from django.test import Client

        client = Client()
        client.force_login(self.person(world, part))
        return client.generic(
            method, f"/api/v1{path}", "" if body is None else json.dumps(body), content_type="application/json"
        )

    def test_api_lists_and_reads_the_object(self, world):
        obj = self.make(world)
        listed = self.call(world, "owner", "GET", self.api_path)
        assert listed.status_code == 200
        assert obj.pk in api_ids(listed)
        detail = self.call(world, "owner", "GET", f"{self.api_path}/{obj.pk}")
        assert detail.status_code == 200 and detail.json()["id"] == obj.pk

    def test_api_hides_the_object_from_another_tenant(self, world):
        obj = self.make(world)
        assert self.call(world, "outsider", "GET", f"{self.api_path}/{obj.pk}").status_code == 404
        listed = self.call(world, "outsider", "GET", self.api_path)
        if listed.status_code != 403:
            assert obj.pk not in api_ids(listed)

    def test_api_creates_and_audits(self, world):
        body = self.api_create_body(world)
        response = self.call(world, "owner", "POST", self.api_path, body)
        assert response.status_code == 201, response.content
        obj = self.model._default_manager.get(pk=response.json()["id"])
        assert audit_events(obj, "create", self.person(world, "owner")).exists()

    def test_api_refuses_bad_input_and_saves_nothing(self, world):
        before = self.model._default_manager.count()
        response = self.call(world, "owner", "POST", self.api_path, {})
        assert response.status_code in (400, 422)
        assert response.json()["detail"]
        assert self.model._default_manager.count() == before

    def test_api_patches_and_audits(self, world):
        obj = self.make(world)
        body = self.api_patch_body(world, obj)
        response = self.call(world, "owner", "PATCH", f"{self.api_path}/{obj.pk}", body)
        assert response.status_code == 200, response.content
        obj.refresh_from_db()
        for field, value in body.items():
            if field != "reason":
                assert response.json()[field] == value, field
        assert audit_events(obj, "update", self.person(world, "owner")).exists()

    def test_api_write_without_permission_is_403(self, world):
        part = self.api_denied or self.without_permission
        obj = self.make(world)
        body = self.api_patch_body(world, obj)
        before = self.model._default_manager.count()
        assert self.call(world, part, "PATCH", f"{self.api_path}/{obj.pk}", body).status_code == 403
        create = self.api_create_body(world)
        if create is not None:
            assert self.call(world, part, "POST", self.api_path, create).status_code == 403
        assert self.model._default_manager.count() == before
