"""预警通知 (alerts.notices): the other warning kinds are told at each lead time reached and once overdue, once per
due date and stage, to the right units; the overdue ones go into the email digest."""

from datetime import date, timedelta

import pytest
from django.core import mail

from alerts import notices
from alerts.escalation import daily
from alerts.notices import send_notices, stage_of
from elevators.models import Component, Elevator, ElevatorStatus
from notifications.models import Notification, NotificationKind
from notifications.services import unread_count

from .helpers import component_due, inspection_due

pytestmark = pytest.mark.django_db
TODAY = date.today()
NOTICE = {notice.kind: notice for notice in notices.NOTICES}
INSPECTION, COMPONENT = NOTICE[NotificationKind.INSPECTION_DUE], NOTICE[NotificationKind.COMPONENT_EXPIRING]


def told(row, kind):
    return sorted(
        (n.organization.name, n.audience, n.title)
        for n in Notification.objects.filter(kind=kind, about_id=row.pk).select_related("organization")
    )


@pytest.mark.parametrize(
    ("offset", "stage"),
    [(61, None), (60, "60"), (31, "60"), (30, "30"), (8, "30"), (7, "7"), (0, "7"), (-1, "overdue")],
)
def test_the_stage_is_the_narrowest_lead_time_reached(offset, stage):
    assert stage_of(TODAY + timedelta(days=offset), TODAY, (60, 30, 7)) == stage


def test_an_inspection_is_told_at_each_lead_time_once_and_the_bureau_once_overdue(world):
    elevator = inspection_due(world, 45)
    result = send_notices(TODAY, [INSPECTION])
    assert [n.organization for n in result.sent] == [world.use_unit_a, world.company_a] and result.red == []
    title = f"定期检验临期（60 天内）：{elevator.register_code} {elevator.building}"
    expected = [("甲物业", "all", title), ("甲维保公司", "admins", title)]
    assert told(elevator, NotificationKind.INSPECTION_DUE) == expected
    assert "还有 45 天" in Notification.objects.filter(about_id=elevator.pk).first().body
    assert send_notices(TODAY, [INSPECTION]).sent == []  # the same stage: nothing again
    assert send_notices(TODAY + timedelta(days=10), [INSPECTION]).sent == []  # 35 days: still the 60-day stage
    assert len(send_notices(TODAY + timedelta(days=15), [INSPECTION]).sent) == 2  # 30 days left
    assert len(send_notices(TODAY + timedelta(days=38), [INSPECTION]).sent) == 2  # 7 days left
    late = send_notices(TODAY + timedelta(days=46), [INSPECTION])
    assert {n.organization.name for n in late.red} == {"甲物业", "甲维保公司", "渝北区局"}
    assert late.red[0].title.startswith("定期检验逾期")
    assert send_notices(TODAY + timedelta(days=50), [INSPECTION]).sent == []


def test_a_new_inspection_date_is_told_again(world):
    elevator = inspection_due(world, -3)
    assert len(send_notices(TODAY, [INSPECTION]).red) == 3
    Elevator.objects.filter(pk=elevator.pk).update(next_inspection_date=TODAY + timedelta(days=20))
    again = send_notices(TODAY, [INSPECTION])
    assert len(again.sent) == 2 and again.red == []


def test_first_seen_overdue_gets_the_overdue_notice_only(world):
    elevator = inspection_due(world, -100)
    send_notices(TODAY, [INSPECTION])
    titles = {title for _unit, _audience, title in told(elevator, NotificationKind.INSPECTION_DUE)}
    assert len(titles) == 1 and titles.pop().startswith("定期检验逾期")


def test_suspended_scrapped_and_far_elevators_are_not_told(world):
    inspection_due(world, -5, status=ElevatorStatus.SUSPENDED)
    inspection_due(world, -5, status=ElevatorStatus.SCRAPPED)
    inspection_due(world, 61)
    inspection_due(world, None)
    assert send_notices(TODAY, [INSPECTION]).sent == []


