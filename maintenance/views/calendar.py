"""The planning calendar: 节假日安排 (the year view and the operator's 节假日调整), 排期设置, 按需维保."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core import audit
from core.generic import Button, ObjectActionView, ObjectEditView, ObjectListView
from core.policies import can, require
from core.tenancy import scope_for

from .. import services
from ..days_off import calendar_of
from ..filters import OnDemandFilter
from ..forms import HolidayForm, OnDemandForm, PlanningSettingsForm
from ..models import AvoidDays, Holiday, OnDemandMaintenance, PlanningSettings
from ..tables import OnDemandTable

FIRST_YEAR, LAST_YEAR = 2020, 2040


# --- 节假日安排 -------------------------------------------------------------------------------------------------


def _year_of(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if FIRST_YEAR <= year <= LAST_YEAR else timezone.localdate().year


class HolidayYearView(LoginRequiredMixin, View):
    """Every day off and 调休 working day of a year, from the package and the operator's rows; everyone reads it,
    the operator keeps the rows."""

    def get(self, request):
        year = _year_of(request.GET.get("year"))
        days = calendar_of(year)
        return render(
            request,
            "maintenance/holiday_year.html",
            {
                "title": _("节假日安排"),
                "year": year,
                "years": range(FIRST_YEAR, LAST_YEAR + 1),
                "days": days,
                "off_count": sum(1 for day in days if not day.is_workday),
                "work_count": sum(1 for day in days if day.is_workday),
                "can_add": can(request.user, "add", Holiday),
                "can_change": can(request.user, "change", Holiday),
                "can_delete": can(request.user, "delete", Holiday),
            },
        )


def _year_url(holiday) -> str:
    return f"{reverse('maintenance:holiday_year')}?year={holiday.date.year}"


class HolidayEditView(ObjectEditView):
    model = Holiday
    form_class = HolidayForm
    template_name = "maintenance/calendar_form.html"
    success_message_create = gettext_lazy("已新增节假日调整。")
    success_message_update = gettext_lazy("节假日调整已保存。")

    def get_form(self, obj):
        self.form = super().get_form(obj)
        if obj is None and self.request.method == "GET" and self.request.GET.get("date"):
            self.form.initial["date"] = self.request.GET["date"]
        return self.form

    def create(self, data, request):
        reason = self.form.cleaned_data.get("reason", "")
        return services.save_holiday(actor=request.user, data=data, reason=reason, request=request)

    def update(self, holiday, data, reason, request):
        return services.save_holiday(holiday, actor=request.user, data=data, reason=reason, request=request)

    def get_success_url(self, obj):
        return _year_url(obj)

    def get_extra_context(self, obj, form):
        return {"events": audit.events_for(obj) if obj is not None else [], "cancel_url": self._cancel_url(obj)}

    def _cancel_url(self, obj):
        return _year_url(obj) if obj is not None else reverse("maintenance:holiday_year")


class HolidayDeleteView(ObjectActionView):
    model = Holiday
    action = "delete"
    title = gettext_lazy("删除节假日调整")
    confirm_text = gettext_lazy("删除后，这一天按 holidays 包的安排（若有）处理。")
    submit_label = gettext_lazy("删除")
    success_message = gettext_lazy("节假日调整已删除。")

    def perform(self, holiday, data, request):
        services.delete_holiday(holiday, actor=request.user, reason=data["reason"], request=request)

    def get_success_url(self, holiday):
        return _year_url(holiday)


# --- 排期设置 ------------------------------------------------------------------------------------------------


class CompanySettingsView(ObjectEditView):
    """A maintenance company's own settings row (排期设置, 预警设置): its administrators set it (the first save creates
    the row), its other people read it; other kinds of unit have none. Subclasses name the model, form, template,
    `title`, their own URL and `save()`; `readonly_context()` is what the company's other people see."""

    title = None
    url_name = None
    cancel_url_name = "portal:home"

    def save(self, organization, data: dict, reason: str, request):
        raise ImproperlyConfigured(f"{type(self).__name__} must define save()")

    def readonly_context(self, obj) -> dict:
        raise ImproperlyConfigured(f"{type(self).__name__} must define readonly_context()")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(request.user, "list", self.model)
            self.scope = scope_for(request.user)
            if self.scope.kind != "maintenance_company":
                raise Http404(_("对象不存在或无权查看。"))  # the operator has no company of its own
        return super().dispatch(request, *args, **kwargs)

    def own(self):
        return self.model.objects.filter(organization_id=self.scope.organization_id).first()

    def get_object(self):
        obj = self.own()
        if obj is None:
            require(self.request.user, "add", self.model(organization_id=self.scope.organization_id))
            return None
        require(self.request.user, "change", obj)
        return obj

    def get(self, request, *args, **kwargs):
        obj = self.own()
        allowed = can(request.user, "change", obj) if obj else can(request.user, "add", self.model)
        if not allowed:  # the company's other people read the settings
            context = {"title": str(self.title), "object": obj, **self.readonly_context(obj)}
            return render(request, self.template_name, context)
        return super().get(request, *args, **kwargs)

    def get_title(self, obj):
        return str(self.title)

    def create(self, data, request):
        return self.save(request.user.organization, data, "", request)

    def update(self, obj, data, reason, request):
        return self.save(request.user.organization, data, reason, request)

    def get_success_url(self, obj):
        return reverse(self.url_name)

    def get_extra_context(self, obj, form):
        events = audit.events_for(obj) if obj is not None else []
        return {"events": events, "cancel_url": reverse(self.cancel_url_name)}


