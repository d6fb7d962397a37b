"""监管申请 pages: each kind's list for the applicant, the bureau's review queue, an application with its documents
and timeline, the draft form, and the steps (submit, delete, approve, return, reject)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from core.generic import (
    Button,
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    allowed_buttons,
    object_view,
)
from core.policies import can, get_for, require
from core.tenancy import scope_for
from core.workflow import TransitionError
from elevators.models import Elevator

from . import services
from .filters import ApplicationFilter
from .forms import ApplicationForm, ApproveForm, AttachmentForm, ConfirmForm, DecisionForm
from .models import Application, ApplicationElevator, ApplicationKind, ApplicationStatus, Purpose
from .policies import FILING_KINDS
from .tables import ApplicationTable

RELATED = ("applicant", "use_unit", "region")


def _with_lines(queryset):
    lines = ApplicationElevator.objects.select_related("elevator").only(
        "application_id", "elevator__register_code", "elevator__building"
    )
    return queryset.prefetch_related(Prefetch("lines", queryset=lines.order_by("elevator__register_code")))


class ApplicationListView(ObjectListView):
    """全部申请: every application the user may see."""

    model = Application
    table_class = ApplicationTable
    filterset_class = ApplicationFilter
    related = (*RELATED, "regulator")
    sorts = {"id": (["-id"], gettext_lazy("最新"))}
    title = gettext_lazy("监管申请")
    export_name = gettext_lazy("监管申请")

    def get_queryset(self):
        return _with_lines(super().get_queryset())


class KindListView(ApplicationListView):
    """One kind's list (使用登记申请, 停用登记申请 …) with its 新增 button, as the seed's menu has them."""

    sweep_kwargs = [{"kind": kind} for kind in ApplicationKind.values]

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in ApplicationKind.values:
            raise Http404(_("没有这类申请。"))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.kwargs["kind"])

    def get_title(self):
        return ApplicationKind(self.kwargs["kind"]).label

    def get_toolbar(self):
        if scope_for(self.request.user).kind not in FILING_KINDS:
            return []
        button = Button(
            _("新增"),
            "applications:create",
            action="add",
            style="primary",
            testid="new-application",
            url_kwargs={"kind": self.kwargs["kind"]},
        )
        return allowed_buttons(self.request.user, [button], Application)


class ReviewQueueView(ApplicationListView):
    """申请审核: what waits for this bureau's decision, oldest first."""

    title = gettext_lazy("申请审核")
    sorts = {"oldest": (["submitted_at", "id"], gettext_lazy("最早提交"))}
    empty_message = gettext_lazy("没有待审核的申请")

    def get(self, request, *args, **kwargs):
        scope = scope_for(request.user)
        if not (scope.is_operator or scope.kind == "regulator"):
            require(request.user, "decide", Application)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset().filter(status=ApplicationStatus.SUBMITTED)
        scope = scope_for(self.request.user)
        return queryset if scope.is_operator else queryset.filter(regulator_id=scope.organization_id)


class ApplicationDetailView(ObjectDetailView):
    model = Application
    template_name = "applications/application_detail.html"
    related = (*RELATED, "maintenance_company", "new_company", "regulator", "decided_by", "created_by")

    def get_extra_context(self, application):
        user = self.request.user
        editable = application.is_editable and can(user, "change", application)
        decidable = application.status == ApplicationStatus.SUBMITTED and can(user, "decide", application)
        elevators = list(
            application.elevators.select_related("use_unit", "maintenance_company").order_by("register_code")
        )
        documents = list(services.attachments_of(application))
        for document in documents:
            document.purpose_label = Purpose(document.purpose).label if document.purpose in Purpose.values else ""
        have = {d.purpose for d in documents}
        return {
            "elevators": elevators,
            "documents": documents,
            "checklist": [
                (Purpose(p).label, p in have, p in services.REQUIRED.get(application.kind, ()))
                for p in services.PURPOSES[application.kind]
                if p != Purpose.OTHER
            ],
            "missing": services.missing_for_submission(application, elevators) if editable else [],
            "editable": editable,
            "deletable": application.status == ApplicationStatus.DRAFT and can(user, "delete", application),
            "decidable": decidable,
            "attachment_form": AttachmentForm(kind=application.kind) if editable else None,
            "timeline": services.timeline(application),
            "deadline": services.registration_deadline(application),
            "date_label": services.EFFECTIVE_DATE_LABELS.get(application.kind),
            "reason_label": services.REASON_LABELS[application.kind],
        }


