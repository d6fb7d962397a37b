"""预警通知: the daily job's notices of the date warnings other than overdue visits (issue 17).

Overdue visits escalate (`alerts.escalation`); every other warning kind is a `DueNotice` registered in `NOTICES`:
the rows near or past their date today (all tenants, silenced elevators left out), each row's due date, the lead
times at which people are told, who is told and the words. People are told once per row, due date and *stage*: a
stage is the narrowest lead time reached (年检 60, 30, 7 days before) or `overdue`, so a row first seen overdue gets
the overdue notice only, and a new due date (the next inspection, a renewed contract) is told again. The notices
that a run sends at the `overdue` stage are the new red warnings of the email digest.

Which notifications were sent already is read in bulk, one query per chunk of rows (not one per recipient), so a
city's daily run costs a few queries per 500 warnings.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from elevators import inspection
from elevators.models import Component, Elevator, InspectionKind
from notifications.models import Audience, Notification, NotificationKind
from notifications.services import notify, once_key
from organizations.models import Organization
from organizations.services import responsible_regulators

from .rules import (
    CERTIFICATE_NEAR_DAYS,
    COMPONENT_NEAR_DAYS,
    CONTRACT_TIERS,
    DRILL_NEAR_DAYS,
    GOVERNOR_NEAR_DAYS,
    INSPECTION_TIERS,
    OVERDUE,
    SELFCHECK_NEAR_DAYS,
    days_left,
)
from .services import SILENT_STATUSES
from .tables import days_text

__all__ = ["NOTICES", "DueNotice", "Notices", "send_notices", "stage_of"]

logger = logging.getLogger(__name__)
CHUNK = 500


def stage_of(due: date, today: date, lead_times: tuple[int, ...]) -> str | None:
    """`overdue` past the due date, else the narrowest lead time reached ("7", "30", "60"), else None."""
    left = days_left(due, today)
    if left < 0:
        return OVERDUE
    reached = [days for days in lead_times if left <= days]
    return str(min(reached)) if reached else None


@dataclass(frozen=True)
class DueNotice:
    """How one warning kind is told. `recipients(row, bureaus_of, stage)` -> [(unit, audience, person or None)];
    `texts(row, stage, today)` -> (title, body); `bureaus_of(elevator)` is the run's cached lookup of the bureaus
    responsible for an elevator's place. `rows(today)` is a queryset (read in keyset chunks) or a list."""

    kind: str
    rows: Callable[[date], Any]
    due_of: Callable[[Any], date]
    lead_times: tuple[int, ...]
    recipients: Callable[[Any, Callable, str], list[tuple]]
    texts: Callable[[Any, str, date], tuple[str, str]]
    url_of: Callable[[Any], str]
    # a row that is not a model instance (应急演练预警's company × category) names the object it is about and what
    # tells its occasions apart
    about_of: Callable[[Any], Any] = lambda row: row
    occasion_of: Callable[[Any], str] = lambda row: ""


@dataclass
class Notices:
    """What a run sent: every notification, and those at the overdue stage (the digest's red warnings)."""

    sent: list = field(default_factory=list)
    red: list = field(default_factory=list)


def _when(due: date, today: date) -> str:
    return days_text(days_left(due, today))


# --- 年检预警: the use unit applies for the inspection (TSG 08: a month before), the company prepares it ----------


def _inspection_rows(today: date):
    return (
        Elevator.objects.exclude(status__in=SILENT_STATUSES)
        .filter(next_inspection_date__lte=today + timedelta(days=INSPECTION_TIERS[0]))
        .select_related("use_unit", "maintenance_company")
    )


def _inspection_recipients(elevator, bureaus_of, stage):
    people = [(elevator.use_unit, Audience.ALL, None)]
    if elevator.maintenance_company is not None:
        people.append((elevator.maintenance_company, Audience.ADMINS, None))
    if stage == OVERDUE:  # 超期未检 is the bureau's concern too
        people += [(bureau, Audience.ALL, None) for bureau in bureaus_of(elevator)]
    return people


