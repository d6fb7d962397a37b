from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElevatorsConfig(AppConfig):
    name = "elevators"
    verbose_name = _("电梯管理")
    # API routers: prefix under /api/v1 → dotted path; api/api.py mounts them
    api_routers = {"/elevators": "elevators.api.router"}
