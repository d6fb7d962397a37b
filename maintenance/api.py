"""/api/v1/maintenance/items: the TSG T5002 items and a company's own, filtered as on the page; /groups: 维保小组
and their elevators; /plans: 维保计划; /holidays: the operator's 节假日调整; /on-demand: 按需维保 elevators."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from api.errors import with_errors
from api.filtering import filter_queryset, filter_schema
from core import audit
from core.policies import get_for, require
from core.schemas import model_schemas
from core.tenancy import CHANGE
from elevators.filters import ElevatorFilter
from elevators.models import Elevator

from . import services
from .filters import MaintenanceGroupFilter, MaintenanceItemFilter, MaintenancePlanFilter, OnDemandFilter
from .models import Holiday, MaintenanceGroup, MaintenanceItem, MaintenancePlan, OnDemandMaintenance, PlanJob
from .services import plans

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


# --- /api/v1/maintenance/plans ------------------------------------------------------------------------------

plans_router = Router(tags=["maintenance"])

PlanOut, _PlanIn, _PlanPatch = model_schemas(
    MaintenancePlan,
    fields=[],
    read_only=[
        "elevator",
        "organization",
        "year_start",
        "position",
        "cycle",
        "due_date",
        "original_date",
        "status",
        "done_at",
        "closed_reason",
    ],
    out_extra={"register_code": (str, Field(alias="elevator.register_code"))},
    name="MaintenancePlan",
)
PlanQuery = filter_schema(MaintenancePlanFilter, name="MaintenancePlanQuery")
SYNC_LIMIT = 100  # more elevators than this: a background job


class GenerateIn(Schema):
    elevator_ids: list[int] = Field(min_length=1, max_length=100_000)
    start_date: date


class JobOut(Schema):
    id: int
    status: str
    total: int
    processed: int
    created_plans: int
    skipped: list
    error: str


class GenerateOut(Schema):
    created: int = 0
    job: JobOut | None = None


class MoveIn(Schema):
    # both are required, checked after the plan is found (another tenant's plan is 404 whatever the body)
    due_date: date | None = None
    reason: str = Field("", max_length=200)


@plans_router.get("", response=with_errors(list[PlanOut]))
@paginate(LimitOffsetPagination)
def list_plans(request, filters: Query[PlanQuery]):
    """`when` is upcoming (default), overdue or all; `elevator` an elevator id or the start of a register
    code; `due_after`/`due_before` bound the plan date."""
    queryset = MaintenancePlan.objects.visible_to(request.user).select_related("elevator").order_by("due_date", "id")
    return filter_queryset(MaintenancePlanFilter, filters, queryset)


@plans_router.post("", response=with_errors({201: GenerateOut, 202: GenerateOut}))
def generate(request, payload: GenerateIn):
    """A year of plans from `start_date` for each elevator: at once for up to 100 elevators, else a
    background job (202) whose progress `GET /maintenance/plans/jobs/{planjob_id}` reports."""
    require(request.user, "add", MaintenancePlan)
    ids = list(dict.fromkeys(payload.elevator_ids))
    found = Elevator.objects.restrict(request.user, CHANGE).filter(pk__in=ids).select_related("on_demand")
    found = {e.pk: e for e in found}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise Http404(_("电梯不存在或无权操作：%(ids)s") % {"ids": ", ".join(map(str, missing[:20]))})
    if len(ids) > SYNC_LIMIT:
        job = plans.start_plan_job(actor=request.user, elevator_ids=ids, start=payload.start_date, request=request)
        return Status(202, {"created": 0, "job": job})
    plans.check_start(payload.start_date)
    refused = {pk: plans.refusal(e) for pk, e in found.items() if plans.refusal(e)}
    if refused:
        raise ValidationError({"elevator_ids": [f"{found[pk].register_code}: {why}" for pk, why in refused.items()]})
    with transaction.atomic():
        created = sum(
            plans.generate_year(found[pk], payload.start_date, actor=request.user, request=request) for pk in ids
        )
    return Status(201, {"created": created, "job": None})


@plans_router.get("/jobs/{int:planjob_id}", response=with_errors(JobOut, not_found=True))
def get_job(request, planjob_id: int):
    return get_for(request.user, PlanJob, planjob_id)


@plans_router.get("/{int:maintenanceplan_id}", response=with_errors(PlanOut, not_found=True))
def get_plan(request, maintenanceplan_id: int):
    return get_for(
        request.user, MaintenancePlan, maintenanceplan_id, queryset=MaintenancePlan.objects.select_related("elevator")
    )


@plans_router.post("/{int:maintenanceplan_id}/move", response=with_errors(PlanOut, not_found=True))
def move(request, maintenanceplan_id: int, payload: MoveIn):
    """Move one plan to another day with a reason; refused (422, saying by how many days) past the bound."""
    plan = get_for(request.user, MaintenancePlan, maintenanceplan_id, "move")
    return plans.move_plan(plan, payload.due_date, actor=request.user, reason=payload.reason, request=request)


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
    required=["elevator", "interval_days", "starts_on", "note"],
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
        modes={m: data[m] for m in ("iot_monitoring", "full_package") if data.get(m) is not None},
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
        modes={m: data[m] for m in ("iot_monitoring", "full_package") if m in data},
        request=request,
    )


# --- 维保小组 -------------------------------------------------------------------------------------------------

groups_router = Router(tags=["maintenance"])

_GroupOut, _GroupIn, _GroupPatch = model_schemas(
    MaintenanceGroup,
    fields=services.GROUP_FIELDS,
    overrides={"name": Field(min_length=1, max_length=40)},
    read_only=["organization"],
    out_extra={
        "member_count": int,
        "elevator_count": int,
        "flagged_count": (int, Field(..., description="members whose qualification has expired")),
    },
    patch_extra={"reason": (str, Field("", max_length=audit.CHANGE_REASON_MAX_LENGTH))},
    name="MaintenanceGroupFields",
)


class MaintenanceGroupOut(_GroupOut):
    member_ids: list[int]

    @staticmethod
    def resolve_member_ids(group):
        return [member.pk for member in group.members.all()]


class MaintenanceGroupIn(_GroupIn):
    member_ids: list[int] = Field([], description="the members' user ids; the leader is always a member")


class MaintenanceGroupPatch(_GroupPatch):
    member_ids: list[int] | None = Field(None, description="the members' user ids (replaces the whole list)")


class GroupAssignIn(Schema):
    elevator_ids: list[int] | None = Field(None, description="elevator ids")
    filter: dict[str, str | int] | None = Field(
        None, description="the ledger's filters (the parameters of GET /elevators)"
    )


class GroupRemoveIn(Schema):
    elevator_ids: list[int] = Field([], description="ids of the elevators to take out of the group")


class GroupCountOut(Schema):
    count: int


GroupQuery = filter_schema(MaintenanceGroupFilter, name="MaintenanceGroupQuery")


def _groups():
    return services.with_counts(MaintenanceGroup.objects.all()).prefetch_related("members")


def _group_data(payload, **kwargs) -> dict:
    data = payload.dict(**kwargs)
    if data.get("member_ids") is None:
        data.pop("member_ids", None)
    return data


@groups_router.get("", response=with_errors(list[MaintenanceGroupOut]))
@paginate(LimitOffsetPagination)
def list_groups(request, filters: Query[GroupQuery]):
    require(request.user, "list", MaintenanceGroup)
    return filter_queryset(MaintenanceGroupFilter, filters, _groups().visible_to(request.user))


@groups_router.get("/{int:maintenancegroup_id}", response=with_errors(MaintenanceGroupOut, not_found=True))
def get_group(request, maintenancegroup_id: int):
    return get_for(request.user, MaintenanceGroup, maintenancegroup_id, queryset=_groups())


@groups_router.post("", response=with_errors({201: MaintenanceGroupOut}))
def create_group(request, payload: MaintenanceGroupIn):
    require(request.user, "add", MaintenanceGroup)
    group = services.create_group(actor=request.user, data=_group_data(payload), request=request)
    return Status(201, _groups().get(pk=group.pk))


@groups_router.patch("/{int:maintenancegroup_id}", response=with_errors(MaintenanceGroupOut, not_found=True))
def update_group(request, maintenancegroup_id: int, payload: MaintenanceGroupPatch):
    group = get_for(request.user, MaintenanceGroup, maintenancegroup_id, "change")
    data = _group_data(payload, exclude_unset=True)
    reason = data.pop("reason", "")
    services.update_group(group, actor=request.user, data=data, reason=reason, request=request)
    return _groups().get(pk=group.pk)


@groups_router.post("/{int:maintenancegroup_id}/elevators", response=with_errors(GroupCountOut, not_found=True))
def assign_elevators(request, maintenancegroup_id: int, payload: GroupAssignIn):
    """Put elevators into the group (moving them from their previous group): by `elevator_ids`, or all those the
    ledger's `filter` finds among the company's elevators that are not scrapped. `count`: how many joined."""
    group = get_for(request.user, MaintenanceGroup, maintenancegroup_id, "change")
    if (payload.elevator_ids is None) == (payload.filter is None):
        raise ValidationError(_("请给出 elevator_ids 或 filter 之一。"))
    if payload.filter is not None:
        base = services.assignable_elevators(group) & Elevator.objects.visible_to(request.user)
        elevators = filter_queryset(ElevatorFilter, payload.filter, base, user=request.user)
    else:
        elevators = payload.elevator_ids
    return {"count": services.assign_elevators(group, elevators, actor=request.user, request=request)}


@groups_router.delete("/{int:maintenancegroup_id}/elevators", response=with_errors(GroupCountOut, not_found=True))
def unassign_elevators(request, maintenancegroup_id: int, payload: GroupRemoveIn):
    """Take elevators out of the group; `count`: how many left it."""
    group = get_for(request.user, MaintenanceGroup, maintenancegroup_id, "change")
    count = services.unassign_elevators(group, payload.elevator_ids, actor=request.user, request=request)
    return {"count": count}
