"""维保纪录管理 / 维保纪录查询: the records list and one record's page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.generic import ObjectDetailView, ObjectListView, object_view
from core.policies import get_for, require

from . import pdf
from .filters import MaintenanceRecordFilter
from .models import Hazard, MaintenanceRecord
from .tables import FLAG_LABELS, MaintenanceRecordTable


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


class RecordDetailView(ObjectDetailView):
    model = MaintenanceRecord
    related = ("elevator", "organization", "plan", "confirmed_by", "corrects")
    template_name = "records/record_detail.html"

    def get_extra_context(self, record):
        hazards = dict(Hazard.choices)
        return {
            "record": record,
            "workers": record.workers.select_related("user").order_by("role"),
            "items": record.items.select_related("item", "photo").order_by("id"),
            "hazards": [hazards.get(code, code) for code in record.hazard_codes],
            "flags": [FLAG_LABELS.get(flag, flag) for flag in record.flags],
            "events": audit.events_for(record),
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