class ApplicationEditView(ObjectEditView):
    model = Application
    form_class = ApplicationForm
    template_name = "applications/application_form.html"

    def kind(self, obj):
        return obj.kind if obj is not None else self.kwargs["kind"]

    def get_object(self):
        if "pk" not in self.kwargs and self.kwargs.get("kind") not in ApplicationKind.values:
            raise Http404(_("没有这类申请。"))
        return super().get_object()

    def new_object(self):
        return Application(kind=self.kwargs["kind"])

    def get_form_kwargs(self, obj):
        initial = None
        if obj is None:
            codes = self._elevator_codes()
            initial = {"elevator_codes": "\n".join(codes)} if codes else None
        return {"user": self.request.user, "kind": self.kind(obj), "instance": obj, "initial": initial}

    def _elevator_codes(self) -> list[str]:
        """?elevator=<id> from the elevator's page prefills its code (only an elevator the user's unit keeps)."""
        from core.filters import parse_id

        pk = parse_id(self.request.GET.get("elevator"))
        if pk is None:
            return []
        return list(
            Elevator.objects.changeable_by(self.request.user).filter(pk=pk).values_list("register_code", flat=True)
        )

    def get_title(self, obj):
        label = ApplicationKind(self.kind(obj)).label
        return _("新增%(what)s") % {"what": label} if obj is None else _("编辑%(what)s") % {"what": label}

    def get_extra_context(self, obj, form):
        return {"kind": self.kind(obj), "kind_label": ApplicationKind(self.kind(obj)).label}

    def _data(self, data):
        data = dict(data)
        data["elevators"] = data.pop("elevator_codes")
        data["reason"] = data.pop("cause", "")
        data["kind"] = self.kwargs.get("kind")
        return data

    def create(self, data, request):
        return services.create_application(actor=request.user, data=self._data(data), request=request)

    def update(self, obj, data, reason, request):
        data = self._data(data)
        data.pop("kind")
        return services.update_application(obj, actor=request.user, data=data, reason=reason, request=request)

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except TransitionError as exc:  # submitted meanwhile: it cannot be edited any more
            messages.error(request, str(exc))
            return HttpResponseRedirect(Application.objects.get(pk=kwargs["pk"]).get_absolute_url())

    def success_message(self, obj, created):
        return _("已保存为草稿。请上传材料后提交。") if created else _("已保存。")


class _Step(ObjectActionView):
    model = Application
    form_class = ConfirmForm
    step = None

    def get_queryset(self):
        return Application.objects.select_related("applicant", "region")

    def perform(self, obj, data, request):
        return self.step(obj, data, request)


class SubmitView(_Step):
    title = gettext_lazy("提交申请")
    confirm_text = gettext_lazy("提交后申请将送交电梯所在区县的监管部门审核，审核期间不能修改。")
    submit_label = gettext_lazy("提交")
    success_message = gettext_lazy("已提交，请等待监管部门审核。")

    def step(self, obj, data, request):
        services.submit(obj, actor=request.user, request=request)


class DeleteView(_Step):
    action = "delete"
    title = gettext_lazy("删除草稿")
    confirm_text = gettext_lazy("草稿及其附件将被删除，不可恢复。")
    submit_label = gettext_lazy("删除")
    success_message = gettext_lazy("草稿已删除。")

    def step(self, obj, data, request):
        self.kind = obj.kind
        services.delete_application(obj, actor=request.user, request=request)

    def get_success_url(self, obj):
        from django.urls import reverse

        return reverse("applications:kind_list", args=[obj.kind])

    def get_cancel_url(self, obj):
        return obj.get_absolute_url()


