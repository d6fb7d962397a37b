"""/api/v1/auth and /api/v1/users."""

from datetime import datetime

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from api.errors import ErrorOut, with_errors
from api.filtering import filter_queryset, filter_schema
from api.pagination import LimitOffsetPagination
from core.policies import require
from core.schemas import model_schemas

from . import services, throttle
from .filters import UserFilter
from .lockout import address_wait_response, backstop_message
from .models import ApiToken, EmergencyRole, User, UserCategory, UserRole
from .policies import units_for_accounts

auth_router = Router(tags=["auth"])
users_router = Router(tags=["users"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    expires_at: datetime
    must_change_password: bool


class PasswordIn(Schema):
    old_password: str
    new_password: str


class MessageOut(Schema):
    detail: str


@auth_router.post("/token", auth=None, response=with_errors({200: TokenOut, 401: ErrorOut, 429: ErrorOut}, public=True))
def issue_token(request, payload: TokenIn):
    """Exchange a username and password for a bearer token. Five wrong passwords lock the username at the
    caller's address; an address that fails too often waits (429, Retry-After); a username failing from many
    addresses is refused here (429) until its owner logs in on the web or an administrator unlocks it."""
    wait = throttle.address_wait(request)
    if wait:
        return address_wait_response(request, wait)
    if throttle.username_backstopped(payload.username):
        return Status(429, {"detail": backstop_message()})
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        return Status(401, {"detail": _("用户名或密码错误（连续错误 5 次将锁定账号）。")})
    token, raw = ApiToken.issue(user)
    return Status(
        200, {"token": raw, "expires_at": token.expires_at, "must_change_password": user.must_change_password}
    )


@auth_router.post("/password", response=with_errors(MessageOut))
def change_password(request, payload: PasswordIn):
    """修改密码; the only call allowed while the initial password is still in use."""
    services.change_password(request.user, payload.old_password, payload.new_password, request=request)
    return {"detail": _("密码已修改。")}


UserOut, UserIn, UserPatch = model_schemas(
    User,
    fields=["username", *services.ACCOUNT_FIELDS],
    create_only=["username"],
    update_only=["is_active"],  # an account is created active
    required=["full_name", "phone", "organization", "category"],
    read_only=["must_change_password", "is_unit_account"],
    overrides={
        "username": Field(min_length=3, max_length=150, pattern=r"^[\w.@+-]+$"),
        "full_name": Field(min_length=1, max_length=60),
        "category": UserCategory,
        "role": UserRole,
        "emergency_role": EmergencyRole,
    },
    out_extra={
        "organization_name": (str | None, Field(None, alias="organization.name")),
        # who opened the account ("渝北区局 · 张三 (yubei)"), when someone of another unit did; "" otherwise
        "opened_elsewhere_by": (str, Field("", alias="opened_elsewhere_by")),
    },
)


def _scoped_users(request):
    require(request.user, "list", User)
    return User.objects.changeable_by(request.user).select_related(
        "organization", "created_by", "created_by_organization"
    )


def _organization_for(request, organization_id, action="add"):
    """The unit of a new account (where the user may open accounts) or of an edited one (its own)."""
    org = units_for_accounts(request.user, action).filter(pk=organization_id).first()
    if org is None:
        if action == "add":
            raise ValidationError({"organization_id": services.refusal_to_open(request.user)})
        raise ValidationError({"organization_id": _("单位不存在或您无权在该单位下管理账号。")})
    return org


UserQuery = filter_schema(UserFilter, name="UserQuery")


@users_router.get("", response=with_errors(list[UserOut]))
@paginate(LimitOffsetPagination)
def list_users(request, filters: Query[UserQuery]):
    """Filtered as on the 账号维护 page: `q` searches the username, name and phone."""
    return filter_queryset(UserFilter, filters, _scoped_users(request).order_by("username"), user=request.user)


@users_router.get("/{int:user_id}", response=with_errors(UserOut, not_found=True))
def get_user(request, user_id: int):
    return get_object_or_404(_scoped_users(request), pk=user_id)


@users_router.post("", response=with_errors({201: UserOut}))
def create_user(request, payload: UserIn):
    """新增账号: the initial password is 111111, to be changed at first login."""
    _scoped_users(request)
    account = services.create_account(
        actor=request.user,
        organization=_organization_for(request, payload.organization_id),
        username=payload.username,
        category=payload.category,
        role=payload.role,
        emergency_role=payload.emergency_role,
        full_name=payload.full_name,
        phone=payload.phone,
        email=payload.email,
        request=request,
    )
    return Status(201, account)


@users_router.patch("/{int:user_id}", response=with_errors(UserOut, not_found=True))
def update_user(request, user_id: int, payload: UserPatch):
    account = get_object_or_404(_scoped_users(request), pk=user_id)
    changes = payload.dict(exclude_unset=True)
    if "organization_id" in changes:
        changes["organization"] = _organization_for(request, changes.pop("organization_id"), "change")
    return services.update_account(account, actor=request.user, changes=changes, request=request)