def _inspection_texts(elevator, stage, today):
    due = elevator.next_inspection_date
    kind = InspectionKind(inspection.kind_on(elevator.inspection_base_date, due)).label
    words = {"code": elevator.register_code, "building": elevator.building, "kind": kind}
    if stage == OVERDUE:
        title = _("%(kind)s逾期：%(code)s %(building)s") % words
    else:
        title = _("%(kind)s临期（%(days)s 天内）：%(code)s %(building)s") % {**words, "days": stage}
    body = _("%(building)s（%(address)s）电梯 %(code)s 的下次%(kind)s日期为 %(due)s，%(when)s。") % {
        **words,
        "address": elevator.address,
        "due": due.isoformat(),
        "when": _when(due, today),
    }
    body += _("使用单位应在检验合格有效期届满前 1 个月向检验机构申请检验，维保单位配合做好检验前的自行检查。")
    return title, body


# --- 组件寿命预警: the maintenance company replaces the part ------------------------------------------------------


def _component_rows(today: date):
    return (
        Component.objects.exclude(elevator__status__in=SILENT_STATUSES)
        .filter(expires_on__lte=today + timedelta(days=COMPONENT_NEAR_DAYS))
        .select_related("elevator__maintenance_company")
    )


def _component_recipients(component, bureaus_of, stage):
    company = component.elevator.maintenance_company
    return [] if company is None else [(company, Audience.ADMINS, None)]


def _component_texts(component, stage, today):
    elevator = component.elevator
    words = {"name": component.name, "code": elevator.register_code, "building": elevator.building}
    if stage == OVERDUE:
        title = _("组件寿命已到期：%(name)s · %(code)s %(building)s") % words
    else:
        title = _("组件寿命临期：%(name)s · %(code)s %(building)s") % words
    body = _(
        "电梯 %(code)s（%(building)s）的%(name)s安装于 %(installed)s，寿命 %(months)s 个月，到期日 %(due)s，%(when)s。"
        "请安排更换，更换后在组件寿命预警中登记。"
    ) % {
        **words,
        "installed": component.installed_on.isoformat(),
        "months": component.lifespan_months,
        "due": component.expires_on.isoformat(),
        "when": _when(component.expires_on, today),
    }
    return title, body


# --- 维保合同到期预警: the company renews it with the use unit ---------------------------------------------


def _contract_rows(today: date):
    from contracts.models import MaintenanceContract

    from .services import _live_contracts

    return (
        _live_contracts(MaintenanceContract.objects.all())
        .filter(ends_on__lte=today + timedelta(days=CONTRACT_TIERS[0]))
        .select_related("maintenance_company", "use_unit")
        .annotate(elevator_count=Count("elevators"))
    )


def _contract_recipients(contract, bureaus_of, stage):
    return [(contract.maintenance_company, Audience.ADMINS, None), (contract.use_unit, Audience.ALL, None)]


def _contract_texts(contract, stage, today):
    words = {"number": contract.number, "unit": contract.use_unit.name}
    if stage == OVERDUE:
        title = _("维保合同已到期：%(number)s %(unit)s") % words
    else:
        title = _("维保合同临期（%(days)s 天内）：%(number)s %(unit)s") % {**words, "days": stage}
    body = _(
        "%(company)s与%(unit)s的维保合同 %(number)s（%(count)s 台电梯）服务期限至 %(end)s，%(when)s。"
        "请及时续签，或办理维保单位变更。"
    ) % {
        **words,
        "company": contract.maintenance_company.name,
        "count": contract.elevator_count,
        "end": contract.ends_on.isoformat(),
        "when": _when(contract.ends_on, today),
    }
    return title, body


# --- 人员证书到期预警: the company renews its worker's certificate; the worker is told too ---------------------------


