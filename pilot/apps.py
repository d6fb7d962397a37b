from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotConfig(AppConfig):
    name = "pilot"
    verbose_name = _("电梯维护保养试点")
    api_routers = {"/pilot-applications": "pilot.api.router"}
