from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import DIRECTORY, LEDGER, MenuItem
from core.policies import can


class ElevatorsConfig(AppConfig):
    name = "elevators"
    verbose_name = _("电梯管理")
    # API routers: prefix under /api/v1 → dotted path; api/api.py mounts them
    api_routers = {"/elevators": "elevators.api.router"}
    menu_items = [
        MenuItem(LEDGER, _("电梯台账"), "elevators:list", order=10),
        MenuItem(
            LEDGER,
            _("问题上报"),
            "elevators:problem_list",
            visible=lambda user: can(user, "list", "elevators.ProblemReport"),
            order=20,
        ),
        MenuItem(DIRECTORY, _("电梯信息"), "elevators:list", order=60),
    ]
