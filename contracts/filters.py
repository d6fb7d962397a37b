import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, IdFilter
from organizations.models import Organization

from .models import ContractStatus, MaintenanceContract

DATE = forms.DateInput({"type": "date"})


def status_condition(status: str, today) -> Q:
    """The contracts in a status on `today`, as a condition on the dates (the status is not stored)."""
    live = Q(terminated_on__isnull=True)
    if status == ContractStatus.TERMINATED:
        return Q(terminated_on__isnull=False)
    if status == ContractStatus.PENDING:
        return live & Q(starts_on__gt=today)
    if status == ContractStatus.EXPIRED:
        return live & Q(ends_on__lt=today)
    return live & Q(starts_on__lte=today, ends_on__gte=today)


class ContractFilter(FilterSet):
    """维保合同: by use unit (name, or id from links and the API), status on today, number and the end date."""

    use_unit = IdFilter(field_name="use_unit_id", widget=forms.HiddenInput)
    use_unit_name = django_filters.CharFilter(label=_("使用单位"), method="unit_named")
    status = django_filters.ChoiceFilter(label=_("合同状态"), choices=ContractStatus.choices, method="by_status")
    number = django_filters.CharFilter(label=_("合同编号"), field_name="number", lookup_expr="icontains")
    ends_after = django_filters.DateFilter(label=_("到期日从"), field_name="ends_on", lookup_expr="gte", widget=DATE)
    ends_before = django_filters.DateFilter(label=_("到期日至"), field_name="ends_on", lookup_expr="lte", widget=DATE)

    class Meta:
        model = MaintenanceContract
        fields = ["use_unit_name", "status", "number", "ends_after", "ends_before", "use_unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["use_unit_name"].widget.attrs.update(
            {
                "list": "use_unit-options",
                "autocomplete": "off",
                "hx-get": f"{reverse('elevators:unit_lookup')}?kind=use_unit",
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#use_unit-options",
                "hx-swap": "innerHTML",
            }
        )

    def unit_named(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        units = Organization.objects.filter(kind="use_unit", name__icontains=value).values("pk")
        return queryset.filter(use_unit_id__in=units)

    def by_status(self, queryset, name, value):
        return queryset.filter(status_condition(value, timezone.localdate()))
