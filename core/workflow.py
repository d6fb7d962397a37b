"""One way to move a status: check the transition, lock the row, write the audit event.

Status columns are StatusField (not editable in forms); services call transition().
"""

from django.db import transaction
from django.utils.translation import gettext as _

from . import audit

__all__ = ["TransitionError", "transition", "advance"]


class TransitionError(Exception):
    """A status change that the rules do not allow; the message is for people."""


def transition(
    obj, to_state: str, *, allowed: dict, actor, reason: str = "", field: str = "status", also=None, request=None
):
    """Move obj.<field> to to_state if allowed[current] contains it.

    also: extra {field: value} saved in the same locked update (e.g. reviewed_at).
    Returns the locked, updated instance.
    """
    model = type(obj)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=obj.pk)
        current = getattr(locked, field)
        if to_state not in allowed.get(current, ()):
            choices = getattr(model._meta.get_field(field), "choices", None) or []
            labels = dict(choices)
            raise TransitionError(
                _("不能从“%(from)s”变为“%(to)s”。")
                % {"from": labels.get(current, current), "to": labels.get(to_state, to_state)}
            )
        setattr(locked, field, to_state)
        updates = [field]
        for key, value in (also or {}).items():
            setattr(locked, key, value)
            updates.append(key)
        locked.save(update_fields=updates)
        audit.record(actor, "transition", locked, changes={field: [current, to_state]}, reason=reason, request=request)
    for key in [field, *(also or {})]:
        setattr(obj, key, getattr(locked, key))
    return locked


def advance(
    obj,
    from_states,
    to_state: str,
    *,
    action: str,
    actor,
    busy_message: str,
    reason: str = "",
    changes=None,
    also=None,
    request=None,
):
    """Claim a step with one conditional UPDATE (`... WHERE status IN from_states`), then audit it as `action`.

    Of two people taking a step on the same object at the same moment, exactly one UPDATE matches the row (the other
    waits for the first's row lock, then finds the status changed and matches nothing) and gets a TransitionError:
    `busy_message` (formatted with the status now, `%(status)s`) when the status changed since `obj` was read (someone
    else's step came first), else "cannot … from …" (the step does not apply to the status the caller saw). Run it
    inside the step's transaction so that its effects commit or fail with it.
    """
    model = type(obj)
    old = obj.status
    values = {"status": to_state, **(also or {})}
    if not model._default_manager.filter(pk=obj.pk, status__in=list(from_states)).update(**values):
        current = model._default_manager.filter(pk=obj.pk).values_list("status", flat=True).first()
        labels = dict(model._meta.get_field("status").choices or [])
        label = labels.get(current, current)
        if current != old:
            raise TransitionError(busy_message % {"status": label})
        raise TransitionError(
            _("不能从“%(from)s”变为“%(to)s”。") % {"from": label, "to": labels.get(to_state, to_state)}
        )
    for key, value in values.items():
        setattr(obj, key, value)
    audit.record(
        actor, action, obj, changes={"status": [old, to_state], **(changes or {})}, reason=reason, request=request
    )
    return obj
