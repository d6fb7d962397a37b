from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import MenuItem
from maintenance.apps import MAINTENANCE


def _works_on_site(user) -> bool:
    from core.tenancy import scope_for

    return scope_for(user).kind == "maintenance_company"


class MobileConfig(AppConfig):
    """维保APP: the worker's phone at /m/ (agenda, scan, items, finish, on-site signature, offline queue)."""

    name = "mobile"
    verbose_name = _("手机维保")
    api_routers = {"/mobile": "mobile.api.router"}
    menu_items = [MenuItem(MAINTENANCE, _("手机维保"), "mobile:app", visible=_works_on_site, order=5)]
