"""电梯管理 pages: the ledger list, the three-step form, components, landing doors, QR signs, public page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.forms import apply_service_errors, keep_errors_only_for
from core.generic import Button, ObjectActionView, ObjectDetailView, ObjectListView, object_view
from core.net import client_ip
from core.policies import can, get_for, require
from organizations.models import Organization

from . import services, signs
from .filters import SORTS, ElevatorFilter
from .forms import (
    STEP_TITLES,
    STEPS,
    ComponentFormSet,
    CorrectCodeForm,
    ElevatorForm,
    HandleProblemForm,
    InspectionReportForm,
    LandingDoorFormSet,
    ProblemReportForm,
)
from .models import Elevator, InspectionKind, InspectionReport, ProblemReport, ProblemStatus
from .tables import ElevatorTable, ProblemReportTable

LIST_RELATED = ("use_unit", "maintenance_company", "region")
# The columns the list shows: fetching only these keeps the page within reach of hand-written SQL.
LIST_COLUMNS = (
    "id",
    "register_code",
    "rescue_code",
    "device_category",
    "building",
    "installation_date",
    "status",
    "updated_at",
    "use_unit__name",
    "maintenance_company__name",
    "region__name",
    "region__name_en",
)


def public_url(request, elevator) -> str:
    base = settings.PUBLIC_BASE_URL
    return (base.rstrip("/") + elevator.public_path) if base else request.build_absolute_uri(elevator.public_path)


def _visible(request, pk):
    return get_for(request.user, Elevator, pk, queryset=Elevator.objects.select_related(*LIST_RELATED))


def _changeable(request, pk):
    """404 outside the gate; 403 when the elevator is visible but not this user's to change."""
    return get_for(request.user, Elevator, pk, "change", queryset=Elevator.objects.select_related(*LIST_RELATED))


class ElevatorListView(ObjectListView):
    """电梯管理: the ledger, keyset-paged, filtered by the same filter set as /api/v1/elevators."""

    model = Elevator
    table_class = ElevatorTable
    filterset_class = ElevatorFilter
    sorts = SORTS
    related = LIST_RELATED
    only = LIST_COLUMNS
    title = gettext_lazy("电梯管理")
    export_name = gettext_lazy("电梯台账")
    empty_message = gettext_lazy("没有符合条件的电梯")
    template_name = "elevators/elevator_list.html"
    toolbar = (
        Button(gettext_lazy("新增"), "elevators:create", "add", style="success"),
        Button(
            gettext_lazy("导入"),
            "imports:start",
            "import",
            style="outline-success",
            testid="import-xlsx",
            url_kwargs={"kind": "elevators"},
        ),
        Button(gettext_lazy("编辑"), "elevators:edit", "change", kind="row", style="primary"),
        Button(gettext_lazy("组件"), "elevators:components", "view", kind="row"),
        Button(gettext_lazy("层门"), "elevators:landing_doors", "view", kind="row"),
    )

    def export(self, queryset, ordering, fmt):
        return super().export(queryset.select_related("manufacturer"), ordering, fmt)


@login_required
def unit_lookup(request):
    """Autocomplete for the list's unit filters: at most 20 names the user may see."""
    kind = request.GET.get("kind")
    if kind not in ("use_unit", "maintenance_company"):
        raise Http404
    text = (request.GET.get(f"{kind}_name") or request.GET.get("q") or "").strip()
    names = []
    if text:
        names = (
            Organization.objects.visible_to(request.user)
            .filter(kind=kind, name__icontains=text)
            .order_by("name")
            .values_list("name", flat=True)[:20]
        )
    return render(request, "elevators/_unit_options.html", {"names": names})


@login_required
def unit_options(request):
    """The elevator form's unit search: at most 30 units the user may choose, as JSON."""
    field = request.GET.get("field")
    if field not in ("use_unit", "maintenance_company", "manufacturer"):
        raise Http404
    text = (request.GET.get("q") or "").strip()
    units = services.organisations_for(request.user, field).filter(name__icontains=text).order_by("name")[:30]
    return JsonResponse(
        {"results": [{"id": unit.pk, "name": unit.name} for unit in units]} if text else {"results": []}
    )


