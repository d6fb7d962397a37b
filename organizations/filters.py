import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, ModelChoiceFilter

from .models import Organization, Region, RegionLevel


class OrganizationFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    region = ModelChoiceFilter(
        label=_("所在区域"), method="in_region", queryset=Region.objects.exclude(level=RegionLevel.PROVINCE)
    )

    class Meta:
        model = Organization
        fields = ["q", "region"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(credit_code__icontains=value)
            | Q(contact_name__icontains=value)
            | Q(address__icontains=value)
        )

    def in_region(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path)
