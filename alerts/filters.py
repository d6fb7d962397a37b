import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, ModelChoiceFilter
from elevators.models import Component, Elevator
from maintenance.models import GroupAssignment, MaintenanceGroup, MaintenancePlan
from organizations.filters import RegionReachMixin
from organizations.models import Region, RegionLevel

from .rules import NEAR, OVERDUE


def _date_input():
    return forms.DateInput(attrs={"type": "date"})


LEVEL_CHOICES = [(NEAR, _("临期")), (OVERDUE, _("逾期"))]


class MaintenanceWarningFilter(RegionReachMixin, FilterSet):
    """维保预警查询: by level, district, group and plan dates (on top of the warnings' own window)."""

    level = django_filters.ChoiceFilter(label=_("预警级别"), choices=LEVEL_CHOICES, method="by_level")
    region = ModelChoiceFilter(
        label=_("所在区县"), method="in_region", queryset=Region.objects.exclude(level=RegionLevel.PROVINCE)
    )
    group = ModelChoiceFilter(label=_("维保小组"), queryset=MaintenanceGroup.objects.none(), method="by_group")
    due_after = django_filters.DateFilter(
        label=_("计划日期从"), field_name="due_date", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    due_before = django_filters.DateFilter(
        label=_("计划日期至"), field_name="due_date", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = MaintenancePlan
        fields = ["level", "region", "group", "due_after", "due_before"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = MaintenanceGroup.objects.visible_to(self.user) if self.user else MaintenanceGroup.objects.none()
        self.filters["group"].queryset = groups
        self.form.fields["group"].queryset = groups

    def by_level(self, queryset, name, value):
        today = timezone.localdate()
        if value == OVERDUE:
            return queryset.filter(due_date__lt=today)
        return queryset.filter(due_date__gte=today)

    def in_region(self, queryset, name, value):
        if value.level == RegionLevel.DISTRICT:
            return queryset.filter(elevator__region=value)
        if value.level == RegionLevel.CITY:
            return queryset.filter(elevator__city=value)
        return queryset.filter(elevator__region__path__startswith=value.path)

    def by_group(self, queryset, name, value):
        return queryset.filter(elevator_id__in=GroupAssignment.objects.filter(group=value).values("elevator_id"))


class _ElevatorWarningFilter(RegionReachMixin, FilterSet):
    """What 年检预警 and 组件寿命预警 share: the level by the date field, the district and the maintenance group of
    the elevator (`elevator_path`: "" for elevators, "elevator__" for components)."""

    date_field = ""
    elevator_path = ""

    level = django_filters.ChoiceFilter(label=_("预警级别"), choices=LEVEL_CHOICES, method="by_level")
    region = ModelChoiceFilter(
        label=_("所在区县"), method="in_region", queryset=Region.objects.exclude(level=RegionLevel.PROVINCE)
    )
    group = ModelChoiceFilter(label=_("维保小组"), queryset=MaintenanceGroup.objects.none(), method="by_group")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = MaintenanceGroup.objects.visible_to(self.user) if self.user else MaintenanceGroup.objects.none()
        self.filters["group"].queryset = groups
        self.form.fields["group"].queryset = groups

    def by_level(self, queryset, name, value):
        today = timezone.localdate()
        lookup = "lt" if value == OVERDUE else "gte"
        return queryset.filter(**{f"{self.date_field}__{lookup}": today})

    def in_region(self, queryset, name, value):
        prefix = self.elevator_path
        if value.level == RegionLevel.DISTRICT:
            return queryset.filter(**{f"{prefix}region": value})
        if value.level == RegionLevel.CITY:
            return queryset.filter(**{f"{prefix}city": value})
        return queryset.filter(**{f"{prefix}region__path__startswith": value.path})

    def by_group(self, queryset, name, value):
        elevators = GroupAssignment.objects.filter(group=value).values("elevator_id")
        return queryset.filter(**{f"{self.elevator_path}id__in": elevators})


class InspectionWarningFilter(_ElevatorWarningFilter):
    """年检预警: by level, district, group and the inspection date."""

    date_field = "next_inspection_date"
    due_after = django_filters.DateFilter(
        label=_("检验日期从"), field_name="next_inspection_date", lookup_expr="gte", widget=_date_input()
    )
    due_before = django_filters.DateFilter(
        label=_("检验日期至"), field_name="next_inspection_date", lookup_expr="lte", widget=_date_input()
    )

    class Meta:
        model = Elevator
        fields = ["level", "region", "group", "due_after", "due_before"]


class ComponentWarningFilter(_ElevatorWarningFilter):
    """组件寿命预警: by level, district, group, component name and the end of life."""

    date_field = "expires_on"
    elevator_path = "elevator__"
    name = django_filters.CharFilter(label=_("组件名称"), field_name="name", lookup_expr="icontains")
    due_after = django_filters.DateFilter(
        label=_("到期日从"), field_name="expires_on", lookup_expr="gte", widget=_date_input()
    )
    due_before = django_filters.DateFilter(
        label=_("到期日至"), field_name="expires_on", lookup_expr="lte", widget=_date_input()
    )

    class Meta:
        model = Component
        fields = ["level", "region", "group", "name", "due_after", "due_before"]


# --- 应急演练预警 and 年度自行检查预警 ------------------------------------------------------------------------------


class DrillWarningFilter(forms.Form):
    """应急演练预警's filters: the rows are worked out in Python (one per company and category), so this is a form
    whose `apply` narrows them, with the `form`/`is_bound` a FilterSet offers to the list template."""

    level = forms.ChoiceField(label=_("预警级别"), choices=[("", _("全部")), *LEVEL_CHOICES], required=False)
    category = forms.ChoiceField(label=_("电梯类别"), required=False)
    company = forms.CharField(label=_("维保单位"), required=False, max_length=60)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        from drills.categories import CATEGORIES

        self.fields["category"].choices = [("", _("全部")), *CATEGORIES.choices]
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    @property
    def form(self):
        return self

    def values(self) -> dict:
        return self.cleaned_data if self.is_bound and self.is_valid() else {}

    def apply(self, rows):
        company = (self.values().get("company") or "").strip()
        return [row for row in rows if company in row.organization_name] if company else rows


DrillWarningFilter.base_filters = DrillWarningFilter.base_fields  # the names a FilterSet lists (tests/test_inputs)


class SelfcheckWarningFilter(InspectionWarningFilter):
    """年度自行检查预警: the same filters as 年检预警 (level, district, group, the inspection date)."""