class ElevatorDetailView(ObjectDetailView):
    model = Elevator
    related = (*LIST_RELATED, "manufacturer", "region__parent")
    buttons = (
        Button(gettext_lazy("更正注册代码"), "elevators:correct_code", "correct_code", testid="correct-code"),
        Button(gettext_lazy("删除"), "elevators:delete", "delete", style="outline-danger", testid="delete"),
    )
    template_name = "elevators/elevator_detail.html"

    def get_extra_context(self, elevator):
        elevator_public_url = public_url(self.request, elevator)
        units = Organization.objects.visible_to(self.request.user)
        return {
            "can_change": can(self.request.user, "change", elevator),
            # the units linked, with their contact, for whoever may see them (a rescue unit calls the company)
            "visible_units": set(
                units.filter(pk__in=[elevator.use_unit_id, elevator.maintenance_company_id]).values_list(
                    "pk", flat=True
                )
            ),
            "public_url": elevator_public_url,
            "qr_svg": signs.qr_svg(elevator_public_url),
            "just_created": self.request.GET.get("created") == "1",
            "history": elevator.history.select_related("history_user")[:20],
            "events": audit.events_for(elevator),
            "reports": elevator.problem_reports.all()[:10],
            **inspection_context(self.request, elevator),
            "map_tile_url": settings.MAP_TILE_URL,
            "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "map_center": settings.MAP_DEFAULT_CENTER,
        }


INSPECTION_HISTORY = 20


def inspection_context(request, elevator) -> dict:
    """The page's 检验记录 panel: the next inspection or self-inspection, the reports with their files (one query)."""
    reports = list(
        elevator.inspection_reports.select_related("report_file", "recorded_by").order_by("-date", "-id")[
            :INSPECTION_HISTORY
        ]
    )
    due, kind, by_calendar = services.next_due(elevator, reports)
    return {
        "inspection_reports": reports,
        "inspection_next": due,
        "inspection_next_kind": InspectionKind(kind).label,
        "inspection_next_is_calendar": by_calendar,
        # the elevator is visible: whether the user records reports at all decides (no query)
        "can_record_inspection": can(request.user, "add", InspectionReport),
    }


