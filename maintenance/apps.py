from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import MenuItem, Section
from core.policies import can
from core.tenancy import scope_for

MAINTENANCE = Section("maintenance", _("无纸化维保"), 30)


def _plans_for_a_company(user) -> bool:
    return scope_for(user).kind == "maintenance_company"  # the operator has no company of its own


def _reads_plans(user) -> bool:
    scope = scope_for(user)
    return scope.is_operator or scope.kind in ("maintenance_company", "use_unit", "regulator")


class MaintenanceConfig(AppConfig):
    name = "maintenance"
    verbose_name = _("无纸化维保")
    api_routers = {
        "/maintenance/items": "maintenance.api.items_router",
        "/maintenance/groups": "maintenance.api.groups_router",
        "/maintenance/plans": "maintenance.api.plans_router",
        "/maintenance/holidays": "maintenance.api.holidays_router",
        "/maintenance/on-demand": "maintenance.api.on_demand_router",
    }
    menu_items = [
        MenuItem(MAINTENANCE, _("维保项目管理"), "maintenance:item_list", order=10),
        MenuItem(
            MAINTENANCE,
            _("维保小组管理"),
            "maintenance:group_list",
            visible=lambda user: can(user, "list", "maintenance.MaintenanceGroup"),
            order=20,
        ),
        MenuItem(MAINTENANCE, _("维保计划管理"), "maintenance:plan_list", visible=_reads_plans, order=30),
        MenuItem(MAINTENANCE, _("排期设置"), "maintenance:planning_settings", visible=_plans_for_a_company, order=50),
        MenuItem(MAINTENANCE, _("节假日安排"), "maintenance:holiday_year", order=60),
        MenuItem(MAINTENANCE, _("按需维保"), "maintenance:on_demand_list", order=70),
    ]
    object_panels = {"elevators.Elevator": "maintenance.views.plans.elevator_plans_panel"}

    def ready(self):
        from . import days_off  # noqa: F401 - connects the signals that refresh the holiday calendar