def _certificate_rows(today: date):
    from accounts.models import User

    from .services import _worker_certificates

    # a worker without any certificate has no date to be told about: the page lists him (无资质)
    return (
        _worker_certificates(User.objects.all(), today)
        .filter(certificate_until__isnull=False)
        .select_related("organization")
    )


def _certificate_recipients(worker, bureaus_of, stage):
    return [(worker.organization, Audience.ADMINS, None), (worker.organization, Audience.ALL, worker)]


def _certificate_texts(worker, stage, today):
    words = {"name": worker.display_name, "number": worker.certificate_number}
    if stage == OVERDUE:
        title = _("人员证书已过期：%(name)s %(number)s") % words
    else:
        title = _("人员证书临期：%(name)s %(number)s") % words
    body = _(
        "%(company)s维保人员%(name)s的证书 %(number)s 有效期至 %(until)s，%(when)s。"
        "证书过期的人员不得从事电梯维保，请及时复审并在平台更新资质。"
    ) % {
        **words,
        "company": worker.organization.name,
        "until": worker.certificate_until.isoformat(),
        "when": _when(worker.certificate_until, today),
    }
    return title, body


# --- 单位资质到期: the company's own qualification --------------------------------------------------------------------


def _qualification_rows(today: date):
    from organizations.models import OrganizationQualification

    from .services import _current_qualifications

    return (
        _current_qualifications(OrganizationQualification.objects.all())
        .filter(valid_until__lte=today + timedelta(days=CERTIFICATE_NEAR_DAYS))
        .select_related("organization")
    )


def _qualification_texts(qualification, stage, today):
    words = {"company": qualification.organization.name, "number": qualification.certificate_number}
    if stage == OVERDUE:
        title = _("单位资质已过期：%(company)s %(number)s") % words
    else:
        title = _("单位资质临期：%(company)s %(number)s") % words
    body = _("%(company)s的资质证书 %(number)s 有效期至 %(until)s，%(when)s。请及时办理延续并在平台更新资质。") % {
        **words,
        "until": qualification.valid_until.isoformat(),
        "when": _when(qualification.valid_until, today),
    }
    return title, body


# --- 限速器检验预警: the company calibrates (an annual item); the use unit too once it is overdue ---------------------


def _governor_rows(today: date):
    return (
        Elevator.objects.exclude(status__in=SILENT_STATUSES)
        .filter(next_governor_calibration__lte=today + timedelta(days=GOVERNOR_NEAR_DAYS))
        .select_related("use_unit", "maintenance_company")
    )


def _governor_recipients(elevator, bureaus_of, stage):
    people = [] if elevator.maintenance_company is None else [(elevator.maintenance_company, Audience.ADMINS, None)]
    if stage == OVERDUE:
        people.append((elevator.use_unit, Audience.ALL, None))
    return people


def _governor_texts(elevator, stage, today):
    words = {"code": elevator.register_code, "building": elevator.building}
    if stage == OVERDUE:
        title = _("限速器校验逾期：%(code)s %(building)s") % words
    else:
        title = _("限速器校验临期：%(code)s %(building)s") % words
    body = _("%(building)s（%(address)s）电梯 %(code)s 的限速器下次校验日期为 %(due)s，%(when)s。") % {
        **words,
        "address": elevator.address,
        "due": elevator.next_governor_calibration.isoformat(),
        "when": _when(elevator.next_governor_calibration, today),
    }
    body += _("请安排限速器动作速度校验，并在限速器检验预警中录入校验报告。")
    return title, body


# --- 年度自行检查预警: the company's annual maintenance before the periodic inspection ------------------------------


def _selfcheck_rows(today: date):
    from .services import selfcheck_rows

    return selfcheck_rows(Elevator.objects.exclude(status__in=SILENT_STATUSES), today).select_related(
        "maintenance_company"
    )


