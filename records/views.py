"""维保纪录管理 / 维保纪录查询: the records list and one record's page; the use unit's confirmation with a drawn
signature, corrections (start, edit the items, finish, approve), 存疑纪录, and a repair's photos."""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View

from core import audit
from core.filters import parse_id
from core.forms import apply_service_errors
from core.generic import Button, ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView, object_view
from core.policies import can, get_for, require

from . import pdf, repairs, services
from .filters import MaintenanceRecordFilter, RepairFilter
from .forms import (
    ApproveCorrectionForm,
    CorrectionForm,
    FinishCorrectionForm,
    ItemAnswerForm,
    RepairForm,
    RepairPhotosForm,
    SignatureForm,
)
from .models import Hazard, ItemResult, MaintenanceRecord, RecordItem, RecordStatus, Repair
from .photos import save_record_photo
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


def record_actions(user, record, corrections) -> dict:
    """The buttons of a record's page: each shows when its page would let the user act (the same policy check)
    and the record is in the state the action needs. State first: most checks then cost no query."""
    open_correction = any(c.status != RecordStatus.CONFIRMED for c in corrections)
    return {
        "can_confirm": awaiting_confirmation(record) and can(user, "confirm", record),
        "can_correct": record.status == RecordStatus.CONFIRMED and not open_correction and can(user, "correct", record),
        "can_edit_correction": bool(record.corrects_id)
        and record.status == RecordStatus.IN_PROGRESS
        and can(user, "edit_correction", record),
        "can_approve": bool(record.corrects_id)
        and record.status == RecordStatus.FINISHED
        and not record.correction_approved_at
        and can(user, "approve_correction", record),
    }


def correction_changes(record) -> list[dict]:
    """What a correction changes against the record it corrects: its items whose answer differs."""
    if not record.corrects_id:
        return []
    before = {entry.item_id: entry for entry in RecordItem.objects.filter(record_id=record.corrects_id)}
    rows = []
    for entry in record.items.select_related("item").order_by("id"):
        old = before.get(entry.item_id)
        answer = (entry.result, entry.note, entry.measured_value, entry.photo_id)
        if old is None or answer != (old.result, old.note, old.measured_value, old.photo_id):
            rows.append({"entry": entry, "old": old})
    return rows


def hazard_labels(codes) -> list[str]:
    hazards = dict(Hazard.choices)
    return [hazards.get(code, code) for code in codes or []]


class RecordDetailView(ObjectDetailView):
    model = MaintenanceRecord
    related = ("elevator", "organization", "plan", "confirmed_by", "corrects", "correction_approved_by")
    template_name = "records/record_detail.html"

    def get_extra_context(self, record):
        user = self.request.user
        corrections = list(record.corrections.order_by("id")) if record.status == RecordStatus.CONFIRMED else []
        return {
            "record": record,
            "workers": record.workers.select_related("user").order_by("role"),
            "items": record.items.select_related("item", "photo").order_by("id"),
            "hazards": hazard_labels(record.hazard_codes),
            "flags": [FLAG_LABELS.get(flag, flag) for flag in record.flags],
            "events": audit.events_for(record),
            "can_repair": record.organization_id == user.organization_id and can(user, "add", Repair),
            "corrections": corrections,
            "original_hazards": self.original_hazards(record),
            **record_actions(user, record, corrections),
            **self.regulator(record),
        }

    def original_hazards(self, record) -> list:
        """A correction's original hazards, when the correction changed them."""
        if not record.corrects_id or sorted(record.corrects.hazard_codes) == sorted(record.hazard_codes):
            return []
        return hazard_labels(record.corrects.hazard_codes)

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
        "changes": correction_changes(record),
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


# --- 更正: start, edit the items, finish, approve ------------------------------------------------------------------


class RecordActionView(ObjectActionView):
    """A step on a record (ObjectActionView) whose page shows the record's summary, and instead of the form the
    reason the step cannot happen now (the service would refuse it the same way)."""

    model = MaintenanceRecord
    template_name = "records/record_action.html"

    def get_queryset(self):
        return MaintenanceRecord.objects.select_related(*SUMMARY_RELATED)

    def blocked(self, record) -> str:
        return ""

    def get_extra_context(self, obj) -> dict:
        return {"blocked": self.blocked(obj), "hazard_choices": Hazard.choices, **record_summary(obj)}


CORRECTION_EXPLAINED = gettext_lazy(
    "已确认的纪录已封存，不能修改：更正将生成一条新的纪录（内容与原纪录相同），由维保人员修改后提交，经本单位管理员批准、使用单位确认后封存。原纪录保持不变。"  # noqa: E501
)


class StartCorrectionView(RecordActionView):
    """更正 a confirmed record: a new record repeating the visit, which the workers then edit."""

    action = "correct"
    form_class = CorrectionForm
    title = gettext_lazy("更正维保纪录")
    confirm_text = CORRECTION_EXPLAINED
    submit_label = pgettext_lazy("action", "发起更正")
    success_message = gettext_lazy("已发起更正：请修改更正纪录的项目，然后完成更正。")

    def blocked(self, record):
        if record.status != RecordStatus.CONFIRMED:
            return _("只有已确认的维保纪录需要更正；未确认的纪录由维保人员直接修改。")
        if record.corrections.exclude(status=RecordStatus.CONFIRMED).exists():
            return _("这条纪录已有一条未完成的更正。")
        return ""

    def perform(self, record, data, request):
        self.correction = services.start_correction(record, actor=request.user, reason=data["reason"], request=request)

    def get_success_url(self, record):
        correction = getattr(self, "correction", None)
        return (correction or record).get_absolute_url()


def correction_blocked(record) -> str:
    if not record.corrects_id:
        return _("这条纪录不是更正纪录。")
    if record.status != RecordStatus.IN_PROGRESS:
        return _("这条更正已填写完成，不能再修改。")
    return ""