def test_a_component_is_told_to_its_company_administrators(world):
    near = component_due(world, 30)
    past = component_due(world, -1, company=world.company_b, region_code="500107")
    component_due(world, 31)
    result = send_notices(TODAY, [COMPONENT])
    assert told(near, NotificationKind.COMPONENT_EXPIRING) == [
        ("甲维保公司", "admins", f"组件寿命临期：{near.name} · {near.elevator.register_code} {near.elevator.building}")
    ]
    assert [n.organization for n in result.red] == [world.company_b]
    assert unread_count(world.admin_b) == 1 and unread_count(world.worker_b) == 0  # administrators only
    assert unread_count(world.use_admin_a) == 0
    Component.objects.filter(pk=past.pk).update(expires_on=TODAY + timedelta(days=3650))  # replaced
    assert send_notices(TODAY, [COMPONENT]).sent == []


def test_the_daily_job_emails_the_new_red_warnings_of_every_kind(world, monkeypatch):
    monkeypatch.setattr(notices, "NOTICES", [INSPECTION])
    world.use_admin_a.email = "safety@use-a.example.cn"
    world.use_admin_a.save(update_fields=["email"])
    inspection_due(world, 20)  # yellow: a notification, no email
    late = inspection_due(world, -2)
    counts = daily(TODAY)
    assert counts["notices"] == 5 and counts["emails"] == 1
    (message,) = mail.outbox
    assert message.to == ["safety@use-a.example.cn"] and message.subject.endswith("1 条新的红色预警")
    assert late.register_code in message.body and "定期检验逾期" in message.body
    assert daily(TODAY) == {"notifications": 0, "notices": 0, "emails": 0, "step_1": 0, "step_2": 0, "step_3": 0}


def test_one_failing_row_does_not_stop_the_others(world, monkeypatch, caplog):
    first, second = inspection_due(world, -1), inspection_due(world, -1)

    def texts(elevator, stage, today):
        if elevator.pk == first.pk:
            raise RuntimeError("broken row")
        return "t", "b"

    broken = notices.DueNotice(**{**INSPECTION.__dict__, "texts": texts})
    result = send_notices(TODAY, [broken])
    assert {n.about_id for n in result.sent} == {second.pk}
    assert "broken row" in caplog.text


def test_a_contract_is_told_at_90_60_30_days_and_once_lapsed_unless_renewed(world):
    from contracts.tests.builders import make_contract

    contract_notice = next(n for n in notices.NOTICES if n.kind == NotificationKind.CONTRACT_ENDING)
    ending = make_contract(world, ends_in=75)
    renewed = make_contract(world, ends_in=20)
    make_contract(world, ends_in=400, use_unit=renewed.use_unit, length=390, number="WB-NEXT")  # renews it
    first = send_notices(TODAY, [contract_notice])
    title = f"维保合同临期（90 天内）：{ending.number} {ending.use_unit.name}"
    assert told(ending, NotificationKind.CONTRACT_ENDING) == sorted(
        [("甲维保公司", "admins", title), (ending.use_unit.name, "all", title)]
    )
    assert "（1 台电梯）" in first.sent[0].body and first.sent[0].url == ending.get_absolute_url()
    assert told(renewed, NotificationKind.CONTRACT_ENDING) == []
    assert len(send_notices(TODAY + timedelta(days=15), [contract_notice]).sent) == 2  # 60 days left
    assert len(send_notices(TODAY + timedelta(days=45), [contract_notice]).sent) == 2  # 30 days left
    lapsed = send_notices(TODAY + timedelta(days=76), [contract_notice])
    assert {n.organization.name for n in lapsed.red} == {"甲维保公司", ending.use_unit.name}


def _notice(kind):
    return next(n for n in notices.NOTICES if n.kind == kind)


