"""The standard tests (tests/cases.py) for 维保项目: a company's own items; the regulation's are read by all."""

import itertools

from maintenance import services
from maintenance.models import MaintenanceItem
from tests.cases import APICases, CreateCases, DetailCases, EditCases, ListCases

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
