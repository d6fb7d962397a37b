"""Who may see and manage accounts (账号维护)."""

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.policies import Policy, register
from core.tenancy import CHANGE, scope_for

__all__ = ["UserPolicy"]


@register("accounts.User")
class UserPolicy(Policy):
    """People are reached through the units one may change, never through the directory; administrators manage
    the accounts of those units."""

    denied = {
        "list": _("您没有执行此操作的权限。"),
        "add": _("您没有执行此操作的权限。"),
        "change": _("您没有执行此操作的权限。"),
        "reset_password": _("您没有执行此操作的权限。"),
        "unlock": _("您没有执行此操作的权限。"),
    }

    def rows(self, scope, action):
        from organizations.policies import organization_rows

        Organization = apps.get_model("organizations", "Organization")
        units = Organization.objects.filter(organization_rows(scope, CHANGE)).values("pk")
        return Q(pk=scope.user_id) | Q(organization_id__in=units)

    def _manages(self, user, obj):
        return scope_for(user).is_admin and (obj is None or self.in_rows(user, obj, CHANGE))

    def can_list(self, user, obj=None):
        return scope_for(user).is_admin

    can_add = can_list

    def can_change(self, user, obj=None):
        return self._manages(user, obj)

    can_reset_password = can_change
    can_unlock = can_change
