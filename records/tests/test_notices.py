"""What a finished, unconfirmed or confirmed record tells whom (issue 14), through the real services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone, translation

from maintenance.models import GroupAssignment, MaintenanceGroup, PlanStatus
from maintenance.services.plans import generate_year
from notifications.models import Notification, NotificationKind
from notifications.services import unread_count
from organizations.models import Organization
from records import notices, services
from records.models import MaintenanceRecord, RecordStatus
from records.tests.test_visits import HERE, NOW, SITE, a_photo, answer_all, selfie, start
from tests.factories import UserFactory, make_elevator, make_world, png_upload, qualify

pytestmark = pytest.mark.django_db
HAZARD, CONFIRM, UNCONFIRMED = (
    NotificationKind.HAZARD,
    NotificationKind.CONFIRM_RECORD,
    NotificationKind.UNCONFIRMED_RECORD,
)


@pytest.fixture
def team(monkeypatch):
    """Two qualified workers of company A in one group holding a located elevator in 渝北 with a year of plans (as
    in test_visits); the face check says yes."""
    monkeypatch.setattr(services, "verify_face", lambda user, data: (True, 0.3))
    world = make_world()
    world.second = UserFactory(organization=world.company_a, category="maintenance_worker", role="staff")
    for worker in (world.worker_a, world.second):
        qualify(worker)
    world.elevator = make_elevator(world, latitude=Decimal(str(SITE[0])), longitude=Decimal(str(SITE[1])))
    world.group = MaintenanceGroup.objects.create(organization=world.company_a, name="一组", leader=world.worker_a)
    world.group.members.add(world.worker_a, world.second)
    GroupAssignment.objects.create(elevator=world.elevator, group=world.group)
    generate_year(world.elevator, date(2026, 11, 20), actor=world.admin_a, avoid=frozenset(), today=date(2026, 11, 20))
    return world


def finish(team, codes, elevator=None, at=NOW):
    record = start(team, elevator=elevator or team.elevator, at=at)
    services.join_visit(worker=team.second, code=record.join_code, position=HERE, selfie=selfie())
    answer_all(record, team.worker_a, photo=a_photo(record, team.worker_a))
    return services.finish_visit(record, worker=team.worker_a, hazard_codes=codes, at=at + timedelta(minutes=45))


def received(user, kind=None):
    notifications = Notification.objects.visible_to(user)
    return list(notifications.filter(kind=kind) if kind else notifications)


def test_s1_to_s7_reach_the_district_bureau_at_once_with_the_codes_and_what_they_mean(team):
    with translation.override("en"):  # a worker's phone in English: the bureau still reads the platform's language
        record = finish(team, ["S5", "S3"])
    code = team.elevator.register_code
    [hazard] = received(team.yubei_admin)
    assert hazard.kind == HAZARD and hazard.title == f"严重事故隐患：{code}"
    assert (
        "S3 安全附件、安全保护装置缺失或者失灵" in hazard.body and "S5 存在明显故障，或者整改指令未落实" in hazard.body
    )
    assert team.elevator.building in hazard.body and "甲维保公司" in hazard.body
    assert hazard.url == record.get_absolute_url() and hazard.about_id == record.pk
    assert unread_count(team.yubei_admin) == 1
    # the city bureau is told only where the district has no bureau; other districts and cities never
    for bureau in (team.city_admin, team.jlp_admin, team.sz_admin):
        assert received(bureau) == [] and unread_count(bureau) == 0
    # the company itself is not told of its own finding
    assert received(team.admin_a) == [] and received(team.worker_a) == []


def test_the_use_unit_is_asked_to_confirm_and_s0_tells_no_bureau(team):
    record = finish(team, ["S0"])
    assert not Notification.objects.filter(kind=HAZARD).exists()
    [request] = received(team.use_admin_a)
    assert request.kind == CONFIRM and request.url == record.get_absolute_url()
    assert request.title == f"维保纪录待确认：{team.elevator.register_code} {team.elevator.building}"
    assert "半月维保" in request.body
    assert received(team.use_admin_b) == [] and received(team.yubei_admin) == []


def test_where_the_district_has_no_bureau_the_city_bureau_is_told(team):
    jiangbei = make_elevator(
        team, region_code="500105", latitude=Decimal(str(SITE[0])), longitude=Decimal(str(SITE[1]))
    )
    GroupAssignment.objects.create(elevator=jiangbei, group=team.group)
    finish(team, ["S7"], elevator=jiangbei)
    assert [n.title for n in received(team.city_admin)] == [f"严重事故隐患：{jiangbei.register_code}"]
    assert received(team.yubei_admin) == []


def test_the_bureaus_responsible_for_an_elevator(world):  # the project's world (tests.factories)
    yubei = make_elevator(world)
    jiangbei = make_elevator(world, region_code="500105")
    shenzhen = make_elevator(world, region_code="440305")
    assert notices.regulators_for(yubei) == [world.yubei_bureau]
    assert notices.regulators_for(jiangbei) == [world.city_bureau]
    assert notices.regulators_for(shenzhen) == [world.sz_bureau]
    Organization.objects.filter(pk=world.yubei_bureau.pk).update(is_active=False)
    assert notices.regulators_for(yubei) == [world.city_bureau]


def test_a_failure_to_notify_never_loses_the_record(team, monkeypatch):
    def broken(*args, **kwargs):
        with connection.cursor() as cursor:  # a database error: the transaction must survive it
            cursor.execute("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setattr(notices, "notify", broken)
    record = finish(team, ["S3"])
    stored = MaintenanceRecord.objects.get(pk=record.pk)
    assert stored.status == RecordStatus.FINISHED and stored.hazard_codes == ["S3"]
    assert stored.plan.status == PlanStatus.DONE
    assert not Notification.objects.exists()
    services.confirm_record(stored, actor=team.use_admin_a, signature=png_upload("sign.png"))  # still usable


def test_confirming_settles_the_request_for_everyone(team):
    record = finish(team, ["S0"])
    assert unread_count(team.use_admin_a) == 1
    services.confirm_record(record, actor=team.worker_a, signature=png_upload("sign.png"), signer_name="王经理")
    assert unread_count(team.use_admin_a) == 0  # signed on site: nothing left to do
    assert Notification.objects.get(kind=CONFIRM).done_at is not None


def test_unconfirmed_after_a_day_the_company_administrators_are_told_once(team):
    record = finish(team, ["S0"])
    confirmed = finish(team, ["S0"], at=NOW + timedelta(hours=2))
    services.confirm_record(confirmed, actor=team.use_admin_a, signature=png_upload("sign.png"))
    assert notices.notify_unconfirmed(now=NOW + timedelta(hours=20)) == 0
    assert notices.notify_unconfirmed(now=NOW + timedelta(hours=25)) == 1
    assert notices.notify_unconfirmed(now=NOW + timedelta(hours=26)) == 0  # once per record
    [late] = received(team.admin_a, UNCONFIRMED)
    assert late.about_id == record.pk and late.url == record.get_absolute_url()
    assert team.elevator.register_code in late.title
    assert received(team.worker_a, UNCONFIRMED) == []  # the administrators', not every worker's
    assert received(team.use_admin_a, UNCONFIRMED) == [] and received(team.admin_b, UNCONFIRMED) == []

    out = open("/dev/null", "w")
    call_command("notify_unconfirmed", stdout=out)
    assert Notification.objects.filter(kind=UNCONFIRMED).count() == 1
    services.confirm_record(record, actor=team.use_admin_a, signature=png_upload("sign.png"))
    assert unread_count(team.admin_a) == 0


def test_the_hourly_task_is_the_one_beat_runs(team):
    from django.conf import settings

    from records.tasks import notify_unconfirmed

    finish(team, ["S0"], at=timezone.now() - timedelta(days=2))
    finish(team, ["S0"], at=timezone.now() - timedelta(hours=3))
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert notify_unconfirmed.name in scheduled
    assert notify_unconfirmed.apply().get() == 1
    assert notify_unconfirmed.apply().get() == 0


def test_a_correction_tells_the_bureau_what_is_new_and_the_use_unit_once_approved(team):
    original = services.confirm_record(finish(team, ["S3"]), actor=team.use_admin_a, signature=png_upload("s.png"))
    copy = services.start_correction(original, actor=team.worker_a, reason="漏报了一项隐患")
    corrected = services.finish_visit(copy, worker=team.worker_a, hazard_codes=["S3", "S6"], at=NOW + timedelta(days=2))
    hazards = Notification.objects.filter(kind=HAZARD).order_by("pk")
    assert hazards.count() == 2
    assert "S6 发生事故未报告" in hazards.last().body and "S3" not in hazards.last().body
    assert not Notification.objects.filter(kind=CONFIRM, about_id=corrected.pk).exists()  # not before approval
    services.approve_correction(corrected, actor=team.admin_a)
    assert Notification.objects.filter(kind=CONFIRM, about_id=corrected.pk, organization=team.use_unit_a).exists()
