"""The phone app's shell, its service worker and its manifest. The shell is one small page; `static/mobile/app.js`
draws the screens from /api/v1/mobile/agenda and keeps a queue of what it could not send yet."""

import hashlib
import json
from functools import lru_cache

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from records.models import Hazard, ItemResult, WorkType

from .strings import strings

# What the service worker keeps for offline use (the agenda, a network-first API answer, comes on top).
SHELL_ASSETS = [
    "mobile/app.js",
    "mobile/app.css",
    "mobile/icon-192.png",
    "vendor/jsqr/jsQR.min.js",
    "vendor/signature_pad/signature_pad.umd.min.js",
    "vendor/qrcode-generator/qrcode.min.js",
]


@lru_cache(maxsize=1)
def assets_version() -> str:
    """Changes whenever a cached file changes, so the phone's service worker replaces its cache."""
    digest = hashlib.sha256()
    for name in SHELL_ASSETS:
        path = finders.find(name)
        digest.update(name.encode())
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:12]


@login_required
@require_GET
def app(request):
    """维保APP: the worker's day on a phone."""
    context = {
        "config": {
            "api": "/api/v1",
            "app": reverse("mobile:app"),
            "sw": reverse("mobile:service_worker"),
            "login": reverse("accounts:login") + "?next=" + reverse("mobile:app"),
            "web": reverse("portal:home"),
            "user": {"id": request.user.pk, "name": request.user.display_name},
            "version": assets_version(),
            # loaded when a screen first needs them (the service worker keeps them for offline use)
            "libraries": {
                "jsqr": static("vendor/jsqr/jsQR.min.js"),
                "qrcode": static("vendor/qrcode-generator/qrcode.min.js"),
                "signature_pad": static("vendor/signature_pad/signature_pad.umd.min.js"),
            },
            "results": list(ItemResult.choices),
            "hazards": list(Hazard.choices),
            "work_types": list(WorkType.choices),
            "strings": strings(),
        },
    }
    response = render(request, "mobile/app.html", context)
    response["Cache-Control"] = "no-cache"  # the service worker keeps its own copy for offline use
    return response


@never_cache
@require_GET
def service_worker(request):
    """The service worker, served from /m/ so that its scope is the app; its cache name carries the assets'
    version."""
    body = render(
        request,
        "mobile/sw.js",
        {
            "version": assets_version(),
            "app": reverse("mobile:app"),
            "assets": json.dumps([static(name) for name in SHELL_ASSETS]),
        },
        content_type="application/javascript; charset=utf-8",
    )
    body["Service-Worker-Allowed"] = reverse("mobile:app")
    return body


@require_GET
def manifest(request):
    """Installable to the home screen (Android Chrome; iPhone Safari reads the apple-touch-icon too)."""
    data = {
        "name": _("电梯维保 · 手机维保"),
        "short_name": _("电梯维保"),
        "start_url": reverse("mobile:app"),
        "scope": reverse("mobile:app"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "lang": request.LANGUAGE_CODE,
        "icons": [
            {"src": static("mobile/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("mobile/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


__all__ = ["app", "service_worker", "manifest", "assets_version", "SHELL_ASSETS"]
