"""维保预警查询 (the list of near and overdue visits) and 预警设置 (a company's thresholds)."""

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.generic import ObjectActionView, ObjectListView
from core.tenancy import scope_for
from elevators.models import Component, Elevator
from maintenance.models import MaintenancePlan
from maintenance.views.calendar import CompanySettingsRowView, CompanySettingsView

from . import rules, services
from .filters import ComponentWarningFilter, InspectionWarningFilter, MaintenanceWarningFilter
from .forms import AlertSettingsForm, ComponentReplaceForm
from .models import AlertSettings
from .tables import ComponentWarningTable, InspectionWarningTable, MaintenanceWarningTable

# --- 维保预警查询 -------------------------------------------------------------------------------------------------


class MaintenanceWarningListView(ObjectListView):
    """Open visits near or past their due date, for whoever reads those plans; sorted by due date."""

    model = MaintenancePlan
    table_class = MaintenanceWarningTable
    filterset_class = MaintenanceWarningFilter
    template_name = "alerts/maintenance_list.html"
    sorts = {
        "due": (["due_date", "id"], gettext_lazy("计划日期")),
        "-due": (["-due_date", "-id"], gettext_lazy("计划日期（倒序）")),
    }
    related = ("elevator",)
    only = ("id", "due_date", "cycle", "elevator__register_code", "elevator__building")
    page_size = 50
    title = gettext_lazy("维保预警查询")
    export_name = gettext_lazy("维保预警")
    empty_message = gettext_lazy("没有临期或逾期的维保计划")

    def own_near_days(self):
        """The company's threshold (None for anyone but a maintenance company), read once per request."""
        if not hasattr(self, "_near_days"):
            scope = scope_for(self.request.user)
            self._near_days = (
                services.near_days_of(scope.organization_id) if scope.kind == "maintenance_company" else None
            )
        return self._near_days

    def get_queryset(self):
        plans = services.maintenance_warnings(self.request.user, near_days=self.own_near_days())
        return plans.annotate(
            use_unit_name=F("elevator__use_unit__name"), group_name=F("elevator__group_assignment__group__name")
        )

    def get_extra_context(self):
        return {
            "near_days": self.own_near_days(),
            "default_near_days": rules.NEAR_DAYS_DEFAULT,
            "settings_url": reverse("alerts:settings") if self.own_near_days() is not None else None,
        }


# --- 年检预警 ---------------------------------------------------------------------------------------------------


class InspectionWarningListView(ObjectListView):
    """Elevators whose next periodic inspection or self-inspection is within 60 days or past; by date."""

    model = Elevator
    table_class = InspectionWarningTable
    filterset_class = InspectionWarningFilter
    template_name = "alerts/inspection_list.html"
    sorts = {
        "due": (["next_inspection_date", "id"], gettext_lazy("下次检验日期")),
        "-due": (["-next_inspection_date", "-id"], gettext_lazy("下次检验日期（倒序）")),
    }
    only = (
        "id",
        "register_code",
        "building",
        "next_inspection_date",
        "supervision_inspection_date",
        "installation_date",
    )
    page_size = 50
    title = gettext_lazy("年检预警")
    export_name = gettext_lazy("年检预警")
    empty_message = gettext_lazy("没有临期或逾期的年检")

    def get_queryset(self):
        return services.inspection_warnings(self.request.user).annotate(use_unit_name=F("use_unit__name"))

    def get_extra_context(self):
        return {"tiers": rules.INSPECTION_TIERS}


# --- 组件寿命预警 -------------------------------------------------------------------------------------------------


class ComponentWarningListView(ObjectListView):
    """Components within 30 days of their end of life or past it; by end of life."""

    model = Component
    table_class = ComponentWarningTable
    filterset_class = ComponentWarningFilter
    template_name = "alerts/component_list.html"
    sorts = {
        "due": (["expires_on", "id"], gettext_lazy("寿命到期日")),
        "-due": (["-expires_on", "-id"], gettext_lazy("寿命到期日（倒序）")),
    }
    related = ("elevator",)
    only = (
        "id",
        "name",
        "installed_on",
        "lifespan_months",
        "expires_on",
        "elevator__register_code",
        "elevator__building",
    )
    page_size = 50
    title = gettext_lazy("组件寿命预警")
    export_name = gettext_lazy("组件寿命预警")
    empty_message = gettext_lazy("没有临近或超过使用寿命的组件")

    def get_queryset(self):
        return services.component_warnings(self.request.user)

    def get_extra_context(self):
        return {"near_days": rules.COMPONENT_NEAR_DAYS}


