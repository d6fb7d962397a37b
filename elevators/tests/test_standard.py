"""The standard tests (tests/cases.py) for the ledger's models: elevators, problem reports, inspection reports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from elevators.models import Elevator, InspectionReport, ProblemReport, ProblemStatus
from tests.cases import ActionCases, APICases, CreateCases, DetailCases, EditCases, ListCases
from tests.factories import elevator_api_payload, elevator_form_data, make_elevator

WIZARD_SUBMIT = {"step": "3", "action": "submit"}


class TestElevator(ListCases, DetailCases, CreateCases, EditCases, APICases):
    model = Elevator
    list_url, detail_url, create_url, edit_url = (
        "elevators:list",
        "elevators:detail",
        "elevators:create",
        "elevators:edit",
    )
    api_path = "/elevators"
    without_permission = "yubei_admin"  # the district bureau sees the ledger and changes it only by applications
    create_denied = "worker_a"
    create_extra = edit_extra = WIZARD_SUBMIT
    # the detail also asks which of its two units the viewer may open, and shows its next visits (a panel)
    # detail: + 登记与申请 (its applications, the open one), 按需维保, 检验记录 (the reports with their files),
    # 维保合同 (the contracts panel), 最近应急演练 (the drills panel: one query)
    max_queries = {"list": 5, "detail": 18}

    def make(self, world):
        return make_elevator(world)

    def marker(self, obj):
        return obj.register_code

    def create_data(self, world):
        return elevator_form_data(world)

    def created(self, world, data):
        return Elevator.objects.get(register_code=data["register_code"])

    def edit_changes(self, world, obj):
        return {"building": "改名大厦", "product_model": "GeN3"}

    def api_create_body(self, world):
        return elevator_api_payload(world)

    def api_patch_body(self, world, obj):
        return {"building": "接口改名大厦", "reason": "门牌变更"}


class TestProblemReport(ListCases, DetailCases, ActionCases):
    model = ProblemReport
    list_url, detail_url, action_url = "elevators:problem_list", "elevators:problem_detail", "elevators:problem_handle"
    without_permission = "use_admin_a"  # the use unit reads its elevators' reports; the company handles them
    max_queries = {"list": 4, "detail": 6}  # detail: + the repairs opened from the report (records panel)

    def make(self, world):
        return ProblemReport.objects.create(elevator=make_elevator(world), category="noise", description="轿厢异响")

    def marker(self, obj):
        return obj.elevator.register_code

    def action_data(self, world, obj):
        return {"to_state": "acknowledged", "note": "已派人查看"}

    def acted(self, obj):
        return obj.status == ProblemStatus.ACKNOWLEDGED


class TestCorrectCode(ActionCases):
    """注册代码更正 by the elevator's district bureau; the company that keeps the ledger may not."""

    model = Elevator
    action_url = "elevators:correct_code"
    action_user = "yubei_admin"
    audit_action = "correct_code"
    without_permission = "admin_a"
    outsider = "jlp_admin"  # another district's bureau

    def make(self, world):
        return make_elevator(world)

    def action_data(self, world, obj):
        return {"register_code": "31105001122019110042", "code_scheme": "2014", "reason": "录入时顺序号写错"}

    def acted(self, obj):
        return obj.register_code == "31105001122019110042"


class TestDeleteElevator(ActionCases):
    """删除 an elevator recorded by mistake: its company, while 待登记 and nothing recorded; not the bureau."""

    model = Elevator
    action_url = "elevators:delete"
    audit_action = "delete"
    without_permission = "use_admin_a"  # the elevator's use unit sees it and edits it, but company A recorded it

    def make(self, world):
        return make_elevator(world, actor=world.admin_a)

    def action_data(self, world, obj):
        return {"reason": "重复录入"}

    def acted(self, obj):
        return not Elevator.objects.filter(pk=obj.pk).exists()

    def test_action_asks_then_acts_and_audits(self, world, client_for):
        from tests.cases import audit_events

        obj = self.make(world)
        client = client_for(world.admin_a)
        assert client.get(self.url(self.action_url, obj)).status_code == 200
        response = client.post(self.url(self.action_url, obj), self.action_data(world, obj))
        assert response.status_code == 302 and response["Location"] == "/elevators/"
        assert self.acted(obj)
        event = audit_events(obj, "delete", world.admin_a).get()
        assert event.reason == "重复录入" and event.changes["register_code"][0] == obj.register_code


class TestInspectionReport(CreateCases):
    """录入检验结果 on an elevator: its company records; a worker of the company may not."""

    model = InspectionReport
    create_url = "elevators:inspection_create"
    create_denied = "worker_a"

    @pytest.fixture(autouse=True)
    def _elevator(self, world):
        self.elevator = make_elevator(world)

    def make(self, world):
        from elevators.services import record_inspection

        return record_inspection(
            self.elevator,
            actor=world.admin_a,
            data={"kind": "self", "date": timezone.localdate(), "result": "passed", "number": "R-1"},
            upload=SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n%%EOF\n"),
        )

    def create_page(self):
        return reverse(self.create_url, args=[self.elevator.pk])

    def create_data(self, world):
        return {
            "kind": "periodic",
            "date": timezone.localdate().isoformat(),
            "result": "passed",
            "number": "渝检-标准-1",
            "next_date": "",
            "report_file": SimpleUploadedFile("检验报告.pdf", b"%PDF-1.4\n%%EOF\n"),
        }
