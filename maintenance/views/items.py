"""维保项目管理: the TSG T5002 items by annex and cycle (tabs, cumulative) and a company's own items."""

from django.db.models import Count
from django.utils.translation import gettext_lazy

from core import audit
from core.generic import Button, ObjectDetailView, ObjectEditView, ObjectListView
from core.tenancy import scope_for

from .. import services
from ..filters import MaintenanceItemFilter
from ..forms import MaintenanceItemForm
from ..models import CYCLE_RANK, Annex, Cycle, MaintenanceItem
from ..tables import MaintenanceItemTable


class MaintenanceItemListView(ObjectListView):
    model = MaintenanceItem
    table_class = MaintenanceItemTable
    filterset_class = MaintenanceItemFilter
    sorts = {"code": (MaintenanceItem._meta.ordering, gettext_lazy("项目编号"))}
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
            "cycle_counts": self.cycle_counts(annex),
        }

    def cycle_counts(self, annex) -> dict:
        """Each tab's item count, cumulative, from one grouped query."""
        organization = scope_for(self.request.user).organization_id
        by_rank = dict(
            services.items_for(annex, Cycle.ANNUAL, organization)
            .values_list("cycle_rank")
            .annotate(n=Count("id"))
            .order_by()
        )
        return {cycle: sum(n for r, n in by_rank.items() if r <= rank) for cycle, rank in CYCLE_RANK.items()}


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