class ComponentReplaceView(ObjectActionView):
    """更换 from the warning: the replacement date and a note; the ledger resets the component's dates and a 维修纪录
    records the replacement."""

    model = Component
    action = "replace"
    form_class = ComponentReplaceForm
    title = gettext_lazy("更换组件")
    submit_label = gettext_lazy("确认更换")

    def get_queryset(self):
        return Component.objects.select_related("elevator")

    def get_object(self):
        component = super().get_object()
        self.confirm_text = _(
            "电梯 %(code)s（%(building)s）的%(name)s：安装日期 %(installed)s，寿命 %(months)s 个月，"
            "到期日 %(expires)s。确认更换后，安装日期改为更换日期，到期日随之重算，并生成一条已修复的维修纪录。"
        ) % {
            "code": component.elevator.register_code,
            "building": component.elevator.building,
            "name": component.name,
            "installed": component.installed_on,
            "months": component.lifespan_months,
            "expires": component.expires_on,
        }
        return component

    def perform(self, component, data, request):
        component, repair = services.replace_component(
            component, actor=request.user, replaced_on=data["replaced_on"], note=data["note"], request=request
        )
        done = {"date": component.expires_on}
        if repair is None:
            self.success_message = _("组件已更换，到期日改为 %(date)s。") % done
        else:
            self.success_message = _("组件已更换，到期日改为 %(date)s，已生成维修纪录。") % done

    def get_success_url(self, component):
        return reverse("alerts:component")

    def get_cancel_url(self, component):
        return reverse("alerts:component")


# --- 预警设置 ------------------------------------------------------------------------------------------------


def _save_settings(organization, data, reason, request):
    return services.save_alert_settings(
        organization,
        maintenance_near_days=data["maintenance_near_days"],
        actor=request.user,
        reason=reason,
        request=request,
    )


class AlertSettingsView(CompanySettingsView):
    """预警设置: how many days before a visit's date it turns yellow, for the company's own plans."""

    model = AlertSettings
    form_class = AlertSettingsForm
    template_name = "alerts/settings.html"
    title = gettext_lazy("预警设置")
    url_name = "alerts:settings"
    cancel_url_name = "alerts:maintenance"
    success_message_create = gettext_lazy("预警设置已保存。")
    success_message_update = gettext_lazy("预警设置已保存。")

    def save(self, organization, data, reason, request):
        return _save_settings(organization, data, reason, request)

    def readonly_context(self, obj):
        return {"near_days": obj.maintenance_near_days if obj else rules.NEAR_DAYS_DEFAULT}


class AlertSettingsEditView(CompanySettingsRowView):
    model = AlertSettings
    form_class = AlertSettingsForm
    template_name = "alerts/settings.html"
    row_title = gettext_lazy("预警设置：%(company)s")
    own_url_name = "alerts:settings"

    def save(self, organization, data, reason, request):
        return _save_settings(organization, data, reason, request)


# --- 维保合同到期预警 ------------------------------------------------------------------------------------------

from contracts.models import MaintenanceContract  # noqa: E402
from contracts.views import with_elevators  # noqa: E402

from .filters import ContractWarningFilter  # noqa: E402
from .tables import ContractWarningTable  # noqa: E402


class ContractWarningListView(ObjectListView):
    """Maintenance contracts within 90 days of their end or past it, not renewed; by end date."""

    model = MaintenanceContract
    table_class = ContractWarningTable
    filterset_class = ContractWarningFilter
    template_name = "alerts/contract_list.html"
    sorts = {
        "due": (["ends_on", "id"], gettext_lazy("服务期限止")),
        "-due": (["-ends_on", "-id"], gettext_lazy("服务期限止（倒序）")),
    }
    related = ("maintenance_company", "use_unit")
    page_size = 50
    title = gettext_lazy("维保合同到期预警")
    export_name = gettext_lazy("维保合同到期预警")
    empty_message = gettext_lazy("没有临期或逾期的维保合同")

    def get_queryset(self):
        return with_elevators(services.contract_warnings(self.request.user))

    def get_extra_context(self):
        return {"tiers": rules.CONTRACT_TIERS}


# --- 人员证书到期预警 -----------------------------------------------------------------------------------------------

from django.core.exceptions import PermissionDenied  # noqa: E402 - this block is appended on its own

from accounts.models import User  # noqa: E402
from records.models import MaintenanceRecord  # noqa: E402

from .filters import CertificateWarningFilter, ConfirmationWarningFilter  # noqa: E402
from .tables import (  # noqa: E402
    CertificateWarningTable,
    CompanyQualificationWarningTable,
    ConfirmationWarningTable,
)

COMPANY_QUALIFICATIONS_SHOWN = 50  # the second table: the first ones by end date, a city's are few


