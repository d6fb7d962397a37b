from django.utils.translation import gettext_lazy as _

from core.tables import Col, LinkCol, ObjectTable

from .models import MaintenanceItem, MaintenancePlan


class MaintenanceItemTable(ObjectTable):
    code = LinkCol("maintenance:item_detail", verbose_name=_("项目编号"), css="text-nowrap")
    cycle = Col(verbose_name=_("维保周期"), css="text-nowrap")
    part = Col(verbose_name=_("项目(内容)"))
    requirement = Col(verbose_name=_("基本要求"), css="small")
    judgement = Col(verbose_name=_("判定方式"), css="small text-nowrap")
    needs_photo = Col(verbose_name=_("需拍照留证"), css="small")
    condition = Col(verbose_name=_("时节条件"), css="small")
    source = Col(accessor="source_label", verbose_name=_("来源"), css="small text-nowrap")
    annex = Col(verbose_name=_("适用附件"), exclude_from_export=False, css="d-none")

    class Meta(ObjectTable.Meta):
        model = MaintenanceItem
        attrs = {**ObjectTable.Meta.attrs, "id": "item-table"}


class MaintenancePlanTable(ObjectTable):
    due_date = LinkCol("maintenance:plan_detail", verbose_name=_("计划日期"), css="text-nowrap")
    register_code = Col(accessor="elevator__register_code", verbose_name=_("注册代码"), css="text-nowrap")
    building = Col(accessor="elevator__building", verbose_name=_("小区/大厦"))
    cycle = Col(verbose_name=_("维保类型"), css="text-nowrap")
    status = Col(verbose_name=_("状态"), css="text-nowrap")
    original_date = Col(verbose_name=_("原计划日期"), css="small text-nowrap")
    done_at = Col(verbose_name=_("完成时间"), css="small text-nowrap")

    class Meta(ObjectTable.Meta):
        model = MaintenancePlan
        attrs = {**ObjectTable.Meta.attrs, "id": "plan-table"}
