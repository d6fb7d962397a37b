from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.policies import can
from core.tables import BadgeCol, Col, LinkCol, ObjectTable, SelectCol
from elevators.models import Elevator
from elevators.tables import STATUS_COLOURS

from .models import MaintenanceGroup, MaintenanceItem, MaintenancePlan, OnDemandMaintenance


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


class OnDemandTable(ObjectTable):
    """按需维保: the operator checks a row for 编辑 / 移除; the others read the rows of their elevators."""

    selection = SelectCol(label_from="elevator__register_code")
    register_code = Col(accessor="elevator__register_code", verbose_name=_("电梯注册代码"), css="text-nowrap")
    building = Col(accessor="elevator__building", verbose_name=_("楼盘/建筑"))
    company = Col(accessor="elevator__maintenance_company__name", verbose_name=_("维保单位"))
    interval_days = Col(verbose_name=_("维保间隔（天）"), css="text-nowrap")
    starts_on = Col(verbose_name=_("按需维保开始日期"), css="text-nowrap")
    note = Col(verbose_name=_("批准依据"), css="small")
    set_by = Col(accessor="set_by__display_name", verbose_name=_("设置人"), css="small text-nowrap")
    set_at = Col(verbose_name=_("设置时间"), css="small text-nowrap")

    class Meta(ObjectTable.Meta):
        model = OnDemandMaintenance
        attrs = {**ObjectTable.Meta.attrs, "id": "on-demand-table"}

    def __init__(self, data, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        if request is not None and not can(request.user, "change", OnDemandMaintenance):
            self.columns["selection"].column.visible = False  # readers have no row button to check a row for


class FlaggedCol(Col):
    """How many members' qualifications have expired: a red badge when any."""

    def html(self, record):
        n = self.get(record)
        if not n:
            return "0"
        return format_html('<span class="badge text-bg-danger" data-testid="flagged">{}</span>', n)


class MaintenanceGroupTable(ObjectTable):
    selection = SelectCol(label_from="name")
    name = LinkCol("maintenance:group_detail", verbose_name=_("小组名称"))
    leader = Col(accessor="leader__display_name", verbose_name=_("组长"))
    member_count = Col(verbose_name=_("组员人数"), css="text-end")
    elevator_count = Col(verbose_name=_("电梯台数"), css="text-end")
    flagged_count = FlaggedCol(verbose_name=_("资质过期组员"), css="text-end")
    note = Col(verbose_name=_("备注"), css="small")

    class Meta(ObjectTable.Meta):
        model = MaintenanceGroup
        attrs = {**ObjectTable.Meta.attrs, "id": "group-table"}


class GroupElevatorTable(ObjectTable):
    """A group's elevators on its page, with the checkbox the 移出小组 form acts on."""

    selection = SelectCol(label_from="register_code")
    register_code = LinkCol("elevators:detail", verbose_name=_("注册代码"))
    building = Col(verbose_name=_("小区/大厦"))
    use_unit = Col(accessor="use_unit__name", verbose_name=_("使用单位"), css="small")
    status = BadgeCol(verbose_name=_("使用状态"), colours=STATUS_COLOURS)

    class Meta(ObjectTable.Meta):
        model = Elevator
        attrs = {**ObjectTable.Meta.attrs, "id": "group-elevator-table"}
