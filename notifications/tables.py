from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import BadgeCol, Col, ObjectTable

from .models import Notification

KIND_COLOURS = {
    "hazard": "danger",
    "confirm_record": "warning",
    "unconfirmed_record": "warning",
    "plan_overdue_1": "danger",
    "plan_overdue_3": "danger",
    "plan_overdue_7": "danger",
    "inspection_due": "warning",
    "component_expiring": "warning",
    "contract_ending": "warning",
    "certificate_ending": "warning",
    "qualification_ending": "warning",
    "governor_due": "warning",
    "selfcheck_due": "warning",
    "drill_due": "warning",
}


class OpenCol(Col):
    """The title as a button that marks the notification read and goes to its page (a POST: reading is a change)."""

    _token = None  # per table: django-tables2 deep-copies the columns for each table

    def prepare(self, name, model):
        super().prepare(name, model)
        self.url_parts = reverse("notifications:open", args=[987654321]).split("987654321")

    def token(self):
        if self._token is None:
            request = getattr(self.table, "request", None)
            self._token = get_token(request) if request is not None else ""
        return self._token

    def html(self, record):
        unread = not getattr(record, "is_read", True) and record.done_at is None
        return format_html(
            '<form method="post" action="{}" class="m-0">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="btn btn-link p-0 text-start{}" data-testid="notification-open">{}</button>'
            "</form>",
            f"{self.url_parts[0]}{record.pk}{self.url_parts[1]}",
            self.token(),
            " fw-bold" if unread else "",
            record.title,
        )


class ReadCol(Col):
    def text(self, record):
        if record.done_at is not None:
            return str(_("已处理"))
        return str(_("已读") if record.is_read else _("未读"))

    def html(self, record):
        if record.done_at is not None:
            return format_html(
                '<span class="badge text-bg-success" data-testid="notification-done">{}</span>', _("已处理")
            )
        if record.is_read:
            return format_html('<span class="text-muted small">{}</span>', _("已读"))
        return format_html('<span class="badge text-bg-primary" data-testid="notification-unread">{}</span>', _("未读"))


class NotificationTable(ObjectTable):
    created_at = Col(verbose_name=_("时间"), css="text-nowrap")
    kind = BadgeCol(verbose_name=_("类别"), colours=KIND_COLOURS, css="text-nowrap")
    title = OpenCol(verbose_name=_("标题"))
    body = Col(verbose_name=_("内容"), css="small")
    is_read = ReadCol(accessor="pk", verbose_name=_("状态"), css="text-nowrap")

    class Meta(ObjectTable.Meta):
        model = Notification
        attrs = {**ObjectTable.Meta.attrs, "id": "notification-table"}