def _reads_certificates(user) -> bool:
    """The companies' and the bureaus' administrators and the operator (the page lists accounts, which only
    administrators list: accounts.policies.UserPolicy.can_list, checked by the list view itself)."""
    scope = scope_for(user)
    return scope.is_operator or scope.kind in ("maintenance_company", "regulator")


class CertificateWarningListView(ObjectListView):
    """Workers whose certificate ends within 60 days, has ended or is missing (by name), and above them the
    companies' own qualifications near or past their end. The rows are accounts: who sees them is who sees them in
    账号维护 (a company's administrators their own people, the operator all; a bureau none of another unit's)."""

    model = User
    table_class = CertificateWarningTable
    filterset_class = CertificateWarningFilter
    template_name = "alerts/certificate_list.html"
    sorts = {
        "name": (["username", "id"], gettext_lazy("用户名")),
        "-name": (["-username", "-id"], gettext_lazy("用户名（倒序）")),
    }
    related = ("organization",)
    only = ("id", "username", "full_name", "organization__name")
    page_size = 50
    title = gettext_lazy("人员证书到期预警")
    export_name = gettext_lazy("人员证书到期预警")
    empty_message = gettext_lazy("没有临期、过期或无资质的维保人员")

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _reads_certificates(request.user):
            raise PermissionDenied(_("人员证书到期预警只对维保单位、监管部门和平台运营方开放。"))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return services.certificate_warnings(self.request.user)

    def get_extra_context(self):
        qualifications = (
            services.company_qualification_warnings(self.request.user)
            .select_related("organization")
            .order_by("valid_until", "id")[:COMPANY_QUALIFICATIONS_SHOWN]
        )
        table = CompanyQualificationWarningTable(list(qualifications), request=self.request)
        scope = scope_for(self.request.user)
        return {
            "near_days": rules.CERTIFICATE_NEAR_DAYS,
            "company_table": table,
            "company_table_body": table.tbody_html(_("没有临期或过期的单位资质")),
            "company_shown": COMPANY_QUALIFICATIONS_SHOWN,
            "people_hidden": scope.kind == "regulator",
        }


# --- 维保记录待确认预警 -------------------------------------------------------------------------------------------


def _reads_confirmations(user) -> bool:
    scope = scope_for(user)
    return scope.is_operator or scope.kind in ("maintenance_company", "use_unit", "regulator")