def _selfcheck_texts(elevator, stage, today):
    words = {"code": elevator.register_code, "building": elevator.building}
    if stage == OVERDUE:
        title = _("定期检验前未做年度自行检查：%(code)s %(building)s") % words
    else:
        title = _("定期检验前待做年度自行检查（%(days)s 天内）：%(code)s %(building)s") % {**words, "days": stage}
    body = _(
        "%(building)s 电梯 %(code)s 的定期检验日期为 %(due)s，%(when)s；近 12 个月没有完成的年度维保。"
        "请在定期检验前完成年度自行检查。"
    ) % {**words, "due": elevator.next_inspection_date.isoformat(), "when": _when(elevator.next_inspection_date, today)}
    return title, body


# --- 应急演练预警: a company × category of elevators, told to the company's administrators ---------------------------


def _drill_rows(today: date):
    from .services import drill_rows

    return drill_rows(Elevator.objects.exclude(status__in=SILENT_STATUSES), today)


def _drill_texts(row, stage, today):
    words = {"category": row.category_label}
    if stage == OVERDUE:
        title = _("应急演练逾期：%(category)s") % words
    else:
        title = _("应急演练临期：%(category)s") % words
    last = row.last_drill.isoformat() if row.last_drill else _("从未演练")
    body = _(
        "%(company)s维保的%(count)s 台%(category)s，最近一次应急演练：%(last)s；每半年至少演练一次，"
        "应在 %(due)s 前完成（%(when)s）。"
    ) % {
        **words,
        "company": row.organization_name,
        "count": row.elevator_count,
        "last": last,
        "due": row.due_date.isoformat(),
        "when": _when(row.due_date, today),
    }
    return title, body


NOTICES: list[DueNotice] = [
    DueNotice(
        kind=NotificationKind.INSPECTION_DUE,
        rows=_inspection_rows,
        due_of=lambda elevator: elevator.next_inspection_date,
        lead_times=INSPECTION_TIERS,
        recipients=_inspection_recipients,
        texts=_inspection_texts,
        url_of=lambda elevator: elevator.get_absolute_url(),
    ),
    DueNotice(
        kind=NotificationKind.SELFCHECK_DUE,
        rows=_selfcheck_rows,
        due_of=lambda elevator: elevator.next_inspection_date,
        lead_times=(SELFCHECK_NEAR_DAYS, 30),
        recipients=lambda elevator, bureaus_of, stage: [(elevator.maintenance_company, Audience.ADMINS, None)],
        texts=_selfcheck_texts,
        url_of=lambda elevator: elevator.get_absolute_url(),
    ),
    DueNotice(
        kind=NotificationKind.GOVERNOR_DUE,
        rows=_governor_rows,
        due_of=lambda elevator: elevator.next_governor_calibration,
        lead_times=(GOVERNOR_NEAR_DAYS,),
        recipients=_governor_recipients,
        texts=_governor_texts,
        url_of=lambda elevator: elevator.get_absolute_url(),
    ),
    DueNotice(
        kind=NotificationKind.COMPONENT_EXPIRING,
        rows=_component_rows,
        due_of=lambda component: component.expires_on,
        lead_times=(COMPONENT_NEAR_DAYS,),
        recipients=_component_recipients,
        texts=_component_texts,
        url_of=lambda component: component.elevator.get_absolute_url(),
    ),
    DueNotice(
        kind=NotificationKind.CONTRACT_ENDING,
        rows=_contract_rows,
        due_of=lambda contract: contract.ends_on,
        lead_times=CONTRACT_TIERS,
        recipients=_contract_recipients,
        texts=_contract_texts,
        url_of=lambda contract: contract.get_absolute_url(),
    ),
    DueNotice(
        kind=NotificationKind.DRILL_DUE,
        rows=_drill_rows,
        due_of=lambda row: row.due_date,
        lead_times=(DRILL_NEAR_DAYS,),
        recipients=lambda row, bureaus_of, stage: [(Organization(pk=row.organization_id), Audience.ADMINS, None)],
        texts=_drill_texts,
        url_of=lambda row: reverse("alerts:drill"),
        about_of=lambda row: Organization(pk=row.organization_id),
        occasion_of=lambda row: f"{row.category}:",
    ),
    DueNotice(
        kind=NotificationKind.CERTIFICATE_ENDING,
        rows=_certificate_rows,
        due_of=lambda worker: worker.certificate_until,
        lead_times=(CERTIFICATE_NEAR_DAYS,),
        recipients=_certificate_recipients,
        texts=_certificate_texts,
        url_of=lambda worker: reverse("accounts:user_qualification", args=[worker.pk]),
    ),
    DueNotice(
        kind=NotificationKind.QUALIFICATION_ENDING,
        rows=_qualification_rows,
        due_of=lambda qualification: qualification.valid_until,
        lead_times=(CERTIFICATE_NEAR_DAYS,),
        recipients=lambda qualification, bureaus_of, stage: [(qualification.organization, Audience.ADMINS, None)],
        texts=_qualification_texts,
        url_of=lambda qualification: reverse("organizations:qualification", args=[qualification.organization_id]),
    ),
]


