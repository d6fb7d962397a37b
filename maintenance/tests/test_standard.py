"""The standard tests (tests/cases.py) for 维保项目: a company's own items; the regulation's are read by all."""

import itertools
from datetime import timedelta

from maintenance import services
from maintenance.models import MaintenanceItem, MaintenancePlan, PlanJob
from tests.cases import ActionCases, APICases, CreateCases, DetailCases, EditCases, ListCases

_serial = itertools.count(1)


class TestMaintenanceItem(ListCases, DetailCases, CreateCases, EditCases, APICases):
    model = MaintenanceItem
    list_url, detail_url, create_url, edit_url = (
        "maintenance:item_list",
        "maintenance:item_detail",
        "maintenance:item_create",
        "maintenance:item_edit",
    )
    api_path = "/maintenance/items"
    without_permission = "worker_a"  # reads the company's items, is no administrator
    max_queries = {"list": 5, "detail": 5}

    def make(self, world):
        return services.create_item(
            actor=world.admin_a,
            data={"annex": "A", "cycle": "half_month", "part": f"本单位项目{next(_serial)}", "requirement": "正常"},
        )

    def marker(self, obj):
        return obj.part

    def create_data(self, world):
        return {
            "annex": "A",
            "cycle": "quarter",
            "part": f"新增项目{next(_serial)}",
            "requirement": "运转正常",
            "judgement": "qualitative",
            "condition": "",
            "is_active": "on",
        }

    def created(self, world, data):
        return MaintenanceItem.objects.get(part=data["part"])

    def edit_changes(self, world, obj):
        return {"requirement": "运转正常，无异响", "unit": "mm"}

    def api_create_body(self, world):
        return {"annex": "B", "cycle": "annual", "part": f"接口项目{next(_serial)}", "requirement": "符合要求"}

    def api_patch_body(self, world, obj):
        return {"requirement": "接口修改后的要求"}


def _plans_of_a(world):
    """A year of plans from today for a new elevator of company A, in a group of worker A (who reads them)."""
    from datetime import date

    from maintenance.models import GroupAssignment, MaintenanceGroup
    from maintenance.services import plans
    from tests.factories import make_elevator

    elevator = make_elevator(world)
    group, _created = MaintenanceGroup.objects.get_or_create(
        organization=world.company_a, name="标准测试组", defaults={"leader": world.admin_a}
    )
    group.members.add(world.worker_a)
    GroupAssignment.objects.create(elevator=elevator, group=group)
    plans.generate_year(elevator, date.today(), actor=world.admin_a, avoid=frozenset())
    return list(MaintenancePlan.objects.filter(elevator=elevator).order_by("due_date"))


class TestMaintenancePlan(ListCases, DetailCases, ActionCases, APICases):
    model = MaintenancePlan
    list_url, detail_url, action_url = "maintenance:plan_list", "maintenance:plan_detail", "maintenance:plan_move"
    api_path = "/maintenance/plans"
    without_permission = "worker_a"  # reads his group's plans, may not move them
    audit_action = "move"
    max_queries = {"list": 9, "detail": 9}

    def make(self, world):
        rows = _plans_of_a(world)
        # a visit 14 days before the next may come a day earlier without breaking either gap
        return next(p for p, n in zip(rows[1:], rows[2:], strict=False) if (n.due_date - p.due_date).days == 14)

    def marker(self, obj):
        return obj.elevator.register_code

    def action_data(self, world, obj):
        return {"due_date": (obj.due_date - timedelta(days=1)).isoformat(), "reason": "业主要求提前"}

    def acted(self, obj):
        return obj.due_date != obj.original_date


class TestPlanJob(DetailCases):
    model = PlanJob
    detail_url = "maintenance:plan_job"
    max_queries = {"detail": 6}

    def make(self, world):
        from datetime import date

        return PlanJob.objects.create(
            organization=world.company_a,
            created_by=world.admin_a,
            start_date=date(2026, 3, 1),
            description="小区/大厦=标准测试",
            status="done",
            total=3,
            processed=3,
            created_plans=75,
        )

    def marker(self, obj):
        return obj.description
