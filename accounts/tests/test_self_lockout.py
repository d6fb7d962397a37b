"""Nobody locks their own unit out: an administrator cannot stop, demote or move themself, nor stop their unit."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_administrator_cannot_stop_or_demote_themself(api, world):
    call = api(world.admin_a)
    for body, field in [
        ({"is_active": False}, "is_active"),
        ({"role": "staff"}, "role"),
        ({"category": "maintenance_worker"}, "category"),
    ]:
        response = call("PATCH", f"/users/{world.admin_a.pk}", body)
        assert response.status_code == 422, (body, response.content)
        assert response.json()["detail"][0]["field"] == field
    world.admin_a.refresh_from_db()
    assert world.admin_a.is_active and world.admin_a.role == "admin"
    assert call("PATCH", f"/users/{world.admin_a.pk}", {"full_name": "改名管理员"}).status_code == 200


def test_another_administrator_of_the_unit_may(api, world):
    second = UserFactory(username="admin_a2", organization=world.company_a)
    assert api(second)("PATCH", f"/users/{world.admin_a.pk}", {"is_active": False}).status_code == 200


def test_a_unit_cannot_be_stopped_by_its_own_administrator(api, world):
    response = api(world.admin_a)("PATCH", f"/organizations/{world.company_a.pk}", {"is_active": False})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "is_active"
    world.company_a.refresh_from_db()
    assert world.company_a.is_active
    assert api(world.operator)("PATCH", f"/organizations/{world.company_a.pk}", {"is_active": False}).status_code == 200
