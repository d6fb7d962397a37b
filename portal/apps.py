from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top level that assembles the apps: the home page, the side menu, demo data and the city generator."""

    name = "portal"
    verbose_name = _("平台门户")
