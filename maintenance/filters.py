import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .models import CYCLE_RANK, Annex, Cycle, MaintenanceGroup, MaintenanceItem


class MaintenanceItemFilter(FilterSet):
    """The seed's tabs are cycles and they are cumulative: 季度 lists the half-month items too."""

    annex = django_filters.ChoiceFilter(label=_("适用附件"), choices=Annex.choices)
    cycle = django_filters.ChoiceFilter(label=_("维保周期"), choices=Cycle.choices, method="up_to_cycle")
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    source = django_filters.ChoiceFilter(
        label=_("来源"),
        choices=[("regulation", _("TSG T5002")), ("own", _("本单位"))],
        method="by_source",
    )

    class Meta:
        model = MaintenanceItem
        fields = ["annex", "cycle", "q", "source"]

    def up_to_cycle(self, queryset, name, value):
        return queryset.filter(cycle_rank__lte=CYCLE_RANK[value])

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(part__icontains=value) | Q(requirement__icontains=value))

    def by_source(self, queryset, name, value):
        return queryset.filter(organization__isnull=(value == "regulation"))


class MaintenanceGroupFilter(FilterSet):
    q = django_filters.CharFilter(label=_("小组名称/组长"), method="search")

    class Meta:
        model = MaintenanceGroup
        fields = ["q"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        leader = Q(leader__full_name__icontains=value) | Q(leader__username__icontains=value)
        return queryset.filter(Q(name__icontains=value) | leader)
