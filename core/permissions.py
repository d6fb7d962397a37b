"""What a user may do at all (403 when not); which objects is the tenancy gate's business (404)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .tenancy import scope_for

__all__ = ["can", "require", "creatable_org_kinds"]

# kind of the user's organisation -> organisation kinds its administrators may create
_CREATABLE = {
    "regulator": ["maintenance_company", "use_unit", "manufacturer", "rescue_unit", "inspection_institute"],
    "maintenance_company": ["use_unit"],
}


def creatable_org_kinds(user) -> list[str]:
    scope = scope_for(user)
    if scope.is_operator:
        return [
            "maintenance_company",
            "use_unit",
            "manufacturer",
            "rescue_unit",
            "inspection_institute",
            "regulator",
            "operator",
        ]
    if not scope.is_admin:
        return []
    return _CREATABLE.get(scope.kind, [])


def can(user, perm: str) -> bool:
    scope = scope_for(user)
    if not scope.authenticated:
        return False
    if scope.is_operator:
        return True
    if perm in {"accounts.manage", "organizations.change"}:
        return scope.is_admin
    if perm == "organizations.create":
        return bool(creatable_org_kinds(user))
    if perm == "organizations.review_qualification":
        return scope.kind == "regulator"
    if perm == "regions.change":
        return False
    raise ValueError(f"unknown permission {perm}")


def require(user, perm: str) -> None:
    if not can(user, perm):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
