"""The save guard of sealed records: ordinary code cannot change or delete a sealed record, its workers or items.

Only `save()` and `delete()` pass through here; `QuerySet.update()`, `bulk_create()`/`bulk_update()` and raw SQL do
not, and `records.seal.verify_chain` (manage.py verify_records) is what finds those. A refused delete leaves the
caller's transaction to be rolled back (Django sends pre_delete inside `atomic(savepoint=False)`).
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .models import MaintenanceRecord, RecordItem, RecordWorker
from .seal import SEALED_MESSAGE

__all__ = ["guard_record", "guard_part", "guard_record_delete", "guard_part_delete"]

_sealed_records = MaintenanceRecord._base_manager.exclude(seal="")


def _same(field, new, old) -> bool:
    try:  # compare as the field reads values (Decimal("29.6") == Decimal("29.600000"), a datetime in any zone)
        return field.to_python(new) == field.to_python(old)
    except ValidationError:
        return new == old


def _changed(instance, stored, update_fields) -> list[str]:
    changed = []
    for field in instance._meta.concrete_fields:
        if update_fields is not None and field.name not in update_fields and field.attname not in update_fields:
            continue  # not written by this save
        if not _same(field, getattr(instance, field.attname), getattr(stored, field.attname)):
            changed.append(field.name)
    return changed


@receiver(pre_save, sender=MaintenanceRecord, dispatch_uid="records.signals.guard_record")
def guard_record(sender, instance, update_fields=None, **kwargs):
    """A sealed record saved with a changed field. The sealing save itself passes: the stored row has no seal yet."""
    if instance.pk is None:
        return
    stored = _sealed_records.filter(pk=instance.pk).first()
    if stored is not None and _changed(instance, stored, update_fields):
        raise ValidationError(SEALED_MESSAGE, code="sealed")


def guard_part(sender, instance, update_fields=None, **kwargs):
    """A worker or item added to, changed in or moved out of a sealed record."""
    involved = Q(pk=instance.record_id)
    if instance.pk is not None:
        involved |= Q(pk__in=sender._base_manager.filter(pk=instance.pk).values("record_id"))
    if not _sealed_records.filter(involved).exists():
        return
    stored = sender._base_manager.filter(pk=instance.pk).first() if instance.pk is not None else None
    if stored is None or _changed(instance, stored, update_fields):
        raise ValidationError(SEALED_MESSAGE, code="sealed")


@receiver(pre_delete, sender=MaintenanceRecord, dispatch_uid="records.signals.guard_record_delete")
def guard_record_delete(sender, instance, **kwargs):
    if _sealed_records.filter(pk=instance.pk).exists():
        raise ValidationError(_("已封存的维保纪录不能删除。"), code="sealed")


def guard_part_delete(sender, instance, **kwargs):
    if _sealed_records.filter(pk=instance.record_id).exists():
        raise ValidationError(_("已封存的维保纪录不能删除。"), code="sealed")


for _model in (RecordWorker, RecordItem):
    pre_save.connect(guard_part, sender=_model, dispatch_uid=f"records.signals.guard_part.{_model.__name__}")
    pre_delete.connect(guard_part_delete, sender=_model, dispatch_uid=f"records.signals.guard_delete.{_model.__name__}")
