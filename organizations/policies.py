"""Who may see and change units (组织架构), regions and unit qualifications."""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.policies import Policy, register
from core.tenancy import (
    CHANGE,
    DIRECTORY_KINDS,
    VIEW,
    Scope,
    in_area,
    scope_for,
    served_use_unit_ids,
    serving_company_ids,
)

__all__ = [
    "OrganizationPolicy",
    "RegionPolicy",
    "QualificationPolicy",
    "creatable_kinds",
    "organization_rows",
    "use_units_kept_by",
    "working_in_area",
]

# kind of the user's organisation -> unit kinds its administrators may create
_CREATABLE = {
    "regulator": ["maintenance_company", "use_unit", "manufacturer", "rescue_unit", "inspection_institute"],
    "maintenance_company": ["use_unit"],
}
_EVERY_KIND = ["maintenance_company", "use_unit", "manufacturer", "rescue_unit", "inspection_institute", "regulator"]


def creatable_kinds(user) -> list[str]:
    """The unit kinds this user may add (新增)."""
    scope = scope_for(user)
    if scope.is_operator:
        return [*_EVERY_KIND, "operator"]
    if not scope.is_admin:
        return []
    return _CREATABLE.get(scope.kind, [])


def use_units_kept_by(company_id) -> Q:
    """The use units whose record a company keeps: those it created (one of its people did) and still serves, while
    the unit has no account of its own; from its first account on, the unit keeps its record itself."""
    User = apps.get_model("accounts", "User")
    has_accounts = Exists(User.objects.filter(organization_id=OuterRef("pk")))
    created_here = Q(kind="use_unit", created_by__organization_id=company_id, pk__in=served_use_unit_ids(company_id))
    return created_here & ~has_accounts


def working_in_area(scope: Scope) -> Q:
    """The units that maintain or use elevators in the scope's area, wherever they are based: correlated EXISTS,
    one index probe per unit instead of materialising a city's elevators."""
    local = apps.get_model("elevators", "Elevator").objects.filter(in_area(scope))
    return Q(Exists(local.filter(maintenance_company_id=OuterRef("pk")))) | Q(
        Exists(local.filter(use_unit_id=OuterRef("pk")))
    )


def organization_rows(scope: Scope, action: str) -> Q:
    own = Q(pk=scope.organization_id)
    if scope.kind == "regulator" and scope.jurisdiction_path:
        in_jurisdiction = Q(region__path__startswith=scope.jurisdiction_path)
        if action == VIEW:
            return own | in_jurisdiction | Q(kind__in=DIRECTORY_KINDS) | working_in_area(scope)
        return own | (in_jurisdiction & ~Q(kind="regulator"))
    if scope.kind in ("rescue_unit", "inspection_institute") and action == VIEW:
        # they see the elevators of their area, so (read only) whom to call about them
        return own | Q(kind__in=DIRECTORY_KINDS) | working_in_area(scope)
    if scope.kind == "maintenance_company":
        if action == VIEW:
            mine = own | Q(pk__in=served_use_unit_ids(scope.organization_id))
        else:  # other companies that serve a use unit only read its record
            mine = own | use_units_kept_by(scope.organization_id)
    elif scope.kind == "use_unit":
        mine = own | (Q(pk__in=serving_company_ids(scope.organization_id)) if action == VIEW else Q(pk__in=[]))
    else:
        mine = own
    if action == VIEW:
        return mine | Q(kind__in=DIRECTORY_KINDS)
    return mine


@register("organizations.Organization")
class OrganizationPolicy(Policy):
    """A company sees itself and its use units, and changes itself and the use units it keeps (use_units_kept_by);
    a use unit reaches itself (and sees its companies); a bureau its area; rescue units and inspection institutes
    see the units working in their area; everyone sees the public directory (manufacturers, rescue units,
    inspection institutes, regulators)."""

    denied = {
        "change": _("您不能修改该单位的信息。"),
        "add": _("您不能新增该类别的单位。"),
        "submit_qualification": _("您不能为该单位提交资质认证。"),
    }

    use_unit_denied = _("使用单位的信息由该单位自己的管理员维护（开设账号前由创建它的维保单位维护），您只能查看。")

    def rows(self, scope, action):
        return organization_rows(scope, action)

    def denied_message(self, action, obj=None):
        if action == "change" and obj is not None and obj.kind == "use_unit":
            return str(self.use_unit_denied)
        return super().denied_message(action, obj)

    def can_add(self, user, obj=None):
        kinds = creatable_kinds(user)
        return bool(kinds) if obj is None else obj.kind in kinds

    def can_change(self, user, obj=None):
        if not scope_for(user).is_admin:
            return False
        return obj is None or self.in_rows(user, obj, CHANGE)

    can_submit_qualification = can_change


@register("organizations.Region")
class RegionPolicy(Policy):
    """Regions are reference data: everyone reads them; only the operator flags pilot districts."""

    denied = {"change": _("只有平台运营方可以修改行政区域。")}
    shared = True  # reference data: the isolation sweep expects everyone to see it

    def rows(self, scope, action):
        return Q() if action == VIEW else None

    def can_change(self, user, obj=None):
        return False


@register("organizations.OrganizationQualification")
class QualificationPolicy(Policy):
    """资质认证: seen with the unit; reviewed by a bureau whose area holds the unit (never the unit itself)."""

    denied = {"review": _("该单位不在您的管辖范围内。")}

    def rows(self, scope, action):
        if action != VIEW:
            return None
        organizations = apps.get_model("organizations", "Organization").objects.filter(organization_rows(scope, VIEW))
        return Q(organization_id__in=organizations.values("pk"))

    def can_review(self, user, obj=None):
        scope = scope_for(user)
        if scope.kind != "regulator":
            return False
        if obj is None:
            return True
        Organization = apps.get_model("organizations", "Organization")
        return (
            obj.organization_id != scope.organization_id
            and Organization.objects.changeable_by(user).filter(pk=obj.organization_id).exists()
        )
