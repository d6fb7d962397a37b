"""电梯管理 pages: the ledger list, the three-step form, components, landing doors, QR signs, public page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit
from core.export import EXPORT_FORMATS, export_response, query_without
from core.forms import apply_service_errors, keep_errors_only_for
from core.pagination import BadCursor, keyset_page
from core.tenancy import scope_for
from core.workflow import TransitionError
from organizations.models import Organization

from . import services, signs
from .filters import SORTS, ElevatorFilter
from .forms import (
    STEP_TITLES,
    STEPS,
    ComponentFormSet,
    ElevatorForm,
    HandleProblemForm,
    LandingDoorFormSet,
    ProblemReportForm,
)
from .models import Elevator, ProblemReport

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
EXPORT_COLUMNS = [
    (_("注册代码"), lambda e: e.register_code),
    (_("96333 应急救援识别码"), lambda e: e.rescue_code),
    (_("设备品种"), lambda e: e.get_device_category_display()),
    (_("使用状态"), lambda e: e.get_status_display()),
    (_("使用单位"), lambda e: e.use_unit.name),
    (_("维保单位"), lambda e: e.maintenance_company.name),
    (_("生产单位"), lambda e: e.manufacturer.name),
    (_("型号"), lambda e: e.product_model),
    (_("出厂编号"), lambda e: e.factory_number),
    (_("安装日期"), lambda e: e.installation_date),
    (_("小区/大厦"), lambda e: e.building),
    (_("所在区县"), lambda e: e.region),
    (_("安装地址"), lambda e: e.address),
    (_("额定载重量（kg）"), lambda e: e.rated_load),
    (_("额定速度（m/s）"), lambda e: e.rated_speed),
    (_("层数"), lambda e: e.floors),
    (_("站数"), lambda e: e.stops),
    (_("门数"), lambda e: e.doors),
    (_("下次检验日期"), lambda e: e.next_inspection_date),
    (_("纬度"), lambda e: e.latitude),
    (_("经度"), lambda e: e.longitude),
]


def public_url(request, elevator) -> str:
    base = settings.PUBLIC_BASE_URL
    return (base.rstrip("/") + elevator.public_path) if base else request.build_absolute_uri(elevator.public_path)


def _visible(request, pk):
    return get_object_or_404(Elevator.objects.visible_to(request.user).select_related(*LIST_RELATED), pk=pk)


def _changeable(request, pk):
    """404 outside the gate; 403 when the elevator is visible but not this user's to change."""
    elevator = _visible(request, pk)
    if not services.can_change_elevator(request.user, pk):
        raise PermissionDenied(_("您不能修改这台电梯的信息。"))
    return elevator


@login_required
def elevator_list(request):
    base = Elevator.objects.visible_to(request.user)
    elevator_filter = ElevatorFilter(request.GET or None, queryset=base, user=request.user)
    queryset = elevator_filter.qs if elevator_filter.is_bound and elevator_filter.is_valid() else base
    sort = request.GET.get("sort", "register_code")
    ordering = SORTS.get(sort, SORTS["register_code"])[0]
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        rows = queryset.select_related(*LIST_RELATED, "manufacturer").order_by(*ordering).iterator(chunk_size=2000)
        return export_response(rows, EXPORT_COLUMNS, fmt, _("电梯台账"))
    try:
        page = keyset_page(
            queryset.select_related(*LIST_RELATED).only(*LIST_COLUMNS), ordering, request.GET.get("cursor"), size=25
        )
    except BadCursor:
        raise Http404 from None
    return render(
        request,
        "elevators/elevator_list.html",
        {
            "filter": elevator_filter,
            "page": page,
            "sorts": [(k, v[1]) for k, v in SORTS.items()],
            "sort": sort,
            "query": query_without(request, "cursor", "export"),
            "can_create": services.can_create_elevators(request.user),
        },
    )


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


@login_required
def elevator_detail(request, pk):
    elevator = _visible(request, pk)
    elevator_public_url = public_url(request, elevator)
    can_change = services.can_change_elevator(request.user, pk)
    return render(
        request,
        "elevators/elevator_detail.html",
        {
            "elevator": elevator,
            "can_change": can_change,
            "public_url": elevator_public_url,
            "qr_svg": signs.qr_svg(elevator_public_url),
            "just_created": request.GET.get("created") == "1",
            "history": elevator.history.select_related("history_user")[:20],
            "events": audit.events_for(elevator),
            "reports": elevator.problem_reports.all()[:10],
            "map_tile_url": settings.MAP_TILE_URL,
            "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "map_center": settings.MAP_DEFAULT_CENTER,
        },
    )


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
                    Elevator.objects.get(pk=instance.pk),
                    actor=request.user,
                    data=form.cleaned_data,
                    reason=request.POST.get("reason", ""),
                    request=request,
                )
                messages.success(request, _("电梯信息已保存。"))
                return redirect(instance.get_absolute_url())
            except ValidationError as exc:
                apply_service_errors(form, exc)
                step = form.first_step_with_errors() or 1
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
            **map_context,
        },
    )


@login_required
def elevator_create(request):
    if not services.can_create_elevators(request.user):
        raise PermissionDenied(_("您不能新增电梯。"))
    return _wizard(request)


@login_required
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
    can_change = services.can_change_elevator(request.user, pk)
    return render(request, template, {"elevator": elevator, "formset": formset, "can_change": can_change})


@login_required
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
def elevator_qr_svg(request, pk):
    elevator = _visible(request, pk)
    svg = signs.qr_svg(public_url(request, elevator), scale=8)
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
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
    ids = [int(i) for i in request.GET.getlist("ids") if i.isdigit()][:SIGN_SHEET_LIMIT]
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
                ip=request.META.get("REMOTE_ADDR"),
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


@login_required
def problem_list(request):
    reports = (
        ProblemReport.objects.visible_to(request.user)
        .select_related("elevator__use_unit", "handled_by")
        .order_by("-created_at")
    )
    status = request.GET.get("status")
    if status:
        reports = reports.filter(status=status)
    page = keyset_page(reports, ["-created_at", "-id"], request.GET.get("cursor"), size=25)
    can_handle = scope_for(request.user).kind == "maintenance_company" or request.user.is_superuser
    return render(
        request,
        "elevators/problem_list.html",
        {"page": page, "status": status, "form": HandleProblemForm(), "can_handle": can_handle},
    )


@login_required
@require_POST
def problem_handle(request, pk):
    report = get_object_or_404(ProblemReport.objects.visible_to(request.user), pk=pk)
    if not ProblemReport.objects.changeable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied(_("只有维保单位可以处理问题上报。"))
    form = HandleProblemForm(request.POST)
    if form.is_valid():
        try:
            services.handle_problem(
                report,
                actor=request.user,
                to_state=form.cleaned_data["to_state"],
                note=form.cleaned_data["note"],
                request=request,
            )
            messages.success(request, _("处理结果已保存。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except TransitionError as exc:
            messages.error(request, str(exc))
    return redirect("elevators:problem_list")
