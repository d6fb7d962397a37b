"""维保计划管理: the list, the month calendar, one plan (and its move), 新增维保计划 and its background job."""

import calendar as month_calendar
from collections import defaultdict
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core import audit
from core.forms import DateInput, StyledFormMixin, apply_service_errors
from core.generic import Button, ObjectActionView, ObjectDetailView, ObjectListView
from core.policies import can, require
from core.tenancy import CHANGE, scope_for
from elevators.filters import ElevatorFilter
from elevators.models import Elevator

from .. import schedule
from ..filters import MaintenancePlanFilter
from ..models import Cycle, GroupAssignment, MaintenanceGroup, MaintenancePlan, OnDemandMaintenance, PlanJob, PlanStatus
from ..services import plans
from ..tables import MaintenancePlanTable

CALENDAR_DETAIL_LIMIT = 400  # more plans in a month than this: the calendar shows counts per day


class PlanListView(ObjectListView):
    model = MaintenancePlan
    table_class = MaintenancePlanTable
    filterset_class = MaintenancePlanFilter
    sorts = {
        "due": (["due_date", "id"], gettext_lazy("计划日期")),
        "-due": (["-due_date", "-id"], gettext_lazy("计划日期（倒序）")),
    }
    related = ("elevator",)
    only = (
        *("id", "due_date", "cycle", "status", "original_date", "done_at"),
        *("elevator__register_code", "elevator__building"),
    )
    page_size = 50
    title = gettext_lazy("维保计划管理")
    export_name = gettext_lazy("维保计划")
    toolbar = (
        Button(gettext_lazy("新增维保计划"), "maintenance:plan_create", "add", style="success", testid="plan-create"),
        Button(gettext_lazy("月历"), "maintenance:plan_calendar", "list", style="outline-primary", testid="calendar"),
    )

    def get_filterset(self, queryset):
        return self.filterset_class(self.request.GET.copy(), queryset=queryset, request=self.request)


class PlanDetailView(ObjectDetailView):
    model = MaintenancePlan
    related = ("elevator", "organization")
    template_name = "maintenance/plan_detail.html"
    buttons = (Button(gettext_lazy("调整日期"), "maintenance:plan_move", "move", style="primary", testid="move"),)

    def get_extra_context(self, plan):
        previous, following, end = plans.neighbours(plan)
        return {
            "plan": plan,
            "previous": previous,
            "following": following,
            "year_end": end - timedelta(days=1),
            "interval": plans.interval_for(plan.elevator, plan.due_date),
            "events": audit.events_for(plan),
            "can_move": plan.status == PlanStatus.PLANNED and can(self.request.user, "move", plan),
        }


class MoveForm(StyledFormMixin, forms.Form):
    due_date = forms.DateField(label=gettext_lazy("新的计划日期"), widget=DateInput())
    reason = forms.CharField(label=gettext_lazy("调整原因"), max_length=200)


class PlanMoveView(ObjectActionView):
    model = MaintenancePlan
    action = "move"
    form_class = MoveForm
    title = gettext_lazy("调整维保计划")
    submit_label = gettext_lazy("调整")
    success_message = gettext_lazy("维保计划已调整。")

    def get_queryset(self):
        return MaintenancePlan.objects.select_related("elevator")

    def render_form(self, obj, form, status=200):
        previous, following, end = plans.neighbours(obj)
        interval = plans.interval_for(obj.elevator, obj.due_date)
        parts = [_("原计划 %(date)s（%(cycle)s）") % {"date": obj.due_date, "cycle": obj.get_cycle_display()}]
        if previous:
            parts.append(_("上一次维保 %(date)s") % {"date": previous})
        if following:
            parts.append(_("下一次计划 %(date)s") % {"date": following})
        parts.append(_("相邻两次维保间隔不得超过 %(days)s 天") % {"days": interval})
        window = plans.move_window(obj)
        if window:
            parts.append(_("可调整到 %(first)s 至 %(last)s") % {"first": window[0], "last": window[1]})
        else:
            parts.append(_("这次计划已没有其他可选的日期（调整会使维保间隔超过规定）"))
        self.confirm_text = "；".join(str(p) for p in parts) + "。"
        return super().render_form(obj, form, status)

    def perform(self, plan, data, request):
        plans.move_plan(plan, data["due_date"], actor=request.user, reason=data["reason"], request=request)


