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


class ApplicationTable(ObjectTable):
    number = LinkCol("applications:detail", accessor="number", verbose_name=_("申请编号"), css="text-nowrap")
    kind = Col(verbose_name=_("申请类别"), css="text-nowrap")
    applicant = Col(accessor="applicant__name", verbose_name=_("申请单位"))
    use_unit = Col(accessor="use_unit__name", verbose_name=_("使用单位"))
    region = Col(accessor="region__name", verbose_name=_("所在区县"), css="text-nowrap")
    elevator_codes = Col(accessor="elevator_codes", verbose_name=_("电梯"), css="small")
    status = BadgeCol(verbose_name=_("办理状态"), colours=STATUS_COLOURS)
    submitted_at = Col(verbose_name=_("提交时间"), css="text-nowrap")
    regulator = ExportCol(accessor="regulator__name", verbose_name=_("受理监管部门"))
    decision_reason = ExportCol(verbose_name=_("审核意见"))

    class Meta(ObjectTable.Meta):
        model = Application
        attrs = {**ObjectTable.Meta.attrs, "id": "application-table"}
