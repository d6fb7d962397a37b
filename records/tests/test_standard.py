"""The standard tests (tests/cases.py) for 维保纪录: the list and a record's page."""

import itertools

from records.models import MaintenanceRecord, Repair
from records.tests.builders import simple_record
from tests.cases import ActionCases, APICases, CreateCases, DetailCases, EditCases, ListCases


class TestMaintenanceRecord(ListCases, DetailCases):
    model = MaintenanceRecord
    list_url, detail_url = "records:list", "records:detail"
    max_queries = {"list": 5, "detail": 8}

    def make(self, world):
        return simple_record(world)

    def marker(self, obj):
        return obj.elevator.register_code


_serial = itertools.count(1)


def make_repair(world, company=None):
    from django.utils import timezone

    from records.repairs import create_repair
    from tests.factories import make_elevator

    company = company or world.company_a
    admin = world.admin_a if company == world.company_a else world.admin_b
    extra = {} if company == world.company_a else {"use_unit": world.use_unit_b, "region_code": "500107"}
    elevator = make_elevator(world, company=company, **extra)
    return create_repair(
        actor=admin,
        data={"elevator": elevator, "fault": f"门机异响{next(_serial)}", "reported_at": timezone.now()},
    )


class TestRepair(ListCases, DetailCases, CreateCases, EditCases, APICases):
    model = Repair
    list_url, detail_url, create_url, edit_url = (
        "records:repair_list",
        "records:repair_detail",
        "records:repair_create",
        "records:repair_edit",
    )
    api_path = "/maintenance/repairs"
    without_permission = "use_admin_a"  # reads the repairs of its elevators, keeps none
    max_queries = {"list": 5, "detail": 8}

    def make(self, world):
        return make_repair(world)

    def marker(self, obj):
        return obj.fault

    def create_data(self, world):
        from tests.factories import make_elevator

        elevator = make_elevator(world)
        return {
            "register_code": elevator.register_code,
            "fault": f"轿厢照明不亮{next(_serial)}",
            "reported_at": "2026-11-25T08:30",
            "arrived_at": "2026-11-25T08:55",
        }

    def created(self, world, data):
        return Repair.objects.get(fault=data["fault"])

    def edit_changes(self, world, obj):
        from datetime import timedelta

        from django.utils import timezone

        restored = timezone.localtime(obj.reported_at) + timedelta(minutes=1)
        return {"cause": "灯管老化", "restored_at": restored.strftime("%Y-%m-%dT%H:%M")}

    def stored(self, obj, field):
        from django.utils import timezone

        value = getattr(obj, field)
        return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if field.endswith("_at") else str(value)

    def api_create_body(self, world):
        from tests.factories import make_elevator

        return {"elevator_id": make_elevator(world).pk, "fault": f"按钮失灵{next(_serial)}"}

    def api_patch_body(self, world, obj):
        return {"cause": "按钮触点氧化", "work_done": "更换按钮"}


# --- the web side of records: confirmation, corrections, 存疑纪录 -------------------------------------------------


class TestConfirmRecord(ActionCases):
    """确认维保纪录 from the use unit's own account: a drawn signature, the record sealed."""

    model = MaintenanceRecord
    action_url = "records:confirm"
    action_user = "use_admin_a"
    audit_action = "confirm"
    outsider = "use_admin_b"  # another use unit: the record does not exist for it
    without_permission = "admin_a"  # the company reads the record, only the use unit confirms

    def make(self, world):
        return simple_record(world)

    def action_data(self, world, obj):
        from records.tests.builders import signature_data_url

        return {"signature": signature_data_url()}

    def acted(self, obj):
        return obj.status == "confirmed" and bool(obj.seal) and obj.signature_id is not None


class TestStartCorrection(ActionCases):
    """更正 a confirmed record: a new record, the original unchanged."""

    model = MaintenanceRecord
    action_url = "records:correct"
    audit_action = "correct"
    without_permission = "use_admin_a"

    def make(self, world):
        from records.tests.builders import visit_record

        return visit_record(world)

    def action_data(self, world, obj):
        return {"reason": "A-1-29 测量值录错"}

    def acted(self, obj):
        return obj.corrections.filter(correction_reason="A-1-29 测量值录错").exists()


class TestFinishCorrection(ActionCases):
    """完成更正 by a worker of the visit, with the hazard codes."""

    model = MaintenanceRecord
    action_url = "records:correction_finish"
    action_user = "worker_a"
    audit_action = "finish_visit"
    without_permission = "admin_a"  # the administrator approves; the workers fill in

    def make(self, world):
        from records.tests.builders import correction_of

        return correction_of(world)

    def action_data(self, world, obj):
        return {"hazard_codes": ["S0"]}

    def acted(self, obj):
        return obj.status == "finished"


class TestApproveCorrection(ActionCases):
    """批准更正 by the company's administrator."""

    model = MaintenanceRecord
    action_url = "records:approve_correction"
    audit_action = "approve_correction"
    without_permission = "worker_a"  # a worker of the visit reads the correction, may not approve it

    def make(self, world):
        from records.tests.builders import correction_of

        return correction_of(world, finish=True)

    def action_data(self, world, obj):
        return {"checked": "on"}

    def acted(self, obj):
        return obj.correction_approved_at is not None


class TestFlaggedRecords(ListCases):
    """存疑纪录: the records carrying a credibility flag, for the company and the regulators."""

    model = MaintenanceRecord
    list_url = "records:flagged"
    list_denied = "use_admin_a"
    max_queries = {"list": 5}

    def make(self, world):
        return simple_record(world)  # flagged 用时过短

    def marker(self, obj):
        return obj.elevator.register_code
