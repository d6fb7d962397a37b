"""One way to move a status: check the transition, lock the row, write the audit event.

Status columns are StatusField (not editable in forms); services call transition().
"""

from django.db import transaction
from django.utils.translation import gettext as _

from . import audit

__all__ = ["TransitionError", "transition"]


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
