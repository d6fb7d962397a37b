"""/api/v1/maintenance/items: the TSG T5002 items and a company's own, filtered as on the page; /holidays: the
operator's 节假日调整; /on-demand: 按需维保 elevators."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from api.errors import with_errors
from api.filtering import filter_queryset, filter_schema
from core.policies import get_for, require
from core.schemas import model_schemas

from . import services
from .filters import MaintenanceItemFilter, OnDemandFilter
from .models import Holiday, MaintenanceItem, OnDemandMaintenance

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


# --- /api/v1/maintenance/holidays: the operator's 节假日调整 ------------------------------------------------------

holidays_router = Router(tags=["maintenance"])

HolidayOut, HolidayIn, HolidayPatch = model_schemas(
    Holiday,
    fields=services.HOLIDAY_FIELDS,
    required=["date", "name"],
    patch_extra={"reason": (str, "")},
)


@holidays_router.get("", response=with_errors(list[HolidayOut]))
@paginate(LimitOffsetPagination)
def list_holidays(request, year: int | None = None):
    """The operator's days (the `holidays` package's arrangement is on the 节假日安排 page), newest first;
    `year` keeps one year's."""
    queryset = Holiday.objects.visible_to(request.user)
    return queryset.filter(date__year=year) if year is not None else queryset


@holidays_router.get("/{int:holiday_id}", response=with_errors(HolidayOut, not_found=True))
def get_holiday(request, holiday_id: int):
    return get_for(request.user, Holiday, holiday_id)


@holidays_router.post("", response=with_errors({201: HolidayOut}))
def create_holiday(request, payload: HolidayIn, reason: str = ""):
    """`reason` (a query parameter, as for DELETE): the basis of the adjustment, kept in the audit trail."""
    require(request.user, "add", Holiday)
    return Status(201, services.save_holiday(actor=request.user, data=payload.dict(), reason=reason, request=request))


@holidays_router.patch("/{int:holiday_id}", response=with_errors(HolidayOut, not_found=True))
def update_holiday(request, holiday_id: int, payload: HolidayPatch):
    holiday = get_for(request.user, Holiday, holiday_id, "change")
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    return services.save_holiday(holiday, actor=request.user, data=data, reason=reason, request=request)


@holidays_router.delete("/{int:holiday_id}", response=with_errors({204: None}, not_found=True))
def delete_holiday(request, holiday_id: int, reason: str = ""):
    holiday = get_for(request.user, Holiday, holiday_id, "delete")
    services.delete_holiday(holiday, actor=request.user, reason=reason, request=request)
    return Status(204, None)


# --- /api/v1/maintenance/on-demand: 按需维保 ----------------------------------------------------------------------

on_demand_router = Router(tags=["maintenance"])

OnDemandOut, OnDemandIn, OnDemandPatch = model_schemas(
    OnDemandMaintenance,
    fields=["elevator", *services.ON_DEMAND_FIELDS],
    create_only=["elevator"],
    required=["elevator", *services.ON_DEMAND_FIELDS],
    out_extra={"register_code": (str, Field(alias="elevator.register_code"))},
    patch_extra={"reason": (str, "")},
)
OnDemandQuery = filter_schema(OnDemandFilter, name="OnDemandQuery")


def _on_demand():
    return OnDemandMaintenance.objects.select_related("elevator")


@on_demand_router.get("", response=with_errors(list[OnDemandOut]))
@paginate(LimitOffsetPagination)
def list_on_demand(request, filters: Query[OnDemandQuery]):
    """The on-demand elevators the caller reads (the operator all; a company, a use unit, a bureau theirs)."""
    queryset = _on_demand().visible_to(request.user).order_by("-id")
    return filter_queryset(OnDemandFilter, filters, queryset)


@on_demand_router.get("/{int:ondemandmaintenance_id}", response=with_errors(OnDemandOut, not_found=True))
def get_on_demand(request, ondemandmaintenance_id: int):
    return get_for(request.user, OnDemandMaintenance, ondemandmaintenance_id, queryset=_on_demand())


@on_demand_router.post("", response=with_errors({201: OnDemandOut}))
def create_on_demand(request, payload: OnDemandIn):
    from elevators.models import Elevator

    require(request.user, "add", OnDemandMaintenance)
    data = payload.dict()
    elevator = Elevator.objects.visible_to(request.user).filter(pk=data["elevator_id"]).first()
    if elevator is None:
        raise ValidationError({"elevator_id": _("电梯不存在。")})
    record = services.set_on_demand(
        elevator,
        interval_days=data["interval_days"],
        starts_on=data["starts_on"],
        note=data["note"],
        actor=request.user,
        new=True,
        request=request,
    )
    return Status(201, record)


@on_demand_router.patch("/{int:ondemandmaintenance_id}", response=with_errors(OnDemandOut, not_found=True))
def update_on_demand(request, ondemandmaintenance_id: int, payload: OnDemandPatch):
    record = get_for(request.user, OnDemandMaintenance, ondemandmaintenance_id, "change", queryset=_on_demand())
    data = payload.dict(exclude_unset=True)
    return services.set_on_demand(
        record.elevator,
        interval_days=data.get("interval_days", record.interval_days),
        starts_on=data.get("starts_on", record.starts_on),
        note=data.get("note", record.note),
        actor=request.user,
        reason=data.get("reason", ""),
        request=request,
    )
