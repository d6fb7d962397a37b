"""Project-wide pages: attachment downloads, error pages, the health check."""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .generic import object_view
from .models import Attachment


@login_required
@object_view(Attachment)
def download_attachment(request, pk):
    """Serve a file only if the user may see the object that owns it."""
    attachment = get_object_or_404(Attachment.objects.select_related("owner_type"), pk=pk)
    owner_model = apps.get_model(attachment.owner_type.app_label, attachment.owner_type.model)
    if not owner_model.objects.visible_to(request.user).filter(pk=attachment.owner_id).exists():
        raise Http404(_("附件不存在。"))
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not (attachment.is_image or attachment.content_type == "application/pdf"),
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for by themselves: the icon in static/ (served by whitenoise)."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("favicon.ico"))


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def health(request):
    """Liveness and readiness for the load balancer: the database and the cache answer."""
    from django.core.cache import cache
    from django.db import connection
    from django.http import JsonResponse

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        cache.set("health:ping", "pong", 5)
        checks["cache"] = "ok" if cache.get("health:ping") == "pong" else "error: no round trip"
    except Exception as exc:  # noqa: BLE001
        checks["cache"] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
