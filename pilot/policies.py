"""Who sees and acts on 试点申请: the applicant's administrators fill and submit it; the bureau the routing rule chose
accepts, reviews, approves or returns it; the bureaus of the area read it once submitted."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.policies import Policy, register
from core.tenancy import VIEW, in_area, scope_for

__all__ = ["PilotApplicationPolicy", "APPLYING_KINDS"]

APPLYING_KINDS = ("use_unit", "maintenance_company")


def _applies(scope) -> bool:
    return scope.is_admin and scope.kind in APPLYING_KINDS


@register("pilot.PilotApplication")
class PilotApplicationPolicy(Policy):
    denied = {
        "add": _("只有使用单位或维保单位的管理员（单位帐户）可以申请试点。"),
        "change": _("只有申请单位可以修改或提交这份申请。"),
        "decide": _("只有负责处理这份申请的监管部门可以受理、审核和审批。"),
    }

    def rows(self, scope, action):
        org = scope.organization_id
        if scope.kind in APPLYING_KINDS:
            return Q(applicant_id=org) if scope.is_admin else None
        if scope.kind == "regulator":
            mine = Q(regulator_id=org)
            return mine if action != VIEW else mine | (in_area(scope) & ~Q(status="draft"))
        return None

    def can_list(self, user, obj=None):
        scope = scope_for(user)
        return scope.kind == "regulator" or _applies(scope)

    def can_add(self, user, obj=None):
        scope = scope_for(user)
        return _applies(scope) and not scope.is_operator

    def can_change(self, user, obj=None):
        scope = scope_for(user)
        return _applies(scope) and (obj is None or obj.applicant_id == scope.organization_id)

    def can_decide(self, user, obj=None):
        scope = scope_for(user)
        return scope.kind == "regulator" and (obj is None or obj.regulator_id == scope.organization_id)
