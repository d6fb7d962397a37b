"""API authentication: bearer tokens, or the browser session; both honour the forced password change."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from accounts.models import ApiToken, hash_token

PASSWORD_CHANGE_PATH = "/api/v1/auth/password"


def _admit(request, user):
    if not user.is_active:
        return None
    if user.must_change_password and request.path != PASSWORD_CHANGE_PATH:
        raise HttpError(403, _("请先修改初始密码（POST /api/v1/auth/password）。"))
    request.user = user
    return user


class BearerAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), expires_at__gt=timezone.now())
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.api_token_id = found.pk  # a password change keeps the token it was made with
        return _admit(request, found.user)


class SessionAuth(APIKeyCookie):
    """The logged-in browser session (CSRF-checked), so pages can call the API too."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return _admit(request, user)