ITEM_PHOTO = "item_photo"


class CorrectionItemsView(LoginRequiredMixin, View):
    """填写更正: the correction's items, a form per row (htmx saves one row and swaps it back, with its errors;
    without JavaScript the row posts the page), and the 完成更正 form with the hazard codes."""

    model = MaintenanceRecord
    template_name = "records/correction_items.html"
    row_template_name = "records/_correction_item.html"

    def get_object(self):
        queryset = MaintenanceRecord.objects.select_related(*SUMMARY_RELATED)
        return get_for(self.request.user, MaintenanceRecord, self.kwargs["pk"], "edit_correction", queryset=queryset)

    def entries(self, record):
        return list(record.items.select_related("item", "photo").order_by("id"))

    def render_page(self, record, bound=None):
        forms = [
            bound if bound is not None and bound.entry.pk == entry.pk else ItemAnswerForm(entry=entry)
            for entry in self.entries(record)
        ]
        context = {
            "record": record,
            "forms": forms,
            "blocked": correction_blocked(record),
            "finish_form": FinishCorrectionForm(initial={"hazard_codes": record.hazard_codes}),
            "hazard_choices": Hazard.choices,
            "result_labels": dict(ItemResult.choices),
        }
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        return self.render_page(self.get_object())

    def post(self, request, pk):
        record = self.get_object()
        entry_id = parse_id(request.POST.get("item"))
        entry = record.items.select_related("item", "photo").filter(pk=entry_id).first() if entry_id else None
        if entry is None:
            raise Http404(_("这一项不属于这次维保。"))
        form = ItemAnswerForm(request.POST, request.FILES, entry=entry)
        saved = form.is_valid() and self.save(record, entry, form)
        if request.htmx:
            entry.refresh_from_db()
            form = form if not saved else ItemAnswerForm(entry=entry)
            context = {"form": form, "record": record, "saved": saved, "blocked": correction_blocked(record)}
            return render(request, self.row_template_name, context)
        if saved:
            messages.success(request, _("%(code)s 已保存。") % {"code": entry.code})
            return HttpResponseRedirect(f"{request.path}#item-{entry.pk}")
        return self.render_page(record, bound=form)

    def save(self, record, entry, form) -> bool:
        """One item through `answer_item` (its photo watermarked first); the service's refusals land on the row."""
        data = form.cleaned_data
        try:
            with transaction.atomic():
                photo = None
                if data.get("photo"):
                    user, now = self.request.user, timezone.now()
                    photo = save_record_photo(data["photo"], record=record, purpose=ITEM_PHOTO, user=user, taken_at=now)
                services.answer_item(
                    record,
                    entry.pk,
                    worker=self.request.user,
                    result=data["result"],
                    note=data["note"],
                    measured_value=data["measured_value"],
                    photo=photo,
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return False
        return True


class FinishCorrectionView(RecordActionView):
    """完成更正: every item answered, the hazard codes (S0, or S1–S7); the company's administrator then approves."""

    action = "edit_correction"
    form_class = FinishCorrectionForm
    template_name = "records/correction_finish.html"
    title = gettext_lazy("完成更正")
    submit_label = gettext_lazy("完成更正")
    success_message = gettext_lazy("更正已完成，等待本单位管理员批准。")

    def get_form(self, record):
        data = self.request.POST if self.request.method == "POST" else None
        return self.form_class(data, initial={"hazard_codes": record.hazard_codes})

    def blocked(self, record):
        return correction_blocked(record)

    def perform(self, record, data, request):
        services.finish_visit(record, worker=request.user, hazard_codes=data["hazard_codes"], request=request)


class ApproveCorrectionView(RecordActionView):
    """批准更正 by the company's administrator, after reading what the correction changes."""

    action = "approve_correction"
    form_class = ApproveCorrectionForm
    title = pgettext_lazy("action", "批准更正")
    confirm_text = gettext_lazy("批准后，更正纪录交使用单位确认；确认后封存，原纪录保持不变。")
    submit_label = pgettext_lazy("action", "批准更正")
    success_message = gettext_lazy("已批准更正，等待使用单位确认。")

    def blocked(self, record):
        if not record.corrects_id or record.status != RecordStatus.FINISHED or record.correction_approved_at:
            return _("只有已填写完成、尚未批准的更正纪录可以批准。")
        return ""

    def perform(self, record, data, request):
        services.approve_correction(record, actor=request.user, request=request)


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

    @cached_property
    def sources(self) -> dict:
        """The problem report or abnormal item the repair comes from (?problem_report= / ?record_item=), read once
        per request."""
        from elevators.models import ProblemReport

        out = {}
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        report = parse_id(self.request.GET.get("problem_report") or data.get("problem_report"))
        item = parse_id(self.request.GET.get("record_item") or data.get("record_item"))
        if report:
            out["problem_report"] = get_for(self.request.user, ProblemReport, report)
        if item:
            records = MaintenanceRecord.objects.visible_to(self.request.user)
            out["record_item"] = (
                RecordItem.objects.filter(pk=item, record__in=records).select_related("record__elevator").first()
            )
        return {k: v for k, v in out.items() if v is not None}

    def get_form_kwargs(self, obj):
        kwargs = {"instance": obj, "user": self.request.user}
        if obj is None and self.request.method == "GET":
            kwargs["initial"] = repairs.initial_from(**self.sources)
        return kwargs

    def get_extra_context(self, obj, form):
        return {"sources": self.sources if obj is None else {}}

    def create(self, data, request):
        data.pop("register_code", None)  # the form turned it into `elevator`
        return repairs.create_repair(actor=request.user, data={**data, **self.sources}, request=request)

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
