"""/api/v1/notifications: the caller's notifications with their read state, reading one, reading all."""

import pytest

from notifications.models import NotificationKind
from notifications.services import notify

pytestmark = pytest.mark.django_db


def test_list_filters_read_and_read_all(world, api):
    hazard = notify(world.company_a, NotificationKind.HAZARD, "隐患", "正文", "/records/", about=world.company_b)
    notify(world.company_a, NotificationKind.CONFIRM_RECORD, "确认", url="/records/")
    notify(world.company_b, NotificationKind.HAZARD, "乙公司的")
    call = api(world.worker_a)
    listed = call("GET", "/notifications").json()
    assert [n["title"] for n in listed["items"]] == ["确认", "隐患"] and listed["count"] == 2
    first = listed["items"][1]
    assert first["kind"] == "hazard" and first["kind_label"] == "严重事故隐患" and first["url"] == "/records/"
    assert first["about"] == "organizations.organization" and first["about_id"] == world.company_b.pk
    assert first["is_read"] is False and first["done_at"] is None
    assert [n["title"] for n in call("GET", "/notifications?kind=hazard").json()["items"]] == ["隐患"]
    assert call("GET", "/notifications?kind=gossip").status_code == 422
    assert call("GET", "/notifications/unread").json() == {"unread": 2}

    read = call("POST", f"/notifications/{hazard.pk}/read")
    assert read.status_code == 200 and read.json()["is_read"] is True
    assert [n["title"] for n in call("GET", "/notifications?unread=true").json()["items"]] == ["确认"]
    assert call("GET", "/notifications/unread").json() == {"unread": 1}
    assert api(world.admin_a)("GET", "/notifications/unread").json() == {"unread": 2}  # read state is one's own

    assert call("POST", "/notifications/read-all").json() == {"unread": 0}
    assert call("GET", "/notifications?unread=true").json()["items"] == []
    assert call("GET", f"/notifications/{hazard.pk}").json()["is_read"] is True


def test_another_units_notification_is_404(world, api):
    theirs = notify(world.company_b, NotificationKind.HAZARD, "乙公司的")
    for person in (world.admin_a, world.yubei_admin):
        call = api(person)
        assert call("GET", f"/notifications/{theirs.pk}").status_code == 404
        assert call("POST", f"/notifications/{theirs.pk}/read").status_code == 404
        assert call("GET", "/notifications").json()["items"] == []
    assert not theirs.reads.exists()


def test_without_a_token_the_api_says_401(client, world):
    assert client.get("/api/v1/notifications").status_code == 401
    assert client.post("/api/v1/notifications/read-all").status_code == 401
