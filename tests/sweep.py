"""Discovery for the isolation sweep: every page and API path of the project that names an object or lists them.

Nothing here is a hand-kept table: a URL pattern belongs to the project when its view's module lives in the
project's tree; an object URL names its object `pk` and its view declares `model` (generic views do; function
views use `core.generic.object_view`); an API path names its object `{<model_name>_id}`. A part of that object (a
document of an application) may follow as `<model_name>_id` (`/applications/{application_id}/attachments/
{attachment_id}`): the sweep tries it with another tenant's objects of both models.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from core.generic import ObjectListView
from core.policies import policy_for

ROOT = Path(settings.BASE_DIR).resolve()


@dataclass
class Page:
    name: str
    pattern: URLPattern
    view: object
    model: object = None
    parts: dict = field(default_factory=dict)  # further URL arguments naming a part of the object: name -> model


def _ours(module: str) -> bool:
    import importlib

    top = module.split(".")[0]
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return False
    origin = spec.origin or (spec.submodule_search_locations and list(spec.submodule_search_locations)[0])
    if not origin:
        return False
    path = Path(origin).resolve()
    return path.is_relative_to(ROOT) and ".venv" not in path.parts and "site-packages" not in path.parts


def _walk(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def project_pages(urlconf=None):
    for name, pattern in _walk(get_resolver(urlconf)):
        view = pattern.callback
        module = getattr(getattr(view, "view_class", None), "__module__", None) or view.__module__
        if not _ours(module):
            continue
        view_class = getattr(view, "view_class", None)
        model = getattr(view_class, "model", None) if view_class else getattr(view, "model", None)
        yield Page(name, pattern, view, model)


def object_pages(urlconf=None):
    """(pages that name an object, problems): a problem is an object URL the sweep cannot try."""
    pages, problems = [], []
    for page in project_pages(urlconf):
        converters = set(page.pattern.pattern.converters)
        if not converters or converters <= {"kind"}:
            continue
        others = converters - {"pk"}
        if others:
            if "pk" not in converters and not any(c.endswith("_id") for c in others):
                continue  # names no object (a kind, a token, a year)
            parts = {name: model_for_api_parameter(name) for name in others}
            if "pk" not in converters or None in parts.values():
                problems.append(
                    f"{page.name}: name the object `pk` and a part of it `<model_name>_id` (found {sorted(converters)})"
                )
                continue
            page.parts = parts
        if page.model is None:
            problems.append(f"{page.name}: declare the view's model (class attribute or @object_view)")
            continue
        pages.append(page)
    return pages, problems


def list_pages(urlconf=None):
    for page in project_pages(urlconf):
        view_class = getattr(page.view, "view_class", None)
        if view_class is not None and issubclass(view_class, ObjectListView):
            yield page, getattr(view_class, "sweep_kwargs", [{}])


def is_shared(model) -> bool:
    policy = policy_for(model)
    return bool(getattr(policy, "shared", False))


def model_for_api_parameter(name: str):
    """`elevator_id` -> Elevator, `organization_id` -> Organization: by the model's name."""
    wanted = name.removesuffix("_id").replace("_", "")
    for model in apps.get_models():
        if model._meta.model_name == wanted and _ours(model.__module__):
            return model
    return None


def api_paths(paths):
    """(api paths that name an object, problems): each found path as (path, parameter, model, methods, parts),
    parts being the further parameters that name a part of the object (name -> model)."""
    import re

    found, problems = [], []
    for path, operations in paths.items():
        params = re.findall(r"{(\w+)}", path)
        if not params:
            continue
        models = {name: model_for_api_parameter(name) for name in params}
        unknown = [name for name, model in models.items() if model is None]
        if unknown:
            problems.append(f"{path}: {{{unknown[0]}}} names no model of the project (use {{<model_name>_id}})")
            continue
        parts = {name: models[name] for name in params[1:]}
        methods = [m for m in operations if m in ("get", "post", "put", "patch", "delete")]
        found.append((path, params[0], models[params[0]], methods, parts))
    return found, problems
