from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("维保纪录")

    def ready(self):
        from . import signals  # noqa: F401 - connects the guard that keeps sealed records unchanged
