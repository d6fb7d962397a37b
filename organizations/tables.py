from functools import cached_property

from django.utils.translation import gettext_lazy as _

from core.policies import can
from core.tables import Col, ExportCol, LinkCol, ObjectTable, TemplateCol

from .models import Organization, Region


class OrganizationTable(ObjectTable):
    name = LinkCol("organizations:detail", verbose_name=_("单位名称"))
    credit_code = Col(verbose_name=_("统一社会信用代码"))
    region = Col(accessor="region__full_name", verbose_name=_("所在区域"))
    address = Col(verbose_name=_("单位地址"))
    legal_representative = ExportCol(verbose_name=_("法定代表人（负责人）"))
    legal_representative_phone = ExportCol(verbose_name=_("法定代表人电话"))
    contact_name = Col(verbose_name=_("联系人"))
    contact_phone = Col(verbose_name=_("联系人电话"))
    latitude = ExportCol(verbose_name=_("纬度"))
    longitude = ExportCol(verbose_name=_("经度"))

    class Meta(ObjectTable.Meta):
        model = Organization
        attrs = {**ObjectTable.Meta.attrs, "id": "organization-table"}


class RegionTable(ObjectTable):
    code = Col(verbose_name=_("行政区划代码"))
    name = Col(accessor="__str__", verbose_name=_("名称"))
    level = Col(verbose_name=_("级别"))
    parent = Col(verbose_name=_("上级"))
    in_pilot = TemplateCol("organizations/_pilot_cell.html", verbose_name=_("试点区县"))

    class Meta(ObjectTable.Meta):
        model = Region
        attrs = {**ObjectTable.Meta.attrs, "id": "region-table"}

    @cached_property
    def can_flag(self) -> bool:
        return self.request is not None and can(self.request.user, "change", Region)
