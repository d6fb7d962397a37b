"""The standard tests (tests/cases.py) for 维保项目: a company's own items; the regulation's are read by all."""

import itertools
from datetime import date

from maintenance import services
from maintenance.models import GroupAssignment, MaintenanceGroup, MaintenanceItem
from tests.cases import ActionCases, APICases, CreateCases, DetailCases, EditCases, ListCases, audit_events
from tests.factories import make_elevator

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


def qualify(user, valid_until=date(2099, 12, 31)):
    """A worker's qualification (资质认证) valid until the given day."""
    from accounts.services import submit_worker_qualification
    from tests.factories import png_upload

    return submit_worker_qualification(
        user,
        actor=user,
        certificate_number=f"Q-{user.pk}-{valid_until}",
        valid_from=date(2020, 1, 1),
        valid_until=valid_until,
        certificate_file=png_upload("c.png"),
        declaration_file=png_upload("d.png"),
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