class GenerateForm(StyledFormMixin, forms.Form):
    start_date = forms.DateField(
        label=gettext_lazy("计划起始日期"),
        widget=DateInput(),
    )
    register_code = forms.CharField(label=gettext_lazy("单台电梯（注册代码）"), required=False, max_length=20)
    group = forms.ModelChoiceField(
        label=gettext_lazy("维保小组"), queryset=MaintenanceGroup.objects.none(), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = MaintenanceGroup.objects.visible_to(user)


def _initial(request) -> dict:
    """From an elevator's page: its code, and the day its next plan year begins when it has plans already; from a
    group's page: the group."""
    code = request.GET.get("register_code", "").strip()
    initial = {"register_code": code, "group": request.GET.get("group") or None}
    elevator = Elevator.objects.restrict(request.user, CHANGE).filter(register_code=code).first() if code else None
    if elevator is not None:
        initial["start_date"] = plans.next_year_start(elevator)
    return initial


def _selection(request, data):
    """The elevators a generation applies to: one by its code, or the ledger's filters (and a group)."""
    base = Elevator.objects.restrict(request.user, CHANGE).filter(status__in=plans.PLANNABLE_STATUSES)
    elevator_filter = ElevatorFilter(data, queryset=base, request=request)
    return base, elevator_filter


@login_required
def plan_create(request):
    """新增维保计划: a start date and one elevator or a filtered selection; a preview of the year first."""
    require(request.user, "add", MaintenancePlan)
    data = request.POST if request.method == "POST" else None
    form = GenerateForm(data, user=request.user, initial=_initial(request))
    base, elevator_filter = _selection(request, data)
    context = {"form": form, "filter": elevator_filter, "title": _("新增维保计划")}
    if data is not None and form.is_valid():
        start, code, group = form.cleaned_data["start_date"], form.cleaned_data["register_code"].strip(), None
        group = form.cleaned_data["group"]
        if code:
            selected = base.filter(register_code=code)
        else:
            selected = elevator_filter.qs if elevator_filter.is_valid() else base.none()
        if group is not None:
            selected = selected.filter(pk__in=GroupAssignment.objects.filter(group=group).values("elevator_id"))
        try:
            plans.check_start(start)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return render(request, "maintenance/plan_create.html", context)
        if "confirm" in request.POST:
            return _generate(request, form, selected, start, code, context)
        context.update(_preview(selected, start, request.user))
    return render(request, "maintenance/plan_create.html", context)


def _preview(selected, start, user):
    today = timezone.localdate()
    organization_id = user.organization_id
    avoid = plans.avoid_for(organization_id, start, schedule.year_end(start)) if organization_id else frozenset()
    visits = schedule.plan_year(start, avoid=avoid)
    return {
        "preview": True,
        "matched": selected.count(),
        "sample": list(selected.order_by("register_code").values_list("register_code", "building")[:10]),
        "visits": [(v, v.date >= today) for v in visits],
        "future_count": sum(v.date >= today for v in visits),
    }


def _generate(request, form, selected, start, code, context):
    ids = list(selected.order_by("pk").values_list("pk", flat=True))
    if not ids:
        form.add_error(None, _("没有符合条件、可以制定计划的电梯（停用、报废的电梯不制定计划）。"))
        return render(request, "maintenance/plan_create.html", context)
    if len(ids) == 1:
        elevator = Elevator.objects.select_related("on_demand").get(pk=ids[0])
        try:
            created = plans.generate_year(elevator, start, actor=request.user, request=request)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return render(request, "maintenance/plan_create.html", context)
        done = _("已为 %(code)s 生成 %(n)s 条维保计划。") % {"code": elevator.register_code, "n": created}
        messages.success(request, done)
        return HttpResponseRedirect(f"{reverse('maintenance:plan_calendar')}?elevator={elevator.register_code}")
    description = _describe(request.POST, form)
    job = plans.start_plan_job(
        actor=request.user, elevator_ids=ids, start=start, description=description, request=request
    )
    return HttpResponseRedirect(job.get_absolute_url())


def _describe(data, form) -> str:
    """The selection in words, for the job page."""
    keys = ("q", "status", "device_category", "region", "use_unit_name", "maintenance_company_name", "building")
    parts = [f"{key}={data[key]}" for key in keys if data.get(key)]
    if form.cleaned_data.get("group"):
        parts.append(f"{_('维保小组')}={form.cleaned_data['group']}")
    return "; ".join(parts) or _("本单位全部电梯")


class PlanJobView(ObjectDetailView):
    model = PlanJob
    template_name = "maintenance/plan_job.html"

    def get(self, request, *args, **kwargs):
        if request.headers.get("HX-Request") == "true":
            job = self.get_object()
            return render(request, "maintenance/_plan_job_progress.html", {"job": job})
        return super().get(request, *args, **kwargs)

    def get_extra_context(self, job):
        return {"job": job}


class PlanCalendarView(LoginRequiredMixin, View):
    """A month of plans per group, worker or elevator (all of the user's plans without a filter)."""

    def get(self, request):
        require(request.user, "list", MaintenancePlan)
        month = _month(request.GET.get("month"))
        first = month
        last = date(month.year, month.month, month_calendar.monthrange(month.year, month.month)[1])
        data = request.GET.copy()
        data["when"] = "all"
        filterset = MaintenancePlanFilter(
            data, queryset=MaintenancePlan.objects.visible_to(request.user), request=request
        )
        queryset = filterset.qs if filterset.is_valid() else MaintenancePlan.objects.none()
        queryset = queryset.filter(due_date__gte=first, due_date__lte=last).exclude(status=PlanStatus.CLOSED)
        by_day = defaultdict(list)
        counts = defaultdict(dict)
        detailed = queryset.count() <= CALENDAR_DETAIL_LIMIT
        if detailed:
            rows = queryset.select_related("elevator").only(
                "id", "due_date", "cycle", "status", "elevator__register_code", "elevator__building"
            )
            for plan in rows.order_by("due_date", "elevator__register_code"):
                by_day[plan.due_date].append(plan)
        else:
            for day, cycle, n in queryset.values_list("due_date", "cycle").annotate(n=Count("id")).order_by():
                counts[day][cycle] = n
        weeks = [
            [
                {
                    "date": day,
                    "in_month": day.month == month.month,
                    "plans": by_day.get(day, []),
                    "counts": [(Cycle(c).label, c, n) for c, n in sorted(counts.get(day, {}).items())],
                    "total": len(by_day.get(day, [])) or sum(counts.get(day, {}).values()),
                }
                for day in week
            ]
            for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
        ]
        query = request.GET.copy()
        query.pop("month", None)
        context = {
            "title": _("维保月历"),
            "filter": filterset,
            "month": month,
            "previous_month": (month - timedelta(days=1)).replace(day=1),
            "next_month": (last + timedelta(days=1)),
            "weeks": weeks,
            "detailed": detailed,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "weekdays": [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")],
        }
        return render(request, "maintenance/plan_calendar.html", context)


def _month(value) -> date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return timezone.localdate().replace(day=1)


def elevator_plans_panel(request, elevator):
    """The elevator page's next visits (a panel the elevators app shows without knowing this one)."""
    if not can(request.user, "list", MaintenancePlan):
        return ""
    upcoming = list(
        MaintenancePlan.objects.visible_to(request.user)
        .filter(elevator=elevator, status=PlanStatus.PLANNED, due_date__gte=timezone.localdate())
        .order_by("due_date")[:6]
    )
    context = {
        "elevator": elevator,
        "upcoming": upcoming,
        "on_demand": OnDemandMaintenance.objects.filter(elevator=elevator).first(),
        # the company that maintains it plans it (no query: the scope knows the user's unit)
        "can_plan": can(request.user, "add", MaintenancePlan)
        and elevator.maintenance_company_id == scope_for(request.user).organization_id,
    }
    return render_to_string("maintenance/_elevator_plans.html", context, request=request)
