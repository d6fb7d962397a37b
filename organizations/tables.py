import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Organization, Region


class OrganizationTable(tables.Table):
    name = tables.LinkColumn("organizations:detail", args=[tables.A("pk")], verbose_name=_("单位名称"))
    credit_code = tables.Column(verbose_name=_("统一社会信用代码"))
    region = tables.Column(verbose_name=_("所在区域"), order_by=("region__code",))
    address = tables.Column(verbose_name=_("单位地址"))
    contact_name = tables.Column(verbose_name=_("联系人"))
    contact_phone = tables.Column(verbose_name=_("联系人电话"))

    class Meta:
        model = Organization
        fields = ["name", "credit_code", "region", "address", "contact_name", "contact_phone"]
        attrs = {"class": "table table-hover table-sm align-middle bg-white", "id": "organization-table"}


class RegionTable(tables.Table):
    code = tables.Column(verbose_name=_("行政区划代码"))
    name = tables.Column(verbose_name=_("名称"), accessor="pk", order_by=("name",))
    level = tables.Column(verbose_name=_("级别"))
    parent = tables.Column(verbose_name=_("上级"))
    in_pilot = tables.TemplateColumn(
        template_name="organizations/_pilot_cell.html", verbose_name=_("试点区县"), order_by=("in_pilot",)
    )

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "in_pilot"]
        attrs = {"class": "table table-sm table-hover align-middle bg-white", "id": "region-table"}
        per_page = 60

    def render_name(self, record):
        return str(record)
