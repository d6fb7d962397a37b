import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .models import PilotApplication, PilotElevator, PilotStatus


class PilotFilter(FilterSet):
    """任务状态 and 搜索 (the number's digits, a unit's name or a register code)."""

    status = django_filters.ChoiceFilter(label=_("任务状态"), choices=PilotStatus.choices)
    q = django_filters.CharFilter(label=_("搜索"), method="search")

    class Meta:
        model = PilotApplication
        fields = ["status", "q"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        number = value.upper().removeprefix("SD").split("-")[-1]
        condition = Q(use_unit_name__contains=value) | Q(company_name__contains=value)
        if number.isdecimal() and len(number) <= 9:  # isdigit() takes "²", which int() refuses
            condition |= Q(pk=int(number))
        if value.isalnum() and len(value) >= 6:
            lines = PilotElevator.objects.filter(elevator__register_code__startswith=value)
            condition |= Q(pk__in=lines.values("application_id"))
        return queryset.filter(condition)
