"""Until a user replaces the initial password, every page leads to the password form."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

ALLOWED_PREFIXES = ("/static/", "/captcha/", "/i18n/", "/api/", "/e/", "/healthz", "/favicon.ico")


class ForcePasswordChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse("accounts:password_change"), reverse("accounts:logout")}
            if request.path not in allowed and not request.path.startswith(ALLOWED_PREFIXES):
                messages.warning(request, _("为确保账号安全，请先修改初始密码。"))
                return redirect("accounts:password_change")
        return self.get_response(request)
