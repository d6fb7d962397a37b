"""试点申请: the routing rule at its edges, the batch rule, the documents' rules, return and resubmission, approval."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.tests.builders import in_use
from core.workflow import TransitionError
from elevators.models import Elevator
from maintenance.models import OnDemandMaintenance
from maintenance.services.plans import interval_for
from notifications.models import Notification, NotificationKind
from organizations.models import Organization, Region, ServiceRelation
from pilot import services
from pilot.models import Document, Identity, PilotApplication, PilotStatus
from tests.factories import make_elevator, region

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="试点申请书.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def pilot_district(world):
    Region.objects.filter(code="500112").update(in_pilot=True)
    Region.objects.filter(code="500107").update(in_pilot=False)


ANSWERS = {
    "accident_in_three_years": False,
    "information_system": True,
    "information_system_url": "https://weibao.example.com/query",
    "iot_monitoring": False,
    "full_package": False,
    "system_description": "维保人员扫码签到、拍照、电子签名，记录实时上传平台。",
}


def ready(world, elevators, *, actor=None, identity=Identity.MAINTENANCE_COMPANY, **answers):
    """A complete draft: started, answered, the batch added, the documents uploaded."""
    actor = actor or world.admin_a
    application = services.start_application(actor=actor, identity=identity, agreed=True)
    services.add_elevators(application, [e.pk for e in elevators], actor=actor)
    services.save_information(application, actor=actor, data={**ANSWERS, **answers})
    application.refresh_from_db()
    for document in services.required_documents(application):
        services.attach(application, actor=actor, document=document, upload=pdf())
    return application


def test_the_routing_rule_at_999_1000_and_1001(world, pilot_district):
    elevator = in_use(world)
    application = ready(world, [elevator])
    city = elevator.city_id
    count = services.elevators_in_city(world.company_a.pk, Identity.MAINTENANCE_COMPANY, city)
    assert count == 1
    bureau, why = services.route(application)
    assert bureau == world.yubei_bureau and "1000 台以下" in why
    for total, expected in ((999, world.yubei_bureau), (1000, world.city_bureau), (1001, world.city_bureau)):
        _bulk_elevators(world, total - Elevator.objects.filter(maintenance_company=world.company_a).count())
        assert services.elevators_in_city(world.company_a.pk, Identity.MAINTENANCE_COMPANY, city) == total
        assert services.route(application)[0] == expected, total


def _bulk_elevators(world, n):
    """n more elevators of company A in 九龙坡 (a non-pilot district: the count is city-wide)."""
    if n <= 0:
        return
    template = Elevator.objects.filter(maintenance_company=world.company_a).first()
    start = Elevator.objects.count()
    rows = []
    for i in range(n):
        copy = Elevator(
            **{
                f.attname: getattr(template, f.attname)
                for f in Elevator._meta.concrete_fields
                if f.attname not in ("id", "register_code", "rescue_code", "qr_token")
            }
        )
        copy.register_code = f"3110500107209{start + i:07d}"
        copy.rescue_code = f"{800000 + start + i:06d}"
        copy.region = region("500107")
        copy.status = "in_use"
        rows.append(copy)
    for row in rows:
        row.qr_token = f"bulk{row.register_code}"
    Elevator.objects.bulk_create(rows)


def test_a_company_is_counted_across_its_use_units_and_scrapped_elevators_are_not(world, pilot_district):
    other_unit = Organization.objects.create(
        kind="use_unit", name="丙物业", credit_code="91500112MA5U000006", region=region("500112"), address="x"
    )
    ServiceRelation.objects.create(use_unit=other_unit, maintenance_company=world.company_a)
    make_elevator(world)
    make_elevator(world, use_unit=other_unit)
    scrapped = make_elevator(world)
    Elevator.objects.filter(pk=scrapped.pk).update(status="scrapped")
    city = scrapped.city_id
    assert services.elevators_in_city(world.company_a.pk, Identity.MAINTENANCE_COMPANY, city) == 2
    assert services.elevators_in_city(world.use_unit_a.pk, Identity.USE_UNIT, city) == 1
    assert services.elevators_in_city(world.company_a.pk, Identity.MAINTENANCE_COMPANY, region("440300").pk) == 0


def test_outside_the_pilot_districts_below_1000_is_refused_with_the_seeds_words(world, pilot_district):
    elevator = in_use(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    application = ready(world, [elevator], actor=world.admin_b)
    with pytest.raises(ValidationError) as refused:
        services.submit(application, actor=world.admin_b)
    assert "贵单位因管理或者维护保养电梯数量或电梯所在区域为非当前试点区县不能申请试点!" in str(refused.value)
    application.refresh_from_db()
    assert application.status == PilotStatus.DRAFT and application.regulator is None
    Region.objects.filter(code="500107").update(in_pilot=True)  # the operator adds 九龙坡 to the pilot
    services.submit(application, actor=world.admin_b)
    application.refresh_from_db()
    assert application.regulator == world.jlp_bureau


def test_one_batch_holds_one_use_unit_and_one_company_in_use(world, pilot_district):
    application = services.start_application(actor=world.admin_a, identity=Identity.MAINTENANCE_COMPANY, agreed=True)
    other_unit = Organization.objects.create(
        kind="use_unit", name="丁物业", credit_code="91500112MA5U000007", region=region("500112"), address="x"
    )
    ServiceRelation.objects.create(use_unit=other_unit, maintenance_company=world.company_a)
    first, second, elsewhere = in_use(world), in_use(world), in_use(world, use_unit=other_unit)
    assert services.add_elevators(application, [first.pk], actor=world.admin_a) == 1
    application.refresh_from_db()
    assert application.use_unit == world.use_unit_a and application.use_unit_name == world.use_unit_a.name
    with pytest.raises(ValidationError) as refused:
        services.add_elevators(application, [second.pk, elsewhere.pk], actor=world.admin_a)
    assert "同一批次只能添加使用单位和维保单位一致的电梯" in str(refused.value)
    assert application.lines.count() == 1  # nothing of the refused batch was added
    pending = make_elevator(world)
    with pytest.raises(ValidationError) as refused:
        services.add_elevators(application, [pending.pk], actor=world.admin_a)
    assert "只有正常使用的电梯" in str(refused.value)
    theirs = in_use(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    with pytest.raises(ValidationError):
        services.add_elevators(application, [theirs.pk], actor=world.admin_a)
    services.add_elevators(application, [second.pk], actor=world.admin_a)
    services.remove_elevators(application, [first.pk, second.pk], actor=world.admin_a)
    assert services.add_elevators(application, [elsewhere.pk], actor=world.admin_a) == 1  # an empty batch starts anew
    other = services.start_application(actor=world.admin_a, identity=Identity.MAINTENANCE_COMPANY, agreed=True)
    with pytest.raises(ValidationError) as refused:
        services.add_elevators(other, [elsewhere.pk], actor=world.admin_a)
    assert application.number in str(refused.value)


def test_the_identity_is_the_units_own_and_the_requirements_must_be_agreed(world):
    with pytest.raises(ValidationError):
        services.start_application(actor=world.admin_a, identity=Identity.USE_UNIT, agreed=True)
    with pytest.raises(ValidationError):
        services.start_application(actor=world.admin_a, identity=Identity.MAINTENANCE_COMPANY, agreed=False)
    with pytest.raises(ValidationError):
        services.start_application(actor=world.worker_a, identity=Identity.MAINTENANCE_COMPANY, agreed=True)
    application = services.start_application(actor=world.use_admin_a, identity=Identity.USE_UNIT, agreed=True)
    assert application.use_unit_credit_code == world.use_unit_a.credit_code and application.requirements_agreed_at


def test_the_documents_follow_the_modes(world, pilot_district):
    elevator = in_use(world)
    application = ready(world, [elevator])
    assert services.required_documents(application) == [Document.APPLICATION_LETTER, Document.COMMITMENT]
    services.save_information(application, actor=world.admin_a, data={"iot_monitoring": True, "full_package": True})
    application.refresh_from_db()
    missing = services.missing_for_submission(application)
    assert missing == [
        "请上传“物联网监测系统安全评价报告”。",
        "请上传“物联网监测系统功能和故障代码说明”。",
        "请上传“维保合同”。",
    ]
    services.attach(application, actor=world.admin_a, document=Document.CONTRACT, upload=pdf("合同.pdf"))
    services.attach(application, actor=world.admin_a, document=Document.CONTRACT, upload=pdf("合同v2.pdf"))
    assert list(
        services.documents_of(application).filter(purpose="contract").values_list("original_name", flat=True)
    ) == ["合同v2.pdf"]
    services.detach(application, Document.CONTRACT, actor=world.admin_a)
    assert "请上传“维保合同”。" in services.missing_for_submission(application)
    with pytest.raises(ValidationError):
        services.attach(application, actor=world.admin_a, document="passport", upload=pdf())
    with pytest.raises(ValidationError):
        services.attach(
            application,
            actor=world.admin_a,
            document=Document.INSURANCE,
            upload=SimpleUploadedFile("保险.html", b"<script>", content_type="text/html"),
        )


def test_the_declaration_and_the_unit_information_are_checked(world, pilot_district):
    application = ready(world, [in_use(world)])
    assert services.missing_for_submission(application) == []
    services.save_information(
        application, actor=world.admin_a, data={"accident_in_three_years": True, "use_unit_contact": ""}
    )
    application.refresh_from_db()
    missing = services.missing_for_submission(application)
    assert "请填写使用单位联系人。" in missing and any("不符合试点申请条件" in m for m in missing)
    with pytest.raises(ValidationError) as bad:
        services.save_information(
            application,
            actor=world.admin_a,
            data={"company_credit_code": "123", "information_system_url": "javascript:alert(1)"},
        )
    assert {"company_credit_code", "information_system_url"} <= set(bad.value.message_dict)


def test_returned_edited_and_resubmitted_then_approved_puts_the_batch_on_demand(world, pilot_district):
    first, second = in_use(world), in_use(world)
    application = services.start_application(actor=world.admin_a, identity=Identity.MAINTENANCE_COMPANY, agreed=True)
    services.add_elevators(application, [first.pk, second.pk], actor=world.admin_a)
    services.save_information(application, actor=world.admin_a, data={**ANSWERS, "iot_monitoring": True})
    application.refresh_from_db()
    for document in services.required_documents(application):
        services.attach(application, actor=world.admin_a, document=document, upload=pdf())
    services.submit(application, actor=world.admin_a)
    application.refresh_from_db()
    assert application.status == PilotStatus.SUBMITTED and application.regulator == world.yubei_bureau
    assert Notification.objects.filter(
        organization=world.yubei_bureau, kind=NotificationKind.APPLICATION_SUBMITTED
    ).exists()
    with pytest.raises(TransitionError):
        services.save_information(application, actor=world.admin_a, data={"use_unit_contact": "改"})
    with pytest.raises(TransitionError):
        services.review(application, actor=world.yubei_admin)  # not accepted yet
    services.accept(application, actor=world.yubei_admin)
    services.return_application(application, actor=world.yubei_admin, reason="物联网安全评价报告缺少盖章")
    application.refresh_from_db()
    assert application.status == PilotStatus.RETURNED and application.decision_reason == "物联网安全评价报告缺少盖章"
    services.attach(application, actor=world.admin_a, document=Document.IOT_SECURITY_REPORT, upload=pdf("盖章版.pdf"))
    services.submit(application, actor=world.admin_a)
    application.refresh_from_db()
    services.accept(application, actor=world.yubei_admin)
    services.review(application, actor=world.yubei_admin, note="材料齐全")
    with pytest.raises(ValidationError):
        services.approve(application, actor=world.yubei_admin, interval_days=90, starts_on=timezone.localdate())
    starts = timezone.localdate() + timedelta(days=7)
    services.approve(application, actor=world.yubei_admin, interval_days=30, starts_on=starts)
    application.refresh_from_db()
    assert application.status == PilotStatus.APPROVED and application.interval_days == 30
    for elevator in (first, second):
        setting = OnDemandMaintenance.objects.get(elevator=elevator)
        assert (
            setting.interval_days == 30
            and setting.starts_on == starts
            and setting.iot_monitoring
            and not setting.full_package
        )
        assert application.number in setting.note
        elevator.refresh_from_db()
        assert interval_for(elevator, starts) == 30 and interval_for(elevator, timezone.localdate()) == 15
    steps = [e.action for e in services.timeline(application)]
    assert steps[-8:] == ["submit", "accept", "return", "attach", "submit", "accept", "review", "approve"]
    told = Notification.objects.filter(organization=world.company_a, kind=NotificationKind.APPLICATION_DECIDED)
    assert told.filter(title__contains="已审批通过").exists() and told.filter(title__contains="退回申请").exists()


def test_only_the_routed_bureau_acts_and_each_step_once(world, pilot_district):
    from core.policies import can

    application = ready(world, [in_use(world)])
    services.submit(application, actor=world.admin_a)
    application.refresh_from_db()
    visible = lambda user: PilotApplication.objects.visible_to(user).filter(pk=application.pk).exists()  # noqa: E731
    assert visible(world.yubei_admin) and visible(world.city_admin) and visible(world.admin_a)
    assert not visible(world.jlp_admin) and not visible(world.admin_b) and not visible(world.use_admin_a)
    assert can(world.yubei_admin, "decide", application) and not can(world.city_admin, "decide", application)
    assert not can(world.admin_a, "decide", application)
    stale = PilotApplication.objects.get(pk=application.pk)
    services.accept(application, actor=world.yubei_admin)
    with pytest.raises(TransitionError) as busy:
        services.accept(stale, actor=world.yubei_admin)
    assert "刚刚已由他人处理" in str(busy.value)
