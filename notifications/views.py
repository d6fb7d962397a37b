"""通知: the list (filters: kind, unread), opening one (marks it read, then its page), 全部标为已读."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.generic import ObjectListView, object_view
from core.policies import get_for

from . import services
from .filters import NotificationFilter
from .models import Notification
from .tables import NotificationTable


class NotificationListView(ObjectListView):
    model = Notification
    table_class = NotificationTable
    filterset_class = NotificationFilter
    sorts = {"-created": (["-created_at", "-id"], gettext_lazy("最新"))}
    title = gettext_lazy("消息通知")
    export_name = gettext_lazy("通知")
    template_name = "notifications/notification_list.html"
    empty_message = gettext_lazy("没有通知")

    def get_queryset(self):
        return super().get_queryset().with_read_state(self.request.user)

    def get_extra_context(self):
        # the bell of this page counts afresh: the person is looking at exactly these notifications
        return {"unread_notifications": services.unread_count(self.request.user, fresh=True)}


@login_required
@require_POST
@object_view(Notification)
def open_notification(request, pk):
    """Mark the notification read and go to its page (a path on this platform only; else back to the list)."""
    notification = get_for(request.user, Notification, pk)
    services.mark_read(notification, request.user)
    return HttpResponseRedirect(services.safe_path(notification.url) or reverse("notifications:list"))


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(request.user)
    messages.success(request, _("已将全部通知标为已读。"))
    return HttpResponseRedirect(reverse("notifications:list"))
