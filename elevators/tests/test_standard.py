"""The standard tests (tests/cases.py) for the ledger's models: elevators and problem reports."""

from elevators.models import Elevator, ProblemReport, ProblemStatus
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
    max_queries = {"list": 5, "detail": 8}

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
    max_queries = {"list": 4, "detail": 5}

    def make(self, world):
        return ProblemReport.objects.create(elevator=make_elevator(world), category="noise", description="轿厢异响")

    def marker(self, obj):
        return obj.elevator.register_code

    def action_data(self, world, obj):
        return {"to_state": "acknowledged", "note": "已派人查看"}

    def acted(self, obj):
        return obj.status == ProblemStatus.ACKNOWLEDGED
