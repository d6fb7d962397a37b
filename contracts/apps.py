from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import LEDGER, MenuItem
from core.policies import can


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("维保合同")
    api_routers = {"/contracts": "contracts.api.router"}
    menu_items = [
        MenuItem(
            LEDGER,
            _("维保合同"),
            "contracts:list",
            visible=lambda user: can(user, "list", "contracts.MaintenanceContract"),
            order=15,
        ),
    ]
    object_panels = {"elevators.Elevator": "contracts.views.elevator_panel"}
