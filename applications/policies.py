"""Who sees and acts on 监管申请.

- The applicant's administrators draft, edit, submit and delete (drafts) their unit's applications.
- The other parties read them once submitted: the use unit of the elevators, the maintenance company at filing
  and, for a 维保单位变更, the new company.
- A bureau reads the submitted applications of its jurisdiction (the city bureau its districts'); the bureau the
  application was routed to (`regulator`) decides it. Nobody but the applicant sees a draft.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.policies import Policy, register
from core.tenancy import VIEW, in_area, scope_for

__all__ = ["ApplicationPolicy", "FILING_KINDS"]

FILING_KINDS = ("maintenance_company", "use_unit")


def _files(scope) -> bool:
    return scope.is_operator or (scope.is_admin and scope.kind in FILING_KINDS)


@register("applications.Application")
class ApplicationPolicy(Policy):
    denied = {
        "add": _("只有维保单位或使用单位的管理员可以填报监管申请。"),
        "change": _("只有申请单位的管理员可以修改或提交这份申请。"),
        "delete": _("只有申请单位的管理员可以删除草稿。"),
        "decide": _("只有受理这份申请的监管部门可以审核。"),
    }

    def rows(self, scope, action):
        org = scope.organization_id
        submitted = ~Q(status="draft")
        if action != VIEW:
            if scope.kind in FILING_KINDS:
                return Q(applicant_id=org)
            if scope.kind == "regulator":
                return Q(regulator_id=org) & submitted
            return None
        if scope.kind == "maintenance_company":
            return Q(applicant_id=org) | (submitted & (Q(maintenance_company_id=org) | Q(new_company_id=org)))
        if scope.kind == "use_unit":
            return Q(applicant_id=org) | (submitted & Q(use_unit_id=org))
        if scope.kind == "regulator":
            return in_area(scope) & submitted
        return None

    def can_list(self, user, obj=None):
        """Bureaus, and the administrators of companies and use units (workers file nothing)."""
        scope = scope_for(user)
        return scope.kind == "regulator" or _files(scope)

    def can_add(self, user, obj=None):
        return _files(scope_for(user))

    def can_change(self, user, obj=None):
        scope = scope_for(user)
        if not _files(scope):
            return False
        return obj is None or scope.is_operator or obj.applicant_id == scope.organization_id

    can_delete = can_change

    def can_decide(self, user, obj=None):
        scope = scope_for(user)
        if scope.is_operator:
            return True
        if scope.kind != "regulator":
            return False
        return obj is None or obj.regulator_id == scope.organization_id
