"""Who may see and change 预警设置 (the warnings themselves are maintenance plans: their policy applies)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.policies import Policy, register
from core.tenancy import CHANGE, VIEW, scope_for

__all__ = ["AlertSettingsPolicy"]


def _company_admin(scope) -> bool:
    return scope.is_admin and scope.kind == "maintenance_company"


@register("alerts.AlertSettings")
class AlertSettingsPolicy(Policy):
    """A company's 预警设置: its people read it, its administrators set it (the first save creates the row)."""

    denied = {
        "list": _("预警设置属于维保单位。"),
        "add": _("只有维保单位的管理员可以修改预警设置。"),
        "change": _("只有本单位的管理员可以修改预警设置。"),
    }

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
