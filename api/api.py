"""The HTTP API at /api/v1/: each app keeps its router in its own api.py."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from .auth import BearerAuth, SessionAuth

api = NinjaAPI(
    title="电梯维保管理平台 API",
    version="1.0.0",
    urls_namespace="api",
    auth=[BearerAuth(), SessionAuth()],
    description="Bearer token from POST /api/v1/auth/token. Every list is scoped by the tenancy gate.",
)


def _validation_payload(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            "detail": [
                {"field": field, "messages": [str(m) for e in errors for m in e.messages]}
                for field, errors in exc.error_dict.items()
            ]
        }
    return {"detail": [{"field": None, "messages": exc.messages}]}


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return api.create_response(request, _validation_payload(exc), status=422)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("您没有执行此操作的权限。")}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("对象不存在或无权查看。")}, status=404)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(request, {"detail": _("请先登录：在 Authorization 头中提供 Bearer 令牌。")}, status=401)


from accounts.api import auth_router, users_router  # noqa: E402
from elevators.api import router as elevators_router  # noqa: E402
from organizations.api import organizations_router, regions_router  # noqa: E402

api.add_router("/auth", auth_router)
api.add_router("/users", users_router)
api.add_router("/regions", regions_router)
api.add_router("/organizations", organizations_router)
api.add_router("/elevators", elevators_router)