@login_required
@object_view(Elevator)
def inspection_create(request, pk):
    """录入检验结果: the report and its file; every error on the form in Chinese, nothing saved unless all is."""
    elevator = _visible(request, pk)
    require(request.user, "add", InspectionReport(elevator=elevator))
    posted = request.method == "POST"
    preset = request.GET.get("kind")  # 录入校验报告 from 限速器检验预警: ?kind=governor
    initial = {"kind": preset} if preset in InspectionKind.values else {}
    form = InspectionReportForm(request.POST if posted else None, request.FILES if posted else None, initial=initial)
    back = request.GET.get("next", "")  # the page that sent the person here (a warning list), when it is ours
    back = back if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else ""
    if posted and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "report_file"}
        try:
            report = services.record_inspection(
                elevator, actor=request.user, data=data, upload=form.cleaned_data["report_file"], request=request
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            saved = {"kind": report.get_kind_display(), "number": report.number}
            messages.success(request, _("检验结果已录入：%(kind)s %(number)s。") % saved)
            return redirect(back or report.get_absolute_url())
    return render(request, "elevators/inspection_form.html", {"elevator": elevator, "form": form, "back": back})


def _wizard(request, instance=None):
    """The three steps share one form; each 下一步 validates the steps so far and shows the next one."""
    form = ElevatorForm(request.POST or None, instance=instance, editor=request.user)
    step = 1
    if request.method == "POST":
        try:
            current = min(max(int(request.POST.get("step", 1)), 1), 3)
        except ValueError:
            current = 1
        action = request.POST.get("action", "next")
        if action == "submit" and form.is_valid():
            try:
                if instance is None:
                    elevator = services.create_elevator(actor=request.user, data=form.cleaned_data, request=request)
                    messages.success(request, _("电梯已新增，已生成二维码标识牌。"))
                    return redirect(f"{elevator.get_absolute_url()}?created=1")
                services.update_elevator(
                    instance,
                    actor=request.user,
                    data=form.cleaned_data,
                    reason=request.POST.get("reason", ""),
                    request=request,
                    expected_version=request.POST.get("version") or None,
                )
                messages.success(request, _("电梯信息已保存。"))
                return redirect(instance.get_absolute_url())
            except ValidationError as exc:
                apply_service_errors(form, exc)
                step = form.first_step_with_errors() or current
        elif action == "back":
            step = max(current - 1, 1)
            keep_errors_only_for(form, [])
        elif action == "next" and not form.errors_up_to(current):
            step = current + 1
            keep_errors_only_for(form, [])
        else:
            step = form.first_step_with_errors() or current
    map_context = {
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "map_center": settings.MAP_DEFAULT_CENTER,
    }
    return render(
        request,
        "elevators/elevator_form.html",
        {
            "form": form,
            "step": step,
            "steps": [(n, STEP_TITLES[n]) for n in STEPS],
            "elevator": instance,
            "step_fields": {n: form.step_fields(n) for n in STEPS},
            "reason": request.POST.get("reason", "") if request.method == "POST" else "",
            "reason_max_length": audit.CHANGE_REASON_MAX_LENGTH,
            # the version the edit was opened on travels with every step (services.update_elevator)
            "version": (request.POST.get("version") or services.version_of(instance)) if instance else "",
            **map_context,
        },
    )


@login_required
def elevator_create(request):
    require(request.user, "add", Elevator)
    return _wizard(request)


@login_required
@object_view(Elevator)
def elevator_edit(request, pk):
    return _wizard(request, _changeable(request, pk))


def _edit_children(request, pk, formset_class, prefix, save, saved_message, template, url_name):
    """组件 and 层门: an inline formset of the elevator's rows; anyone who sees it reads, its owners save."""
    elevator = _changeable(request, pk) if request.method == "POST" else _visible(request, pk)
    formset = formset_class(request.POST or None, instance=elevator, prefix=prefix)
    if request.method == "POST" and formset.is_valid():
        save(elevator, formset, actor=request.user, request=request)
        messages.success(request, saved_message)
        return redirect(url_name, pk=pk)
    can_change = can(request.user, "change", elevator)
    return render(request, template, {"elevator": elevator, "formset": formset, "can_change": can_change})


@login_required
@object_view(Elevator)
def elevator_components(request, pk):
    return _edit_children(
        request,
        pk,
        ComponentFormSet,
        "components",
        services.save_components,
        _("组件信息已保存。"),
        "elevators/components.html",
        "elevators:components",
    )


@login_required
@object_view(Elevator)
def elevator_landing_doors(request, pk):
    return _edit_children(
        request,
        pk,
        LandingDoorFormSet,
        "doors",
        services.save_landing_doors,
        _("层门信息已保存。"),
        "elevators/landing_doors.html",
        "elevators:landing_doors",
    )


@login_required
@object_view(Elevator)
def elevator_qr_svg(request, pk):
    elevator = _visible(request, pk)
    svg = signs.qr_svg(public_url(request, elevator), scale=8)
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
@object_view(Elevator)
def elevator_sign(request, pk):
    elevator = _visible(request, pk)
    layout = request.GET.get("layout", "a5")
    if layout not in signs.LAYOUTS:
        raise Http404
    pdf = signs.sign_pdf([elevator], lambda e: public_url(request, e), layout=layout)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sign-{elevator.register_code}.pdf"'
    return response


SIGN_SHEET_LIMIT = 200


@login_required
def sign_sheet(request):
    """标识牌 for the checked elevators (or the filtered list), on A4 label sheets."""
    ids = [int(i) for i in request.GET.getlist("ids") if i.isascii() and i.isdigit() and len(i) <= 18]
    ids = ids[:SIGN_SHEET_LIMIT]
    elevators = Elevator.objects.visible_to(request.user).filter(pk__in=ids).select_related(*LIST_RELATED)
    elevators = list(elevators.order_by("register_code"))
    if not elevators:
        raise Http404(_("请先勾选电梯。"))
    layout = request.GET.get("layout", "sheet")
    if layout not in signs.LAYOUTS:
        raise Http404
    pdf = signs.sign_pdf(elevators, lambda e: public_url(request, e), layout=layout)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="signs.pdf"'
    return response


def public_page(request, token):
    """The page behind the QR code: no login, phone-sized, with a problem report form."""
    elevator = get_object_or_404(Elevator.objects.select_related(*LIST_RELATED), qr_token=token)
    form = ProblemReportForm(request.POST or None)
    submitted = False
    if request.method == "POST" and form.is_valid():
        try:
            services.report_problem(
                elevator,
                category=form.cleaned_data["category"],
                description=form.cleaned_data["description"],
                contact_phone=form.cleaned_data["contact_phone"],
                ip=client_ip(request),
            )
        except services.ReportRateLimited as exc:
            form.add_error(None, str(exc))
            return render(request, "elevators/public_page.html", {"elevator": elevator, "form": form}, status=429)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            submitted = True
            form = ProblemReportForm()
    return render(request, "elevators/public_page.html", {"elevator": elevator, "form": form, "submitted": submitted})


class CorrectCodeView(ObjectActionView):
    """注册代码更正 (the operator or the elevator's bureau), with a reason; the QR sign keeps working."""

    model = Elevator
    action = "correct_code"
    form_class = CorrectCodeForm
    title = gettext_lazy("更正注册代码")
    confirm_text = gettext_lazy("更正后，台账、导出和二维码页面都显示新的注册代码；已张贴的二维码标识牌仍然有效。")
    success_message = gettext_lazy("注册代码已更正。")

    def get_form(self, obj):
        initial = {"register_code": obj.register_code, "code_scheme": obj.code_scheme}
        return self.form_class(self.request.POST if self.request.method == "POST" else None, initial=initial)

    def perform(self, elevator, data, request):
        services.correct_register_code(
            elevator,
            actor=request.user,
            register_code=data["register_code"],
            code_scheme=data["code_scheme"],
            reason=data["reason"],
            request=request,
        )


class DeleteElevatorView(ObjectActionView):
    """删除 an elevator recorded by mistake (待登记, nothing recorded about it), with a reason."""

    model = Elevator
    action = "delete"
    title = gettext_lazy("删除电梯")
    confirm_text = gettext_lazy("删除后，这台电梯及其组件、层门从台账中移除；操作记录保留删除前的信息和原因。")
    submit_label = gettext_lazy("删除")
    success_message = gettext_lazy("电梯已删除。")

    def perform(self, elevator, data, request):
        services.delete_elevator(elevator, actor=request.user, reason=data["reason"], request=request)

    def get_success_url(self, obj):
        return reverse("elevators:list")

    def get_cancel_url(self, obj):
        return obj.get_absolute_url()


class ProblemReportListView(ObjectListView):
    """问题上报: what passengers reported from the QR page, newest first."""

    model = ProblemReport
    table_class = ProblemReportTable
    sorts = {"-created_at": (["-created_at", "-id"], gettext_lazy("最新"))}
    related = ("elevator",)
    title = gettext_lazy("问题上报")
    empty_message = gettext_lazy("暂无问题上报")
    template_name = "elevators/problem_list.html"

    def get_queryset(self):
        queryset = super().get_queryset()
        status = self.request.GET.get("status")
        return queryset.filter(status=status) if status in ProblemStatus.values else queryset

    def get_extra_context(self):
        return {"status": self.request.GET.get("status", ""), "statuses": ProblemStatus.choices}


class ProblemReportDetailView(ObjectDetailView):
    model = ProblemReport
    related = ("elevator__use_unit", "elevator__maintenance_company", "handled_by")
    template_name = "elevators/problem_detail.html"
    buttons = (Button(gettext_lazy("处理"), "elevators:problem_handle", "handle", style="primary", testid="handle"),)

    def get_extra_context(self, report):
        return {"events": audit.events_for(report), "open": report.status != ProblemStatus.CLOSED}


class ProblemHandleView(ObjectActionView):
    """受理 or 关闭 a report, with a note (required to close)."""

    model = ProblemReport
    action = "handle"
    form_class = HandleProblemForm
    title = gettext_lazy("处理问题上报")
    success_message = gettext_lazy("处理结果已保存。")

    def get_form(self, report):
        form = super().get_form(report)
        if report.status == ProblemStatus.ACKNOWLEDGED:
            form.fields["to_state"].choices = [("closed", _("关闭"))]
        return form

    def perform(self, report, data, request):
        services.handle_problem(
            report, actor=request.user, to_state=data["to_state"], note=data["note"], request=request
        )

    def get_success_url(self, report):
        return reverse("elevators:problem_detail", args=[report.pk])
