"""维保逾期升级 and the daily job (issue 17): who is told at 1, 3 and 7 days overdue, once, and the email digest."""

import email
import email.policy
import socket
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from alerts import escalation
from alerts.digest import send_digest
from alerts.escalation import daily, escalate
from elevators.models import Elevator, ElevatorStatus
from maintenance.models import MaintenancePlan, PlanStatus
from notifications.models import Notification, NotificationKind
from notifications.services import unread_count
from organizations.models import Organization
from tests.factories import UserFactory

from .helpers import plan_due

pytestmark = pytest.mark.django_db
STEP1, STEP2, STEP3 = NotificationKind.PLAN_OVERDUE_1, NotificationKind.PLAN_OVERDUE_3, NotificationKind.PLAN_OVERDUE_7


@pytest.fixture(autouse=True)
def _overdue_visits_only(monkeypatch):
    """The factories' elevators have 6-month components (the seed's default), all past their end of life: here
    the daily job tells overdue visits only; the other kinds' notices are alerts/tests/test_notices.py's."""
    from alerts import notices

    monkeypatch.setattr(notices, "NOTICES", [])


def told(unit, kind=None):
    notifications = Notification.objects.filter(organization=unit).order_by("pk")
    return list(notifications.filter(kind=kind) if kind else notifications)


def kinds(plan):
    return sorted(
        (n.organization.name, n.kind)
        for n in Notification.objects.filter(about_id=plan.pk, kind__in=escalation.STEP_KINDS.values())
    )


@pytest.mark.parametrize(
    "overdue, expected",
    [
        (0, {}),  # due today: yellow, nobody is told
        (1, {1: ["甲维保公司"]}),
        (2, {1: ["甲维保公司"]}),
        (3, {2: ["甲物业", "甲维保公司"]}),
        (6, {2: ["甲物业", "甲维保公司"]}),
        (7, {3: ["渝北区局", "甲物业", "甲维保公司"]}),
    ],
)
def test_the_step_of_an_overdue_plan_decides_who_is_told(world, overdue, expected):
    plan = plan_due(world, -overdue)
    result = escalate()
    assert {step: n for step, n in result.counts.items() if n} == {k: len(v) for k, v in expected.items()}
    want = sorted((name, escalation.STEP_KINDS[step]) for step, names in expected.items() for name in names)
    assert kinds(plan) == want


def test_each_recipient_is_told_once_per_plan_and_step(world):
    plan = plan_due(world, -1)
    today = date.today()
    assert escalate(today).total == 1
    assert escalate(today).total == 0  # running again sends nothing new
    assert escalate(today + timedelta(days=1)).total == 0  # still step 1
    assert escalate(today + timedelta(days=2)).counts == {1: 0, 2: 2, 3: 0}  # 3 days overdue
    assert escalate(today + timedelta(days=5)).total == 0
    assert escalate(today + timedelta(days=6)).counts == {1: 0, 2: 0, 3: 3}  # 7 days overdue
    assert escalate(today + timedelta(days=30)).total == 0
    assert [n.kind for n in told(world.company_a)] == [STEP1, STEP2, STEP3]
    assert [n.kind for n in told(world.use_unit_a)] == [STEP2, STEP3]
    assert [n.kind for n in told(world.yubei_bureau)] == [STEP3]
    assert all(n.about_id == plan.pk for n in Notification.objects.all())


def test_a_plan_first_seen_late_goes_straight_to_its_step(world):
    plan_due(world, -10)
    assert escalate().counts == {1: 0, 2: 0, 3: 3}


def test_the_texts_are_in_the_platform_language_and_link_to_the_plan(world):
    plan = plan_due(world, -3)
    with translation.override("en"):
        escalate()
    elevator = plan.elevator
    [company] = told(world.company_a)
    assert company.title == f"维保逾期 3 天：{elevator.register_code} {elevator.building}"
    assert f"计划日期为 {plan.due_date.isoformat()}，已逾期 3 天" in company.body
    assert "的半月维保计划" in company.body and "维保单位：甲维保公司；使用单位：甲物业。" in company.body
    assert "使用单位同时收到本通知" in company.body
    assert company.url == plan.get_absolute_url() == f"/maintenance/plans/{plan.pk}/"
    assert company.audience == "admins"  # the company's administrators, not every worker
    [use_unit] = told(world.use_unit_a)
    assert use_unit.audience == "all" and use_unit.title == company.title


