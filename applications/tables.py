from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import BadgeCol, Col, ExportCol, LinkCol, ObjectTable

from .models import Application

STATUS_COLOURS = {
    "draft": "secondary",
    "submitted": "primary",
    "returned": "warning",
    "approved": "success",
    "rejected": "danger",
}


class StatusCol(BadgeCol):
    """The status badge; a returned or rejected application adds 查看原因, a link to the bureau's reason on its page."""

    def prepare(self, name, model):
        super().prepare(name, model)
        self.url_parts = reverse("applications:detail", args=[987654321]).split("987654321")
        self.reason_label = str(_("查看原因"))

    def html(self, record):
        badge = super().html(record)
        if record.status not in ("returned", "rejected"):
            return badge
        return format_html(
            '{} <a class="small text-nowrap" href="{}{}{}#decision" data-testid="view-reason">{}</a>',
            badge,
            self.url_parts[0],
            record.pk,
            self.url_parts[1],
            self.reason_label,
        )


class ApplicationTable(ObjectTable):
    number = LinkCol("applications:detail", accessor="number", verbose_name=_("申请编号"), css="text-nowrap")
    kind = Col(verbose_name=_("申请类别"), css="text-nowrap")
    applicant = Col(accessor="applicant__name", verbose_name=_("申请单位"))
    use_unit = Col(accessor="use_unit__name", verbose_name=_("使用单位"))
    region = Col(accessor="region", verbose_name=_("所在区县"), css="text-nowrap")  # the name in the reader's language
    elevator_codes = Col(accessor="elevator_codes", verbose_name=_("电梯"), css="small")
    status = StatusCol(verbose_name=_("办理状态"), colours=STATUS_COLOURS, css="text-nowrap")
    submitted_at = Col(verbose_name=_("提交时间"), css="text-nowrap")
    regulator = ExportCol(accessor="regulator__name", verbose_name=_("受理监管部门"))
    decision_reason = ExportCol(verbose_name=_("审核意见"))

    class Meta(ObjectTable.Meta):
        model = Application
        attrs = {**ObjectTable.Meta.attrs, "id": "application-table"}
