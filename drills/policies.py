"""Who may see and keep 应急演练: the company's people read its drills, its administrators keep them; a use unit
reads the drills that covered its elevators, a bureau those that covered elevators of its area."""

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.policies import Policy, register
from core.tenancy import VIEW, in_area, scope_for

__all__ = ["EmergencyDrillPolicy", "drill_ids_of_elevators"]


def drill_ids_of_elevators(condition: Q):
    """The drills that covered an elevator matching `condition` (a Q over the through table, `elevator__…`), as a
    sub-select (no join on the drills, so no duplicate rows)."""
    Through = apps.get_model("drills", "EmergencyDrill").elevators.through
    return Through.objects.filter(condition).values("emergencydrill_id")


def _company_admin(scope) -> bool:
    return scope.is_admin and scope.kind == "maintenance_company"


@register("drills.EmergencyDrill")
class EmergencyDrillPolicy(Policy):
    denied = {
        "list": _("应急演练由维保单位登记，使用单位和监管单位可以查看。"),
        "add": _("只有维保单位的管理员可以登记应急演练。"),
        "change": _("只有本单位的管理员可以修改应急演练。"),
        "delete": _("只有本单位的管理员可以删除应急演练。"),
    }

    def rows(self, scope, action):
        if scope.kind == "maintenance_company":
            if action != VIEW and not scope.is_admin:
                return None
            return Q(organization_id=scope.organization_id)
        if action != VIEW:
            return None
        if scope.kind == "use_unit":
            return Q(pk__in=drill_ids_of_elevators(Q(elevator__use_unit_id=scope.organization_id)))
        if scope.kind == "regulator":
            return Q(pk__in=drill_ids_of_elevators(in_area(scope, "elevator__")))
        return None

    def can_list(self, user, obj=None):
        return scope_for(user).kind in ("maintenance_company", "use_unit", "regulator")

    def can_add(self, user, obj=None):
        return _company_admin(scope_for(user))

    def can_change(self, user, obj=None):
        scope = scope_for(user)
        return _company_admin(scope) and (obj is None or obj.organization_id == scope.organization_id)

    can_delete = can_change
