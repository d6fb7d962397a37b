"""Refuse NUL characters (\\x00) wherever text enters: the URL path, the query string, form fields, cookies and
JSON bodies.

No person types a NUL, PostgreSQL cannot store one in a text column (psycopg raises DataError), and a NUL that
reaches a query (a filter, a login, a lookup by token) fails there too. One check at the door rather than one per
field: a page answers 400 with a message, the API 422 in its usual error form, naming the field.
"""

import json

from django.conf import settings
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

__all__ = ["RejectNulMiddleware", "nul_field"]

NUL = "\x00"


def _json_nul_path(value, path: str = "") -> str | None:
    """The dotted path of the first key or string holding a NUL inside a parsed JSON value ("" for the value
    itself), else None."""
    if isinstance(value, str):
        return path if NUL in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        child = f"{path}.{key}" if path else str(key)
        if NUL in str(key):
            return child
        found = _json_nul_path(item, child)
        if found is not None:
            return found
    return None


def _shown(name: str) -> str:
    return name.replace(NUL, "\\x00")


def _in_pairs(pairs) -> str | None:
    for key, values in pairs:
        if NUL in key or any(isinstance(v, str) and NUL in v for v in values):
            return _shown(key)
    return None


def nul_field(request) -> str | None:
    """Where the request carries a NUL: the field's name ("" for the URL path or the body as a whole), or None when
    it carries none."""
    if NUL in request.path:
        return ""
    for pairs in (request.GET.lists(), ((key, [value]) for key, value in request.COOKIES.items())):
        found = _in_pairs(pairs)
        if found is not None:
            return found
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            return _in_pairs(request.POST.lists())
        except MultiPartParserError:
            return None  # a body Django cannot parse is the view's to refuse (400), as without this check
    if content_type == "application/json" or content_type.endswith("+json"):
        body = request.body
        if b"\\u0000" not in body and b"\x00" not in body:  # the common case: nothing to parse
            return None
        try:
            data = json.loads(body)
        except ValueError:
            return "" if b"\x00" in body else None  # a malformed body is the API's to answer
        return _json_nul_path(data)
    return None


class RejectNulMiddleware:
    """Answer a request that carries a NUL before any view (or the login, or a lookup) sees it.

    Placed after LocaleMiddleware, so the message speaks the request's language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.api_prefix = getattr(settings, "API_URL_PREFIX", "/api/")

    def __call__(self, request):
        field = nul_field(request)
        if field is None:
            return self.get_response(request)
        field = field or None
        message = _("输入内容不能包含空字符（NUL）。")
        if request.path.startswith(self.api_prefix):
            return JsonResponse({"detail": [{"field": field, "messages": [message]}]}, status=422)
        return render(request, "400.html", {"message": message, "field": field}, status=400)
