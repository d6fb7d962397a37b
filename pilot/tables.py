from django.utils.translation import gettext_lazy as _

from core.tables import BadgeCol, Col, ExportCol, LinkCol, ObjectTable, TemplateCol

from .models import PilotApplication

STATUS_COLOURS = {
    "draft": "secondary",
    "submitted": "primary",
    "accepted": "info",
    "reviewed": "info",
    "approved": "success",
    "returned": "warning",
}


class PilotTable(ObjectTable):
    number = LinkCol("pilot:detail", accessor="number", verbose_name=_("申请编号"), css="text-nowrap")
    use_unit_name = Col(verbose_name=_("使用单位名称"))
    company_name = Col(verbose_name=_("维保单位名称"))
    status = BadgeCol(verbose_name=_("任务状态"), colours=STATUS_COLOURS)
    regulator = Col(accessor="regulator__name", verbose_name=_("处理机构"))
    submitted_at = Col(verbose_name=_("提交时间"), css="text-nowrap")
    actions = TemplateCol("pilot/_row_actions.html", verbose_name=_("操作"), css="text-nowrap")
    routing_note = ExportCol(verbose_name=_("处理机构确定依据"))
    decision_reason = ExportCol(verbose_name=_("退回原因"))

    class Meta(ObjectTable.Meta):
        model = PilotApplication
        attrs = {**ObjectTable.Meta.attrs, "id": "pilot-table"}
