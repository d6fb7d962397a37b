"""Transitional: the old permission strings, answered by the apps' policies (core.policies).

Removed once the API modules call core.policies directly.
"""

from .policies import can as _can
from .policies import require as _require

__all__ = ["require"]

_MEANING = {
    "accounts.manage": ("list", "accounts.User"),
    "organizations.create": ("add", "organizations.Organization"),
    "organizations.change": ("change", "organizations.Organization"),
    "regions.change": ("change", "organizations.Region"),
}


def can(user, perm: str) -> bool:
    action, model = _MEANING[perm]
    return _can(user, action, model)


def require(user, perm: str) -> None:
    action, model = _MEANING[perm]
    _require(user, action, model)
