import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, ModelChoiceFilter
from core.tenancy import scope_for

from .models import Organization, Region, RegionLevel


def regions_in_reach(user):
    """The cities and districts a filter offers this user: a bureau's jurisdiction, a rescue or inspection unit's
    city, the city a company or use unit sits in; everything for the operator."""
    regions = Region.objects.exclude(level=RegionLevel.PROVINCE)
    scope = scope_for(user)
    if scope.is_operator:
        return regions
    if scope.jurisdiction_path:
        return regions.filter(path__startswith=scope.jurisdiction_path)
    if scope.area_region_id:
        return regions.filter(Q(pk=scope.area_region_id) | Q(parent_id=scope.area_region_id))
    org = getattr(user, "organization", None)
    if org is None or org.region_id is None:
        return regions.none()
    city_id = org.region.parent_id if org.region.level == RegionLevel.DISTRICT else org.region_id
    return regions.filter(Q(pk=city_id) | Q(parent_id=city_id))


class RegionReachMixin:
    """A filter set whose `region` offers only the regions in the user's reach."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None and getattr(self.user, "is_authenticated", False):
            self.form.fields["region"].queryset = regions_in_reach(self.user)


class OrganizationFilter(RegionReachMixin, FilterSet):
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
