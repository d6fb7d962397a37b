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


def address_wait_response(request, seconds: int):
    """429 for an address that failed too often, before any password is checked."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": address_wait_message(seconds), "code": "address_throttled"}, status=429)
    else:
        from .forms import LoginForm

        form = LoginForm(request)
        context = {"form": form, "locked_message": address_wait_message(seconds)}
        response = render(request, "accounts/login.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message(), "code": "locked_out"}, status=429)
    from .forms import LoginForm

    form = LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "locked_message": lockout_message()}, status=429)
