from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import MenuItem, Section
from core.policies import can

MAINTENANCE = Section("maintenance", _("无纸化维保"), 30)


class MaintenanceConfig(AppConfig):
    name = "maintenance"
    verbose_name = _("无纸化维保")
    api_routers = {
        "/maintenance/items": "maintenance.api.items_router",
        "/maintenance/groups": "maintenance.api.groups_router",
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
    ]
