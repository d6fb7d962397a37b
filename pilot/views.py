"""电梯维护保养试点申请 pages, in the seed's order: the list (任务状态, 搜索, 新增), identity and requirements, the
editor (申请信息 with the batch, 维保工作信息化管理系统介绍, 上传附件, 保存, 提交, 打印), the view (查看, 查看原因)
and the bureau's queue and steps (受理, 审核, 审批, 退回)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applications.forms import ConfirmForm
from core.filters import parse_id
from core.generic import Button, ObjectActionView, ObjectDetailView, ObjectListView, allowed_buttons, object_view
from core.pagination import BadCursor, keyset_page
from core.policies import get_for, require
from core.tenancy import scope_for
from core.workflow import TransitionError
from elevators.models import Elevator, ElevatorStatus
from organizations.models import Region

from . import services
from .filters import PilotFilter
from .forms import ApproveForm, DocumentForm, IdentityForm, InformationForm, NoteForm, ReturnForm, SystemForm
from .models import IN_PROGRESS, Document, Identity, PilotApplication
from .policies import APPLYING_KINDS
from .tables import PilotTable

DOCUMENT_NOTES = {
    Document.APPLICATION_LETTER: gettext_lazy("须使用单位、维保单位共同盖章确认"),
    Document.COMMITMENT: gettext_lazy("下载模板填写，须使用单位、维保单位共同盖章确认"),
    Document.IOT_SECURITY_REPORT: gettext_lazy("如实施物联网监测系统维保，需提供"),
    Document.IOT_FUNCTIONS: gettext_lazy("如实施物联网监测系统维保，需提供"),
    Document.CONTRACT: gettext_lazy("如采取“全包维保”、“大包维保”，需提供"),
}


def _errors(request, exc) -> None:
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


class PilotListView(ObjectListView):
    """电梯维护保养试点申请: the applicant's applications (or a bureau's), 任务状态 and 搜索, 新增."""

    model = PilotApplication
    table_class = PilotTable
    filterset_class = PilotFilter
    related = ("regulator",)
    title = gettext_lazy("电梯维护保养试点申请")
    empty_message = gettext_lazy("没有查询到结果")

    def get_toolbar(self):
        if scope_for(self.request.user).kind not in APPLYING_KINDS:
            return []
        button = Button(_("新增"), "pilot:create", action="add", style="primary", testid="pilot-new")
        return allowed_buttons(self.request.user, [button], PilotApplication)


class PilotQueueView(PilotListView):
    """The bureau's queue: what it must accept, review or approve, oldest first."""

    title = gettext_lazy("试点申请办理")
    sorts = {"oldest": (["submitted_at", "id"], gettext_lazy("最早提交"))}
    empty_message = gettext_lazy("没有待办理的试点申请")

    def get(self, request, *args, **kwargs):
        require(request.user, "decide", PilotApplication)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset().filter(status__in=IN_PROGRESS)
        scope = scope_for(self.request.user)
        return queryset if scope.is_operator else queryset.filter(regulator_id=scope.organization_id)


