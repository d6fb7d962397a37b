"""The ledger's tables: each serves its page and its CSV/XLSX export."""

from functools import cached_property

from django.utils.translation import gettext_lazy as _

from core.policies import can
from core.tables import BadgeCol, Col, ExportCol, LinkCol, ObjectTable, SelectCol, TemplateCol

from .models import Elevator, ProblemReport

STATUS_COLOURS = {"in_use": "success", "suspended": "warning", "scrapped": "dark"}
PROBLEM_COLOURS = {"new": "danger", "acknowledged": "warning", "closed": "success"}


class ElevatorTable(ObjectTable):
    selection = SelectCol(label_from="register_code")
    register_code = LinkCol("elevators:detail", verbose_name=_("注册代码"))
    rescue_code = Col(verbose_name=_("识别码"))
    device_category = Col(verbose_name=_("设备品种"), css="small")
    building = Col(verbose_name=_("小区/大厦"))
    region = Col(verbose_name=_("所在区县"))
    use_unit = Col(accessor="use_unit__name", verbose_name=_("使用单位"), css="small")
    maintenance_company = Col(accessor="maintenance_company__name", verbose_name=_("维保单位"), css="small")
    manufacturer = ExportCol(accessor="manufacturer__name", verbose_name=_("生产单位"))
    product_model = ExportCol(verbose_name=_("型号"))
    factory_number = ExportCol(verbose_name=_("出厂编号"))
    installation_date = Col(verbose_name=_("安装日期"))
    address = ExportCol(verbose_name=_("安装地址"))
    rated_load = ExportCol(verbose_name=_("额定载重量（kg）"))
    rated_speed = ExportCol(verbose_name=_("额定速度（m/s）"))
    floors = ExportCol(verbose_name=_("层数"))
    stops = ExportCol(verbose_name=_("站数"))
    doors = ExportCol(verbose_name=_("门数"))
    next_inspection_date = ExportCol(verbose_name=_("下次检验日期"))
    latitude = ExportCol(verbose_name=_("纬度"))
    longitude = ExportCol(verbose_name=_("经度"))
    status = BadgeCol(verbose_name=_("使用状态"), colours=STATUS_COLOURS)

    class Meta(ObjectTable.Meta):
        model = Elevator
        attrs = {**ObjectTable.Meta.attrs, "id": "elevator-table"}


class ProblemReportTable(ObjectTable):
    created_at = LinkCol("elevators:problem_detail", verbose_name=_("上报时间"), css="small text-nowrap")
    elevator = Col(accessor="elevator__register_code", verbose_name=_("电梯"))
    building = Col(accessor="elevator__building", verbose_name=_("小区/大厦"), css="small")
    category = Col(verbose_name=_("问题类型"))
    description = Col(verbose_name=_("问题描述"), css="small")
    contact_phone = Col(verbose_name=_("联系电话"))
    status = BadgeCol(verbose_name=_("处理状态"), colours=PROBLEM_COLOURS)
    handling_note = Col(verbose_name=_("处理说明"), css="small")
    handle = TemplateCol("elevators/_problem_handle_cell.html", verbose_name="")

    class Meta(ObjectTable.Meta):
        model = ProblemReport
        attrs = {**ObjectTable.Meta.attrs, "id": "problem-table"}

    @cached_property
    def can_handle(self) -> bool:
        return self.request is not None and can(self.request.user, "handle", ProblemReport)
