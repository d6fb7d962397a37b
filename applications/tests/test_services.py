"""监管申请: every allowed and refused step, and what each approval does to the elevators."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from applications import services
from applications.models import Application, ApplicationKind, ApplicationStatus, Purpose
from core.models import AuditEvent
from core.workflow import TransitionError
from elevators.models import Elevator
from maintenance.models import GroupAssignment, MaintenanceGroup, MaintenancePlan, PlanStatus
from maintenance.services.plans import generate_year
from notifications.models import Notification, NotificationKind
from organizations.models import Organization, ServiceRelation
from tests.factories import make_elevator, region

from .builders import approved, file, in_use, pdf_upload, suspended, today

K = ApplicationKind
pytestmark = pytest.mark.django_db


def test_registration_goes_to_the_district_bureau_and_approval_puts_the_elevator_in_use(world):
    elevator = make_elevator(world)
    application = file(world, K.REGISTRATION, [elevator], documents=False)
    assert application.status == ApplicationStatus.DRAFT
    assert services.registration_deadline(application) == today() + timedelta(days=30)
    with pytest.raises(ValidationError) as refused:
        services.submit(application, actor=world.admin_a)
    assert "使用登记申请资料" in str(refused.value) and "告知文件" in str(refused.value)
    services.attach(application, actor=world.admin_a, purpose=Purpose.REGISTRATION_FORM, upload=pdf_upload())
    services.attach(application, actor=world.admin_a, purpose=Purpose.NOTICE, upload=pdf_upload("告知书.pdf"))
    services.submit(application, actor=world.admin_a)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.regulator == world.yubei_bureau
    waiting = Notification.objects.get(organization=world.yubei_bureau, kind=NotificationKind.APPLICATION_SUBMITTED)
    assert application.number in waiting.title and waiting.url == application.get_absolute_url()

    with pytest.raises(ValidationError) as no_number:
        services.approve(application, actor=world.yubei_admin)
    assert "certificate_number" in no_number.value.error_dict
    services.approve(application, actor=world.yubei_admin, certificate_number="梯11渝A00001(26)")
    elevator.refresh_from_db()
    application.refresh_from_db()
    assert elevator.status == "in_use" and elevator.use_registration_number == "梯11渝A00001(26)"
    assert application.status == ApplicationStatus.APPROVED and application.registered_on == today()
    assert application.decided_by == world.yubei_admin
    waiting.refresh_from_db()
    assert waiting.done_at is not None  # the bureau's request is dealt with
    told = Notification.objects.get(organization=world.company_a, kind=NotificationKind.APPLICATION_DECIDED)
    assert "审核通过" in told.title
    assert Notification.objects.filter(
        organization=world.use_unit_a, kind=NotificationKind.APPLICATION_DECIDED
    ).exists()
    steps = [e.action for e in services.timeline(application)]
    assert steps == ["create", "attach", "attach", "submit", "approve"]
    status_change = AuditEvent.objects.get(action="transition", target_id=str(elevator.pk))
    assert (
        status_change.changes["status"] == ["pending_registration", "in_use"]
        and application.number in status_change.reason
    )


def test_each_kind_is_offered_only_from_the_statuses_where_it_makes_sense(world):
    pending = make_elevator(world)
    assert services.refusal_for(K.REGISTRATION, pending) == ""
    assert "正常使用" in services.refusal_for(K.SUSPENSION, pending)
    assert "已停用" in services.refusal_for(K.REACTIVATION, pending)
    assert "尚未办理使用登记" in services.refusal_for(K.SCRAPPING, pending)
    assert services.refusal_for(K.MAINTAINER_CHANGE, pending) == ""
    used = in_use(world)
    assert "无需再次登记" in services.refusal_for(K.REGISTRATION, used)
    assert services.refusal_for(K.SUSPENSION, used) == services.refusal_for(K.SCRAPPING, used) == ""
    with pytest.raises(ValidationError):
        file(world, K.REGISTRATION, [used])
    with pytest.raises(ValidationError) as refused:
        file(world, K.SUSPENSION, [pending])
    assert "只有正常使用的电梯可以申请停用" in str(refused.value)
    offers = dict((kind, why) for kind, _label, why in services.availability(used))
    assert offers[K.SUSPENSION] == "" and offers[K.REGISTRATION] != ""


def test_one_application_holds_elevators_of_one_use_unit_and_district_and_a_registration_one(world):
    first, second = make_elevator(world), make_elevator(world)
    with pytest.raises(ValidationError) as refused:
        file(world, K.REGISTRATION, [first, second])
    assert "按台办理" in str(refused.value)
    other_unit = Organization.objects.create(
        kind="use_unit", name="丙物业", credit_code="91500112MA5U000005", region=region("500112"), address="x"
    )
    ServiceRelation.objects.create(use_unit=other_unit, maintenance_company=world.company_a)
    a, b = in_use(world), in_use(world, use_unit=other_unit)
    with pytest.raises(ValidationError) as refused:
        file(world, K.SUSPENSION, [a, b])
    assert "同一使用单位" in str(refused.value)
    c = in_use(world, region_code="500103")
    with pytest.raises(ValidationError) as refused:
        file(world, K.SUSPENSION, [a, c])
    assert "同一区县" in str(refused.value)
    together = file(world, K.SUSPENSION, [a, in_use(world)])
    assert together.elevators.count() == 2


def test_only_the_applicants_own_elevators_and_one_open_application_each(world):
    theirs = make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    with pytest.raises(ValidationError) as refused:
        file(world, K.REGISTRATION, [theirs])
    assert "不属于本单位" in str(refused.value)
    mine = make_elevator(world)
    draft = file(world, K.REGISTRATION, [mine])
    with pytest.raises(ValidationError) as refused:
        file(world, K.REGISTRATION, [mine], actor=world.use_admin_a)  # the use unit files too: one at a time
    assert draft.number in str(refused.value)
    with pytest.raises(ValidationError):
        services.create_application(actor=world.worker_a, data={"kind": K.REGISTRATION, "elevators": [mine.pk]})
    with pytest.raises(ValidationError):
        services.create_application(actor=world.yubei_admin, data={"kind": K.REGISTRATION, "elevators": [mine.pk]})


def test_a_district_without_a_bureau_goes_to_the_city_and_none_at_all_is_refused(world):
    elevator = make_elevator(world, region_code="500103")  # 渝中区 has no bureau in the test world
    application = file(world, K.REGISTRATION, [elevator])
    services.submit(application, actor=world.admin_a)
    application.refresh_from_db()
    assert application.regulator == world.city_bureau
    other = make_elevator(world, region_code="500103")
    draft = file(world, K.REGISTRATION, [other])
    Organization.objects.filter(kind="regulator").update(is_active=False)
    with pytest.raises(ValidationError) as refused:
        services.submit(draft, actor=world.admin_a)
    assert "尚无监管部门" in str(refused.value)
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT and draft.regulator is None


def test_returned_then_edited_and_resubmitted_rejected_is_final(world):
    elevator = in_use(world)
    application = file(world, K.SUSPENSION, [elevator], reason="装修")
    services.submit(application, actor=world.admin_a)
    with pytest.raises(ValidationError):
        services.return_application(application, actor=world.yubei_admin, reason=" ")
    services.return_application(application, actor=world.yubei_admin, reason="请写明停用期间的保护措施")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED
    assert Notification.objects.filter(organization=world.company_a, title__contains="已退回").exists()
    services.update_application(application, actor=world.admin_a, data={"reason": "装修，已断电并设置停用标志"})
    services.submit(application, actor=world.admin_a)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.decided_at is None
    with pytest.raises(TransitionError):
        services.update_application(application, actor=world.admin_a, data={"reason": "改"})
    services.reject(application, actor=world.yubei_admin, reason="停用标志照片缺失")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    for step in (
        lambda: services.submit(application, actor=world.admin_a),
        lambda: services.update_application(application, actor=world.admin_a, data={"reason": "再试"}),
        lambda: services.approve(application, actor=world.yubei_admin),
        lambda: services.attach(application, actor=world.admin_a, purpose=Purpose.OTHER, upload=pdf_upload()),
        lambda: services.delete_application(application, actor=world.admin_a),
    ):
        with pytest.raises(TransitionError):
            step()
    elevator.refresh_from_db()
    assert elevator.status == "in_use"
    assert [e.action for e in services.timeline(application)] == [
        "create",
        "submit",
        "return",
        "update",
        "submit",
        "reject",
    ]
    again = file(world, K.SUSPENSION, [elevator])  # a new application may be filed
    assert again.pk != application.pk


def test_a_draft_is_deleted_and_a_decision_needs_a_submitted_application(world):
    elevator = in_use(world)
    draft = file(world, K.SCRAPPING, [elevator])
    with pytest.raises(TransitionError):
        services.approve(draft, actor=world.yubei_admin)
    services.delete_application(draft, actor=world.admin_a)
    assert not Application.objects.filter(pk=draft.pk).exists()


def _plans(world, elevator):
    generate_year(elevator, today(), actor=world.admin_a)
    return MaintenancePlan.objects.filter(elevator=elevator, status=PlanStatus.PLANNED).count()


def test_suspension_closes_the_plans_and_reactivation_resumes_them(world):
    elevator = in_use(world)
    assert _plans(world, elevator) > 20
    approved(world, K.SUSPENSION, [elevator], reason="装修停用")
    elevator.refresh_from_db()
    assert elevator.status == "suspended"
    assert not MaintenancePlan.objects.filter(elevator=elevator, status=PlanStatus.PLANNED).exists()
    closed = MaintenancePlan.objects.filter(elevator=elevator, status=PlanStatus.CLOSED).first()
    assert "停用登记申请" in closed.closed_reason and "装修停用" in closed.closed_reason
    with pytest.raises(ValidationError):
        generate_year(elevator, today(), actor=world.admin_a)
    approved(world, K.REACTIVATION, [elevator], effective_date=today() + timedelta(days=3), reason="装修完成")
    elevator.refresh_from_db()
    assert elevator.status == "in_use"
    first = MaintenancePlan.objects.filter(elevator=elevator, status=PlanStatus.PLANNED).order_by("due_date").first()
    assert first is not None and first.due_date == today() + timedelta(days=3)


def test_reactivation_after_a_year_or_past_the_inspection_date_needs_an_inspection_report(world):
    long_ago = suspended(world, since=today() - timedelta(days=400))
    application = file(world, K.REACTIVATION, [long_ago])
    with pytest.raises(ValidationError) as refused:
        services.submit(application, actor=world.admin_a)
    assert "超过一年" in str(refused.value) and "定期检验报告" in str(refused.value)
    services.attach(
        application, actor=world.admin_a, purpose=Purpose.INSPECTION_REPORT, upload=pdf_upload("检验报告.pdf")
    )
    services.submit(application, actor=world.admin_a)

    recent = suspended(world, since=today() - timedelta(days=300))
    assert services.inspection_needed(file(world, K.REACTIVATION, [recent])) == ""
    expired = suspended(world, since=today() - timedelta(days=30), next_inspection_date=today() - timedelta(days=1))
    assert "检验有效期" in services.inspection_needed(file(world, K.REACTIVATION, [expired]))
    with pytest.raises(ValidationError) as refused:
        file(world, K.REACTIVATION, [suspended(world, since=today())], effective_date=today() - timedelta(days=1))
    assert "不能早于停用日期" in str(refused.value)


def test_scrapping_is_final(world):
    elevator = in_use(world)
    _plans(world, elevator)
    approved(world, K.SCRAPPING, [elevator], reason="设备老化")
    elevator.refresh_from_db()
    assert elevator.status == "scrapped"
    assert not MaintenancePlan.objects.filter(elevator=elevator, status=PlanStatus.PLANNED).exists()
    for kind in K.values:
        assert "已报废" in services.refusal_for(kind, elevator)
        with pytest.raises(ValidationError):
            file(world, kind, [elevator])
    with pytest.raises(ValidationError):
        generate_year(elevator, today(), actor=world.admin_a)


def test_maintainer_change_moves_the_elevator_its_plans_and_its_service_relation(world):
    elevator, stays = in_use(world), in_use(world)
    planned = _plans(world, elevator)
    group = MaintenanceGroup.objects.create(organization=world.company_a, name="一组", leader=world.worker_a)
    GroupAssignment.objects.create(elevator=elevator, group=group)
    application = file(world, K.MAINTAINER_CHANGE, [elevator], reason="合同到期")
    assert services.missing_for_submission(application) == []
    services.submit(application, actor=world.admin_a)
    assert world.admin_b.organization.pk == application.new_company_id
    services.approve(application, actor=world.yubei_admin)
    elevator.refresh_from_db()
    assert elevator.maintenance_company == world.company_b
    assert (
        MaintenancePlan.objects.filter(
            elevator=elevator, status=PlanStatus.PLANNED, organization=world.company_b
        ).count()
        == planned
    )
    assert not GroupAssignment.objects.filter(elevator=elevator).exists()
    assert ServiceRelation.objects.filter(use_unit=world.use_unit_a, maintenance_company=world.company_b).exists()
    # company A still maintains another elevator of the unit: it keeps serving it
    assert ServiceRelation.objects.filter(use_unit=world.use_unit_a, maintenance_company=world.company_a).exists()
    assert Elevator.objects.visible_to(world.admin_b).filter(pk=elevator.pk).exists()
    assert not Elevator.objects.visible_to(world.admin_a).filter(pk=elevator.pk).exists()
    assert Notification.objects.filter(organization=world.company_b, kind=NotificationKind.APPLICATION_DECIDED).exists()
    # the last elevator goes too: company A stops serving the unit
    approved(world, K.MAINTAINER_CHANGE, [stays])
    assert not ServiceRelation.objects.filter(use_unit=world.use_unit_a, maintenance_company=world.company_a).exists()


def test_maintainer_change_needs_another_company_and_the_expiring_contract(world):
    elevator = in_use(world)
    with pytest.raises(ValidationError) as refused:
        file(world, K.MAINTAINER_CHANGE, [elevator], new_company=world.company_a)
    assert "已经是这些电梯的维保单位" in str(refused.value)
    with pytest.raises(ValidationError):
        file(world, K.MAINTAINER_CHANGE, [elevator], new_company=world.use_unit_b)
    draft = file(world, K.MAINTAINER_CHANGE, [elevator], documents=False)
    assert services.missing_for_submission(draft) == ["请上传“到期的维保合同”。"]
    with pytest.raises(ValidationError):
        services.attach(draft, actor=world.admin_a, purpose=Purpose.INSPECTION_REPORT, upload=pdf_upload())
    with pytest.raises(ValidationError) as bad:
        services.attach(
            draft,
            actor=world.admin_a,
            purpose=Purpose.EXPIRING_CONTRACT,
            upload=SimpleUploadedFile("合同.html", b"<html>", content_type="text/html"),
        )
    assert "不支持的文件类型" in str(bad.value)


def test_an_approval_whose_elevator_changed_meanwhile_applies_nothing(world):
    first, second = in_use(world), in_use(world)
    application = file(world, K.SUSPENSION, [first, second])
    services.submit(application, actor=world.admin_a)
    Elevator.objects.filter(pk=second.pk).update(status="scrapped")  # by hand, as an operator's fix might
    with pytest.raises(ValidationError) as refused:
        services.approve(application, actor=world.yubei_admin)
    assert second.register_code in str(refused.value)
    application.refresh_from_db()
    first.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and first.status == "in_use"


def test_who_sees_and_who_decides(world):
    from core.policies import can

    elevator = in_use(world)
    draft = file(world, K.SUSPENSION, [elevator])
    visible = lambda user: Application.objects.visible_to(user).filter(pk=draft.pk).exists()  # noqa: E731
    assert visible(world.admin_a) and not visible(world.use_admin_a) and not visible(world.yubei_admin)
    services.submit(draft, actor=world.admin_a)
    draft.refresh_from_db()
    assert visible(world.use_admin_a) and visible(world.yubei_admin) and visible(world.city_admin)
    assert not visible(world.jlp_admin) and not visible(world.admin_b) and not visible(world.sz_admin)
    assert not visible(world.worker_b) and not visible(world.use_admin_b)
    assert can(world.yubei_admin, "decide", draft) and not can(world.city_admin, "decide", draft)
    assert not can(world.admin_a, "decide", draft) and not can(world.use_admin_a, "change", draft)
    assert can(world.admin_a, "change", draft) and not can(world.worker_a, "change", draft)


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_at_once_apply_one_decision():
    from django.db import connections

    from tests.factories import UserFactory, make_world

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises its writers: the race needs PostgreSQL (CI runs the suite on both)")
    world = make_world()
    second_reviewer = UserFactory(username="yubei2", organization=world.yubei_bureau, category="regulator_officer")
    elevator = in_use(world)
    generate_year(elevator, today(), actor=world.admin_a)
    application = file(world, K.SUSPENSION, [elevator])
    services.submit(application, actor=world.admin_a)
    barrier, outcomes = threading.Barrier(2), []

    def decide(reviewer, step):
        try:
            stale = Application.objects.get(pk=application.pk)
            barrier.wait(timeout=10)
            step(stale, reviewer)
            outcomes.append("ok")
        except TransitionError as exc:
            outcomes.append(str(exc))
        finally:
            connections.close_all()

    steps = [
        (world.yubei_admin, lambda app, who: services.approve(app, actor=who)),
        (second_reviewer, lambda app, who: services.return_application(app, actor=who, reason="补材料")),
    ]
    threads = [threading.Thread(target=decide, args=step) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    assert any("已由他人处理" in o for o in outcomes), outcomes
    decisions = AuditEvent.objects.filter(target_id=str(application.pk), action__in=["approve", "return"])
    assert decisions.count() == 1
    application.refresh_from_db()
    elevator.refresh_from_db()
    if application.status == ApplicationStatus.APPROVED:
        assert elevator.status == "suspended"
        assert AuditEvent.objects.filter(target_id=str(elevator.pk), action="transition").count() == 2
    else:
        assert application.status == ApplicationStatus.RETURNED and elevator.status == "in_use"
