"""维保逾期升级: who is told of an overdue maintenance visit, and when (issue 17).

An open plan on an elevator neither suspended nor scrapped escalates with the days it is overdue
(`rules.escalation_step`):

- step 1, from 1 day overdue: the maintenance company's administrators;
- step 2, from 3 days: the company's administrators again, and the use unit;
- step 3, from 7 days: both again, and the district bureau (the city bureau where the district has none).

A run tells the recipients of the step a plan is at now (a plan first seen 8 days overdue goes straight to step 3,
without the earlier steps). Each recipient is told once per plan and step: every step has its own notification
kind, sent with `notify(..., once=True)` about the plan, so running again sends nothing new. A plan whose step's
recipients were all told is left out in SQL; one query per step picks the rest. Each notification is written in
the platform's language, in a savepoint of its own: a failure is logged and the next run tries it again.

`daily()` is the daily job (`manage.py send_alerts` from cron in the embedded mode, Celery task
`alerts.send_alerts` run by beat in production): escalate, then email each unit's administrators a digest of the
notifications this run created (`alerts.digest`).
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maintenance.models import MaintenancePlan, PlanStatus
from notifications.models import Audience, Notification, NotificationKind
from notifications.services import notify
from organizations.models import OrganizationKind
from organizations.services import responsible_regulators

from .rules import ESCALATION_DAYS, days_left
from .services import SILENT_STATUSES

__all__ = ["STEP_KINDS", "Escalation", "daily", "escalate"]

logger = logging.getLogger(__name__)

STEP_KINDS = {
    1: NotificationKind.PLAN_OVERDUE_1,
    2: NotificationKind.PLAN_OVERDUE_3,
    3: NotificationKind.PLAN_OVERDUE_7,
}
CHUNK = 500


@dataclass
class Escalation:
    """What a run of `escalate` sent: the notifications it created, by step."""

    sent: dict[int, list] = field(default_factory=lambda: {step: [] for step in STEP_KINDS})

    @property
    def counts(self) -> dict[int, int]:
        return {step: len(notifications) for step, notifications in self.sent.items()}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def notifications(self) -> list:
        return [n for step in STEP_KINDS for n in self.sent[step]]


def _at_step(step: int, today: date):
    """The open, not silenced plans that are at `step` today and whose step's recipients are not all told yet."""
    latest = today - timedelta(days=ESCALATION_DAYS[step - 1])
    plans = MaintenancePlan.objects.filter(status=PlanStatus.PLANNED, due_date__lte=latest)
    if step < len(ESCALATION_DAYS):
        plans = plans.filter(due_date__gt=today - timedelta(days=ESCALATION_DAYS[step]))
    plans = plans.exclude(elevator__status__in=SILENT_STATUSES)
    told = Notification.objects.filter(
        kind=STEP_KINDS[step], about_type=ContentType.objects.get_for_model(MaintenancePlan), about_id=OuterRef("pk")
    )
    everyone = Exists(told.filter(organization_id=OuterRef("organization_id")))
    if step >= 2:
        everyone &= Exists(told.filter(organization_id=OuterRef("elevator__use_unit_id")))
    if step >= 3:  # a place without any bureau is looked at again each run (once=True still sends nothing twice)
        everyone &= Exists(told.filter(organization__kind=OrganizationKind.REGULATOR))
    return plans.exclude(everyone)


def _texts(plan, step: int, today: date) -> tuple[str, str]:
    elevator = plan.elevator
    days = -days_left(plan.due_date, today)
    title = _("维保逾期 %(days)s 天：%(code)s %(building)s") % {
        "days": days,
        "code": elevator.register_code,
        "building": elevator.building,
    }
    late = _(
        "%(building)s（%(address)s）电梯 %(code)s 的%(cycle)s维保计划日期为 %(due)s，已逾期 %(days)s 天，尚未完成。"
    )
    body = late % {
        "building": elevator.building,
        "address": elevator.address,
        "code": elevator.register_code,
        "cycle": plan.get_cycle_display(),
        "due": plan.due_date.isoformat(),
        "days": days,
    }
    body += _("维保单位：%(company)s；使用单位：%(unit)s。") % {
        "company": plan.organization.name,
        "unit": elevator.use_unit.name,
    }
    body += {
        1: _("请尽快安排维保。"),
        2: _("逾期已满 3 天，使用单位同时收到本通知。"),
        3: _("逾期已满 7 天，使用单位和监管部门同时收到本通知。"),
    }[step]
    return title, body


def _recipients(plan, step: int, bureaus_of) -> list[tuple]:
    """(unit, audience) told at `step`: the company's administrators, the use unit, the bureaus."""
    recipients = [(plan.organization, Audience.ADMINS)]
    if step >= 2:
        recipients.append((plan.elevator.use_unit, Audience.ALL))
    if step >= 3:
        recipients += [(bureau, Audience.ALL) for bureau in bureaus_of(plan.elevator)]
    return recipients


def escalate(today: date | None = None) -> Escalation:
    """Tell whom each overdue open plan's step asks for, once per recipient, plan and step; returns what was sent."""
    today = today or timezone.localdate()
    result = Escalation()
    places = {}

    def bureaus_of(elevator):  # one query per district, not per plan
        key = (elevator.region_id, elevator.city_id)
        if key not in places:
            places[key] = responsible_regulators(*key)
        return places[key]

    for step, kind in STEP_KINDS.items():
        pks = list(_at_step(step, today).order_by("due_date", "pk").values_list("pk", flat=True))
        for start in range(0, len(pks), CHUNK):
            chunk = MaintenancePlan.objects.filter(pk__in=pks[start : start + CHUNK]).select_related(
                "organization", "elevator__use_unit"
            )
            for plan in chunk.order_by("due_date", "pk"):
                try:
                    with translation.override(settings.LANGUAGE_CODE):
                        title, body = _texts(plan, step, today)
                    recipients = _recipients(plan, step, bureaus_of)
                except Exception:
                    logger.exception("could not escalate maintenance plan %s", plan.pk)
                    continue
                url = plan.get_absolute_url()
                for unit, audience in recipients:
                    try:
                        with transaction.atomic():
                            sent = notify(unit, kind, title, body, url, about=plan, audience=audience, once=True)
                    except Exception:
                        logger.exception("could not tell unit %s of overdue maintenance plan %s", unit.pk, plan.pk)
                        continue
                    if sent is not None:
                        result.sent[step].append(sent)
    return result


def daily(today: date | None = None) -> dict[str, int]:
    """The daily job: escalate overdue visits, tell the other warnings at their lead times (`alerts.notices`),
    then email the digest of the red warnings this run sent. Returns the counts."""
    from .digest import send_digest
    from .notices import send_notices

    result = escalate(today)
    notices = send_notices(today)
    emails = send_digest(result.notifications + notices.red)
    return {
        "notifications": result.total + len(notices.sent),
        "notices": len(notices.sent),
        "emails": emails,
        **{f"step_{k}": v for k, v in result.counts.items()},
    }
