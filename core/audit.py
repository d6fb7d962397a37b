"""The audit trail: one function every service calls after it changes something."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent
from .net import client_ip

__all__ = ["record", "diff", "created", "validity", "snapshot", "events_for", "CHANGE_REASON_MAX_LENGTH"]

# The longest 修改原因 an edit takes, wherever it is typed (the generic edit form, the elevator wizard, the API's
# PATCH): it is kept in the audit event and in django-simple-history's history_change_reason, a varchar(100).
CHANGE_REASON_MAX_LENGTH = 100


def _client_ip(request):
    return None if request is None else client_ip(request)


def record(actor, action: str, target=None, *, changes=None, reason: str = "", request=None) -> AuditEvent:
    """Write one audit event: who (actor), what (action, changes), on what (target), why (reason)."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_name=(actor_obj.display_name if actor_obj else "系统"),
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        changes=changes or {},
        reason=reason or "",
        ip_address=_client_ip(request),
    )


def snapshot(instance, fields) -> dict:
    """A JSON-able view of some fields of an instance; related objects as their names, for people."""
    out = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        if field.is_relation:
            value = str(value) if value is not None else None
        elif value is not None and not isinstance(value, (str, int, float, bool)):
            value = str(value)
        out[name] = value
    return out


def created(values: dict) -> dict:
    """Changes of a new object: every field from nothing to its value."""
    return {k: [None, v] for k, v in values.items() if v not in (None, "")}


def validity(number: str, valid_from, valid_until) -> dict:
    """Changes of a submitted certificate: its number and validity."""
    return created({"certificate_number": number, "valid_from": str(valid_from), "valid_until": str(valid_until)})


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record_changes(actor, target, before: dict, after: dict, *, reason: str = "", request=None):
    """An "update" event with the fields that changed between two snapshots, or nothing when none did."""
    delta = diff(before, after)
    if not delta:
        return None
    return record(actor, "update", target, changes=delta, reason=reason, request=request)


def events_for(obj, limit: int = 50):
    ct = ContentType.objects.get_for_model(obj)
    return AuditEvent.objects.filter(target_type=ct, target_id=str(obj.pk)).select_related("actor")[:limit]
