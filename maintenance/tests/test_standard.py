"""The standard tests (tests/cases.py) for 维保项目 (a company's own items; the regulation's are read by all) and
the planning calendar (节假日调整, 排期设置, 按需维保)."""

import itertools
from datetime import date, timedelta

from maintenance import services
from maintenance.models import (
    GroupAssignment,
    Holiday,
    MaintenanceGroup,
    MaintenanceItem,
    MaintenancePlan,
    OnDemandMaintenance,
    PlanJob,
    PlanningSettings,
)
from tests.cases import ActionCases, APICases, CreateCases, DetailCases, EditCases, ListCases, audit_events
from tests.factories import make_elevator, qualify

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


_days = itertools.count(1)


def _free_day():
    """A date no other test's holiday takes (a year the package knows nothing special about)."""
    return date(2031, 1, 1) + timedelta(days=next(_days) % 3000)


class TestHoliday(CreateCases, EditCases, APICases):
    """节假日调整: everyone reads the calendar (no other tenant to hide it from), only the operator keeps it."""

    model = Holiday
    create_url, edit_url = "maintenance:holiday_create", "maintenance:holiday_edit"
    api_path = "/maintenance/holidays"
    owner = "operator"
    outsider = None  # reference data
    without_permission = "admin_a"  # reads the calendar, may not change it

    def make(self, world):
        return services.save_holiday(
            actor=world.operator, data={"date": _free_day(), "is_workday": False, "name": "测试假日"}
        )

    def create_data(self, world):
        return {"date": _free_day().isoformat(), "is_workday": "on", "name": "春节调休上班", "reason": "国办发明电"}

    def edit_changes(self, world, obj):
        return {"name": "国庆节（调整）", "is_workday": "True"}

    def stored(self, obj, field):
        return str(getattr(obj, field))

    def api_create_body(self, world):
        return {"date": _free_day().isoformat(), "is_workday": True, "name": "接口调休上班"}

    def api_patch_body(self, world, obj):
        return {"name": "接口修改的名称", "reason": "通知更正"}


class TestPlanningSettings(CreateCases, EditCases):
    """排期设置: the company's administrators set their own (the first save creates the row); its workers only
    read it; other units have none."""

    model = PlanningSettings
    create_url, edit_url = "maintenance:planning_settings", "maintenance:planning_settings_edit"
    without_permission = "worker_a"
    create_denied = "use_admin_a"

    def make(self, world):
        return services.save_planning_settings(world.company_a, avoid="holidays", actor=world.admin_a)

    def create_data(self, world):
        return {"avoid": "days_off"}

    def bad_create_data(self, world):
        return {"avoid": "every_monday"}

    def created(self, world, data):
        return PlanningSettings.objects.get(organization=world.company_a)

    def edit_changes(self, world, obj):
        return {"avoid": "days_off"}


