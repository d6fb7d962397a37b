import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, Region, RegionLevel

from .catalogue import DeviceCategory
from .models import Elevator, ElevatorStatus

SORTS = {
    "register_code": (["register_code", "id"], _("注册代码")),
    "building": (["building", "id"], _("小区/大厦")),
    "installation_date": (["installation_date", "id"], _("安装日期")),
    "-updated_at": (["-updated_at", "-id"], _("最近更新")),
}


class ElevatorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("注册代码/识别码/小区"), method="search")
    status = django_filters.ChoiceFilter(label=_("使用状态"), choices=ElevatorStatus.choices)
    device_category = django_filters.ChoiceFilter(label=_("设备品种"), choices=DeviceCategory.choices)
    region = django_filters.ModelChoiceFilter(
        label=_("所在区县"), method="in_region", queryset=Region.objects.exclude(level=RegionLevel.PROVINCE)
    )
    use_unit = django_filters.ModelChoiceFilter(label=_("使用单位"), queryset=Organization.objects.none())
    maintenance_company = django_filters.ModelChoiceFilter(label=_("维保单位"), queryset=Organization.objects.none())
    building = django_filters.CharFilter(label=_("小区/大厦"), field_name="building")

    class Meta:
        model = Elevator
        fields = ["q", "status", "device_category", "region", "use_unit", "maintenance_company", "building"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Organization.objects.visible_to(user).only("pk", "name")
        self.filters["use_unit"].queryset = visible.filter(kind="use_unit").order_by("name")
        self.filters["maintenance_company"].queryset = visible.filter(kind="maintenance_company").order_by("name")
        for f in self.form.fields.values():
            is_select = isinstance(f.widget, forms.Select)
            f.widget.attrs["class"] = "form-select form-select-sm" if is_select else "form-control form-control-sm"

    def search(self, queryset, name, value):
        """Contains-search on register code and building (trigram-indexed on PostgreSQL); exact rescue code."""
        value = value.strip()
        if not value:
            return queryset
        condition = Q(register_code__contains=value.upper()) | Q(building__contains=value)
        if value.isdigit() and len(value) == 6:
            condition |= Q(rescue_code=value)
        return queryset.filter(condition)

    def in_region(self, queryset, name, value):
        if value.level == RegionLevel.DISTRICT:
            return queryset.filter(region=value)
        if value.level == RegionLevel.CITY:
            return queryset.filter(city=value)
        return queryset.filter(region__path__startswith=value.path)
