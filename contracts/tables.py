from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import Col, ExportCol, LinkCol, ObjectTable

from .models import ContractStatus, MaintenanceContract
from .rules import status_on

STATUS_COLOURS = {
    ContractStatus.ACTIVE: "success",
    ContractStatus.PENDING: "info",
    ContractStatus.EXPIRED: "danger",
    ContractStatus.TERMINATED: "secondary",
}


class ContractStatusCol(Col):
    """生效中 / 未开始 / 已到期 / 已终止 from the dates, as of today."""

    def prepare(self, name, model):
        super().prepare(name, model)
        self.today = timezone.localdate()
        self.names = {value: str(label) for value, label in ContractStatus.choices}

    def status(self, record):
        return status_on(record.starts_on, record.ends_on, record.terminated_on, self.today)

    def text(self, record):
        return self.names[self.status(record)]

    def html(self, record):
        status = self.status(record)
        badge = '<span class="badge text-bg-{}" data-status="{}">{}</span>'
        return format_html(badge, STATUS_COLOURS[status], status, self.names[status])


class ContractTable(ObjectTable):
    number = LinkCol("contracts:detail", verbose_name=_("合同编号"), css="text-nowrap")
    maintenance_company = Col(accessor="maintenance_company__name", verbose_name=_("维保单位"))
    use_unit = Col(accessor="use_unit__name", verbose_name=_("使用单位"))
    elevator_codes = Col(accessor="elevator_codes", verbose_name=_("电梯"), css="small")
    signed_on = Col(verbose_name=_("签订日期"), css="text-nowrap")
    starts_on = Col(verbose_name=_("服务期限起"), css="text-nowrap")
    ends_on = Col(verbose_name=_("服务期限止"), css="text-nowrap")
    status = ContractStatusCol(accessor="pk", verbose_name=_("合同状态"), css="text-nowrap")
    terminated_on = ExportCol(verbose_name=_("终止日期"))
    termination_reason = ExportCol(verbose_name=_("终止原因"))

    class Meta(ObjectTable.Meta):
        model = MaintenanceContract
        attrs = {**ObjectTable.Meta.attrs, "id": "contract-table"}