def test_a_red_warning_reaches_the_bell_of_the_right_people_only(world):
    plan_due(world, -7)
    escalate()
    for person in (world.admin_a, world.use_admin_a, world.yubei_admin):
        assert unread_count(person) == 1
    assert unread_count(world.worker_a) == 0  # the company's step is for its administrators
    for person in (world.admin_b, world.use_admin_b, world.city_admin, world.jlp_admin, world.sz_admin):
        assert unread_count(person) == 0


def test_done_and_closed_plans_and_silenced_elevators_are_not_escalated(world):
    done = plan_due(world, -5)
    MaintenancePlan.objects.filter(pk=done.pk).update(status=PlanStatus.DONE)
    closed = plan_due(world, -5)
    MaintenancePlan.objects.filter(pk=closed.pk).update(status=PlanStatus.CLOSED)
    for status in (ElevatorStatus.SUSPENDED, ElevatorStatus.SCRAPPED):
        silent = plan_due(world, -8)
        Elevator.objects.filter(pk=silent.elevator_id).update(status=status)
    assert escalate().total == 0 and not Notification.objects.exists()


def test_each_plan_goes_to_its_own_company_use_unit_and_bureau(world):
    a = plan_due(world, -7)
    b = plan_due(world, -7, company=world.company_b, region_code="500107")
    jiangbei = plan_due(world, -7, region_code="500105")  # a district without a bureau: the city's
    shenzhen = plan_due(world, -7, company=world.company_b, region_code="440305")
    escalate()
    assert kinds(a) == sorted([("渝北区局", STEP3), ("甲物业", STEP3), ("甲维保公司", STEP3)])
    assert kinds(b) == sorted([("九龙坡区局", STEP3), ("乙物业", STEP3), ("乙维保公司", STEP3)])
    assert kinds(jiangbei) == sorted([("市局", STEP3), ("甲物业", STEP3), ("甲维保公司", STEP3)])
    assert kinds(shenzhen) == sorted([("乙物业", STEP3), ("乙维保公司", STEP3), ("深圳市局", STEP3)])
    assert len(told(world.city_bureau)) == 1 and len(told(world.yubei_bureau)) == 1


def test_one_query_per_step_not_per_plan(world, django_assert_max_num_queries):
    for _ in range(6):
        plan_due(world, -1)
    escalate()  # warm the content types
    Notification.objects.all().delete()
    for offset in (-2, -4, -9):
        plan_due(world, offset)
    # 3 selections and 3 chunks, the district's bureaus once; per notification (never per plan beyond that): the
    # once check, two savepoints (ours and notify's) with their releases, the insert
    with django_assert_max_num_queries(3 * 2 + 1 + (7 + 2 + 3) * 6):
        assert escalate().total == 7 + 2 + 3


def test_a_failure_to_notify_stops_nothing_else_and_is_tried_again(world, monkeypatch):
    first, second = plan_due(world, -1), plan_due(world, -1)
    real = escalation.notify

    def broken(unit, kind, title, body, url, about=None, **kwargs):
        if about.pk == first.pk:
            with connection.cursor() as cursor:  # a database error inside the savepoint
                cursor.execute("INSERT INTO no_such_table VALUES (1)")
        return real(unit, kind, title, body, url, about=about, **kwargs)

    monkeypatch.setattr(escalation, "notify", broken)
    assert escalate().total == 1 and kinds(second) == [("甲维保公司", STEP1)]
    monkeypatch.setattr(escalation, "notify", real)
    assert escalate().total == 1 and kinds(first) == [("甲维保公司", STEP1)]


def admins_with_email(world):
    world.admin_a.email = "manager@a.example.cn"
    world.admin_a.save(update_fields=["email"])
    world.use_admin_a.email = "safety@use-a.example.cn"
    world.use_admin_a.save(update_fields=["email"])
    UserFactory(organization=world.company_a, role="admin", email="gone@a.example.cn", is_active=False)
    UserFactory(organization=world.company_a, category="maintenance_worker", role="staff", email="w@a.example.cn")
    world.admin_b.email = "manager@b.example.cn"
    world.admin_b.save(update_fields=["email"])


