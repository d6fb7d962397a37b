from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import DIRECTORY, LEDGER, MenuItem


class ElevatorsConfig(AppConfig):
    name = "elevators"
    verbose_name = _("电梯管理")
    menu_items = [
        MenuItem(LEDGER, _("电梯台账"), "elevators:list", order=10),
        MenuItem(
            LEDGER,
            _("问题上报"),
            "elevators:problem_list",
            visible=lambda user: (
                (scope := import_module("core.tenancy").scope_for(user)).is_operator
                or scope.kind in ("maintenance_company", "use_unit")
            ),
            order=20,
        ),
        MenuItem(DIRECTORY, _("电梯信息"), "elevators:list", order=60),
    ]
