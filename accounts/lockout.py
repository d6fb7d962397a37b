"""What a locked-out user sees: a clear message on the login page, or JSON on the API."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("密码连续错误 %(n)s 次，该账号在本地址已被锁定，请 %(m)s 分钟后再试，或请单位管理员解除锁定。") % {
        "n": settings.AXES_FAILURE_LIMIT,
        "m": minutes,
    }


def address_wait_message(seconds: int) -> str:
    minutes = max((seconds + 59) // 60, 1)
    return _("本地址的登录失败次数过多，请 %(m)s 分钟后再试。") % {"m": minutes}


def backstop_message() -> str:
    return _("该账号近期从多个地址输错密码，接口登录已暂停：请在网页登录（有验证码），或请单位管理员解除锁定。")


def _refusal(request, message: str, code: str):
    """429 with the message: JSON on the API, the login page with it above the form elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": code}, status=429)
    from .forms import LoginForm

    return render(request, "accounts/login.html", {"form": LoginForm(request), "locked_message": message}, status=429)


def address_wait_response(request, seconds: int):
    """429 for an address that failed too often, before any password is checked."""
    response = _refusal(request, address_wait_message(seconds), "address_throttled")
    response["Retry-After"] = str(seconds)
    return response


def lockout_response(request, original_response=None, credentials=None):
    return _refusal(request, lockout_message(), "locked_out")
