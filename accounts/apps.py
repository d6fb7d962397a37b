from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号")
    # API routers: prefix under /api/v1 → dotted path; api/api.py mounts them
    api_routers = {"/auth": "accounts.api.auth_router", "/users": "accounts.api.users_router"}