class CompanySettingsRowView(ObjectEditView):
    """One company's settings by its row (its administrators, or the operator for any company); `row_title` is a
    format with %(company)s, `own_url_name` the company's own page, `save()` as CompanySettingsView's."""

    related = ("organization",)
    row_title = None
    own_url_name = None

    def save(self, organization, data: dict, reason: str, request):
        raise ImproperlyConfigured(f"{type(self).__name__} must define save()")

    def get_extra_context(self, obj, form):
        return {"events": audit.events_for(obj), "cancel_url": self.get_success_url(obj)}

    def get_title(self, obj):
        return str(self.row_title) % {"company": obj.organization.name}

    def update(self, obj, data, reason, request):
        return self.save(obj.organization, data, reason, request)

    def get_success_url(self, obj):
        if scope_for(self.request.user).organization_id == obj.organization_id:
            return reverse(self.own_url_name)
        return reverse(self.request.resolver_match.view_name, args=[obj.pk])


def _save_planning(organization, data, reason, request):
    return services.save_planning_settings(
        organization, avoid=data["avoid"], actor=request.user, reason=reason, request=request
    )


class PlanningSettingsView(CompanySettingsView):
    """排期设置: which days the company's plans avoid."""

    model = PlanningSettings
    form_class = PlanningSettingsForm
    template_name = "maintenance/planning_settings.html"
    title = gettext_lazy("排期设置")
    url_name = "maintenance:planning_settings"
    success_message_create = gettext_lazy("排期设置已保存。")
    success_message_update = gettext_lazy("排期设置已保存。")

    def save(self, organization, data, reason, request):
        return _save_planning(organization, data, reason, request)

    def readonly_context(self, obj):
        return {"avoid_label": AvoidDays(obj.avoid if obj else "").label}


class PlanningSettingsEditView(CompanySettingsRowView):
    model = PlanningSettings
    form_class = PlanningSettingsForm
    template_name = "maintenance/calendar_form.html"
    row_title = gettext_lazy("排期设置：%(company)s")
    own_url_name = "maintenance:planning_settings"

    def save(self, organization, data, reason, request):
        return _save_planning(organization, data, reason, request)


# --- 按需维保 -------------------------------------------------------------------------------------------------


class OnDemandListView(ObjectListView):
    model = OnDemandMaintenance
    table_class = OnDemandTable
    filterset_class = OnDemandFilter
    related = ("elevator", "elevator__maintenance_company", "set_by")
    sorts = {
        "-id": (["-id"], gettext_lazy("最新")),
        "interval": (["interval_days", "id"], gettext_lazy("维保间隔")),
    }
    title = gettext_lazy("按需维保")
    template_name = "maintenance/on_demand_list.html"
    toolbar = (
        Button(gettext_lazy("新增按需维保"), "maintenance:on_demand_create", "add", style="success", testid="add"),
        Button(gettext_lazy("编辑"), "maintenance:on_demand_edit", "change", kind="row", style="primary"),
        Button(gettext_lazy("移除"), "maintenance:on_demand_remove", "delete", kind="row", style="outline-danger"),
    )


class OnDemandEditView(ObjectEditView):
    model = OnDemandMaintenance
    form_class = OnDemandForm
    template_name = "maintenance/calendar_form.html"
    related = ("elevator",)

    def get_extra_context(self, obj, form):
        return {
            "events": audit.events_for(obj) if obj is not None else [],
            "cancel_url": reverse("maintenance:on_demand_list"),
        }

    success_message_create = gettext_lazy("已设置按需维保。")
    success_message_update = gettext_lazy("按需维保已保存。")

    def get_form(self, obj):
        self.form = super().get_form(obj)
        return self.form

    def create(self, data, request):
        return services.set_on_demand(
            self.form.elevator,
            interval_days=data["interval_days"],
            starts_on=data["starts_on"],
            note=data["note"],
            actor=request.user,
            new=True,
            request=request,
        )

    def update(self, record, data, reason, request):
        return services.set_on_demand(
            record.elevator,
            interval_days=data["interval_days"],
            starts_on=data["starts_on"],
            note=data["note"],
            actor=request.user,
            reason=reason,
            request=request,
        )

    def get_success_url(self, obj):
        return reverse("maintenance:on_demand_list")


class OnDemandRemoveView(ObjectActionView):
    model = OnDemandMaintenance
    action = "delete"
    title = gettext_lazy("移除按需维保")
    confirm_text = gettext_lazy("移除后，这台电梯的维保计划按半月（15 天）的法定间隔安排。")
    submit_label = gettext_lazy("移除")
    success_message = gettext_lazy("已移除按需维保。")

    def get_queryset(self):
        return OnDemandMaintenance.objects.select_related("elevator")

    def perform(self, record, data, request):
        services.clear_on_demand(record, actor=request.user, reason=data["reason"], request=request)

    def get_success_url(self, record):
        return reverse("maintenance:on_demand_list")
