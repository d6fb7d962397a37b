from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import SYSTEM, MenuItem
from core.policies import can


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号")
    # API routers: prefix under /api/v1 → dotted path; api/api.py mounts them
    api_routers = {"/auth": "accounts.api.auth_router", "/users": "accounts.api.users_router"}
    menu_items = [
        MenuItem(SYSTEM, _("修改密码"), "accounts:password_change", order=10),
        MenuItem(
            SYSTEM,
            _("账号维护"),
            "accounts:user_list",
            visible=lambda user: can(user, "list", "accounts.User"),
            order=20,
        ),
    ]

    def ready(self):
        from . import throttle  # noqa: F401 - counts failed logins through Django's auth signals
