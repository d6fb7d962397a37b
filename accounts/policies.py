"""Who may see and manage accounts (账号维护).

In words: an administrator manages the accounts of its own unit, and nobody but the operator edits, resets or
deactivates another organisation's users. Accounts are opened (新增) in one's own unit and, besides:

- by a maintenance company in a use unit it created (`Organization.created_by` is one of its people) and still
  serves, while that unit has no account of its own; the unit's own administrator takes over from then on;
- by a bureau in the units of its jurisdiction (the seed lets regional managers open a company's first account);
  such accounts show who opened them, and the unit's other administrators are asked to acknowledge them.
"""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.policies import Policy, register
from core.tenancy import CHANGE, scope_for, served_use_unit_ids

__all__ = ["UserPolicy", "account_unit_rows", "units_for_accounts", "ADD"]

ADD = "add"


def account_unit_rows(scope, action: str):
    """The units (a Q over Organization) where this administrator opens accounts (`add`) or manages them."""
    if not scope.is_admin or not scope.organization_id:
        return None
    own = Q(pk=scope.organization_id)
    if action != ADD:
        return own
    if scope.kind == "maintenance_company":
        User = apps.get_model("accounts", "User")
        has_accounts = Exists(User.objects.filter(organization_id=OuterRef("pk")))
        created_here = Q(
            kind="use_unit",
            created_by__organization_id=scope.organization_id,
            pk__in=served_use_unit_ids(scope.organization_id),
        )
        return own | (created_here & ~has_accounts)
    if scope.kind == "regulator":
        from organizations.policies import organization_rows

        return organization_rows(scope, CHANGE)  # itself and the units of its jurisdiction, never other bureaus
    return own


def units_for_accounts(user, action: str = ADD):
    """The units offered in the account form and accepted by the API: where `user` may open (or keep) accounts."""
    Organization = apps.get_model("organizations", "Organization")
    scope = scope_for(user)
    if scope.is_operator:
        return Organization.objects.all()
    condition = account_unit_rows(scope, action) if scope.authenticated else None
    return Organization.objects.none() if condition is None else Organization.objects.filter(condition)


@register("accounts.User")
class UserPolicy(Policy):
    """People are reached through their own unit, never through the units one serves or supervises; administrators
    manage the accounts of their unit."""

    denied = {
        "list": _("只有单位管理员可以维护账号。"),
        "add": _("您不能在该单位开设账号。"),
        "change": _("只有账号所属单位的管理员（或平台运营方）可以修改、停用或重置该账号。"),
        "reset_password": _("只有账号所属单位的管理员（或平台运营方）可以修改、停用或重置该账号。"),
        "unlock": _("只有账号所属单位的管理员（或平台运营方）可以解除该账号的锁定。"),
        "acknowledge": _("只有本单位的其他管理员可以确认外单位开设的账号。"),
    }

    def rows(self, scope, action):
        return Q(pk=scope.user_id) | Q(organization_id=scope.organization_id)

    def can_list(self, user, obj=None):
        return scope_for(user).is_admin

    def can_add(self, user, obj=None):
        if not scope_for(user).is_admin:
            return False
        if obj is None or obj.organization_id is None:
            return True
        return units_for_accounts(user, ADD).filter(pk=obj.organization_id).exists()

    def can_change(self, user, obj=None):
        return scope_for(user).is_admin and (obj is None or self.in_rows(user, obj, CHANGE))

    can_reset_password = can_change
    can_unlock = can_change

    def can_acknowledge(self, user, obj=None):
        """确认 an account another unit opened: an administrator of its unit, never the account itself."""
        scope = scope_for(user)
        if not scope.is_admin:
            return False
        if obj is None:
            return True
        return obj.pk != user.pk and obj.organization_id == scope.organization_id and obj.created_elsewhere
