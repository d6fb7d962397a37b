"""Panels one app adds to another app's object page, without the page's app knowing it.

An app declares them on its AppConfig: `object_panels = {"elevators.Elevator": "maintenance.views.plans.
elevator_plans_panel"}`, a function `(request, obj) -> str` (rendered HTML, or "" to show nothing). The
generic detail view puts the rendered panels in its context as `panels`.
"""

from functools import cache

from django.apps import apps
from django.utils.module_loading import import_string

__all__ = ["panels_for"]


@cache
def _declared(label: str) -> tuple:
    found = []
    for config in apps.get_app_configs():
        path = getattr(config, "object_panels", {}).get(label)
        if path:
            found.append(import_string(path))
    return tuple(found)


def panels_for(request, obj) -> list[str]:
    return [html for panel in _declared(obj._meta.label) if (html := panel(request, obj))]
