"""Who may see import jobs: the people of the importing unit."""

from django.db.models import Q

from core.policies import Policy, register

__all__ = ["ImportJobPolicy", "ColumnMappingPolicy"]


@register("imports.ImportJob")
class ImportJobPolicy(Policy):
    def rows(self, scope, action):
        return Q(organization_id=scope.organization_id)


@register("imports.ColumnMapping")
class ColumnMappingPolicy(Policy):
    """A unit's remembered column mappings are its own."""

    def rows(self, scope, action):
        return Q(organization_id=scope.organization_id)
