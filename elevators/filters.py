import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import Reverse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, IdFilter, ModelChoiceFilter
from organizations.filters import RegionReachMixin
from organizations.models import Organization, Region, RegionLevel

from .catalogue import DeviceCategory
from .models import Elevator, ElevatorStatus

SORTS = {
    "register_code": (["register_code", "id"], _("注册代码")),
    "building": (["building", "id"], _("小区/大厦")),
    "installation_date": (["installation_date", "id"], _("安装日期")),
    "-updated_at": (["-updated_at", "-id"], _("最近更新")),
}


def _starts_with(code: str) -> Q:
    """Codes that start with `code`: on PostgreSQL the column is in byte order (migration 0004), where the
    planner reads `LIKE 'code%'` as a range of the ordered unique index, which serves both the filter and the
    ORDER BY register_code … LIMIT of the page (it stops after one page of rows)."""
    return Q(register_code__startswith=code)


class ElevatorFilter(RegionReachMixin, FilterSet):
    q = django_filters.CharFilter(
        label=_("注册代码/识别码/小区"),
        method="search",
        help_text=_("注册代码的开头或结尾、6 位识别码，或小区名称的一部分。"),
    )
    status = django_filters.ChoiceFilter(label=_("使用状态"), choices=ElevatorStatus.choices)
    device_category = django_filters.ChoiceFilter(label=_("设备品种"), choices=DeviceCategory.choices)
    region = ModelChoiceFilter(
        label=_("所在区县"), method="in_region", queryset=Region.objects.exclude(level=RegionLevel.PROVINCE)
    )
    # Units by id (links, the API) or by name (the form, with an autocomplete): a city has 12,000 use units,
    # far too many to render as <option>s on every page.
    use_unit = IdFilter(field_name="use_unit_id", widget=forms.HiddenInput)
    maintenance_company = IdFilter(field_name="maintenance_company_id", widget=forms.HiddenInput)
    use_unit_name = django_filters.CharFilter(label=_("使用单位"), method="unit_named")
    maintenance_company_name = django_filters.CharFilter(label=_("维保单位"), method="unit_named")
    building = django_filters.CharFilter(label=_("小区/大厦"), field_name="building")

    class Meta:
        model = Elevator
        fields = [
            "q",
            "status",
            "device_category",
            "region",
            "use_unit_name",
            "maintenance_company_name",
            "building",
            "use_unit",
            "maintenance_company",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lookup = reverse("elevators:unit_lookup")
        for name, kind in (("use_unit_name", "use_unit"), ("maintenance_company_name", "maintenance_company")):
            self.form.fields[name].widget.attrs.update(
                {
                    "list": f"{kind}-options",
                    "autocomplete": "off",
                    "hx-get": f"{lookup}?kind={kind}",
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": f"#{kind}-options",
                    "hx-swap": "innerHTML",
                }
            )

    def unit_named(self, queryset, name, value):
        kind = name.removesuffix("_name")
        units = Organization.objects.filter(kind=kind, name__icontains=value.strip()).values("pk")
        return queryset.filter(**{f"{kind}_id__in": units})

    def search(self, queryset, name, value):
        """A code-like query (ASCII letters and digits, with a digit) searches the register code by its start (or,
        when no code starts so, by its end) and the 6-digit rescue code exactly; anything else searches the
        building by any part.

        Each is one index probe on PostgreSQL: the unique code's pattern index, an index on the reversed code,
        a trigram index on the building. Digit strings are kept away from the trigram index, where their
        trigrams are so common that the probe reads much of the table (bench/README.md).
        """
        value = value.strip()
        if not value:
            return queryset
        if value.isascii() and value.isalnum() and any(c.isdigit() for c in value):
            code = value.upper()
            starts = _starts_with(code)
            if queryset.filter(starts).exists():
                condition = starts  # someone typing the start of a code wants the codes that start so
            else:
                queryset = queryset.annotate(register_code_reversed=Reverse("register_code"))
                condition = Q(register_code_reversed__startswith=code[::-1])
            if value.isdigit() and len(value) == 6:
                condition |= Q(rescue_code=value)
            return queryset.filter(condition)
        return queryset.filter(building__contains=value)

    def in_region(self, queryset, name, value):
        if value.level == RegionLevel.DISTRICT:
            return queryset.filter(region=value)
        if value.level == RegionLevel.CITY:
            return queryset.filter(city=value)
        return queryset.filter(region__path__startswith=value.path)
