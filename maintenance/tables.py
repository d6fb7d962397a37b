from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import BadgeCol, Col, LinkCol, ObjectTable, SelectCol
from elevators.models import Elevator
from elevators.tables import STATUS_COLOURS

from .models import MaintenanceGroup, MaintenanceItem


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
