"""维保纪录管理 / 维保纪录查询: the records list and one record's page; the use unit's confirmation with a drawn
signature, 存疑纪录, and a repair's photos."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core import audit
from core.forms import apply_service_errors
from core.generic import Button, ObjectDetailView, ObjectEditView, ObjectListView, object_view
from core.policies import can, get_for, require

from . import pdf, repairs, services
from .filters import MaintenanceRecordFilter, RepairFilter
from .forms import RepairForm, RepairPhotosForm, SignatureForm
from .models import Hazard, MaintenanceRecord, RecordStatus, Repair
from .tables import FLAG_LABELS, MaintenanceRecordTable, RepairTable


class RecordListView(ObjectListView):
    model = MaintenanceRecord
    table_class = MaintenanceRecordTable
    filterset_class = MaintenanceRecordFilter
    sorts = {"-started": (["-started_at", "-id"], gettext_lazy("最新"))}
    related = ("elevator",)
    page_size = 50
    title = gettext_lazy("维保纪录查询")
    export_name = gettext_lazy("维保纪录")
    template_name = "records/record_list.html"


def awaiting_confirmation(record) -> bool:
    """Finished and, for a correction, approved by the company: the use unit may confirm it now."""
    return record.status == RecordStatus.FINISHED and (not record.corrects_id or bool(record.correction_approved_at))


def confirm_blocked(record) -> str:
    """Why the record cannot be confirmed now ("" when it can): the service's own words."""
    if record.corrects_id and record.status == RecordStatus.FINISHED and not record.correction_approved_at:
        return _("更正纪录须先经维保单位管理员批准，再由使用单位确认。")
    if record.status != RecordStatus.FINISHED:
        return _("只有已结束、待确认的维保纪录可以确认。")
    return ""


def record_actions(user, record) -> dict:
    """The buttons of a record's page: each shows when its page would let the user act (the same policy check)
    and the record is in the state the action needs. State first: most checks then cost no query."""
    return {"can_confirm": awaiting_confirmation(record) and can(user, "confirm", record)}


def hazard_labels(codes) -> list[str]:
    hazards = dict(Hazard.choices)
    return [hazards.get(code, code) for code in codes or []]


class RecordDetailView(ObjectDetailView):
    model = MaintenanceRecord
    related = ("elevator", "organization", "plan", "confirmed_by", "corrects")
    template_name = "records/record_detail.html"

    def get_extra_context(self, record):
        user = self.request.user
        return {
            "record": record,
            "workers": record.workers.select_related("user").order_by("role"),
            "items": record.items.select_related("item", "photo").order_by("id"),
            "hazards": hazard_labels(record.hazard_codes),
            "flags": [FLAG_LABELS.get(flag, flag) for flag in record.flags],
            "events": audit.events_for(record),
            "can_repair": record.organization_id == user.organization_id and can(user, "add", Repair),
            **record_actions(user, record),
            **self.regulator(record),
        }

    def regulator(self, record) -> dict:
        """The V1.5 representation, for confirmed records."""
        import json

        from .regulator import v15_payload, v15_problems

        if record.status != "confirmed":
            return {}
        payload = v15_payload(record)
        return {
            "v15": json.dumps(payload, ensure_ascii=False, indent=2),
            "v15_problems": v15_problems(record, payload),
        }


BATCH_LIMIT = 200  # records in one PDF or ZIP


@login_required
@object_view(MaintenanceRecord)
def record_pdf_view(request, pk):
    """打印: the record as a PDF (inline, to print or save)."""
    record = get_for(request.user, MaintenanceRecord, pk, queryset=MaintenanceRecord.objects.select_related("elevator"))
    response = HttpResponse(pdf.record_pdf(record), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.record_filename(record)}"'
    return response


