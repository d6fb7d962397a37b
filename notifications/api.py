"""/api/v1/notifications: what the caller receives (the operator: every notification), with the caller's read
state; marking one or all as read."""

from datetime import datetime

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from api.errors import with_errors
from api.filtering import filter_queryset, filter_schema
from api.pagination import LimitOffsetPagination
from core.policies import get_for

from . import services
from .filters import NotificationFilter
from .models import Notification

router = Router(tags=["notifications"])
NotificationQuery = filter_schema(NotificationFilter)


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    about: str | None
    about_id: int | None
    created_at: datetime
    is_read: bool
    done_at: datetime | None

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_about(obj):
        """The object's model as "app_label.model" (e.g. records.maintenancerecord), or None."""
        if obj.about_type_id is None:
            return None
        from django.contrib.contenttypes.models import ContentType

        about = ContentType.objects.get_for_id(obj.about_type_id)  # cached per process
        return f"{about.app_label}.{about.model}"


class UnreadOut(Schema):
    unread: int


def _one(request, pk):
    queryset = Notification.objects.with_read_state(request.user)
    return get_for(request.user, Notification, pk, queryset=queryset)


@router.get("", response=with_errors(list[NotificationOut]))
@paginate(LimitOffsetPagination)
def list_notifications(request, filters: Query[NotificationQuery]):
    """Newest first; `unread=true` for the unread ones only, `kind` for one kind."""
    queryset = Notification.objects.visible_to(request.user).with_read_state(request.user)
    return filter_queryset(NotificationFilter, filters, queryset, user=request.user).order_by("-created_at", "-id")


@router.get("/unread", response=with_errors(UnreadOut))
def unread(request):
    """How many notifications the caller has not read (the bell's number; counting stops at 100)."""
    return {"unread": services.unread_count(request.user)}


@router.post("/read-all", response=with_errors(UnreadOut))
def read_all(request):
    """全部标为已读."""
    services.mark_all_read(request.user)
    return {"unread": 0}


@router.get("/{int:notification_id}", response=with_errors(NotificationOut, not_found=True))
def get_notification(request, notification_id: int):
    return _one(request, notification_id)


@router.post("/{int:notification_id}/read", response=with_errors(NotificationOut, not_found=True))
def read(request, notification_id: int):
    """Mark one notification read (opening it on the page does the same)."""
    notification = _one(request, notification_id)
    services.mark_read(notification, request.user)
    return _one(request, notification_id)
