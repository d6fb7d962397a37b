import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .categories import CATEGORIES, codes_of
from .models import EmergencyDrill
from .policies import drill_ids_of_elevators


def _date_input():
    return forms.DateInput(attrs={"type": "date"})


class EmergencyDrillFilter(FilterSet):
    """应急演练: by date range, by the category of an elevator it covered, by an elevator (register code or
    building)."""

    held_after = django_filters.DateFilter(
        label=_("演练日期从"), field_name="held_on", lookup_expr="gte", widget=_date_input()
    )
    held_before = django_filters.DateFilter(
        label=_("演练日期至"), field_name="held_on", lookup_expr="lte", widget=_date_input()
    )
    category = django_filters.ChoiceFilter(label=_("电梯类别"), choices=CATEGORIES.choices, method="by_category")
    elevator = django_filters.CharFilter(label=_("电梯（注册代码或小区）"), method="by_elevator")

    class Meta:
        model = EmergencyDrill
        fields = ["held_after", "held_before", "category", "elevator"]

    def by_category(self, queryset, name, value):
        return queryset.filter(pk__in=drill_ids_of_elevators(Q(elevator__device_category__in=codes_of(value))))

    def by_elevator(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.isascii() and value.isalnum():
            condition = Q(elevator__register_code__startswith=value.upper())
        else:
            condition = Q(elevator__building__contains=value)
        return queryset.filter(pk__in=drill_ids_of_elevators(condition))