@login_required
def records_batch(request, fmt):
    """The filtered list's records (up to 200) as one PDF or a ZIP of one PDF each."""
    require(request.user, "list", MaintenanceRecord)
    base = MaintenanceRecord.objects.visible_to(request.user)
    filterset = MaintenanceRecordFilter(request.GET or None, queryset=base, request=request)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    records = list(queryset.select_related("elevator").order_by("-started_at", "-id")[:BATCH_LIMIT])
    if not records:
        raise Http404(_("没有符合条件的维保纪录。"))
    if fmt == "zip":
        response = HttpResponse(pdf.records_zip(records), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="records.zip"'
    else:
        response = HttpResponse(pdf.records_pdf(records), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="records.pdf"'
    return response


# --- 使用单位确认: the safety manager signs from his own account ---------------------------------------------------

SUMMARY_RELATED = ("elevator", "organization", "corrects")


def record_summary(record) -> dict:
    """What a page about to act on a record shows of it: workers, items with results, hazards, flags."""
    return {
        "record": record,
        "workers": record.workers.select_related("user").order_by("role"),
        "items": record.items.select_related("item").order_by("id"),
        "hazards": hazard_labels(record.hazard_codes),
        "flags": [FLAG_LABELS.get(flag, flag) for flag in record.flags],
    }


class ConfirmRecordView(LoginRequiredMixin, View):
    """确认维保纪录: the record's summary and a signature pad; the drawing goes to `confirm_record` as a PNG."""

    model = MaintenanceRecord
    template_name = "records/record_confirm.html"

    def get_object(self):
        queryset = MaintenanceRecord.objects.select_related(*SUMMARY_RELATED)
        return get_for(self.request.user, MaintenanceRecord, self.kwargs["pk"], "confirm", queryset=queryset)

    def render_page(self, record, form):
        context = {**record_summary(record), "form": form, "blocked": confirm_blocked(record)}
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        return self.render_page(self.get_object(), SignatureForm())

    def post(self, request, pk):
        record = self.get_object()
        form = SignatureForm(request.POST)
        if form.is_valid():
            try:
                services.confirm_record(
                    record, actor=request.user, signature=form.cleaned_data["signature"], request=request
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("维保纪录已确认并封存。"))
                return HttpResponseRedirect(record.get_absolute_url())
        return self.render_page(record, form)


# --- 存疑纪录: records carrying a credibility flag -----------------------------------------------------------------


class FlaggedRecordListView(RecordListView):
    """存疑纪录: the records with any credibility flag, for the company and the regulators (the `flag` filter
    narrows to one flag)."""

    action = "list_flagged"
    title = gettext_lazy("存疑纪录")
    export_name = gettext_lazy("存疑纪录")
    empty_message = gettext_lazy("没有存疑的维保纪录")

    def get_queryset(self):
        return super().get_queryset().exclude(flags=[])

    def get_filterset(self, queryset):
        filterset = super().get_filterset(queryset)
        filterset.filters.pop("flagged", None)  # always on here
        filterset.form.fields.pop("flagged", None)
        return filterset

    def get_extra_context(self):
        from .filters import FLAGGED_QUERY

        query = self.request.GET.copy()
        for name in ("cursor", "export"):
            query.pop(name, None)
        query.setlist("flagged", [FLAGGED_QUERY])
        return {"batch_query": query.urlencode()}


# --- 维修纪录管理 ----------------------------------------------------------------------------------------------


class RepairListView(ObjectListView):
    model = Repair
    table_class = RepairTable
    filterset_class = RepairFilter
    sorts = {"-reported": (["-reported_at", "-id"], gettext_lazy("最新"))}
    related = ("elevator",)
    title = gettext_lazy("维修纪录管理")
    export_name = gettext_lazy("维修纪录")
    toolbar = (
        Button(gettext_lazy("新增维修纪录"), "records:repair_create", "add", style="success", testid="repair-create"),
    )


class RepairDetailView(ObjectDetailView):
    model = Repair
    related = ("elevator", "organization", "problem_report", "record_item__record", "created_by")
    template_name = "records/repair_detail.html"
    buttons = (
        Button(gettext_lazy("编辑"), "records:repair_edit", "change", style="primary", testid="edit"),
        Button(gettext_lazy("打印 PDF"), "records:repair_pdf", "view", testid="repair-pdf"),
    )

    def get_extra_context(self, repair):
        user = self.request.user
        photo_form = getattr(self, "photo_form", None)
        if photo_form is None and can(user, "change", repair):
            photo_form = RepairPhotosForm()
        return {
            "repair": repair,
            "workers": repair.workers.all(),
            "events": audit.events_for(repair),
            "photos": list(repairs.repair_photos(repair)),
            "photo_form": photo_form,
        }


class RepairPhotosView(RepairDetailView):
    """上传维修照片 (POST only): checked and watermarked like a visit's photos, stored as the repair's attachments.
    A refused file comes back on the repair's page with its reason; nothing of that upload is kept."""

    action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        repair = self.get_object()
        form = RepairPhotosForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                photos = form.cleaned_data["photos"]
                saved = repairs.add_repair_photos(repair, photos, actor=request.user, request=request)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("已上传 %(n)s 张维修照片。") % {"n": len(saved)})
                return HttpResponseRedirect(repair.get_absolute_url())
        self.photo_form = form
        return self.get(request, pk=pk)


class RepairEditView(ObjectEditView):
    model = Repair
    form_class = RepairForm
    template_name = "records/repair_form.html"
    success_message_create = gettext_lazy("已新增维修纪录。")
    success_message_update = gettext_lazy("维修纪录已保存。")

    def sources(self) -> dict:
        """The problem report or abnormal item the repair comes from (?problem_report= / ?record_item=)."""
        from elevators.models import ProblemReport

        from .models import RecordItem

        out = {}
        report = self.request.GET.get("problem_report") or self.request.POST.get("problem_report")
        item = self.request.GET.get("record_item") or self.request.POST.get("record_item")
        if report and str(report).isdigit():
            out["problem_report"] = get_for(self.request.user, ProblemReport, int(report))
        if item and str(item).isdigit():
            records = MaintenanceRecord.objects.visible_to(self.request.user)
            out["record_item"] = (
                RecordItem.objects.filter(pk=int(item), record__in=records).select_related("record__elevator").first()
            )
        return {k: v for k, v in out.items() if v is not None}

    def get_form_kwargs(self, obj):
        kwargs = {"instance": obj, "user": self.request.user}
        if obj is None and self.request.method == "GET":
            kwargs["initial"] = repairs.initial_from(**self.sources())
        return kwargs

    def get_extra_context(self, obj, form):
        return {"sources": self.sources() if obj is None else {}}

    def create(self, data, request):
        data.pop("register_code", None)  # the form turned it into `elevator`
        return repairs.create_repair(actor=request.user, data={**data, **self.sources()}, request=request)

    def update(self, repair, data, reason, request):
        data.pop("register_code", None)
        return repairs.update_repair(repair, actor=request.user, data=data, reason=reason, request=request)


@login_required
@object_view(Repair)
def repair_pdf_view(request, pk):
    queryset = Repair.objects.select_related("elevator__use_unit", "organization")
    repair = get_for(request.user, Repair, pk, queryset=queryset)
    response = HttpResponse(pdf.repair_pdf(repair), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="repair-{repair.elevator.register_code}-{repair.pk}.pdf"'
    return response


def problem_repairs_panel(request, report):
    """On a problem report's page: its repairs, and 开维修单 for the company that maintains the elevator."""
    from django.template.loader import render_to_string

    from core.policies import can

    repairs_of = list(Repair.objects.visible_to(request.user).filter(problem_report=report).order_by("-reported_at"))
    ours = report.elevator.maintenance_company_id == request.user.organization_id
    can_open = ours and can(request.user, "add", Repair)
    if not repairs_of and not can_open:
        return ""
    context = {"report": report, "repairs": repairs_of, "can_open": can_open}
    return render_to_string("records/_problem_repairs.html", context, request=request)
