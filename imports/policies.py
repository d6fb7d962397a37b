"""Who may see import jobs: the people of the importing unit."""

from django.db.models import Q

from core.policies import Policy, register

__all__ = ["ImportJobPolicy"]


@register("imports.ImportJob")
class ImportJobPolicy(Policy):
    def rows(self, scope, action):
        return Q(organization_id=scope.organization_id)
