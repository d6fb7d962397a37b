"""维保纪录管理 / 维保纪录查询: the records list and one record's page."""

from django.utils.translation import gettext_lazy

from core import audit
from core.generic import ObjectDetailView, ObjectListView

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
        }
