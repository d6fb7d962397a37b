"""The one tenancy gate: which rows a user may see or change.

Every queryset a person reaches goes through `Model.objects.restrict(user, action)`
(or its shorthand `visible_to(user)`). The rules for every tenant-owned model live
here, side by side, so that what a maintenance company, a use unit, a district bureau
or the city bureau may reach can be read in one place:

- the platform operator (a superuser) reaches everything;
- a regulator (监管单位) reaches what lies in its jurisdiction (a city or a district);
- a maintenance company (维保单位) reaches itself and the use units it serves;
- a use unit (使用单位) reaches itself and the companies that maintain it;
- everybody sees the public directory (manufacturers, rescue units, inspection
  institutes, regulators), but may change only what its rule allows.

Rules return a Q object over the model's own fields; related sets are sub-selects,
so joins never duplicate rows. Anything without a rule is visible to the operator only.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q

__all__ = ["Scope", "scope_for", "TenantQuerySet", "TenantManager", "DIRECTORY_KINDS"]

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
        org = Organization.objects.select_related("jurisdiction", "region__parent").get(pk=user.organization_id)
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


# --- rules -------------------------------------------------------------------------------


def _served_use_unit_ids(company_id):
    relation = apps.get_model("organizations", "ServiceRelation")
    return relation.objects.filter(maintenance_company_id=company_id).values("use_unit_id")


def _serving_company_ids(use_unit_id):
    relation = apps.get_model("organizations", "ServiceRelation")
    return relation.objects.filter(use_unit_id=use_unit_id).values("maintenance_company_id")


def _in_area(scope: Scope) -> Q:
    """Elevators in the scope's area: a city by its denormalised column, a district by its region."""
    if scope.area_region_id is None:
        return Q(pk__in=[])
    if scope.area_is_city:
        return Q(city_id=scope.area_region_id)
    return Q(region_id=scope.area_region_id)


def organization_rule(scope: Scope, action: str):
    own = Q(pk=scope.organization_id)
    if scope.kind == "regulator" and scope.jurisdiction_path:
        in_area = Q(region__path__startswith=scope.jurisdiction_path)
        if action == VIEW:
            # also the units that maintain or use elevators in the area, wherever they are based
            Elevator = apps.get_model("elevators", "Elevator")
            # correlated EXISTS: one index probe per unit, instead of materialising a city's elevators
            local = Elevator.objects.filter(_in_area(scope))
            working_here = Exists(local.filter(maintenance_company_id=OuterRef("pk"))) | Exists(
                local.filter(use_unit_id=OuterRef("pk"))
            )
            return own | in_area | Q(kind__in=DIRECTORY_KINDS) | working_here
        return own | (in_area & ~Q(kind="regulator"))
    if scope.kind == "maintenance_company":
        mine = own | Q(pk__in=_served_use_unit_ids(scope.organization_id))
    elif scope.kind == "use_unit":
        mine = own | (Q(pk__in=_serving_company_ids(scope.organization_id)) if action == VIEW else Q(pk__in=[]))
    else:
        mine = own
    if action == VIEW:
        return mine | Q(kind__in=DIRECTORY_KINDS)
    return mine


def user_rule(scope: Scope, action: str):
    # People are reached through the organisations one may change, never through the directory.
    Organization = apps.get_model("organizations", "Organization")
    orgs = Organization.objects.filter(organization_rule(scope, CHANGE)).values("pk")
    return Q(pk=scope.user_id) | Q(organization_id__in=orgs)


def region_rule(scope: Scope, action: str):
    return Q() if action == VIEW else None


def elevator_rule(scope: Scope, action: str):
    """Companies and use units reach their own elevators; bureaus, rescue and inspection units their area."""
    if scope.kind == "maintenance_company":
        return Q(maintenance_company_id=scope.organization_id)
    if scope.kind == "use_unit":
        return Q(use_unit_id=scope.organization_id)
    if action != VIEW:
        return None  # regulators change the ledger through applications, never by hand
    if scope.kind in ("regulator", "rescue_unit", "inspection_institute"):
        return _in_area(scope)
    if scope.kind == "manufacturer":
        return Q(manufacturer_id=scope.organization_id)
    return None


def problem_report_rule(scope: Scope, action: str):
    """Reports from the public QR page reach the maintenance company (and are visible to who sees the elevator)."""
    if action != VIEW:
        if scope.kind != "maintenance_company":
            return None
        return Q(elevator__maintenance_company_id=scope.organization_id)
    elevator = elevator_rule(scope, VIEW)
    if elevator is None:
        return None
    Elevator = apps.get_model("elevators", "Elevator")
    return Q(elevator_id__in=Elevator.objects.filter(elevator).values("pk"))


def import_job_rule(scope: Scope, action: str):
    """Import jobs: the users of the importing unit."""
    return Q(organization_id=scope.organization_id)


RULES = {
    "organizations.organization": organization_rule,
    "organizations.region": region_rule,
    "accounts.user": user_rule,
    "elevators.elevator": elevator_rule,
    "elevators.problemreport": problem_report_rule,
    "imports.importjob": import_job_rule,
}


class TenantQuerySet(models.QuerySet):
    """A queryset with the gate: restrict(user, action) is the only door to data."""

    def restrict(self, user, action: str = VIEW):
        scope = scope_for(user)
        if not scope.authenticated:
            return self.none()
        if scope.is_operator:
            return self
        rule = RULES.get(self.model._meta.label_lower)
        if rule is None or not scope.organization_id:
            return self.none()
        condition = rule(scope, action)
        return self.none() if condition is None else self.filter(condition)

    def visible_to(self, user):
        return self.restrict(user, VIEW)

    def changeable_by(self, user):
        return self.restrict(user, CHANGE)


TenantManager = models.Manager.from_queryset(TenantQuerySet)
