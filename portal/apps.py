from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import REFERENCE, MenuItem


class PortalConfig(AppConfig):
    """The top level that assembles the apps: the home page, the side menu, demo data and the city generator."""

    name = "portal"
    verbose_name = _("平台门户")
    api_routers = {"/dashboard": "portal.api.router"}
    menu_items = [
        MenuItem(
            REFERENCE,
            _("运营管理后台"),
            "admin:index",
            visible=lambda user: import_module("core.tenancy").scope_for(user).is_operator,
            order=20,
        ),
    ]