def test_a_certificate_is_told_to_the_company_and_the_worker_at_60_days_and_once_ended(world):
    from .test_certificates import worker

    near = worker(world, 60)
    worker(world, 61)
    worker(world, None)  # no certificate: listed on the page, nothing to tell by date
    other = worker(world, -1, company=world.company_b)
    result = send_notices(TODAY, [_notice(NotificationKind.CERTIFICATE_ENDING)])
    assert {(n.organization_id, n.user_id, n.audience) for n in result.sent} == {
        (world.company_a.pk, None, "admins"),
        (world.company_a.pk, near.pk, "all"),
        (world.company_b.pk, None, "admins"),
        (world.company_b.pk, other.pk, "all"),
    }
    assert unread_count(near) == 1 and unread_count(world.worker_a) == 0  # the worker himself, not his colleagues
    assert {n.organization_id for n in result.red} == {world.company_b.pk}
    assert result.sent[0].url.endswith("/qualification/")
    assert send_notices(TODAY, [_notice(NotificationKind.CERTIFICATE_ENDING)]).sent == []


def test_a_company_qualification_is_told_to_its_administrators(world):
    from .test_certificates import company_qualification

    qualification = company_qualification(world, world.company_a, 10)
    company_qualification(world, world.company_b, 90)
    result = send_notices(TODAY, [_notice(NotificationKind.QUALIFICATION_ENDING)])
    assert [(n.organization, n.audience) for n in result.sent] == [(world.company_a, "admins")]
    assert result.sent[0].title == f"单位资质临期：甲维保公司 {qualification.certificate_number}"


def test_a_governor_calibration_is_told_to_the_company_and_once_overdue_the_use_unit(world):
    from .helpers import governor_due

    near = governor_due(world, 30)
    late = governor_due(world, -1)
    governor_due(world, 31)
    result = send_notices(TODAY, [NOTICE[NotificationKind.GOVERNOR_DUE]])
    assert told(near, NotificationKind.GOVERNOR_DUE) == [
        ("甲维保公司", "admins", f"限速器校验临期：{near.register_code} {near.building}")
    ]
    assert {n.organization.name for n in result.red} == {"甲维保公司", "甲物业"}
    assert all(n.about_id in (near.pk, late.pk) for n in result.sent)


def test_the_selfcheck_is_told_before_the_periodic_inspection_unless_the_annual_record_is_done(world):
    from .test_drills import annual_record, periodic_elevator

    due = periodic_elevator(world, 50)
    done = periodic_elevator(world, 50)
    annual_record(done, TODAY - timedelta(days=20))
    periodic_elevator(world, 50, periodic=False)  # a self-inspection year: no periodic inspection to prepare
    notice = NOTICE[NotificationKind.SELFCHECK_DUE]
    first = send_notices(TODAY, [notice])
    assert [(n.organization, n.about_id) for n in first.sent] == [(world.company_a, due.pk)]
    assert first.sent[0].title.startswith("定期检验前待做年度自行检查（60 天内）")
    assert len(send_notices(TODAY + timedelta(days=20), [notice]).sent) == 1  # 30 days left
    assert send_notices(TODAY + timedelta(days=21), [notice]).sent == []


def test_a_drill_is_told_per_company_and_category(world):
    from drills.tests.helpers import make_drill
    from tests.factories import make_elevator

    from .test_drills import entered

    traction = entered(make_elevator(world), 400)
    entered(make_elevator(world, category="3310"), 400)  # escalators never drilled: overdue
    make_drill(world, elevators=[traction], held_on=TODAY - timedelta(days=170))  # due in about 12 days: near
    notice = NOTICE[NotificationKind.DRILL_DUE]
    result = send_notices(TODAY, [notice])
    assert sorted(n.title for n in result.sent) == [
        "应急演练临期：曳引与强制驱动电梯",
        "应急演练逾期：自动扶梯与自动人行道",
    ]
    assert {(n.organization_id, n.audience, n.about_id) for n in result.sent} == {
        (world.company_a.pk, "admins", world.company_a.pk)
    }
    assert [n.title for n in result.red] == ["应急演练逾期：自动扶梯与自动人行道"]
    assert "从未演练" in result.red[0].body
    assert send_notices(TODAY, [notice]).sent == []  # each category once per due date and stage
