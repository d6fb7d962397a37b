"""Who sees and changes 维保合同.

- The maintenance company (all its people) and the use unit read their contracts; a district bureau reads the
  contracts with an elevator in its district, the city bureau those of its city; the operator all.
- Only the company's administrators create, edit and terminate its contracts (the operator too).
"""

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.policies import Policy, register
from core.tenancy import VIEW, in_area, scope_for

__all__ = ["MaintenanceContractPolicy", "READER_KINDS"]

READER_KINDS = ("maintenance_company", "use_unit", "regulator")


def _company_admin(scope) -> bool:
    return scope.is_admin and scope.kind == "maintenance_company"


@register("contracts.MaintenanceContract")
class MaintenanceContractPolicy(Policy):
    denied = {
        "list": _("维保合同只对维保单位、使用单位和监管部门开放。"),
        "add": _("只有维保单位的管理员可以录入维保合同。"),
        "change": _("只有合同所属维保单位的管理员可以修改维保合同。"),
        "terminate": _("只有合同所属维保单位的管理员可以终止维保合同，已终止的合同不能再次终止。"),
    }

    def rows(self, scope, action):
        org = scope.organization_id
        if scope.kind == "maintenance_company":
            return Q(maintenance_company_id=org)
        if action != VIEW:
            return None
        if scope.kind == "use_unit":
            return Q(use_unit_id=org)
        if scope.kind == "regulator":
            Elevator = apps.get_model("elevators", "Elevator")
            through = self.model.elevators.through
            elevators = Elevator.objects.filter(in_area(scope)).values("pk")
            return Q(pk__in=through.objects.filter(elevator_id__in=elevators).values("maintenancecontract_id"))
        return None

    def can_list(self, user, obj=None):
        return scope_for(user).kind in READER_KINDS

    def can_add(self, user, obj=None):
        scope = scope_for(user)
        if not _company_admin(scope):
            return False
        return obj is None or obj.maintenance_company_id in (None, scope.organization_id)

    def can_change(self, user, obj=None):
        scope = scope_for(user)
        return _company_admin(scope) and (obj is None or obj.maintenance_company_id == scope.organization_id)

    def can_terminate(self, user, obj=None):
        return self.can_change(user, obj) and (obj is None or obj.terminated_on is None)
