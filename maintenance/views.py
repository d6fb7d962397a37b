"""维保项目管理: the TSG T5002 items by annex and cycle (tabs, cumulative) and a company's own items."""

from django.utils.translation import gettext_lazy

from core import audit
from core.generic import Button, ObjectDetailView, ObjectEditView, ObjectListView

from . import services
from .filters import MaintenanceItemFilter
from .forms import MaintenanceItemForm
from .models import CYCLE_RANK, Annex, Cycle, MaintenanceItem
from .tables import MaintenanceItemTable


class MaintenanceItemListView(ObjectListView):
    model = MaintenanceItem
    table_class = MaintenanceItemTable
    filterset_class = MaintenanceItemFilter
    sorts = {"code": (["annex", "cycle_rank", "number", "code", "id"], gettext_lazy("项目编号"))}
    page_size = 100
    title = gettext_lazy("维保项目管理")
    export_name = gettext_lazy("维保项目")
    template_name = "maintenance/item_list.html"
    toolbar = (Button(gettext_lazy("新增本单位项目"), "maintenance:item_create", "add", style="success"),)

    def get_extra_context(self):
        annex = self.request.GET.get("annex") or Annex.TRACTION
        cycle = self.request.GET.get("cycle") or ""
        return {
            "annexes": Annex.choices,
            "cycles": Cycle.choices,
            "current_annex": annex,
            "current_cycle": cycle,
            "cycle_counts": {c: services.items_for(annex, c).count() for c in CYCLE_RANK},
        }


class MaintenanceItemDetailView(ObjectDetailView):
    model = MaintenanceItem
    related = ("organization",)
    template_name = "maintenance/item_detail.html"
    buttons = (Button(gettext_lazy("编辑"), "maintenance:item_edit", "change", style="primary", testid="edit"),)

    def get_extra_context(self, item):
        return {"item": item, "events": audit.events_for(item)}


class MaintenanceItemEditView(ObjectEditView):
    model = MaintenanceItem
    form_class = MaintenanceItemForm
    success_message_create = gettext_lazy("已新增本单位维保项目。")
    success_message_update = gettext_lazy("维保项目已保存。")

    def create(self, data, request):
        return services.create_item(actor=request.user, data=data, request=request)

    def update(self, item, data, reason, request):
        return services.update_item(item, actor=request.user, data=data, reason=reason, request=request)
