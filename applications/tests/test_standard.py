"""The standard tests (tests/cases.py) for 监管申请: drafts, the lists, the bureau's queue and its decisions."""

from datetime import timedelta

from applications import services
from applications.models import Application, ApplicationKind, ApplicationStatus
from tests.cases import ActionCases, APICases, CreateCases, DetailCases, EditCases, ListCases
from tests.factories import make_elevator

from .builders import file, today

K = ApplicationKind


def draft(world):
    """A 使用登记 of company A with its documents, not submitted yet."""
    return file(world, K.REGISTRATION, [make_elevator(world)])


def submitted(world):
    """A 使用登记 of company A, submitted to the Yubei bureau."""
    application = draft(world)
    services.submit(application, actor=world.admin_a)
    application.refresh_from_db()
    return application


class TestApplication(ListCases, DetailCases, CreateCases, EditCases, APICases):
    model = Application
    list_url, detail_url, create_url, edit_url = (
        "applications:list",
        "applications:detail",
        "applications:create",
        "applications:edit",
    )
    create_kwargs = {"kind": "registration"}
    api_path = "/applications"
    without_permission = "worker_a"  # reads the company's applications; only administrators file them
    max_queries = {"list": 6, "detail": 8}  # detail: 7 with its elevators, documents and timeline

    def make(self, world):
        return draft(world)

    def marker(self, obj):
        return obj.number

    def create_data(self, world):
        return {"elevator_codes": make_elevator(world).register_code, "effective_date": str(today())}

    def edit_changes(self, world, obj):
        return {"effective_date": str(today() - timedelta(days=1))}

    def api_create_body(self, world):
        return {"kind": "registration", "elevator_ids": [make_elevator(world).pk], "effective_date": str(today())}

    def api_patch_body(self, world, obj):
        return {"effective_date": str(today() - timedelta(days=2))}


class TestKindList(ListCases):
    """Each kind's list (使用登记申请 …), where the applicant files."""

    model = Application
    list_url = "applications:kind_list"
    list_kwargs = {"kind": "registration"}
    max_queries = {"list": 6}

    def make(self, world):
        return draft(world)

    def marker(self, obj):
        return obj.number


class TestReviewQueue(ListCases):
    """申请审核: what waits for the bureau it went to."""

    model = Application
    list_url = "applications:review_queue"
    list_user = "yubei_admin"
    outsider = "jlp_admin"  # another district's bureau
    list_denied = "admin_a"  # an applicant reviews nothing
    max_queries = {"list": 6}

    def make(self, world):
        from notifications.services import unread_count

        application = submitted(world)
        # each submission tells the bureau, whose bell then counts once afresh: counted here, as its next page
        # would, so that the page's queries are the list's own
        unread_count(world.yubei_admin)
        return application

    def marker(self, obj):
        return obj.number


class _Decision(ActionCases):
    """A decision of the bureau the application went to: another district's bureau does not find it, the city bureau
    sees it and may not decide."""

    model = Application
    action_user = "yubei_admin"
    outsider = "jlp_admin"
    without_permission = "city_admin"

    def make(self, world):
        return submitted(world)


class TestReturnApplication(_Decision):
    action_url = "applications:return"
    audit_action = "return"

    def action_data(self, world, obj):
        return {"reason": "请补充告知文件的盖章页"}

    def acted(self, obj):
        return obj.status == ApplicationStatus.RETURNED and obj.decision_reason == "请补充告知文件的盖章页"


class TestRejectApplication(_Decision):
    action_url = "applications:reject"
    audit_action = "reject"

    def action_data(self, world, obj):
        return {"reason": "电梯未经监督检验"}

    def acted(self, obj):
        return obj.status == ApplicationStatus.REJECTED


class TestApproveRegistration(_Decision):
    action_url = "applications:approve"
    audit_action = "approve"
    without_permission = "use_admin_a"  # a party: reads it, decides nothing

    def action_data(self, world, obj):
        return {"certificate_number": f"梯11渝A{obj.pk:05d}(26)", "registered_on": str(today())}

    def acted(self, obj):
        return obj.status == ApplicationStatus.APPROVED and obj.elevators.get().status == "in_use"
