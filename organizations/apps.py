from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("组织架构")
    # API routers: prefix under /api/v1 → dotted path; api/api.py mounts them
    api_routers = {
        "/regions": "organizations.api.regions_router",
        "/organizations": "organizations.api.organizations_router",
    }
