"""/api/v1/maintenance/items: the TSG T5002 items and a company's own, filtered as on the page;
/api/v1/maintenance/groups: 维保小组 and their elevators."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from api.errors import with_errors
from api.filtering import filter_queryset, filter_schema
from core import audit
from core.policies import get_for, require
from core.schemas import model_schemas
from elevators.filters import ElevatorFilter
from elevators.models import Elevator

from . import services
from .filters import MaintenanceGroupFilter, MaintenanceItemFilter
from .models import MaintenanceGroup, MaintenanceItem

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
