"""Who may see and change maintenance items (维保项目)."""

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.policies import Policy, register
from core.tenancy import CHANGE, VIEW, in_area, scope_for

__all__ = [
    "MaintenanceItemPolicy",
    "MaintenanceGroupPolicy",
    "MaintenancePlanPolicy",
    "CompanySettingsPolicy",
    "PlanJobPolicy",
    "PlanningSettingsPolicy",
    "HolidayPolicy",
    "OnDemandMaintenancePolicy",
    "group_elevator_ids",
]


@register("maintenance.MaintenanceItem")
class MaintenanceItemPolicy(Policy):
    """Everyone reads the regulation's items; a company also reads and keeps its own; a bureau reads the
    regulation's (a company's own items reach it with the plans that use them)."""

    denied = {
        "add": _("只有维保单位的管理员可以新增本单位的维保项目。"),
        "change": _("TSG T5002 规定的项目不能修改；本单位的项目由本单位管理员修改。"),
    }

    def rows(self, scope, action):
        regulation = Q(organization__isnull=True)
        own = Q(organization_id=scope.organization_id) if scope.kind == "maintenance_company" else Q(pk__in=[])
        if action == VIEW:
            return regulation | own
        return own

    def can_add(self, user, obj=None):
        scope = scope_for(user)
        return scope.is_operator or (scope.is_admin and scope.kind == "maintenance_company")

    def can_change(self, user, obj=None):
        scope = scope_for(user)
        if obj is not None and obj.organization_id is None:
            return False  # the regulation's items are data, not settings
        if not (scope.is_admin and scope.kind == "maintenance_company") and not scope.is_operator:
            return False
        return obj is None or self.in_rows(user, obj, CHANGE)


def _company_admin(scope) -> bool:
    return scope.is_admin and scope.kind == "maintenance_company"


def _plans_elevators(scope):
    """The elevators whose plans a user reads: a company's administrators all of the company's, its other
    people those of their groups; a use unit its own; bureaus, rescue and inspection units their area."""
    Elevator = apps.get_model("elevators", "Elevator")
    if scope.kind == "use_unit":
        return Elevator.objects.filter(use_unit_id=scope.organization_id).values("id")
    if scope.kind in ("regulator", "rescue_unit", "inspection_institute"):
        return Elevator.objects.filter(in_area(scope)).values("id")
    return None


def group_elevator_ids(user_id):
    """The elevators of the groups a person leads or belongs to, as a sub-select."""
    GroupAssignment = apps.get_model("maintenance", "GroupAssignment")
    return GroupAssignment.objects.filter(Q(group__members=user_id) | Q(group__leader_id=user_id)).values("elevator_id")


@register("maintenance.MaintenanceGroup")
class MaintenanceGroupPolicy(Policy):
    """A company's groups are the company's: its people read them, its administrators keep them."""

    denied = {
        "list": _("维保小组由维保单位管理，只有维保单位的人员可以查看。"),
        "add": _("只有维保单位的管理员可以新建维保小组。"),
        "change": _("只有本单位的管理员可以修改维保小组。"),
        "delete": _("只有本单位的管理员可以删除维保小组。"),
    }

    def rows(self, scope, action):
        if scope.kind != "maintenance_company" or (action != VIEW and not scope.is_admin):
            return None
        return Q(organization_id=scope.organization_id)

    def can_list(self, user, obj=None):
        return scope_for(user).kind == "maintenance_company"  # nobody else has groups

    def can_add(self, user, obj=None):
        return _company_admin(scope_for(user))

    def can_change(self, user, obj=None):
        scope = scope_for(user)  # the row rule itself, read off the object: no query per button
        return _company_admin(scope) and (obj is None or obj.organization_id == scope.organization_id)

    can_delete = can_change


@register("maintenance.MaintenancePlan")
class MaintenancePlanPolicy(Policy):
    """维保计划: the company plans (its administrators generate and move), its workers read their groups' plans,
    the use unit reads its elevators', a bureau reads the plans of its area."""

    denied = {
        "add": _("只有维保单位的管理员可以新增维保计划。"),
        "move": _("只有本单位的管理员可以调整维保计划。"),
    }

    def rows(self, scope, action):
        if scope.kind == "maintenance_company":
            if scope.is_admin:
                return Q(organization_id=scope.organization_id)
            if action == VIEW:
                return Q(organization_id=scope.organization_id, elevator_id__in=group_elevator_ids(scope.user_id))
            return None
        if action != VIEW:
            return None
        elevators = _plans_elevators(scope)
        return None if elevators is None else Q(elevator_id__in=elevators)

    def can_add(self, user, obj=None):
        return _company_admin(scope_for(user))

    def can_move(self, user, obj=None):
        return _company_admin(scope_for(user)) and (obj is None or self.in_rows(user, obj, CHANGE))


@register("maintenance.PlanJob")
class PlanJobPolicy(Policy):
    """A generation job is seen by the company that started it."""

    def rows(self, scope, action):
        if not _company_admin(scope):
            return None
        return Q(organization_id=scope.organization_id)


class CompanySettingsPolicy(Policy):
    """A maintenance company's own settings row (排期设置, 预警设置): its people read it, its administrators set it
    (the first save creates the row). Subclasses register it for their model and say `denied` in their words."""

    def rows(self, scope, action):
        if scope.kind != "maintenance_company" or (action != VIEW and not scope.is_admin):
            return None
        return Q(organization_id=scope.organization_id)

    def can_list(self, user, obj=None):
        return scope_for(user).kind == "maintenance_company"

    def can_add(self, user, obj=None):
        scope = scope_for(user)
        return _company_admin(scope) and (obj is None or obj.organization_id in (None, scope.organization_id))

    def can_change(self, user, obj=None):
        return _company_admin(scope_for(user)) and (obj is None or self.in_rows(user, obj, CHANGE))


@register("maintenance.PlanningSettings")
class PlanningSettingsPolicy(CompanySettingsPolicy):
    denied = {
        "list": _("排期设置属于维保单位。"),
        "add": _("只有维保单位的管理员可以修改排期设置。"),
        "change": _("只有本单位的管理员可以修改排期设置。"),
    }


@register("maintenance.Holiday")
class HolidayPolicy(Policy):
    """The holiday calendar is everyone's to read and the operator's to keep."""

    shared = True  # reference data: the isolation sweep expects everyone to see it
    denied = {
        "add": _("只有平台运营方可以调整节假日。"),
        "change": _("只有平台运营方可以调整节假日。"),
        "delete": _("只有平台运营方可以调整节假日。"),
    }

    def rows(self, scope, action):
        return Q() if action == VIEW else None

    def can_add(self, user, obj=None):
        return False  # the operator passes every check before this

    can_change = can_add
    can_delete = can_add


@register("maintenance.OnDemandMaintenance")
class OnDemandMaintenancePolicy(Policy):
    """按需维保 is set by the operator now (an approved pilot will set it later); the elevator's readers read it."""

    denied = {
        "add": _("按需维保由平台运营方根据批准的试点设置。"),
        "change": _("按需维保由平台运营方根据批准的试点设置。"),
        "delete": _("按需维保由平台运营方根据批准的试点设置。"),
    }

    def rows(self, scope, action):
        if action != VIEW:
            return None
        from elevators.policies import elevator_rows

        condition = elevator_rows(scope, VIEW)
        if condition is None:
            return None
        Elevator = apps.get_model("elevators", "Elevator")
        return Q(elevator_id__in=Elevator.objects.filter(condition).values("id"))

    def can_change(self, user, obj=None):
        return False  # the operator passes every check before this

    can_add = can_change
    can_delete = can_change
