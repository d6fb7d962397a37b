"""Who may see and do what: one policy per tenant-owned model, kept by the model's app in its `policies.py`.

A policy has two halves:

- `rows(scope, action) -> Q | None`: the row rule of the tenancy gate (`Model.objects.restrict(user, action)`);
  `None` means "no rows" for that scope;
- action checks `can_<action>(user, obj)`: may this user do <action> (add, change, review, handle, …) on this
  object, or on the model at all when `obj` is None (buttons, menu entries, list pages).

The vocabulary is one function, `can(user, action, target)`, where target is a model class, an "app.Model"
label or an instance (an unsaved instance carries what the check needs, e.g. the kind of a unit to add).
The operator (superuser) may do everything. `get_for(user, model, pk, action)` fetches an object for an action:
404 outside the user's rows, 403 when visible but not allowed; views and API endpoints use nothing else.
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .tenancy import CHANGE, VIEW, Scope, scope_for

__all__ = ["Policy", "register", "policy_for", "registered_models", "can", "require", "get_for", "VIEW", "CHANGE"]

_POLICIES: dict[str, "Policy"] = {}


class Policy:
    """Base policy: rows for nobody but the operator, the list for whoever has rows, nothing else."""

    model: type[models.Model]
    # action -> message for people when a visible object may not be acted on (403)
    denied: dict = {}
    default_denied = gettext_lazy("您没有执行此操作的权限。")

    def rows(self, scope: Scope, action: str):
        return None

    # --- shared pieces for the checks ---------------------------------------------------------------------

    def in_rows(self, user, obj, action: str = CHANGE) -> bool:
        """Whether obj lies inside the user's rows for action (one indexed query)."""
        return self.model._default_manager.restrict(user, action).filter(pk=obj.pk).exists()

    def can_view(self, user, obj=None) -> bool:
        return obj is None or self.in_rows(user, obj, VIEW)

    def can_list(self, user, obj=None) -> bool:
        return True

    def denied_message(self, action: str, obj=None) -> str:
        """Why `action` is refused (on `obj` when given: a policy may say it in that object's terms)."""
        return str(self.denied.get(action) or self.default_denied)


def register(model_label: str):
    """Class decorator: `@register("elevators.Elevator") class ElevatorPolicy(Policy): …`."""

    def wrap(cls):
        model = apps.get_model(model_label)
        policy = cls()
        policy.model = model
        _POLICIES[model._meta.label_lower] = policy
        return cls

    return wrap


def _model_of(target):
    if isinstance(target, str):
        return apps.get_model(target)
    if isinstance(target, type) and issubclass(target, models.Model):
        return target
    if isinstance(target, models.Model):
        return type(target)
    if isinstance(target, models.QuerySet):
        return target.model
    raise TypeError(f"not a model, label or instance: {target!r}")


def policy_for(target) -> Policy | None:
    model = _model_of(target)
    policy = _POLICIES.get(model._meta.label_lower)
    if policy is None and model._meta.proxy:
        policy = _POLICIES.get(model._meta.concrete_model._meta.label_lower)
    return policy


def registered_models() -> set[str]:
    return set(_POLICIES)


def row_condition(scope: Scope, model, action: str):
    policy = policy_for(model)
    return None if policy is None else policy.rows(scope, action)


def can(user, action: str, target) -> bool:
    """May `user` do `action` on `target` (a model, a label or an instance)?"""
    scope = scope_for(user)
    if not scope.authenticated:
        return False
    if scope.is_operator:
        return True
    policy = policy_for(target)
    if policy is None:
        return False
    check = getattr(policy, f"can_{action}", None)
    if check is None:
        raise ValueError(f"{type(policy).__name__} has no check for {action!r}")
    obj = target if isinstance(target, models.Model) else None
    return bool(check(user, obj))


def require(user, action: str, target) -> None:
    """Raise PermissionDenied (403) with the policy's message when `can` says no."""
    if not can(user, action, target):
        policy = policy_for(target)
        obj = target if isinstance(target, models.Model) else None
        raise PermissionDenied(policy.denied_message(action, obj) if policy else _("您没有执行此操作的权限。"))


def get_for(user, target, pk=None, action: str = VIEW, *, queryset=None, **lookup):
    """The object `pk` for `action`: 404 when it lies outside the user's rows, 403 when visible but not allowed.

    target: a model (or label); queryset: a narrower or select_related queryset of that model.
    """
    model = _model_of(target)
    base = queryset if queryset is not None else model._default_manager.all()
    if pk is not None:
        lookup["pk"] = pk
    try:
        obj = base.visible_to(user).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(_("对象不存在或无权查看。")) from None
    if action != VIEW:
        require(user, action, obj)
    return obj
