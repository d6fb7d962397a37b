from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import DIRECTORY, ORGANIZATIONS, REFERENCE, MenuItem


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("组织架构")
    # API routers: prefix under /api/v1 → dotted path; api/api.py mounts them
    api_routers = {
        "/regions": "organizations.api.regions_router",
        "/organizations": "organizations.api.organizations_router",
    }
    menu_items = [
        MenuItem(
            ORGANIZATIONS,
            _("本单位信息"),
            "organizations:detail",
            args=lambda user: (user.organization_id,),
            visible=lambda user: bool(user.organization_id),
            order=10,
        ),
        MenuItem(ORGANIZATIONS, _("电梯维保单位"), "organizations:list", ("maintenance_company",), order=20),
        MenuItem(ORGANIZATIONS, _("电梯使用单位"), "organizations:list", ("use_unit",), order=30),
        MenuItem(ORGANIZATIONS, _("监管单位"), "organizations:list", ("regulator",), order=40),
        MenuItem(DIRECTORY, _("生产单位"), "organizations:list", ("manufacturer",), order=10),
        MenuItem(DIRECTORY, _("使用单位"), "organizations:list", ("use_unit",), order=20),
        MenuItem(DIRECTORY, _("维保单位"), "organizations:list", ("maintenance_company",), order=30),
        MenuItem(DIRECTORY, _("救援单位"), "organizations:list", ("rescue_unit",), order=40),
        MenuItem(DIRECTORY, _("检验单位"), "organizations:list", ("inspection_institute",), order=50),
        MenuItem(REFERENCE, _("行政区域"), "organizations:region_list", order=10),
    ]
