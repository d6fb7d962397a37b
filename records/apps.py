from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import MenuItem
from core.policies import can
from maintenance.apps import MAINTENANCE


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("维保纪录")
    api_routers = {
        "/maintenance/records": "records.api.records_router",
        "/maintenance/repairs": "records.api.repairs_router",
    }
    menu_items = [
        MenuItem(
            MAINTENANCE,
            _("维保纪录查询"),
            "records:list",
            visible=lambda user: can(user, "list", "records.MaintenanceRecord"),
            order=40,
        ),
        MenuItem(
            MAINTENANCE,
            _("存疑纪录"),
            "records:flagged",
            visible=lambda user: can(user, "list_flagged", "records.MaintenanceRecord"),
            order=42,
            testid="menu-flagged",
        ),
        MenuItem(
            MAINTENANCE,
            _("维修纪录管理"),
            "records:repair_list",
            visible=lambda user: can(user, "list", "records.Repair"),
            order=45,
        ),
    ]

    object_panels = {"elevators.ProblemReport": "records.views.problem_repairs_panel"}

    def ready(self):
        from . import signals  # noqa: F401 - connects the guard that keeps sealed records unchanged
