from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import MenuItem, Section
from core.tenancy import scope_for

MAINTENANCE = Section("maintenance", _("无纸化维保"), 30)


class MaintenanceConfig(AppConfig):
    name = "maintenance"
    verbose_name = _("无纸化维保")
    api_routers = {
        "/maintenance/items": "maintenance.api.items_router",
        "/maintenance/plans": "maintenance.api.plans_router",
    }
    menu_items = [
        MenuItem(MAINTENANCE, _("维保项目管理"), "maintenance:item_list", order=10),
        MenuItem(
            MAINTENANCE,
            _("维保计划管理"),
            "maintenance:plan_list",
            visible=lambda user: (
                scope_for(user).kind in ("maintenance_company", "use_unit", "regulator") or scope_for(user).is_operator
            ),
            order=30,
        ),
    ]
    object_panels = {"elevators.Elevator": "maintenance.views.plans.elevator_plans_panel"}
