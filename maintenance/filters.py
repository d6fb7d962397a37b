import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.filters import FilterSet, ModelChoiceFilter
from core.tenancy import scope_for

from .models import (
    CYCLE_RANK,
    Annex,
    Cycle,
    GroupAssignment,
    MaintenanceGroup,
    MaintenanceItem,
    MaintenancePlan,
    OnDemandMaintenance,
    PlanStatus,
)
from .policies import group_elevator_ids


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


class MaintenancePlanFilter(FilterSet):
    """维保计划 by elevator, group, worker, cycle, status and due dates; `when` defaults to the visits to come."""

    when = django_filters.ChoiceFilter(
        label=_("范围"),
        choices=[("upcoming", _("今天及以后")), ("overdue", _("已逾期")), ("all", _("全部"))],
        method="by_when",
        empty_label=None,
    )
    elevator = django_filters.CharFilter(label=_("注册代码"), method="by_elevator")
    group = ModelChoiceFilter(label=_("维保小组"), queryset=MaintenanceGroup.objects.none(), method="by_group")
    worker = ModelChoiceFilter(label=_("维保人员"), queryset=User.objects.none(), method="by_worker")
    cycle = django_filters.ChoiceFilter(label=_("维保类型"), choices=Cycle.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=PlanStatus.choices)
    due_after = django_filters.DateFilter(
        label=_("计划日期从"), field_name="due_date", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    due_before = django_filters.DateFilter(
        label=_("计划日期至"), field_name="due_date", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = MaintenancePlan
        fields = ["when", "elevator", "group", "worker", "cycle", "status", "due_after", "due_before"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("when"):
            data = data.copy()
            data["when"] = "upcoming"
        super().__init__(data, *args, **kwargs)
        groups = MaintenanceGroup.objects.visible_to(self.user) if self.user else MaintenanceGroup.objects.none()
        self.filters["group"].queryset = groups
        self.form.fields["group"].queryset = groups
        scope = scope_for(self.user)
        people = User.objects.none()
        if scope.kind == "maintenance_company":
            people = User.objects.filter(organization_id=scope.organization_id, is_active=True).order_by(
                "full_name", "username"
            )
        elif scope.is_operator:
            people = User.objects.filter(organization__kind="maintenance_company", is_active=True).order_by(
                "full_name", "username"
            )
        self.filters["worker"].queryset = people
        self.form.fields["worker"].queryset = people

    def by_when(self, queryset, name, value):
        today = timezone.localdate()
        if value == "upcoming":
            return queryset.filter(due_date__gte=today)
        if value == "overdue":
            return queryset.filter(status=PlanStatus.PLANNED, due_date__lt=today)
        return queryset

    def by_elevator(self, queryset, name, value):
        """An elevator id (the API) or the start of a register code (17 to 20 characters when whole)."""
        value = value.strip()
        if value.isascii() and value.isdigit() and len(value) <= 12:
            return queryset.filter(elevator_id=int(value))
        return queryset.filter(elevator__register_code__startswith=value)

    def by_group(self, queryset, name, value):
        return queryset.filter(elevator_id__in=GroupAssignment.objects.filter(group=value).values("elevator_id"))

    def by_worker(self, queryset, name, value):
        return queryset.filter(elevator_id__in=group_elevator_ids(value.pk))


class OnDemandFilter(FilterSet):
    """按需维保: by register code (its start) or building, by interval."""

    q = django_filters.CharFilter(label=_("注册代码/楼盘"), method="search")
    interval_max = django_filters.NumberFilter(
        label=_("间隔不超过（天）"), field_name="interval_days", lookup_expr="lte", min_value=1, max_value=366
    )

    class Meta:
        model = OnDemandMaintenance
        fields = ["q", "interval_max"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(elevator__register_code__startswith=value) | Q(elevator__building__contains=value))


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
