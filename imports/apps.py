from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import LEDGER, MenuItem


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("数据导入")
    menu_items = [
        # today the ledger is the only import: who may record elevators sees the import history
        MenuItem(
            LEDGER,
            _("导入记录"),
            "imports:list",
            visible=lambda user: import_module("elevators.services").can_create_elevators(user),
            order=30,
        ),
    ]
