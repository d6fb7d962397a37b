"""The standard tests (tests/cases.py) for 电梯维护保养试点申请: the applicant's list, the page, 新增 and the API; the
bureau's queue (试点申请办理) and its steps (受理, 审核, 审批, 退回) by the routed bureau."""

from datetime import timedelta

from django.utils import timezone

from applications.tests.builders import in_use
from maintenance.models import OnDemandMaintenance
from notifications.services import unread_count
from organizations.models import Region
from pilot import services
from pilot.models import PilotApplication, PilotStatus
from tests.cases import ActionCases, APICases, CreateCases, DetailCases, ListCases

from .test_services import ready


def draft(world):
    """A complete application of company A for one elevator in 渝北 (a pilot district), not submitted yet."""
    Region.objects.filter(code="500112").update(in_pilot=True)
    application = ready(world, [in_use(world)])
    # the elevator's registration told company A (and the bureau): their bells count once afresh, here, as their next
    # page would, so that a page's queries are its own
    unread_count(world.admin_a)
    return application


def submitted(world):
    """Submitted: the routing rule sends it to the Yubei bureau (fewer than 1000 elevators, a pilot district)."""
    application = draft(world)
    services.submit(application, actor=world.admin_a)
    application.refresh_from_db()
    unread_count(world.yubei_admin)
    return application


class TestPilotApplication(ListCases, DetailCases, CreateCases, APICases):
    model = PilotApplication
    list_url, detail_url, create_url = "pilot:list", "pilot:detail", "pilot:create"
    api_path = "/pilot-applications"
    list_denied = "worker_a"  # only the units' administrators apply
    create_denied = "worker_a"
    # ceilings whatever the rows; detail: the application, its elevators, its documents, its timeline
    max_queries = {"list": 4, "detail": 6}

    def make(self, world):
        return draft(world)

    def marker(self, obj):
        return obj.number

    def create_data(self, world):
        return {"identity": "maintenance_company", "agree": "on"}  # 申请单位身份, then 同意 the requirements

    def bad_create_data(self, world):
        return {"identity": "use_unit", "agree": "on"}  # a company applying as a use unit

    def api_create_body(self, world):
        return {"identity": "maintenance_company", "agree": True}

    def api_patch_body(self, world, obj):
        return {"use_unit_contact": "标准测试联系人", "company_contact_phone": "023-63890000"}


class TestPilotQueue(ListCases):
    """试点申请办理: what waits for the bureau the routing rule chose."""

    model = PilotApplication
    list_url = "pilot:queue"
    list_user = "yubei_admin"
    outsider = "jlp_admin"  # another district's bureau
    list_denied = "admin_a"  # an applicant handles nothing
    max_queries = {"list": 4}

    def make(self, world):
        return submitted(world)

    def marker(self, obj):
        return obj.number


class _Step(ActionCases):
    """A step of the bureau the application went to: another district's bureau does not find it, the city bureau
    reads it and may not act."""

    model = PilotApplication
    action_user = "yubei_admin"
    outsider = "jlp_admin"
    without_permission = "city_admin"

    def make(self, world):
        return submitted(world)

    def action_data(self, world, obj):
        return {}


class TestAcceptPilot(_Step):
    action_url = "pilot:accept"
    audit_action = "accept"
    test_action_refuses_an_empty_form = None  # 受理 asks nothing but the click

    def acted(self, obj):
        return obj.status == PilotStatus.ACCEPTED and obj.accepted_at is not None


class TestReviewPilot(_Step):
    action_url = "pilot:review"
    audit_action = "review"
    test_action_refuses_an_empty_form = None  # 审核意见 is optional

    def make(self, world):
        application = submitted(world)
        services.accept(application, actor=world.yubei_admin)
        return application

    def action_data(self, world, obj):
        return {"reason": "材料齐全"}

    def acted(self, obj):
        return obj.status == PilotStatus.REVIEWED


class TestApprovePilot(_Step):
    action_url = "pilot:approve"
    audit_action = "approve"

    def make(self, world):
        application = TestReviewPilot().make(world)
        services.review(application, actor=world.yubei_admin)
        return application

    def action_data(self, world, obj):
        return {"interval_days": "45", "starts_on": str(timezone.localdate() + timedelta(days=3))}

    def acted(self, obj):
        return (
            obj.status == PilotStatus.APPROVED
            and OnDemandMaintenance.objects.filter(elevator__in=obj.elevators.all(), interval_days=45).exists()
        )


class TestReturnPilot(_Step):
    action_url = "pilot:return"
    audit_action = "return"

    def action_data(self, world, obj):
        return {"reason": "承诺书缺少使用单位盖章"}

    def acted(self, obj):
        return obj.status == PilotStatus.RETURNED and obj.decision_reason == "承诺书缺少使用单位盖章"


class TestSubmitPilot(ActionCases):
    """提交 by the applicant's administrators: the company's worker does not find the application."""

    model = PilotApplication
    action_url = "pilot:submit"
    audit_action = "submit"
    test_action_refuses_an_empty_form = None  # 提交 asks nothing but the click (what is missing is said on the page)

    def make(self, world):
        return draft(world)

    def action_data(self, world, obj):
        return {}

    def acted(self, obj):
        return obj.status == PilotStatus.SUBMITTED and obj.regulator_id is not None