class ConfirmationWarningListView(ObjectListView):
    """Finished records the use unit has not confirmed yet, the longest waiting first; the use unit's people
    confirm them from the row (the existing 确认维保纪录 page)."""

    model = MaintenanceRecord
    table_class = ConfirmationWarningTable
    filterset_class = ConfirmationWarningFilter
    template_name = "alerts/confirmation_list.html"
    sorts = {
        "waiting": (["finished_at", "id"], gettext_lazy("结束时间")),
        "-waiting": (["-finished_at", "-id"], gettext_lazy("结束时间（倒序）")),
    }
    related = ("elevator",)
    only = ("id", "finished_at", "correction_approved_at", "elevator__register_code", "elevator__building")
    page_size = 50
    title = gettext_lazy("维保记录待确认预警")
    export_name = gettext_lazy("维保记录待确认预警")
    empty_message = gettext_lazy("没有等待使用单位确认的维保纪录")

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _reads_confirmations(request.user):
            raise PermissionDenied(_("维保记录待确认预警只对维保单位、使用单位、监管部门和平台运营方开放。"))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return services.confirmation_warnings(self.request.user).annotate(
            use_unit_name=F("elevator__use_unit__name"), company_name=F("organization__name")
        )

    def get_extra_context(self):
        return {"due_hours": int(rules.CONFIRMATION_DUE.total_seconds() // 3600)}


# --- 限速器检验预警 ------------------------------------------------------------------------------------------------

from .filters import GovernorWarningFilter  # noqa: E402  (kept with its kind's block)
from .tables import GovernorWarningTable  # noqa: E402


class GovernorWarningListView(ObjectListView):
    """Elevators whose next governor calibration is within 30 days or past; by date. Each row links to the
    inspection-report page preset to 限速器校验, which comes back here once the report is saved."""

    model = Elevator
    table_class = GovernorWarningTable
    filterset_class = GovernorWarningFilter
    template_name = "alerts/governor_list.html"
    sorts = {
        "due": (["next_governor_calibration", "id"], gettext_lazy("下次校验日期")),
        "-due": (["-next_governor_calibration", "-id"], gettext_lazy("下次校验日期（倒序）")),
    }
    only = (
        "id",
        "register_code",
        "building",
        "drive_type",
        "governor_since",
        "governor_calibrated_on",
        "next_governor_calibration",
    )
    page_size = 50
    title = gettext_lazy("限速器检验预警")
    export_name = gettext_lazy("限速器检验预警")
    empty_message = gettext_lazy("没有临期或逾期的限速器校验")

    def get_queryset(self):
        return services.governor_warnings(self.request.user).annotate(use_unit_name=F("use_unit__name"))

    def get_extra_context(self):
        return {"near_days": rules.GOVERNOR_NEAR_DAYS}


# --- 应急演练预警 ---------------------------------------------------------------------------------------------------

from django.shortcuts import render  # noqa: E402

from core.export import EXPORT_FORMATS, export_response, query_without  # noqa: E402
from core.pagination import KeysetPage, RowCount  # noqa: E402
from core.policies import require  # noqa: E402
from drills.models import EmergencyDrill  # noqa: E402

from .filters import DrillWarningFilter, SelfcheckWarningFilter  # noqa: E402
from .tables import DrillWarningTable, SelfcheckWarningTable  # noqa: E402


class DrillWarningListView(ObjectListView):
    """One row per maintenance company and elevator category whose half-yearly drill is near or overdue. The rows
    are worked out from two aggregate queries (a company has at most four), so they are paged in Python: the same
    table, template, filters and export as the other warnings."""

    model = EmergencyDrill
    table_class = DrillWarningTable
    filterset_class = DrillWarningFilter
    template_name = "alerts/drill_list.html"
    sorts = {"due": ([], gettext_lazy("应演练日期"))}
    page_size = 50
    title = gettext_lazy("应急演练预警")
    export_name = gettext_lazy("应急演练预警")
    empty_message = gettext_lazy("没有临期或逾期的应急演练")

    def get(self, request, *args, **kwargs):
        require(request.user, self.action, self.model)
        form = self.filterset_class(request.GET or None)
        values = form.values()
        if form.is_bound and not form.is_valid():
            rows = []
        else:
            rows = services.drill_warnings(
                request.user, level=values.get("level") or None, category=values.get("category") or None
            )
            rows = form.apply(rows)
        fmt = request.GET.get("export")
        if fmt in EXPORT_FORMATS:
            table = self.table_class([], request=request)
            return export_response(iter(rows), table.export_columns(), fmt, str(self.export_name))
        cursor = request.GET.get("cursor") or ""
        start = int(cursor) if cursor.isascii() and cursor.isdigit() and int(cursor) < len(rows) else 0
        items = services.attach_last_drill_ids(rows[start : start + self.page_size])
        more = start + self.page_size < len(rows)
        page = KeysetPage(
            items=items, next_cursor=str(start + self.page_size) if more else None, has_previous=start > 0
        )
        table = self.table_class(items, request=request)
        context = {
            "view": self,
            "title": self.get_title(),
            "filter": form,
            "table": table,
            "table_body": table.tbody_html(self.empty_message),
            "page": page,
            "object_list": items,
            "count": RowCount(len(rows), True, len(rows)),
            "sorts": [],
            "query": query_without(request, "cursor", "export"),
            "toolbar": [],
            "row_buttons": [],
            "empty_message": self.empty_message,
            "near_days": rules.DRILL_NEAR_DAYS,
            "months": rules.DRILL_INTERVAL_MONTHS,
        }
        partial = request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "object-list"
        return render(request, self.partial_template_name if partial else self.template_name, context)


# --- 年度自行检查预警 ----------------------------------------------------------------------------------------------


class SelfcheckWarningListView(ObjectListView):
    """Elevators whose periodic inspection is within 60 days or past without a completed annual maintenance record
    in the 12 months before it; by inspection date."""

    model = Elevator
    table_class = SelfcheckWarningTable
    filterset_class = SelfcheckWarningFilter
    template_name = "alerts/selfcheck_list.html"
    sorts = {
        "due": (["next_inspection_date", "id"], gettext_lazy("下次检验日期")),
        "-due": (["-next_inspection_date", "-id"], gettext_lazy("下次检验日期（倒序）")),
    }
    only = (
        "id",
        "register_code",
        "building",
        "next_inspection_date",
        "supervision_inspection_date",
        "installation_date",
    )
    page_size = 50
    title = gettext_lazy("年度自行检查预警")
    export_name = gettext_lazy("年度自行检查预警")
    empty_message = gettext_lazy("没有临期或逾期的年度自行检查")

    def get_queryset(self):
        return services.selfcheck_warnings(self.request.user).annotate(use_unit_name=F("use_unit__name"))

    def get_extra_context(self):
        return {"near_days": rules.SELFCHECK_NEAR_DAYS}
