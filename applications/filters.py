import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, IdFilter, ModelChoiceFilter
from organizations.models import Region, RegionLevel

from .models import Application, ApplicationKind, ApplicationStatus

DATE = forms.DateInput({"type": "date"})


class ApplicationFilter(FilterSet):
    """By kind, status, filing date, district and elevator (register code)."""

    kind = django_filters.ChoiceFilter(label=_("申请类别"), choices=ApplicationKind.choices)
    status = django_filters.ChoiceFilter(label=_("办理状态"), choices=ApplicationStatus.choices)
    region = ModelChoiceFilter(
        label=_("所在区县"), method="in_region", queryset=Region.objects.filter(level=RegionLevel.DISTRICT)
    )
    elevator = django_filters.CharFilter(label=_("注册代码"), method="by_elevator")
    elevator_id = IdFilter(label=_("电梯"), method="by_elevator_id", widget=forms.HiddenInput)
    created_after = django_filters.DateFilter(
        label=_("填报日期从"), field_name="created_at", lookup_expr="date__gte", widget=DATE
    )
    created_before = django_filters.DateFilter(
        label=_("填报日期至"), field_name="created_at", lookup_expr="date__lte", widget=DATE
    )

    class Meta:
        model = Application
        fields = ["kind", "status", "region", "elevator", "elevator_id", "created_after", "created_before"]

    def in_region(self, queryset, name, value):
        return queryset.filter(region=value)

    def by_elevator(self, queryset, name, value):
        from .models import ApplicationElevator

        value = value.strip()
        if not value:
            return queryset
        lines = ApplicationElevator.objects.filter(elevator__register_code__startswith=value)
        return queryset.filter(pk__in=lines.values("application_id"))

    def by_elevator_id(self, queryset, name, value):
        from .models import ApplicationElevator

        return queryset.filter(pk__in=ApplicationElevator.objects.filter(elevator_id=value).values("application_id"))
