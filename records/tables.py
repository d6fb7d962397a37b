from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.tables import BadgeCol, Col, LinkCol, ObjectTable

from .models import Flag, MaintenanceRecord, Repair

STATUS_COLOURS = {"in_progress": "info", "finished": "warning", "confirmed": "success"}
FLAG_LABELS = dict(Flag.choices)


class FlagsCol(Col):
    """The record's credibility flags as red badges."""

    def text(self, record):
        return "、".join(str(FLAG_LABELS.get(f, f)) for f in record.flags)

    def html(self, record):
        if not record.flags:
            return ""
        badge = '<span class="badge text-bg-danger" data-flag="{}">{}</span>'
        return format_html_join(" ", badge, ((f, FLAG_LABELS.get(f, f)) for f in record.flags))


class MaintenanceRecordTable(ObjectTable):
    started_at = LinkCol("records:detail", verbose_name=_("开始时间"), css="text-nowrap")
    register_code = Col(accessor="elevator__register_code", verbose_name=_("注册代码"), css="text-nowrap")
    building = Col(accessor="elevator__building", verbose_name=_("小区/大厦"))
    cycle = Col(verbose_name=_("维保类型"), css="text-nowrap")
    duration_minutes = Col(verbose_name=_("用时（分钟）"), css="text-nowrap")
    status = BadgeCol(verbose_name=_("状态"), colours=STATUS_COLOURS)
    hazards = Col(accessor="hazard_codes", verbose_name=_("严重事故隐患"), css="small")
    flags = FlagsCol(verbose_name=_("可信度标记"), css="small")

    class Meta(ObjectTable.Meta):
        model = MaintenanceRecord
        attrs = {**ObjectTable.Meta.attrs, "id": "record-table"}


def hazard_text(codes) -> str:
    return format_html("{}", " ".join(codes or []))


class RepairTable(ObjectTable):
    reported_at = LinkCol("records:repair_detail", verbose_name=_("报修时间"), css="text-nowrap")
    register_code = Col(accessor="elevator__register_code", verbose_name=_("注册代码"), css="text-nowrap")
    building = Col(accessor="elevator__building", verbose_name=_("小区/大厦"))
    fault = Col(verbose_name=_("故障现象"))
    status = BadgeCol(verbose_name=_("状态"), colours={"open": "warning", "restored": "success"})
    minutes = Col(accessor="minutes_to_restore", verbose_name=_("修复用时（分钟）"), css="text-nowrap")

    class Meta(ObjectTable.Meta):
        model = Repair
        attrs = {**ObjectTable.Meta.attrs, "id": "repair-table"}
