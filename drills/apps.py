from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import MenuItem
from core.policies import can
from maintenance.apps import MAINTENANCE


class DrillsConfig(AppConfig):
    name = "drills"
    verbose_name = _("应急演练")
    api_routers = {"/drills": "drills.api.router"}
    menu_items = [
        MenuItem(
            MAINTENANCE,
            _("应急演练"),
            "drills:list",
            visible=lambda user: can(user, "list", "drills.EmergencyDrill"),
            order=48,
        ),
    ]
    object_panels = {"elevators.Elevator": "drills.views.elevator_drill_panel"}
