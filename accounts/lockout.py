"""What a locked-out user sees: a clear message on the login page, or JSON on the API."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("密码连续错误 %(n)s 次，账号已被锁定，请 %(m)s 分钟后再试，或联系单位管理员。") % {
        "n": settings.AXES_FAILURE_LIMIT,
        "m": minutes,
    }


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message(), "code": "locked_out"}, status=429)
    from .forms import LoginForm

    form = LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "locked_message": lockout_message()}, status=429)
