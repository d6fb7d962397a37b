"""Who receives a notification, read state per person, the cached unread count, once-only and done."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import services
from notifications.models import Audience, Notification, NotificationKind
from notifications.services import mark_all_read, mark_read, notify, resolve, unread_count
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HAZARD = NotificationKind.HAZARD


def received(user) -> set[str]:
    return set(Notification.objects.visible_to(user).values_list("title", flat=True))


def test_a_unit_notification_reaches_every_person_of_the_unit_and_nobody_else(world):
    notify(world.company_a, HAZARD, "甲公司全体", "正文", "/records/")
    assert "甲公司全体" in received(world.admin_a) and "甲公司全体" in received(world.worker_a)
    for outsider in (world.admin_b, world.worker_b, world.use_admin_a, world.yubei_admin, world.city_admin):
        assert "甲公司全体" not in received(outsider)
        assert unread_count(outsider) == 0
    assert unread_count(world.worker_a) == 1
    assert "甲公司全体" in received(world.operator)  # the operator sees every notification …
    assert unread_count(world.operator) == 0  # … but receives none


def test_administrators_only_and_one_person_only(world):
    colleague = UserFactory(organization=world.company_a, category="maintenance_worker", role="staff")
    notify(world.company_a, HAZARD, "只给管理员", audience=Audience.ADMINS)
    notify(world.company_a, HAZARD, "只给一人", user=world.worker_a)
    assert received(world.admin_a) == {"只给管理员"}
    assert received(world.worker_a) == {"只给一人"}
    assert received(colleague) == set()
    assert unread_count(world.admin_a) == unread_count(world.worker_a) == 1 and unread_count(colleague) == 0


def test_a_person_moved_to_another_unit_no_longer_receives_the_old_units_notifications(world):
    notify(world.company_a, HAZARD, "给个人", user=world.worker_a)
    world.worker_a.organization = world.company_b
    world.worker_a.save()
    fresh = type(world.worker_a).objects.get(pk=world.worker_a.pk)
    assert received(fresh) == set()


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "records/1/",
        "/a\nb",
        "/a\x7fb",
        "/" + "a" * 500,
    ],
)
def test_only_paths_inside_the_platform_are_accepted(world, url):
    with pytest.raises(ValueError):
        notify(world.company_a, HAZARD, "坏链接", url=url)
    assert services.safe_path(url) is None
    assert not Notification.objects.exists()


def test_wrong_recipients_and_kinds_are_refused(world):
    with pytest.raises(ValueError):
        notify(world.company_a, HAZARD, "别的单位的人", user=world.worker_b)
    with pytest.raises(ValueError):
        notify(None, HAZARD, "没有单位")
    with pytest.raises(ValueError):
        notify(world.company_a, "gossip", "未知类别")
    with pytest.raises(ValueError):
        notify(world.company_a, HAZARD, "只发一次却不说关于什么", once=True)
    assert services.safe_path("/records/12/?tab=items#x") == "/records/12/?tab=items#x"


def test_read_state_is_each_persons_own(world):
    first = notify(world.company_a, HAZARD, "第一条")
    notify(world.company_a, HAZARD, "第二条")
    mark_read(first, world.admin_a)
    mark_read(first, world.admin_a)  # twice: still one read
    assert unread_count(world.admin_a) == 1 and unread_count(world.worker_a) == 2
    states = dict(Notification.objects.with_read_state(world.admin_a).values_list("title", "is_read"))
    assert states == {"第一条": True, "第二条": False}
    assert first.reads.count() == 1


def test_mark_all_read_covers_what_came_before_only(world):
    for n in range(3):
        notify(world.company_a, HAZARD, f"旧{n}")
    mark_read(Notification.objects.get(title="旧0"), world.admin_a)
    mark_all_read(world.admin_a)
    assert unread_count(world.admin_a) == 0
    assert not Notification.objects.get(title="旧0").reads.exists()  # replaced by the mark
    notify(world.company_a, HAZARD, "新的")
    assert unread_count(world.admin_a) == 1 and unread_count(world.worker_a) == 4
    unread = Notification.objects.visible_to(world.admin_a).unread_by(world.admin_a)
    assert list(unread.values_list("title", flat=True)) == ["新的"]


def test_once_sends_one_notification_per_object_and_recipient(world):
    about = world.company_b  # any object will do
    assert notify(world.company_a, HAZARD, "一次", about=about, once=True) is not None
    assert notify(world.company_a, HAZARD, "一次", about=about, once=True) is None
    assert notify(world.company_a, HAZARD, "给个人一次", about=about, user=world.admin_a, once=True) is not None
    assert notify(world.company_a, NotificationKind.CONFIRM_RECORD, "另一类", about=about, once=True) is not None
    assert Notification.objects.count() == 3


def test_done_notifications_stop_counting_for_everyone(world):
    about = world.company_b
    notify(world.company_a, NotificationKind.CONFIRM_RECORD, "请确认", about=about)
    notify(world.company_a, HAZARD, "隐患", about=about)
    assert unread_count(world.worker_a) == 2
    assert resolve(about, kinds=[NotificationKind.CONFIRM_RECORD]) == 1
    assert resolve(about, kinds=[NotificationKind.CONFIRM_RECORD]) == 0
    assert unread_count(world.worker_a) == 1 and unread_count(world.admin_a) == 1


def test_the_count_is_one_query_then_cached_until_something_changes(world):
    notify(world.company_a, HAZARD, "一")
    with CaptureQueriesContext(connection) as first:
        assert unread_count(world.admin_a) == 1
    assert len(first) == 1
    with CaptureQueriesContext(connection) as cached:
        assert unread_count(world.admin_a) == 1
    assert len(cached) == 0
    notify(world.company_a, HAZARD, "二")  # reaches the unit: everyone's count is stale
    assert unread_count(world.admin_a) == 2
    mark_read(Notification.objects.get(title="二"), world.admin_a)
    assert unread_count(world.admin_a) == 1
    with CaptureQueriesContext(connection) as fresh:
        assert unread_count(world.admin_a, fresh=True) == 1
    assert len(fresh) == 1


def test_the_count_stops_at_the_cap(world):
    Notification.objects.bulk_create(
        Notification(organization=world.company_a, kind=HAZARD, title=f"第{n}条")
        for n in range(services.UNREAD_CAP + 5)
    )
    assert unread_count(world.admin_a) == services.UNREAD_CAP
