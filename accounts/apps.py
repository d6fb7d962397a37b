from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import SYSTEM, MenuItem


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号")
    menu_items = [
        MenuItem(SYSTEM, _("修改密码"), "accounts:password_change", order=10),
        MenuItem(
            SYSTEM,
            _("账号维护"),
            "accounts:user_list",
            visible=lambda user: import_module("core.permissions").can(user, "accounts.manage"),
            order=20,
        ),
    ]
