from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import LEDGER, MenuItem
from core.policies import can


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("数据导入")
    menu_items = [
        # today the ledger is the only import: who may record elevators sees the import history
        MenuItem(
            LEDGER,
            _("导入记录"),
            "imports:list",
            visible=lambda user: can(user, "import", "elevators.Elevator"),
            order=30,
        ),
    ]