def test_the_digest_goes_to_the_units_administrators_with_an_email_once(world, settings):
    settings.PUBLIC_BASE_URL = "https://lift.example.cn"
    admins_with_email(world)
    one, three = plan_due(world, -1), plan_due(world, -3)
    counts = daily()
    assert counts == {"notifications": 3, "notices": 0, "emails": 2, "step_1": 1, "step_2": 2, "step_3": 0}
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"manager@a.example.cn", "safety@use-a.example.cn"}  # not B, not staff, not inactive
    company = by_address["manager@a.example.cn"]
    assert company.subject == "电梯维保管理平台：2 条新的红色预警"
    assert f"https://lift.example.cn/maintenance/plans/{one.pk}/" in company.body
    assert f"https://lift.example.cn/maintenance/plans/{three.pk}/" in company.body
    assert "维保逾期 1 天" in company.body and "维保逾期 3 天" in company.body
    assert by_address["safety@use-a.example.cn"].subject.startswith("电梯维保管理平台：1 条")
    mail.outbox.clear()
    assert daily()["emails"] == 0 and mail.outbox == []  # nothing new, no email


def test_no_email_without_an_address_and_nothing_to_send(world):
    plan_due(world, -1)
    assert daily()["emails"] == 0 and mail.outbox == []
    assert send_digest([]) == 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on this machine (aiosmtpd) that keeps what it receives; Django talks SMTP to it."""
    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self):
            self.envelopes = []

        async def handle_DATA(self, server, session, envelope):
            self.envelopes.append(envelope)
            return "250 Message accepted for delivery"

    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "alerts@lift.example.cn"
    yield handler
    controller.stop()


def test_the_digest_is_delivered_by_smtp(world, smtp_server):
    admins_with_email(world)
    plan = plan_due(world, -7)
    assert daily()["emails"] == 2
    assert sorted(e.rcpt_tos[0] for e in smtp_server.envelopes) == ["manager@a.example.cn", "safety@use-a.example.cn"]
    message = email.message_from_bytes(smtp_server.envelopes[0].original_content, policy=email.policy.default)
    assert message["From"] == "alerts@lift.example.cn"
    assert message["Subject"].strip() == "电梯维保管理平台：1 条新的红色预警"
    assert f"/maintenance/plans/{plan.pk}/" in message.get_content()
    assert "逾期已满 7 天" in message.get_content()


def test_a_mail_server_down_costs_the_digest_only(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    admins_with_email(world)
    plan_due(world, -1)
    assert daily() == {"notifications": 1, "notices": 0, "emails": 0, "step_1": 1, "step_2": 0, "step_3": 0}
    assert unread_count(world.admin_a) == 1


def test_the_command_runs_the_daily_job(world):
    admins_with_email(world)
    plan_due(world, -3)
    out = StringIO()
    call_command("send_alerts", stdout=out)
    assert (
        out.getvalue().strip()
        == "2 notification(s) sent (overdue visits step 1: 0, step 2: 2, step 3: 0; other warnings: 0), 2 email(s) sent"
    )
    out = StringIO()
    call_command("send_alerts", stdout=out)
    assert out.getvalue().startswith("0 notification(s) sent")
    out = StringIO()
    call_command("send_alerts", "--date", (date.today() + timedelta(days=4)).isoformat(), stdout=out)
    assert out.getvalue().startswith("3 notification(s) sent (overdue visits step 1: 0, step 2: 0, step 3: 3;")
    with pytest.raises(CommandError):
        call_command("send_alerts", "--date", "tomorrow")


def test_the_daily_task_is_the_one_beat_runs(world):
    from django.conf import settings

    from alerts.tasks import send_alerts

    plan_due(world, -1)
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert send_alerts.name in scheduled
    assert send_alerts.apply().get()["notifications"] == 1
    assert send_alerts.apply().get()["notifications"] == 0


def test_an_inactive_bureau_is_replaced_by_the_city_bureau(world):
    Organization.objects.filter(pk=world.yubei_bureau.pk).update(is_active=False)
    plan = plan_due(world, -7)
    escalate()
    assert ("市局", STEP3) in kinds(plan) and not told(world.yubei_bureau)