def _told(notice: DueNotice, rows) -> set[tuple[int, str]]:
    """(unit, once key) of this kind's notifications about `rows` already sent."""
    about = [notice.about_of(row) for row in rows]
    return set(
        Notification.objects.filter(
            kind=notice.kind,
            about_type=ContentType.objects.get_for_model(about[0]),
            about_id__in={obj.pk for obj in about},
        ).values_list("organization_id", "once_key")
    )


def _send(notice: DueNotice, row, stage: str, today: date, bureaus_of, told, result: Notices) -> None:
    about = notice.about_of(row)
    about_type = ContentType.objects.get_for_model(about)
    tag = f"{notice.occasion_of(row)}{notice.due_of(row).isoformat()}:{stage}"
    recipients = [
        (unit, audience, person)
        for unit, audience, person in notice.recipients(row, bureaus_of, stage)
        if (unit.pk, once_key(notice.kind, about_type.pk, about.pk, person.pk if person else None, tag)) not in told
    ]
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title, body = notice.texts(row, stage, today)
    for unit, audience, person in recipients:
        try:
            with transaction.atomic():
                sent = notify(
                    unit,
                    notice.kind,
                    title,
                    body,
                    notice.url_of(row),
                    about=about,
                    user=person,
                    audience=audience,
                    once=True,
                    once_tag=tag,
                )
        except Exception:
            logger.exception("could not tell unit %s of %s about %s", unit.pk, notice.kind, row.pk)
            continue
        if sent is not None:
            result.sent.append(sent)
            if stage == OVERDUE:
                result.red.append(sent)


def _chunks(rows):
    """A queryset in keyset chunks (a row told meanwhile does not shift the next chunk), a list in slices."""
    if isinstance(rows, list):
        for start in range(0, len(rows), CHUNK):
            yield rows[start : start + CHUNK]
        return
    rows = rows.order_by("pk")
    last = 0
    while chunk := list(rows.filter(pk__gt=last)[:CHUNK]):
        last = chunk[-1].pk
        yield chunk


def send_notices(today: date | None = None, notices: Iterable[DueNotice] | None = None) -> Notices:
    """Tell each registered kind's rows at a new stage today; returns what was sent."""
    today = today or timezone.localdate()
    result = Notices()
    places = {}

    def bureaus_of(elevator):  # one query per district, not per row
        key = (elevator.region_id, elevator.city_id)
        if key not in places:
            places[key] = responsible_regulators(*key)
        return places[key]

    for notice in NOTICES if notices is None else notices:
        for chunk in _chunks(notice.rows(today)):
            told = _told(notice, chunk)
            for row in chunk:
                try:
                    stage = stage_of(notice.due_of(row), today, notice.lead_times)
                    if stage is not None:
                        _send(notice, row, stage, today, bureaus_of, told, result)
                except Exception:
                    logger.exception("could not tell %s about %s", notice.kind, row.pk)
    return result
