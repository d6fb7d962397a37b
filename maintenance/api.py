"""/api/v1/maintenance/items: the TSG T5002 items and a company's own, filtered as on the page."""

from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from api.errors import with_errors
from api.filtering import filter_queryset, filter_schema
from core.policies import get_for, require
from core.schemas import model_schemas

from . import services
from .filters import MaintenanceItemFilter
from .models import MaintenanceItem

items_router = Router(tags=["maintenance"])

ItemOut, ItemIn, ItemPatch = model_schemas(
    MaintenanceItem,
    fields=services.ITEM_FIELDS,
    create_only=["annex", "cycle"],
    required=["annex", "cycle", "part", "requirement"],
    read_only=["code", "number"],
    out_extra={"is_regulation": (bool, ...)},
)
ItemQuery = filter_schema(MaintenanceItemFilter, name="MaintenanceItemQuery")


@items_router.get("", response=with_errors(list[ItemOut]))
@paginate(LimitOffsetPagination)
def list_items(request, filters: Query[ItemQuery]):
    """`cycle` is cumulative (季度 includes the half-month items); `source` is regulation or own."""
    queryset = MaintenanceItem.objects.visible_to(request.user)  # in the model's order
    return filter_queryset(MaintenanceItemFilter, filters, queryset)


@items_router.get("/{int:maintenanceitem_id}", response=with_errors(ItemOut, not_found=True))
def get_item(request, maintenanceitem_id: int):
    return get_for(request.user, MaintenanceItem, maintenanceitem_id)


@items_router.post("", response=with_errors({201: ItemOut}))
def create_item(request, payload: ItemIn):
    require(request.user, "add", MaintenanceItem)
    return Status(201, services.create_item(actor=request.user, data=payload.dict(), request=request))


@items_router.patch("/{int:maintenanceitem_id}", response=with_errors(ItemOut, not_found=True))
def update_item(request, maintenanceitem_id: int, payload: ItemPatch):
    item = get_for(request.user, MaintenanceItem, maintenanceitem_id, "change")
    return services.update_item(item, actor=request.user, data=payload.dict(exclude_unset=True), request=request)