class TestOnDemandMaintenance(ListCases, CreateCases, EditCases, APICases):
    """按需维保: set by the operator; the elevator's readers see its row, another company does not."""

    model = OnDemandMaintenance
    list_url, create_url, edit_url = (
        "maintenance:on_demand_list",
        "maintenance:on_demand_create",
        "maintenance:on_demand_edit",
    )
    api_path = "/maintenance/on-demand"
    owner = "operator"
    outsider = "admin_b"
    without_permission = "admin_a"  # the elevator's company reads the row, may not change it
    max_queries = {"list": 6}

    def make(self, world):
        return services.set_on_demand(
            make_elevator(world),
            interval_days=30,
            starts_on=date(2027, 1, 1),
            note=f"渝市监发〔2026〕{next(_serial)}号",
            actor=world.operator,
        )

    def marker(self, obj):
        return obj.elevator.register_code

    def create_data(self, world):
        return {
            "register_code": make_elevator(world).register_code,
            "interval_days": "45",
            "starts_on": "2027-03-01",
            "note": "按需维保试点批复",
        }

    def edit_changes(self, world, obj):
        return {"interval_days": "20", "note": "批复调整"}

    def api_create_body(self, world):
        return {
            "elevator_id": make_elevator(world).pk,
            "interval_days": 60,
            "starts_on": "2027-02-01",
            "note": "接口设置的试点",
        }

    def api_patch_body(self, world, obj):
        return {"interval_days": 25, "reason": "复核调整"}

    def test_the_interval_stays_within_the_bounds(self, world, client_for):
        client = client_for(world.operator)
        for days, message in (("10", "不能少于 15 天"), ("61", "不能超过 60 天")):
            data = {**self.create_data(world), "interval_days": days}
            response = client.post(self.url(self.create_url), data)
            assert response.status_code == 200 and message in response.content.decode()
        assert not OnDemandMaintenance.objects.exists()

    def test_removing_asks_for_a_reason_and_is_audited(self, world, client_for):
        record = self.make(world)
        client = client_for(world.operator)
        url = self.url("maintenance:on_demand_remove", record)
        assert client.post(url, {}).status_code == 200
        assert client.post(url, {"reason": "试点结束"}).status_code == 302
        assert not OnDemandMaintenance.objects.filter(pk=record.pk).exists()
        assert (
            client_for(world.admin_a).post(self.url("maintenance:on_demand_remove", self.make(world))).status_code
            == 403
        )


class TestMaintenanceGroup(ListCases, DetailCases, CreateCases, EditCases, APICases):
    model = MaintenanceGroup
    list_url, detail_url, create_url, edit_url = (
        "maintenance:group_list",
        "maintenance:group_detail",
        "maintenance:group_create",
        "maintenance:group_edit",
    )
    api_path = "/maintenance/groups"
    without_permission = "worker_a"  # reads the company's groups, is no administrator
    list_denied = "use_admin_a"  # a use unit has no groups
    max_queries = {"list": 4, "detail": 7}

    def make(self, world):
        return services.create_group(
            actor=world.admin_a, data={"name": f"第{next(_serial)}维保组", "leader": world.admin_a, "members": []}
        )

    def marker(self, obj):
        return obj.name

    def create_data(self, world):
        qualify(world.worker_a)
        return {"name": f"新建小组{next(_serial)}", "leader": world.admin_a.pk, "members": [world.worker_a.pk]}

    def created(self, world, data):
        return MaintenanceGroup.objects.get(name=data["name"])

    def edit_changes(self, world, obj):
        return {"name": f"改名小组{next(_serial)}", "note": "负责渝北片区"}

    def api_create_body(self, world):
        qualify(world.worker_a)
        return {"name": f"接口小组{next(_serial)}", "leader_id": world.admin_a.pk, "member_ids": [world.worker_a.pk]}

    def api_patch_body(self, world, obj):
        return {"note": "接口修改的备注"}


class TestDeleteMaintenanceGroup(ActionCases):
    """删除维保小组 with a reason: its elevators become unassigned."""

    model = MaintenanceGroup
    action_url = "maintenance:group_delete"
    audit_action = "delete"
    without_permission = "worker_a"

    def make(self, world):
        group = services.create_group(
            actor=world.admin_a, data={"name": f"待删小组{next(_serial)}", "leader": world.admin_a}
        )
        services.assign_elevators(group, [make_elevator(world).pk], actor=world.admin_a)
        return group

    def action_data(self, world, obj):
        return {"reason": "小组合并"}

    def acted(self, obj):
        return not MaintenanceGroup.objects.filter(pk=obj.pk).exists()

    def test_action_asks_then_acts_and_audits(self, world, client_for):
        obj = self.make(world)
        client = client_for(world.admin_a)
        assert client.get(self.url(self.action_url, obj)).status_code == 200
        response = client.post(self.url(self.action_url, obj), self.action_data(world, obj))
        assert response.status_code == 302 and response["Location"] == "/maintenance/groups/"
        assert self.acted(obj)
        assert not GroupAssignment.objects.filter(group_id=obj.pk).exists()
        event = audit_events(obj, "delete", world.admin_a).get()
        assert event.reason == "小组合并" and event.changes["name"][0] == obj.name
