"""The HTTP API at /api/v1/: each app keeps its routers in its own api.py and declares them on its AppConfig."""

import json

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404
from django.http.request import RawPostDataException
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from core.workflow import TransitionError

from .auth import BearerAuth, SessionAuth

api = NinjaAPI(
    title="电梯维保管理平台 API",
    version="1.0.0",
    urls_namespace="api",
    auth=[BearerAuth(), SessionAuth()],
    description="Bearer token from POST /api/v1/auth/token. Every list is scoped by the tenancy gate.",
)


def _sent_fields(request) -> set:
    if request.content_type != "application/json":
        return set(request.POST) | set(request.FILES)  # a multipart form (its stream is already read)
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError, RawPostDataException):
        return set()
    return set(body) if isinstance(body, dict) else set()


def _validation_payload(exc: ValidationError, sent=frozenset()) -> dict:
    """Errors by field, named as the API names them: a service that says `region` about a `region_id` the
    caller sent is reported on `region_id`."""

    def api_name(field):
        return f"{field}_id" if field not in sent and f"{field}_id" in sent else field

    if hasattr(exc, "error_dict"):
        return {
            "detail": [
                {"field": api_name(field), "messages": [str(m) for e in errors for m in e.messages]}
                for field, errors in exc.error_dict.items()
            ]
        }
    return {"detail": [{"field": None, "messages": exc.messages}]}


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return api.create_response(request, _validation_payload(exc, _sent_fields(request)), status=422)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("您没有执行此操作的权限。")}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("对象不存在或无权查看。")}, status=404)


@api.exception_handler(TransitionError)
def on_conflict(request, exc):
    """A step the object's state does not allow (any more): another person's step came first."""
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(request, {"detail": _("请先登录：在 Authorization 头中提供 Bearer 令牌。")}, status=401)


def mount_app_routers(target: NinjaAPI) -> None:
    """Mount the routers each installed app declares as `api_routers = {prefix: "dotted.path"}` on its
    AppConfig, in INSTALLED_APPS order."""
    mounted = {}
    for config in apps.get_app_configs():
        for prefix, dotted_path in getattr(config, "api_routers", {}).items():
            if prefix in mounted:
                raise ImproperlyConfigured(f"{config.label} and {mounted[prefix]} both mount API routers at {prefix}")
            mounted[prefix] = config.label
            target.add_router(prefix, import_string(dotted_path))


mount_app_routers(api)
