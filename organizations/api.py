"""/api/v1/regions and /api/v1/organizations."""

import django_filters
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from api.errors import with_errors
from api.filtering import filter_queryset, filter_schema
from api.pagination import LimitOffsetPagination
from core.filters import DB_ID_MAX
from core.policies import get_for, require
from core.schemas import model_schemas

from . import services
from .filters import OrganizationFilter
from .models import Organization, OrganizationKind, Region, RegionLevel

regions_router = Router(tags=["regions"])
organizations_router = Router(tags=["organizations"])


class RegionOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    level: str
    parent_id: int | None
    in_pilot: bool


@regions_router.get("", response=with_errors(list[RegionOut]))
@paginate(LimitOffsetPagination)
def list_regions(
    request,
    parent: int | None = Query(None, ge=1, le=DB_ID_MAX),
    level: RegionLevel | None = None,
    in_pilot: bool | None = None,
):
    queryset = Region.objects.visible_to(request.user)
    if parent:
        queryset = queryset.filter(parent_id=parent)
    if level:
        queryset = queryset.filter(level=level)
    if in_pilot is not None:
        queryset = queryset.filter(in_pilot=in_pilot)
    return queryset


@regions_router.get("/{int:region_id}", response=with_errors(RegionOut, not_found=True))
def get_region(request, region_id: int):
    return get_object_or_404(Region.objects.visible_to(request.user), pk=region_id)


OrganizationOut, OrganizationIn, OrganizationPatch = model_schemas(
    Organization,
    fields=services.ORG_FIELDS,
    create_only=["kind"],  # a unit never changes kind
    update_only=["is_active"],  # a unit is created active
    overrides={
        "kind": OrganizationKind,
        "name": Field(min_length=2, max_length=120),
        "address": Field(min_length=2, max_length=200),
        "legal_representative": Field(min_length=1, max_length=60),
        "contact_name": Field(min_length=1, max_length=60),
        "latitude": Field(ge=-90, le=90),
        "longitude": Field(ge=-180, le=180),
    },
    out_extra={"region_name": (str, Field(..., alias="region.name"))},
)


def _resolve_regions(data: dict) -> dict:
    for key in ("region_id", "jurisdiction_id"):
        if key in data:
            value = data.pop(key)
            field = key[:-3]
            if value is None:
                data[field] = None
                continue
            region = Region.objects.filter(pk=value).first()
            if region is None:
                raise ValidationError({key: _("区域不存在。")})
            data[field] = region
    if "credit_code" in data and data["credit_code"]:
        data["credit_code"] = data["credit_code"].strip().upper()
    return data


class OrganizationApiFilter(OrganizationFilter):
    """The page's filters; the kind, which the page takes from its URL, is a filter here."""

    kind = django_filters.ChoiceFilter(label=gettext_lazy("单位类别"), choices=OrganizationKind.choices)

    class Meta(OrganizationFilter.Meta):
        fields = [*OrganizationFilter.Meta.fields, "kind"]


OrganizationQuery = filter_schema(OrganizationApiFilter, name="OrganizationQuery")


@organizations_router.get("", response=with_errors(list[OrganizationOut]))
@paginate(LimitOffsetPagination)
def list_organizations(request, filters: Query[OrganizationQuery]):
    """Filtered as on the 组织架构 pages: `q` searches the name, credit code, contact and address; `region`
    takes a city or district and includes what lies inside it."""
    queryset = Organization.objects.visible_to(request.user).select_related("region").order_by("kind", "name")
    return filter_queryset(OrganizationApiFilter, filters, queryset)


@organizations_router.get("/{int:organization_id}", response=with_errors(OrganizationOut, not_found=True))
def get_organization(request, organization_id: int):
    return get_for(request.user, Organization, organization_id, queryset=Organization.objects.select_related("region"))


@organizations_router.post("", response=with_errors({201: OrganizationOut}))
def create_organization(request, payload: OrganizationIn):
    require(request.user, "add", Organization)  # a kind this user may not add is a 422 on `kind` (the service)
    data = _resolve_regions(payload.dict())
    return Status(201, services.create_organization(actor=request.user, data=data, request=request))


@organizations_router.patch("/{int:organization_id}", response=with_errors(OrganizationOut, not_found=True))
def update_organization(request, organization_id: int, payload: OrganizationPatch):
    org = get_for(
        request.user, Organization, organization_id, "change", queryset=Organization.objects.select_related("region")
    )
    data = _resolve_regions(payload.dict(exclude_unset=True))
    return services.update_organization(org, actor=request.user, data=data, request=request)
