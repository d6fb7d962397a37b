"""通知 pages: the bell, the list with its filters, opening one (marks it read, then its page), 全部标为已读."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification, NotificationKind
from notifications.services import notify

pytestmark = pytest.mark.django_db


def bell(page: str) -> str | None:
    """The number on the bell, or None when it shows none."""
    match = re.search(r'data-testid="notification-count" data-count="(\d+)"', page)
    return match.group(1) if match else None


def test_the_bell_counts_what_the_person_has_not_read(world, client_for):
    client = client_for(world.admin_a)
    assert bell(client.get("/").content.decode()) is None
    notify(world.company_a, NotificationKind.HAZARD, "严重事故隐患：测试", url="/records/")
    notify(world.company_a, NotificationKind.CONFIRM_RECORD, "待确认", url="/records/")
    page = client.get("/").content.decode()
    assert bell(page) == "2" and 'href="/notifications/"' in page
    assert bell(client_for(world.admin_b).get("/").content.decode()) is None


def test_the_bell_costs_no_query_once_counted_and_partials_never_count(world, client_for):
    notify(world.company_a, NotificationKind.HAZARD, "一条")
    client = client_for(world.admin_a)
    client.get("/elevators/")
    with CaptureQueriesContext(connection) as again:
        client.get("/elevators/")
    assert not [q for q in again.captured_queries if "notifications_" in q["sql"]]
    notify(world.company_a, NotificationKind.HAZARD, "又一条")
    with CaptureQueriesContext(connection) as partial:
        client.get("/elevators/", headers={"HX-Request": "true", "HX-Target": "object-list"})
    assert not [q for q in partial.captured_queries if "notifications_" in q["sql"]]
    with CaptureQueriesContext(connection) as page:
        response = client.get("/elevators/")
    assert bell(response.content.decode()) == "2"
    assert len([q for q in page.captured_queries if "notifications_" in q["sql"]]) == 1


def test_opening_marks_it_read_and_goes_to_its_page(world, client_for):
    notification = notify(world.company_a, NotificationKind.HAZARD, "去纪录页", url="/records/?status=finished")
    client = client_for(world.worker_a)
    url = reverse("notifications:open", args=[notification.pk])
    assert client.get(url).status_code == 405  # reading is a change: POST (a form button on the list)
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/records/?status=finished"
    assert notification.reads.filter(user=world.worker_a).exists()
    assert not notification.reads.filter(user=world.admin_a).exists()
    assert bell(client.get("/").content.decode()) is None
    assert bell(client_for(world.admin_a).get("/").content.decode()) == "1"


def test_another_units_notification_cannot_be_opened(world, client_for):
    notification = notify(world.company_a, NotificationKind.HAZARD, "甲公司的", url="/records/")
    for outsider in (world.admin_b, world.use_admin_a, world.yubei_admin):
        assert client_for(outsider).post(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert not notification.reads.exists()


def test_anonymous_people_are_sent_to_login(client, world):
    notification = notify(world.company_a, NotificationKind.HAZARD, "甲公司的")
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("notifications:list")).status_code == 302


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"])
def test_a_stored_link_off_the_platform_is_never_followed(world, client_for, url):
    """notify() refuses such links; one written around it still only leads back to the list."""
    notification = Notification.objects.create(
        organization=world.company_a, kind=NotificationKind.HAZARD, title="坏链接", url=url
    )
    response = client_for(world.admin_a).post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("notifications:list")


def test_the_list_filters_by_kind_and_unread(world, client_for):
    hazard = notify(world.company_a, NotificationKind.HAZARD, "隐患通知")
    notify(world.company_a, NotificationKind.CONFIRM_RECORD, "确认通知")
    client = client_for(world.admin_a)
    client.post(reverse("notifications:open", args=[hazard.pk]))

    def titles(**params):
        response = client.get(reverse("notifications:list"), params)
        assert response.status_code == 200
        return [n.title for n in response.context["object_list"]]

    assert titles() == ["确认通知", "隐患通知"]
    assert titles(kind="hazard") == ["隐患通知"]
    assert titles(unread="on") == ["确认通知"]
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.count('data-testid="notification-unread"') == 1 and bell(page) == "1"


def test_mark_all_read(world, client_for):
    for n in range(3):
        notify(world.company_a, NotificationKind.HAZARD, f"通知{n}")
    client = client_for(world.worker_a)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "已将全部通知标为已读。" in response.content.decode()
    assert bell(response.content.decode()) is None
    assert (
        list(response.context["object_list"]) and 'data-testid="notification-unread"' not in response.content.decode()
    )
    assert bell(client_for(world.admin_a).get("/").content.decode()) == "3"


def test_the_list_speaks_english(world, client_for):
    notify(world.company_a, NotificationKind.HAZARD, "隐患通知")
    client = client_for(world.admin_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Mark all as read" in page and "Unread" in page and "Serious accident hazard" in page
