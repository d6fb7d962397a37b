"""The one tenancy gate: which rows a user may see or change.

Every queryset a person reaches goes through `Model.objects.restrict(user, action)`
(or its shorthand `visible_to(user)`). This module keeps the mechanism (the scope of a user,
the queryset) and the pieces the rules share; each model's rule lives in its app's
`policies.py` (see core.policies). In words:

- the platform operator (a superuser) reaches everything;
- a regulator (监管单位) reaches what lies in its jurisdiction (a city or a district);
- a maintenance company (维保单位) reaches itself and the use units it serves;
- a use unit (使用单位) reaches itself and the companies that maintain it;
- everybody sees the public directory (manufacturers, rescue units, inspection
  institutes, regulators), but may change only what its rule allows.

Rules return a Q object over the model's own fields; related sets are sub-selects,
so joins never duplicate rows. A model without a policy is visible to the operator only
(and `manage.py check` fails for a TenantManager model without one).
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Q

__all__ = [
    "Scope",
    "scope_for",
    "TenantQuerySet",
    "TenantManager",
    "DIRECTORY_KINDS",
    "VIEW",
    "CHANGE",
    "served_use_unit_ids",
    "serving_company_ids",
    "in_area",
]

VIEW = "view"
CHANGE = "change"
DIRECTORY_KINDS = ("manufacturer", "rescue_unit", "inspection_institute", "regulator")


@dataclass(frozen=True)
class Scope:
    """What the gate needs to know about a user, computed once per request."""

    authenticated: bool = False
    is_operator: bool = False
    user_id: int | None = None
    organization_id: int | None = None
    kind: str = ""
    jurisdiction_path: str = ""
    is_admin: bool = False
    # The area whose elevators a regulator (its jurisdiction) or a rescue/inspection unit (its city) reaches.
    area_region_id: int | None = None
    area_is_city: bool = False


ANONYMOUS = Scope()


def scope_for(user) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_tenancy_scope", None)
    if cached is not None:
        return cached
    scope = Scope(
        authenticated=True,
        is_operator=user.is_superuser,
        user_id=user.pk,
        is_admin=user.is_superuser or user.role == "admin",
    )
    if not user.is_superuser and user.organization_id:
        Organization = apps.get_model("organizations", "Organization")
        field = user._meta.get_field("organization")
        if field.is_cached(user):  # the session's user comes with its unit (accounts.backends)
            org = user.organization
        else:
            org = Organization.objects.select_related("jurisdiction", "region__parent").get(pk=user.organization_id)
            field.set_cached_value(user, org)  # pages print user.organization too: the same row
        path, area = "", None
        if org.kind == "regulator" and org.jurisdiction_id:
            path, area = org.jurisdiction.path, org.jurisdiction
        elif org.kind in ("rescue_unit", "inspection_institute"):
            area = org.region.parent if org.region.level == "district" else org.region
        scope = Scope(
            authenticated=True,
            is_operator=False,
            user_id=user.pk,
            organization_id=org.pk,
            kind=org.kind,
            jurisdiction_path=path,
            is_admin=user.role == "admin",
            area_region_id=area.pk if area else None,
            area_is_city=bool(area and area.level != "district"),
        )
    user._tenancy_scope = scope
    return scope


# --- shared pieces of the apps' row rules --------------------------------------------------


def served_use_unit_ids(company_id):
    """The use units a maintenance company serves, as a sub-select."""
    relation = apps.get_model("organizations", "ServiceRelation")
    return relation.objects.filter(maintenance_company_id=company_id).values("use_unit_id")


def serving_company_ids(use_unit_id):
    """The maintenance companies that serve a use unit, as a sub-select."""
    relation = apps.get_model("organizations", "ServiceRelation")
    return relation.objects.filter(use_unit_id=use_unit_id).values("maintenance_company_id")


def in_area(scope: Scope, prefix: str = "") -> Q:
    """Rows in the scope's area: a city by the denormalised `city` column, a district by `region`."""
    if scope.area_region_id is None:
        return Q(pk__in=[])
    if scope.area_is_city:
        return Q(**{f"{prefix}city_id": scope.area_region_id})
    return Q(**{f"{prefix}region_id": scope.area_region_id})


class TenantQuerySet(models.QuerySet):
    """A queryset with the gate: restrict(user, action) is the only door to data."""

    def restrict(self, user, action: str = VIEW):
        scope = scope_for(user)
        if not scope.authenticated:
            return self.none()
        if scope.is_operator:
            return self
        if not scope.organization_id:
            return self.none()
        from .policies import row_condition

        condition = row_condition(scope, self.model, action)
        return self.none() if condition is None else self.filter(condition)

    def visible_to(self, user):
        return self.restrict(user, VIEW)

    def changeable_by(self, user):
        return self.restrict(user, CHANGE)


TenantManager = models.Manager.from_queryset(TenantQuerySet)
