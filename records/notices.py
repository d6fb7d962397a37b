"""What a maintenance record tells whom (通知, issue 14).

- A visit finished with any of S1–S7: the district bureau of the elevator (the city bureau where the district has
  none) at once, with the codes and what they mean.
- A visit finished: the elevator's use unit, to confirm the record (a correction: once the company approved it).
- Still not confirmed 24 hours after finishing: the maintenance company's administrators, once per record
  (`notify_unconfirmed`, run every hour by Celery beat or cron).
- Confirmed: the notifications that asked for it are done.

Notifying happens inside the service's transaction, each in its own savepoint: a notification is sent only with
the record it speaks of, and a failure to notify is logged, never the reason a record is lost.
"""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.models import Audience, Notification, NotificationKind
from notifications.services import notify, resolve
from organizations.services import responsible_regulators

from .models import Hazard, MaintenanceRecord

__all__ = ["regulators_for", "visit_finished", "correction_approved", "record_confirmed", "notify_unconfirmed"]

logger = logging.getLogger(__name__)
SERIOUS = [code for code in Hazard.values if code != Hazard.NONE]  # S1–S7


@contextmanager
def _guarded(what: str, record):
    """A savepoint of its own, in the platform's language (the texts are stored, whoever triggered them); an error
    is logged and swallowed."""
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            yield
    except Exception:
        logger.exception("could not notify %s of maintenance record %s", what, record.pk)


def regulators_for(elevator) -> list:
    """The bureaus responsible for the elevator: those whose jurisdiction is its district, else its city's."""
    return responsible_regulators(elevator.region_id, elevator.city_id)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _hazards(record) -> None:
    codes = [code for code in record.hazard_codes if code in SERIOUS]
    if record.corrects_id:  # a correction tells the bureau only what its original did not
        codes = [code for code in codes if code not in record.corrects.hazard_codes]
    if not codes:
        return
    elevator = record.elevator
    labels = dict(Hazard.choices)
    title = _("严重事故隐患：%(code)s") % {"code": elevator.register_code}
    found = _("%(building)s（%(address)s）电梯 %(code)s 在 %(time)s 结束的维保中发现严重事故隐患：%(hazards)s。")
    units = _("维保单位：%(company)s；使用单位：%(unit)s。")
    body = found % {
        "building": elevator.building,
        "address": elevator.address,
        "code": elevator.register_code,
        "time": _when(record.finished_at),
        "hazards": "；".join(str(labels[code]) for code in codes),
    } + units % {"company": record.organization.name, "unit": elevator.use_unit.name}
    for bureau in regulators_for(elevator):
        notify(bureau, NotificationKind.HAZARD, title, body, record.get_absolute_url(), about=record, once=True)


def _to_confirm(record) -> None:
    elevator = record.elevator
    title = _("维保纪录待确认：%(code)s %(building)s") % {"code": elevator.register_code, "building": elevator.building}
    body = _("%(company)s于 %(time)s 结束了这台电梯的%(cycle)s，请使用单位安全管理人员核对后签字确认。") % {
        "company": record.organization.name,
        "time": _when(record.finished_at),
        "cycle": record.get_work_type_display(),
    }
    notify(
        elevator.use_unit,
        NotificationKind.CONFIRM_RECORD,
        title,
        body,
        record.get_absolute_url(),
        about=record,
        once=True,
    )


def _record(record):
    return MaintenanceRecord.objects.select_related("organization", "elevator__use_unit", "corrects").get(pk=record.pk)


def visit_finished(record) -> None:
    """结束维保: the bureau for S1–S7; the use unit to confirm (a correction waits for the company's approval)."""
    with _guarded("the finish", record):
        record = _record(record)
        with _guarded("the bureau", record):
            _hazards(record)
        if not record.corrects_id:
            with _guarded("the use unit", record):
                _to_confirm(record)


def correction_approved(record) -> None:
    """The company approved a correction: the use unit confirms it now."""
    with _guarded("the use unit", record):
        _to_confirm(_record(record))


def record_confirmed(record) -> None:
    """确认: the notifications asking for it are done (for the use unit and the company alike)."""
    with _guarded("the confirmation", record):
        resolve(record, kinds=[NotificationKind.CONFIRM_RECORD, NotificationKind.UNCONFIRMED_RECORD])


def _unconfirmed(record) -> int:
    elevator = record.elevator
    title = _("维保纪录超过 24 小时未确认：%(code)s %(building)s") % {
        "code": elevator.register_code,
        "building": elevator.building,
    }
    body = _("%(time)s 结束的维保，使用单位%(unit)s尚未确认。请联系使用单位确认，更正纪录请先批准。") % {
        "time": _when(record.finished_at),
        "unit": elevator.use_unit.name,
    }
    sent = notify(
        record.organization,
        NotificationKind.UNCONFIRMED_RECORD,
        title,
        body,
        record.get_absolute_url(),
        about=record,
        audience=Audience.ADMINS,
        once=True,
    )
    return 1 if sent else 0


def notify_unconfirmed(now=None) -> int:
    """Records finished more than 24 hours ago and still not confirmed: their company's administrators are told,
    once per record (running again sends nothing new). Returns how many notifications were sent."""
    from .services import awaiting_confirmation  # services calls this module

    already = Notification.objects.filter(
        kind=NotificationKind.UNCONFIRMED_RECORD,
        about_type=ContentType.objects.get_for_model(MaintenanceRecord),
        about_id__isnull=False,
    )
    waiting = awaiting_confirmation(MaintenanceRecord.objects.all(), now=now).exclude(pk__in=already.values("about_id"))
    pks = list(waiting.order_by("pk").values_list("pk", flat=True))
    sent = 0
    for start in range(0, len(pks), 500):
        chunk = MaintenanceRecord.objects.filter(pk__in=pks[start : start + 500]).select_related(
            "organization", "elevator__use_unit"
        )
        for record in chunk.order_by("pk"):
            with _guarded("the company", record):
                sent += _unconfirmed(record)
    return sent
