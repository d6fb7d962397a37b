from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import MenuItem, Section
from core.policies import can
from core.tenancy import scope_for

APPLICATIONS = Section("applications", _("监管申请"), 25)


def _files(user) -> bool:
    scope = scope_for(user)
    return scope.kind in ("maintenance_company", "use_unit") and can(user, "list", "applications.Application")


def _reviews(user) -> bool:
    scope = scope_for(user)
    return scope.is_operator or scope.kind == "regulator"


def _entry(kind: str, label, order: int) -> MenuItem:
    return MenuItem(APPLICATIONS, label, "applications:kind_list", args=(kind,), visible=_files, order=order)


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("监管申请")
    api_routers = {"/applications": "applications.api.router"}
    menu_items = [
        _entry("registration", _("使用登记申请"), 10),
        _entry("maintainer_change", _("维保单位变更申请"), 20),
        _entry("suspension", _("停用登记申请"), 30),
        _entry("reactivation", _("停用后启用登记申请"), 40),
        _entry("scrapping", _("报废登记申请"), 50),
        MenuItem(
            APPLICATIONS, _("申请审核"), "applications:review_queue", visible=_reviews, order=60, testid="menu-review"
        ),
        MenuItem(APPLICATIONS, _("全部申请"), "applications:list", visible=_reviews, order=70),
    ]
    object_panels = {"elevators.Elevator": "applications.views.elevator_panel"}
