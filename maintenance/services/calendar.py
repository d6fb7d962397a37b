"""The planning calendar: the operator's 节假日调整, a company's 排期设置 and 按需维保 elevators."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import audit

from ..models import AvoidDays, Holiday, OnDemandMaintenance, PlanningSettings
from ..schedule import LEGAL_INTERVAL, MAX_ON_DEMAND_INTERVAL

__all__ = [
    "HOLIDAY_FIELDS",
    "ON_DEMAND_FIELDS",
    "save_holiday",
    "delete_holiday",
    "save_planning_settings",
    "save_company_setting",
    "set_on_demand",
    "clear_on_demand",
    "check_interval",
]

HOLIDAY_FIELDS = ["date", "is_workday", "name"]
ON_DEMAND_FIELDS = ["interval_days", "starts_on", "note", "iot_monitoring", "full_package"]


# --- 节假日调整 ------------------------------------------------------------------------------------------------


@transaction.atomic
def save_holiday(holiday: Holiday | None = None, *, actor, data: dict, reason: str = "", request=None) -> Holiday:
    """Add (holiday None) or change one of the operator's days; `data` holds some of HOLIDAY_FIELDS."""
    creating = holiday is None
    if creating:
        holiday = Holiday(created_by=actor if getattr(actor, "is_authenticated", False) else None)
        before = {}
    else:
        holiday = Holiday.objects.select_for_update().get(pk=holiday.pk)
        before = audit.snapshot(holiday, HOLIDAY_FIELDS)
    for field in HOLIDAY_FIELDS:
        if field in data:
            setattr(holiday, field, data[field])
    holiday.name = (holiday.name or "").strip()
    if not holiday.name:
        raise ValidationError({"name": _("请填写名称，例如“春节”或“春节调休上班”。")})
    if isinstance(holiday.date, date):
        taken = Holiday.objects.filter(date=holiday.date).exclude(pk=holiday.pk).exists()
        if taken:
            raise ValidationError({"date": _("这一天已有调整记录，请编辑原有记录。")})
    holiday.full_clean()
    try:
        with transaction.atomic():
            holiday.save()
    except IntegrityError:
        raise ValidationError({"date": _("这一天已有调整记录，请编辑原有记录。")}) from None
    after = audit.snapshot(holiday, HOLIDAY_FIELDS)
    if creating:
        audit.record(actor, "create", holiday, changes=audit.created(after), reason=reason, request=request)
    else:
        audit.record_changes(actor, holiday, before, after, reason=reason, request=request)
    return holiday


@transaction.atomic
def delete_holiday(holiday: Holiday, *, actor, reason: str = "", request=None) -> None:
    """Remove an operator's day: the package's arrangement (if any) applies to it again."""
    changes = {k: [v, None] for k, v in audit.snapshot(holiday, HOLIDAY_FIELDS).items()}
    audit.record(actor, "delete", holiday, changes=changes, reason=reason, request=request)
    holiday.delete()


# --- 排期设置 ------------------------------------------------------------------------------------------------


@transaction.atomic
def save_planning_settings(organization, *, avoid: str, actor, reason: str = "", request=None) -> PlanningSettings:
    """Set which days a company's plans avoid; the row is created on the first save."""
    if getattr(organization, "kind", "maintenance_company") != "maintenance_company":
        raise ValidationError(_("只有维保单位有排期设置。"))
    if avoid not in AvoidDays.values:
        raise ValidationError({"avoid": _("请选择有效的排期避开方式。")})
    return save_company_setting(
        PlanningSettings, organization, "avoid", avoid, actor=actor, reason=reason, request=request
    )


def save_company_setting(model, organization, field: str, value, *, actor, reason: str = "", request=None):
    """Set one field of a company's settings row (排期设置, 预警设置): created by the first save, audited when it
    changes. Call it inside the caller's transaction, after checking the value."""
    settings, created = model.objects.select_for_update().get_or_create(
        organization=organization, defaults={field: value}
    )
    if created:
        audit.record(actor, "create", settings, changes={field: [None, value]}, reason=reason, request=request)
        return settings
    old = getattr(settings, field)
    if old != value:
        setattr(settings, field, value)
        settings.save(update_fields=[field, "updated_at"])
        audit.record(actor, "update", settings, changes={field: [old, value]}, reason=reason, request=request)
    return settings


# --- 按需维保 -------------------------------------------------------------------------------------------------


def check_interval(interval_days) -> None:
    """An approved interval lies between the legal half month and the longest on-demand interval."""
    if interval_days is None:
        raise ValidationError({"interval_days": _("请填写维保间隔天数。")})
    if interval_days < LEGAL_INTERVAL:
        raise ValidationError(
            {"interval_days": _("按需维保的间隔不能少于 %(n)s 天（少于半月按常规维保即可）。") % {"n": LEGAL_INTERVAL}}
        )
    if interval_days > MAX_ON_DEMAND_INTERVAL:
        raise ValidationError(
            {
                "interval_days": _("按需维保的间隔不能超过 %(n)s 天（每个季度都要有维保）。")
                % {"n": MAX_ON_DEMAND_INTERVAL}
            }
        )


@transaction.atomic
def set_on_demand(
    elevator,
    *,
    interval_days: int,
    starts_on: date,
    note: str,
    actor,
    reason: str = "",
    new: bool = False,
    modes: dict | None = None,
    request=None,
) -> OnDemandMaintenance:
    """Put an elevator on 按需维保 with its approved interval, or change its interval, start or basis (`new`: the
    elevator must not be on 按需维保 yet)."""
    check_interval(interval_days)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写批准依据（批准文件或试点名称）。")})
    if starts_on is None:
        raise ValidationError({"starts_on": _("请填写按需维保开始日期。")})
    record = OnDemandMaintenance.objects.select_for_update().filter(elevator=elevator).first()
    creating = record is None
    if new and not creating:
        raise ValidationError({"elevator": _("这台电梯已设置按需维保，请在列表中编辑。")})
    if creating:
        record = OnDemandMaintenance(elevator=elevator)
        before = {}
    else:
        before = audit.snapshot(record, ON_DEMAND_FIELDS)
    record.interval_days, record.starts_on, record.note = interval_days, starts_on, note
    for mode, value in (modes or {}).items():  # iot_monitoring, full_package: the pilot's approved modes
        setattr(record, mode, bool(value))
    record.set_by = actor if getattr(actor, "is_authenticated", False) else None
    record.full_clean(exclude=["elevator"] if not creating else None)
    record.save()
    after = audit.snapshot(record, ON_DEMAND_FIELDS)
    if creating:
        changes = audit.created({"elevator": elevator.register_code, **after})
        audit.record(actor, "create", record, changes=changes, reason=reason, request=request)
    else:
        audit.record_changes(actor, record, before, after, reason=reason, request=request)
    return record


@transaction.atomic
def clear_on_demand(record: OnDemandMaintenance, *, actor, reason: str = "", request=None) -> None:
    """Take an elevator off 按需维保: its plans follow the legal half month again."""
    snapshot = audit.snapshot(record, ON_DEMAND_FIELDS)
    changes = {"elevator": [record.elevator.register_code, None], **{k: [v, None] for k, v in snapshot.items()}}
    audit.record(actor, "delete", record, changes=changes, reason=reason, request=request)
    record.delete()
