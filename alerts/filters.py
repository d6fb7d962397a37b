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


# --- 维保合同到期预警 ------------------------------------------------------------------------------------------

from contracts.models import MaintenanceContract  # noqa: E402
from core.filters import IdFilter  # noqa: E402
from organizations.models import Organization  # noqa: E402


class ContractWarningFilter(FilterSet):
    """维保合同到期预警: by level, use unit (name, or id from links and the API) and the end date."""

    level = django_filters.ChoiceFilter(label=_("预警级别"), choices=LEVEL_CHOICES, method="by_level")
    use_unit = IdFilter(field_name="use_unit_id", widget=forms.HiddenInput)
    use_unit_name = django_filters.CharFilter(label=_("使用单位"), method="unit_named")
    due_after = django_filters.DateFilter(
        label=_("到期日从"), field_name="ends_on", lookup_expr="gte", widget=_date_input()
    )
    due_before = django_filters.DateFilter(
        label=_("到期日至"), field_name="ends_on", lookup_expr="lte", widget=_date_input()
    )

    class Meta:
        model = MaintenanceContract
        fields = ["level", "use_unit_name", "due_after", "due_before", "use_unit"]

    def by_level(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(ends_on__lt=today) if value == OVERDUE else queryset.filter(ends_on__gte=today)

    def unit_named(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            use_unit_id__in=Organization.objects.filter(kind="use_unit", name__icontains=value).values("pk")
        )


# --- 人员证书到期预警 -----------------------------------------------------------------------------------------------

from django.db.models import Q  # noqa: E402 - this block is appended on its own

from accounts.models import User  # noqa: E402
from records.models import MaintenanceRecord  # noqa: E402

CERTIFICATE_LEVEL_CHOICES = [(NEAR, _("临期")), (OVERDUE, _("已过期或无资质"))]


class CertificateWarningFilter(FilterSet):
    """人员证书到期预警: by level (overdue includes the workers without a qualification), name and the certificate's
    last valid day (the annotation `certificate_until` of services.certificate_warnings)."""

    level = django_filters.ChoiceFilter(label=_("预警级别"), choices=CERTIFICATE_LEVEL_CHOICES, method="by_level")
    name = django_filters.CharFilter(label=_("姓名或用户名"), method="by_name")
    due_after = django_filters.DateFilter(
        label=_("有效期至从"), field_name="certificate_until", lookup_expr="gte", widget=_date_input()
    )
    due_before = django_filters.DateFilter(
        label=_("有效期至到"), field_name="certificate_until", lookup_expr="lte", widget=_date_input()
    )

    class Meta:
        model = User
        fields = ["level", "name", "due_after", "due_before"]

    def by_level(self, queryset, name, value):
        today = timezone.localdate()
        if value == OVERDUE:
            return queryset.filter(Q(certificate_until__isnull=True) | Q(certificate_until__lt=today))
        return queryset.filter(certificate_until__gte=today)

    def by_name(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(full_name__icontains=value) | Q(username__iexact=value))


# --- 维保记录待确认预警 -------------------------------------------------------------------------------------------


CONFIRMATION_LEVEL_CHOICES = [(NEAR, _("待确认")), (OVERDUE, _("超时未确认"))]


class ConfirmationWarningFilter(RegionReachMixin, FilterSet):
    """维保记录待确认预警: by level (24 hours since submission), use unit (by name), district and the submission
    date (the annotation `submitted_at` of services.confirmation_warnings)."""

    level = django_filters.ChoiceFilter(label=_("预警级别"), choices=CONFIRMATION_LEVEL_CHOICES, method="by_level")
    use_unit = django_filters.CharFilter(label=_("使用单位"), method="by_use_unit")
    region = ModelChoiceFilter(
        label=_("所在区县"), method="in_region", queryset=Region.objects.exclude(level=RegionLevel.PROVINCE)
    )
    due_after = django_filters.DateFilter(
        label=_("提交日期从"), field_name="submitted_at", lookup_expr="date__gte", widget=_date_input()
    )
    due_before = django_filters.DateFilter(
        label=_("提交日期至"), field_name="submitted_at", lookup_expr="date__lte", widget=_date_input()
    )

    class Meta:
        model = MaintenanceRecord
        fields = ["level", "use_unit", "region", "due_after", "due_before"]

    def by_level(self, queryset, name, value):
        from .rules import CONFIRMATION_DUE

        edge = timezone.now() - CONFIRMATION_DUE
        return queryset.filter(submitted_at__lt=edge) if value == OVERDUE else queryset.filter(submitted_at__gte=edge)

    def by_use_unit(self, queryset, name, value):
        return queryset.filter(elevator__use_unit__name__icontains=value.strip())

    def in_region(self, queryset, name, value):
        if value.level == RegionLevel.DISTRICT:
            return queryset.filter(elevator__region=value)
        if value.level == RegionLevel.CITY:
            return queryset.filter(elevator__city=value)
        return queryset.filter(elevator__region__path__startswith=value.path)


# --- 限速器检验预警 ------------------------------------------------------------------------------------------------


class GovernorWarningFilter(_ElevatorWarningFilter):
    """限速器检验预警: by level, district, group and the next calibration date."""

    date_field = "next_governor_calibration"
    due_after = django_filters.DateFilter(
        label=_("校验日期从"), field_name="next_governor_calibration", lookup_expr="gte", widget=_date_input()
    )
    due_before = django_filters.DateFilter(
        label=_("校验日期至"), field_name="next_governor_calibration", lookup_expr="lte", widget=_date_input()
    )

    class Meta:
        model = Elevator
        fields = ["level", "region", "group", "due_after", "due_before"]


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