@login_required
def create(request):
    """新增: 申请单位身份选择, then the 试点工作要求 to read and 同意."""
    require(request.user, "add", PilotApplication)
    kind = scope_for(request.user).kind
    form = IdentityForm(request.POST or None, initial={"identity": kind if kind in Identity.values else ""})
    # only the unit's own kind is offered: the other would always be refused
    form.fields["identity"].choices = [c for c in Identity.choices if c[0] == kind] or Identity.choices
    step = "identity"
    if request.method == "POST" and form.is_valid():
        step = "requirements"
        if "agree" in request.POST:
            try:
                application = services.start_application(
                    actor=request.user,
                    identity=form.cleaned_data["identity"],
                    agreed=form.cleaned_data["agree"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
                step = "identity" if "identity" in getattr(exc, "error_dict", {}) else "requirements"
            else:
                messages.success(request, _("已创建申请，请填写申请信息。"))
                return HttpResponseRedirect(reverse("pilot:edit", args=[application.pk]))
    return render(request, "pilot/pilot_create.html", {"form": form, "step": step})


def _editable(request, pk) -> PilotApplication:
    return get_for(
        request.user, PilotApplication, pk, "change", queryset=PilotApplication.objects.select_related("region")
    )


def _editor(request, application, tab, context):
    if not application.is_editable:
        messages.info(request, _("申请正在办理或已办结，只能查看。"))
        return HttpResponseRedirect(application.get_absolute_url())
    context.update(
        {
            "application": application,
            "object": application,
            "tab": tab,
            "missing": services.missing_for_submission(application),
        }
    )
    return render(request, f"pilot/pilot_{tab}.html", context)


@login_required
@object_view(PilotApplication)
def edit(request, pk):
    """申请信息: both units, the declaration, the modes, and the batch of elevators (保存)."""
    application = _editable(request, pk)
    form = InformationForm(request.POST or None, instance=PilotApplication.objects.get(pk=application.pk))
    if request.method == "POST" and application.is_editable and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form.fields}
        try:
            services.save_information(application, actor=request.user, data=data, request=request)
        except (ValidationError, TransitionError) as exc:
            if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                _errors(request, exc)
        else:
            messages.success(request, _("已保存。"))
            return HttpResponseRedirect(reverse("pilot:edit", args=[pk]))
    lines = application.lines.select_related("elevator__region", "elevator__use_unit", "elevator__maintenance_company")
    return _editor(request, application, "edit", {"form": form, "lines": lines.order_by("elevator__register_code")})


@login_required
@object_view(PilotApplication)
def system(request, pk):
    """维保工作信息化管理系统介绍."""
    application = _editable(request, pk)
    form = SystemForm(request.POST or None, instance=PilotApplication.objects.get(pk=application.pk))
    if request.method == "POST" and application.is_editable and form.is_valid():
        try:
            services.save_information(
                application, actor=request.user, data={"system_description": form.cleaned_data["system_description"]}
            )
        except (ValidationError, TransitionError) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已保存。"))
            return HttpResponseRedirect(reverse("pilot:system", args=[pk]))
    return _editor(request, application, "system", {"form": form})


@login_required
@object_view(PilotApplication)
def documents(request, pk):
    """上传附件: the seven documents, ✓ when uploaded, preview, 上传, 移除, 下载模板."""
    application = _editable(request, pk)
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        try:
            if request.POST.get("remove"):
                services.detach(application, request.POST["remove"], actor=request.user, request=request)
                messages.success(request, _("已移除。"))
            elif form.is_valid():
                services.attach(
                    application,
                    actor=request.user,
                    document=form.cleaned_data["document"],
                    upload=form.cleaned_data["file"],
                    request=request,
                )
                messages.success(request, _("已上传。"))
            else:
                messages.error(request, _("请选择要上传的文件。"))
        except (ValidationError, TransitionError) as exc:
            _errors(request, exc)
        return HttpResponseRedirect(reverse("pilot:documents", args=[pk]))
    return _editor(request, application, "documents", {"rows": _document_rows(application)})


def _document_rows(application):
    uploaded = {a.purpose: a for a in services.documents_of(application)}
    required = set(services.required_documents(application))
    return [
        {
            "document": document,
            "label": label,
            "note": DOCUMENT_NOTES.get(document, ""),
            "attachment": uploaded.get(document),
            "required": document in required,
        }
        for document, label in Document.choices
    ]


@login_required
@object_view(PilotApplication)
def add_elevators(request, pk):
    """添加试点电梯: the applicant's ledger by 区域, 使用单位, 维保单位, 小区/大厦; one batch, one use unit and one
    maintenance company."""
    application = _editable(request, pk)
    ids = []
    if request.method == "POST":
        ids = [i for i in (parse_id(v) for v in request.POST.getlist("elevator")) if i]
        try:
            added = services.add_elevators(application, ids, actor=request.user, request=request)
        except (ValidationError, TransitionError) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已添加 %(n)s 台电梯。") % {"n": added})
            return HttpResponseRedirect(reverse("pilot:edit", args=[pk]))
    candidates = (
        Elevator.objects.changeable_by(request.user)
        .filter(status=ElevatorStatus.IN_USE)
        .exclude(pk__in=application.lines.values("elevator_id"))
        .select_related("region", "use_unit", "maintenance_company")
    )
    if application.lines.exists():  # the batch's use unit and company
        candidates = candidates.filter(
            use_unit_id=application.use_unit_id, maintenance_company_id=application.maintenance_company_id
        )
    filters = {
        "region": parse_id(request.GET.get("region")),
        "use_unit": (request.GET.get("use_unit") or "").strip()[:50],
        "company": (request.GET.get("company") or "").strip()[:50],
        "building": (request.GET.get("building") or "").strip()[:50],
    }
    if filters["region"]:
        candidates = candidates.filter(region_id=filters["region"])
    if filters["use_unit"]:
        candidates = candidates.filter(use_unit__name__contains=filters["use_unit"])
    if filters["company"]:
        candidates = candidates.filter(maintenance_company__name__contains=filters["company"])
    if filters["building"]:
        candidates = candidates.filter(building__contains=filters["building"])
    try:
        page = keyset_page(candidates, ["register_code", "id"], request.GET.get("cursor"), size=50)
    except BadCursor:
        page = keyset_page(candidates, ["register_code", "id"], None, size=50)
    regions = Region.objects.filter(level="district", parent__code="500000").order_by("code")
    context = {
        "page": page,
        "filters": filters,
        "regions": regions,
        "batch": application.lines.count(),
        "selected": set(ids),  # a refused 添加 keeps the ticks, to untick what the message names
    }
    return _editor(request, application, "add_elevators", context)


@login_required
@require_POST
@object_view(PilotApplication)
def remove_elevators(request, pk):
    """移除 from the batch."""
    application = _editable(request, pk)
    ids = [i for i in (parse_id(v) for v in request.POST.getlist("elevator")) if i]
    try:
        removed = services.remove_elevators(application, ids, actor=request.user, request=request)
    except TransitionError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已移除 %(n)s 台电梯。") % {"n": removed})
    return HttpResponseRedirect(reverse("pilot:edit", args=[pk]))


@login_required
@object_view(PilotApplication)
def print_pdf(request, pk):
    """打印: the application to stamp by both units and scan."""
    from .pdf import application_pdf

    application = get_for(request.user, PilotApplication, pk)
    response = HttpResponse(application_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{application.number}.pdf"'
    return response


@login_required
def commitment_template(request):
    """下载模板: the 承诺书 to fill, stamp and upload."""
    from .pdf import commitment_template_pdf

    response = HttpResponse(commitment_template_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="commitment.pdf"'
    return response


class PilotDetailView(ObjectDetailView):
    """查看: the application as submitted, 查看原因 when returned, the timeline, the bureau's steps."""

    model = PilotApplication
    template_name = "pilot/pilot_detail.html"
    related = ("regulator", "applicant", "region")

    def get_extra_context(self, application):
        from core.policies import can

        user = self.request.user
        decides = application.status in IN_PROGRESS and can(user, "decide", application)
        lines = application.lines.select_related(
            "elevator__region", "elevator__use_unit", "elevator__maintenance_company"
        )
        return {
            "lines": lines.order_by("elevator__register_code"),
            "rows": _document_rows(application),
            "timeline": services.timeline(application),
            "editable": application.is_editable and can(user, "change", application),
            "decides": decides,
            "today": timezone.localdate(),
        }


class _Step(ObjectActionView):
    model = PilotApplication
    action = "decide"
    form_class = NoteForm

    def get_success_url(self, obj):
        return obj.get_absolute_url()


class SubmitView(_Step):
    action = "change"
    form_class = ConfirmForm
    title = gettext_lazy("提交申请")
    confirm_text = gettext_lazy(
        "提交后，系统按规则确定处理机构：全市使用管理或维护保养电梯 1000 台以上（含）的由市局处理；1000 台以下且电梯在当前试点区县的，由试点区县局处理。"  # noqa: E501
    )
    submit_label = gettext_lazy("提交")
    success_message = gettext_lazy("已提交。")

    def perform(self, obj, data, request):
        services.submit(obj, actor=request.user, request=request)


class AcceptView(_Step):
    form_class = ConfirmForm  # 受理 keeps no opinion: a 审核意见 box here was silently dropped
    title = gettext_lazy("受理")
    submit_label = gettext_lazy("受理")
    success_message = gettext_lazy("已受理。")

    def perform(self, obj, data, request):
        services.accept(obj, actor=request.user, request=request)


class ReviewView(_Step):
    title = gettext_lazy("审核")
    submit_label = gettext_lazy("审核通过")
    success_message = gettext_lazy("已审核。")

    def perform(self, obj, data, request):
        services.review(obj, actor=request.user, note=data.get("reason", ""), request=request)


class ApproveView(_Step):
    form_class = ApproveForm
    title = gettext_lazy("审批")
    confirm_text = gettext_lazy("审批通过后，申请中的电梯自开始日期起按批准的间隔实行按需维保，维保计划随之调整。")
    submit_label = gettext_lazy("审批通过")
    success_message = gettext_lazy("已审批通过。")

    def get_form(self, obj):
        data = self.request.POST if self.request.method == "POST" else None
        return ApproveForm(data, initial={"starts_on": timezone.localdate()})

    def perform(self, obj, data, request):
        services.approve(
            obj,
            actor=request.user,
            interval_days=data["interval_days"],
            starts_on=data["starts_on"],
            note=data.get("reason", ""),
            request=request,
        )


class ReturnView(_Step):
    form_class = ReturnForm
    title = gettext_lazy("退回申请")
    confirm_text = gettext_lazy("申请单位可查看原因，修改后再次提交。")
    submit_label = gettext_lazy("退回")
    success_message = gettext_lazy("已退回申请单位。")

    def perform(self, obj, data, request):
        services.return_application(obj, actor=request.user, reason=data["reason"], request=request)
