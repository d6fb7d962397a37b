"""Who may see and change maintenance items (维保项目)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.policies import Policy, register
from core.tenancy import CHANGE, VIEW, scope_for

__all__ = ["MaintenanceItemPolicy"]


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
