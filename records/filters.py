import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from maintenance.models import Cycle

from .models import Flag, MaintenanceRecord, RecordStatus, Repair, RepairStatus

DATE = forms.DateInput({"type": "date"})
FLAGGED_QUERY = "on"  # ?flagged=on: the records with any credibility flag (存疑纪录)


class MaintenanceRecordFilter(FilterSet):
    """维保纪录查询: by elevator, worker, cycle, status, credibility flag and date."""

    elevator = django_filters.CharFilter(label=_("注册代码"), method="by_elevator")
    worker = django_filters.CharFilter(label=_("维保人员"), method="by_worker")
    cycle = django_filters.ChoiceFilter(label=_("维保类型"), choices=Cycle.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RecordStatus.choices)
    flag = django_filters.ChoiceFilter(label=_("可信度标记"), choices=Flag.choices, method="by_flag")
    flagged = django_filters.BooleanFilter(
        label=_("存疑（有可信度标记）"), method="by_flagged", widget=forms.CheckboxInput
    )
    started_after = django_filters.DateFilter(
        label=_("开始日期从"), field_name="started_at", lookup_expr="date__gte", widget=DATE
    )
    started_before = django_filters.DateFilter(
        label=_("开始日期至"), field_name="started_at", lookup_expr="date__lte", widget=DATE
    )

    awaiting = django_filters.BooleanFilter(
        label=_("超过 24 小时未确认"), method="by_awaiting", widget=forms.CheckboxInput
    )

    class Meta:
        model = MaintenanceRecord
        fields = [
            "elevator",
            "worker",
            "cycle",
            "status",
            "flag",
            "flagged",
            "started_after",
            "started_before",
            "awaiting",
        ]

    def by_awaiting(self, queryset, name, value):
        from .services import awaiting_confirmation

        return awaiting_confirmation(queryset) if value else queryset

    def by_elevator(self, queryset, name, value):
        return queryset.filter(elevator__register_code__startswith=value.strip())

    def by_worker(self, queryset, name, value):
        value = value.strip()
        from .models import RecordWorker

        people = RecordWorker.objects.filter(user__full_name__icontains=value) | RecordWorker.objects.filter(
            user__username=value
        )
        return queryset.filter(pk__in=people.values("record_id"))

    def by_flagged(self, queryset, name, value):
        return queryset.exclude(flags=[]) if value else queryset

    def by_flag(self, queryset, name, value):
        return queryset.filter(flags__contains=[value]) if _json_contains() else queryset.filter(flags__icontains=value)


def _json_contains() -> bool:
    """JSON containment is PostgreSQL's (SQLite has no `contains` on JSON fields)."""
    from django.db import connection

    return connection.vendor == "postgresql"


class RepairFilter(FilterSet):
    elevator = django_filters.CharFilter(label=_("注册代码"), method="by_elevator")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RepairStatus.choices)
    reported_after = django_filters.DateFilter(
        label=_("报修日期从"), field_name="reported_at", lookup_expr="date__gte", widget=DATE
    )
    reported_before = django_filters.DateFilter(
        label=_("报修日期至"), field_name="reported_at", lookup_expr="date__lte", widget=DATE
    )

    class Meta:
        model = Repair
        fields = ["elevator", "status", "reported_after", "reported_before"]

    def by_elevator(self, queryset, name, value):
        return queryset.filter(elevator__register_code__startswith=value.strip())