class ApproveView(_Step):
    action = "decide"
    form_class = ApproveForm
    title = gettext_lazy("审核通过")
    submit_label = gettext_lazy("审核通过")
    success_message = gettext_lazy("已审核通过，电梯状态已更新。")

    def get_form(self, obj):
        data = self.request.POST if self.request.method == "POST" else None
        from django.utils import timezone

        return ApproveForm(data, kind=obj.kind, initial={"registered_on": timezone.localdate()})

    @property
    def confirm_text(self):
        return _("通过后立即生效：%(effect)s") % {"effect": EFFECTS[self.object_kind]}

    def get_object(self):
        obj = super().get_object()
        self.object_kind = obj.kind
        return obj

    def step(self, obj, data, request):
        services.approve(
            obj,
            actor=request.user,
            certificate_number=data.get("certificate_number", ""),
            registered_on=data.get("registered_on"),
            note=data.get("reason", ""),
            request=request,
        )


EFFECTS = {
    ApplicationKind.REGISTRATION: gettext_lazy("电梯状态变为“正常使用”，并记录使用登记证编号。"),
    ApplicationKind.MAINTAINER_CHANGE: gettext_lazy("电梯转由新的维保单位维保，未完成的维保计划一并移交。"),
    ApplicationKind.SUSPENSION: gettext_lazy("电梯状态变为“停用”，未完成的维保计划关闭。"),
    ApplicationKind.REACTIVATION: gettext_lazy("电梯状态变为“正常使用”，维保计划自启用日期起恢复。"),
    ApplicationKind.SCRAPPING: gettext_lazy("电梯状态变为“报废”，此后不能再办理申请、计划或维保。"),
}


class ReturnView(_Step):
    action = "decide"
    form_class = DecisionForm
    title = gettext_lazy("退回申请")
    confirm_text = gettext_lazy("申请单位修改后可以重新提交。请写明需要修改或补充的内容。")
    submit_label = gettext_lazy("退回")
    success_message = gettext_lazy("已退回申请单位。")

    def step(self, obj, data, request):
        services.return_application(obj, actor=request.user, reason=data["reason"], request=request)


class RejectView(_Step):
    action = "decide"
    form_class = DecisionForm
    title = pgettext_lazy("action", "不予通过")
    confirm_text = gettext_lazy("不予通过后这份申请即办结，申请单位只能重新填报。请写明原因。")
    submit_label = pgettext_lazy("action", "不予通过")
    success_message = gettext_lazy("已作出不予通过的决定。")

    def step(self, obj, data, request):
        services.reject(obj, actor=request.user, reason=data["reason"], request=request)


@login_required
@require_POST
@object_view(Application)
def attach(request, pk):
    application = get_for(request.user, Application, pk, "change")
    form = AttachmentForm(request.POST, request.FILES, kind=application.kind)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseRedirect(application.get_absolute_url() + "#documents")
    try:
        services.attach(
            application,
            actor=request.user,
            purpose=form.cleaned_data["purpose"],
            upload=form.cleaned_data["file"],
            request=request,
        )
    except (ValidationError, TransitionError) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
    else:
        messages.success(request, _("已上传。"))
    return HttpResponseRedirect(application.get_absolute_url() + "#documents")


@login_required
@require_POST
@object_view(Application)
def detach(request, pk, attachment_id):
    application = get_for(request.user, Application, pk, "change")
    try:
        services.detach(application, attachment_id, actor=request.user, request=request)
    except (ValidationError, TransitionError) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
    else:
        messages.success(request, _("已移除。"))
    return HttpResponseRedirect(application.get_absolute_url() + "#documents")


def elevator_panel(request, elevator) -> str:
    """The elevator page's 登记与申请: the applications about it and each of their steps, and what may be filed."""
    user = request.user
    if not can(user, "list", Application):
        return ""
    applications = list(
        Application.objects.visible_to(user)
        .filter(lines__elevator=elevator)
        .select_related("regulator")
        .order_by("-id")[:20]
    )
    steps = services.steps_of(applications, limit=30)
    offers = []
    scope = scope_for(user)
    keeps = scope.organization_id in (elevator.maintenance_company_id, elevator.use_unit_id)  # its ledger: no query
    if scope.kind in FILING_KINDS and keeps and can(user, "add", Application):
        offers = services.availability(elevator)
    context = {"elevator": elevator, "applications": applications, "steps": steps, "offers": offers}
    return render_to_string("applications/_elevator_panel.html", context, request=request)
