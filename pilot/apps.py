from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from applications.apps import APPLICATIONS
from core.menu import MenuItem
from core.policies import can
from core.tenancy import scope_for


def _applies(user) -> bool:
    return scope_for(user).kind in ("use_unit", "maintenance_company") and can(user, "list", "pilot.PilotApplication")


def _handles(user) -> bool:
    scope = scope_for(user)
    return scope.is_operator or scope.kind == "regulator"


class PilotConfig(AppConfig):
    name = "pilot"
    verbose_name = _("电梯维护保养试点")
    api_routers = {"/pilot-applications": "pilot.api.router"}
    menu_items = [
        MenuItem(
            APPLICATIONS, _("电梯维护保养试点申请"), "pilot:list", visible=_applies, order=80, testid="menu-pilot"
        ),
        MenuItem(APPLICATIONS, _("试点申请办理"), "pilot:queue", visible=_handles, order=90, testid="menu-pilot-queue"),
    ]
