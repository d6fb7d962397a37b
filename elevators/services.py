"""Ledger rules as plain functions: create and edit elevators, their components and landing doors."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.policies import require
from core.tenancy import scope_for
from core.uploads import DOCUMENT, save_attachment, validate_upload
from core.workflow import transition
from organizations.models import Organization, OrganizationKind, ServiceRelation

from . import governor, inspection
from .catalogue import COMPONENT_CATALOGUE, PARAMETERS_OF_GROUP, REQUIRED_PARAMETERS, group_of
from .codes import check_codes
from .models import (
    Component,
    Elevator,
    InspectionKind,
    InspectionReport,
    InspectionResult,
    LandingDoor,
    ProblemReport,
    ProblemStatus,
)
from .policies import is_deletable

__all__ = [
    "IDENTITY_FIELDS",
    "PARAMETER_FIELDS",
    "LOCATION_FIELDS",
    "ELEVATOR_FIELDS",
    "check_parties",
    "company_change_refusal",
    "COMPANY_CHANGE_REFUSAL",
    "clean_parameters",
    "create_elevator",
    "update_elevator",
    "sync_landing_doors",
    "save_components",
    "replace_component",
    "save_landing_doors",
    "report_problem",
    "handle_problem",
    "PROBLEM_TRANSITIONS",
    "ReportRateLimited",
    "STATUS_TRANSITIONS",
    "change_status",
    "transfer_maintenance",
    "INSPECTION_FIELDS",
    "record_inspection",
    "inspection_due",
    "next_due",
    "GOVERNOR_COMPONENT",
    "apply_governor",
]

IDENTITY_FIELDS = [
    "register_code",
    "code_scheme",
    "rescue_code",
    "device_category",
    "use_unit",
    "maintenance_company",
    "manufacturer",
    "product_model",
    "factory_number",
    "installation_date",
    "supervision_inspection_date",
    "building",
    "region",
    "address",
    "internal_number",
    "use_registration_number",
    "next_inspection_date",
    "governor_since",
    "governor_calibrated_on",
]
PARAMETER_FIELDS = [
    "drive_type",
    "control_type",
    "rated_load",
    "rated_speed",
    "floors",
    "stops",
    "doors",
    "cylinder_count",
    "jacking_type",
    "inclination",
    "step_width",
    "rise",
    "motor_power",
    "usable_length",
]
LOCATION_FIELDS = ["latitude", "longitude"]
ELEVATOR_FIELDS = IDENTITY_FIELDS + PARAMETER_FIELDS + LOCATION_FIELDS
# 限速器: what a person sets (since, last calibration) and what the services keep (the next date)
GOVERNOR_FIELDS = ["governor_since", "governor_calibrated_on", "next_governor_calibration"]
AUDITED_FIELDS = ELEVATOR_FIELDS + ["next_governor_calibration"]


def check_governor(elevator: Elevator) -> None:
    """The governor's dates as a person entered them: not in the future, not before the installation, and the last
    calibration not before the governor's start of use (that one was the old governor's)."""
    from django.utils import timezone

    today = timezone.localdate()
    since, calibrated = elevator.governor_since, elevator.governor_calibrated_on
    errors = {}
    if since and since > today:
        errors["governor_since"] = _("限速器启用日期不能晚于今天。")
    elif since and elevator.installation_date and since < elevator.installation_date:
        errors["governor_since"] = _("限速器启用日期不能早于电梯的安装日期。")
    if calibrated and calibrated > today:
        errors["governor_calibrated_on"] = _("限速器校验日期不能晚于今天。")
    elif calibrated and calibrated < (since or elevator.installation_date or calibrated):
        errors["governor_calibrated_on"] = _("上次限速器校验日期不能早于限速器启用日期。")
    if errors:
        raise ValidationError(errors)


def apply_governor(elevator: Elevator) -> Elevator:
    """Keep the instance's governor dates (not saved): the start of use defaults to the installation date, the next
    calibration follows elevators.governor, or the date the last calibration's report states when that is sooner
    (the institute may ask for an earlier check; a later date cannot stretch the regulation's interval);
    escalators and moving walks have no governor (no next date)."""
    kind = governor.governor_kind(elevator.device_category, elevator.drive_type)
    if kind is None:
        elevator.next_governor_calibration = None
        return elevator
    if elevator.governor_since is None:
        elevator.governor_since = elevator.installation_date
    due = governor.next_calibration(kind, elevator.governor_since, elevator.governor_calibrated_on).due
    stated = _stated_governor_date(elevator)
    elevator.next_governor_calibration = min(due, stated) if stated else due
    return elevator


def _stated_governor_date(elevator: Elevator):
    """下次校验日期 on the report of the elevator's last calibration (a qualified 限速器校验 report of that day), or
    None. One query, only for a saved elevator with a calibration."""
    if elevator.pk is None or elevator.governor_calibrated_on is None:
        return None
    reports = InspectionReport.objects.filter(
        elevator_id=elevator.pk,
        kind=InspectionKind.GOVERNOR,
        date=elevator.governor_calibrated_on,
        next_date__gt=elevator.governor_calibrated_on,
    ).exclude(result=InspectionResult.FAILED)
    return reports.order_by("-id").values_list("next_date", flat=True).first()


def _save_governor(locked: Elevator, actor, reason: str, request) -> None:
    """Save the governor's dates that `apply_governor` changed on the locked row, audited with the reason."""
    before = Elevator.objects.filter(pk=locked.pk).values(*GOVERNOR_FIELDS).get()
    apply_governor(locked)
    changes = {
        name: [str(before[name]) if before[name] else None, str(getattr(locked, name) or "") or None]
        for name in GOVERNOR_FIELDS
        if before[name] != getattr(locked, name)
    }
    if not changes:
        return
    locked._change_reason = reason[:100]
    locked.save(update_fields=[*changes, "updated_at"])
    audit.record(actor, "update", locked, changes=changes, reason=reason, request=request)


def check_parties(actor, data: dict) -> None:
    """The use unit, the company and the manufacturer must be of the right kind and within the actor's reach."""
    errors = {}
    expected = {
        "use_unit": OrganizationKind.USE_UNIT,
        "maintenance_company": OrganizationKind.MAINTENANCE_COMPANY,
        "manufacturer": OrganizationKind.MANUFACTURER,
    }
    for field, kind in expected.items():
        org = data.get(field)
        if org is not None and org.kind != kind:
            errors[field] = _("请选择一个%(kind)s。") % {"kind": kind.label}
    scope = scope_for(actor)
    if scope.kind == "maintenance_company" and data.get("maintenance_company") is not None:
        if data["maintenance_company"].pk != scope.organization_id:
            errors["maintenance_company"] = _("只能登记本单位维保的电梯。")
        use_unit = data.get("use_unit")
        if (
            use_unit is not None
            and not ServiceRelation.objects.filter(
                use_unit=use_unit, maintenance_company_id=scope.organization_id
            ).exists()
        ):
            errors["use_unit"] = _("请先在“组织架构 → 电梯使用单位”中新增该使用单位。")
    if scope.kind == "use_unit" and data.get("use_unit") is not None and data["use_unit"].pk != scope.organization_id:
        errors["use_unit"] = _("只能登记本单位使用的电梯。")
    if errors:
        raise ValidationError(errors)


# the company is chosen when an elevator is recorded; afterwards only the 维保单位变更 application changes it
COMPANY_CHANGE_REFUSAL = gettext_lazy("维保单位不能在此修改：须通过“维保单位变更申请”办理。")


def company_change_refusal(actor, elevator: Elevator, company) -> str | None:
    """Why `actor` may not give `elevator` another maintenance company (None: no change, or the operator).

    The company is chosen when the elevator is recorded; after that it changes only through the 维保单位变更
    application (and, until that lands, by the operator): never through the edit form, a PATCH or an import.
    """
    if company is None or company.pk == elevator.maintenance_company_id or scope_for(actor).is_operator:
        return None
    return str(COMPANY_CHANGE_REFUSAL)


def clean_parameters(data: dict) -> dict:
    """Keep the parameters that fit the device category, require the ones TSG T5002 art. 8 names."""
    group = group_of(data.get("device_category") or "")
    allowed = set(PARAMETERS_OF_GROUP[group])
    cleaned = {k: (data.get(k) if k in allowed else None) for k in PARAMETER_FIELDS}
    for key in ("drive_type", "control_type", "jacking_type"):
        if cleaned[key] is None:
            cleaned[key] = ""
    errors = {}
    for key in REQUIRED_PARAMETERS[group]:
        if cleaned.get(key) in (None, ""):
            errors[key] = _("该设备品种必须填写此参数。")
    floors, stops, doors = cleaned.get("floors"), cleaned.get("stops"), cleaned.get("doors")
    if floors and stops and stops > floors:
        errors["stops"] = _("站数不能多于层数。")
    if stops and doors and doors < stops:
        errors["doors"] = _("门数不能少于站数。")
    if errors:
        raise ValidationError(errors)
    return cleaned


def normalise_numbers(values: dict) -> dict:
    """Floats (from the API or an import) become decimals with the column's precision."""
    for name, value in list(values.items()):
        if isinstance(value, float):
            field = Elevator._meta.get_field(name)
            if getattr(field, "decimal_places", None) is not None:
                values[name] = Decimal(str(value)).quantize(Decimal(1).scaleb(-field.decimal_places))
    return values


def sync_landing_doors(elevator: Elevator) -> None:
    """One landing door per stop: add rows for new stops, drop rows beyond the last stop, keep edits."""
    if elevator.is_escalator or not elevator.stops:
        elevator.landing_doors.all().delete()
        return
    existing = set(elevator.landing_doors.values_list("position", flat=True))
    LandingDoor.objects.bulk_create(
        [
            LandingDoor(elevator=elevator, position=n, floor_label=str(n))
            for n in range(1, elevator.stops + 1)
            if n not in existing
        ]
    )
    elevator.landing_doors.filter(position__gt=elevator.stops).delete()


def _create_components(elevator: Elevator) -> None:
    components = [
        Component(elevator=elevator, name=name, installed_on=elevator.installation_date)
        for name in COMPONENT_CATALOGUE[elevator.parameter_group]
    ]
    for component in components:
        component.save()  # save() computes expires_on; a few dozen rows at most


CODE_FIELDS = ("register_code", "device_category", "code_scheme", "installation_date")


@transaction.atomic
def create_elevator(*, actor, data: dict, request=None) -> Elevator:
    """新增电梯: the status starts at 待登记; components and landing doors are generated."""
    check_parties(actor, data)
    values = {k: data.get(k) for k in IDENTITY_FIELDS + LOCATION_FIELDS if k in data}
    values.update(clean_parameters(data))
    normalise_numbers(values)
    for key in ("code_scheme", "internal_number", "use_registration_number"):
        if values.get(key) is None:
            values.pop(key, None)
    check_codes(values)
    elevator = Elevator(**values, created_by=actor if getattr(actor, "is_authenticated", False) else None)
    if elevator.region_id:
        elevator.city_id = elevator.region.parent_id if elevator.region.level == "district" else elevator.region_id
    elevator.full_clean()
    check_governor(elevator)
    apply_governor(elevator)
    elevator.save()
    ServiceRelation.objects.get_or_create(use_unit=elevator.use_unit, maintenance_company=elevator.maintenance_company)
    _create_components(elevator)
    sync_landing_doors(elevator)
    audit.record(
        actor, "create", elevator, changes=audit.created(audit.snapshot(elevator, AUDITED_FIELDS)), request=request
    )
    return elevator


def version_of(elevator: Elevator) -> str:
    """What an edit form carries to tell whether the elevator changed since the form was opened."""
    return elevator.updated_at.isoformat() if elevator.updated_at else ""


@transaction.atomic
def update_elevator(
    elevator: Elevator, *, actor, data: dict, reason: str = "", request=None, expected_version: str | None = None
) -> Elevator:
    """编辑: the same rules as creation; the status and the maintenance company are never changed here.

    The row is locked and re-read, and only the fields that change are written: two people (or twenty API
    calls) changing different fields at once all keep their changes. A form that posts every field says which
    version it was opened on (`expected_version`); an edit of a version someone has changed since is refused
    rather than allowed to write the old values back.
    """
    if len(reason or "") > audit.CHANGE_REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("修改原因最多 %(limit)d 个字。") % {"limit": audit.CHANGE_REASON_MAX_LENGTH}}
        )
    locked = Elevator.objects.select_for_update().select_related("region").get(pk=elevator.pk)
    refusal = company_change_refusal(actor, locked, data.get("maintenance_company"))
    if refusal:
        raise ValidationError({"maintenance_company": refusal})
    if expected_version is not None and expected_version != version_of(locked):
        raise ValidationError(_("这台电梯的信息在您打开编辑页之后已被他人修改，请重新打开编辑页，核对后再保存。"))
    merged = {k: getattr(locked, k) for k in ELEVATOR_FIELDS}
    merged.update({k: v for k, v in data.items() if k in ELEVATOR_FIELDS})
    check_parties(actor, {k: merged[k] for k in ("use_unit", "maintenance_company", "manufacturer") if k in data})
    merged.update(clean_parameters(merged))
    normalise_numbers(merged)
    for key in ("internal_number", "use_registration_number"):
        if merged.get(key) is None:
            merged[key] = ""
    changed = [key for key, value in merged.items() if getattr(locked, key) != value]
    if any(key in changed for key in CODE_FIELDS):
        check_codes(merged)  # a record kept from before the check may still be edited in its other fields
    before = audit.snapshot(locked, AUDITED_FIELDS)
    since_was_installation = locked.governor_since == locked.installation_date
    governed = {name: getattr(locked, name) for name in GOVERNOR_FIELDS}
    for key in changed:
        setattr(locked, key, merged[key])
    if "installation_date" in changed and "governor_since" not in changed and since_was_installation:
        locked.governor_since = locked.installation_date  # the default follows the installation date
    locked.full_clean()
    if changed:
        check_governor(locked)
        apply_governor(locked)
        changed += [name for name in GOVERNOR_FIELDS if name not in changed and getattr(locked, name) != governed[name]]
    if changed:
        locked._change_reason = reason or None
        locked.save(update_fields=[*changed, "updated_at", *(["city"] if "region" in changed else [])])
        ServiceRelation.objects.get_or_create(use_unit=locked.use_unit, maintenance_company=locked.maintenance_company)
        sync_landing_doors(locked)
        audit.record(
            actor,
            "update",
            locked,
            changes=audit.diff(before, audit.snapshot(locked, AUDITED_FIELDS)),
            reason=reason,
            request=request,
        )
    for key in (*AUDITED_FIELDS, "updated_at", "city_id"):
        setattr(elevator, key, getattr(locked, key))  # the caller's instance shows what was saved
    return locked


@transaction.atomic
def correct_register_code(
    elevator: Elevator, *, actor, register_code: str, code_scheme: str, reason: str, request=None
) -> Elevator:
    """注册代码更正 by the operator or the elevator's bureau: checked as a new code would be, audited with the
    reason. The QR sign keeps working: it carries the elevator's token, not its code."""
    locked = Elevator.objects.select_for_update().get(pk=elevator.pk)
    register_code = (register_code or "").strip().upper()
    if register_code == locked.register_code and code_scheme == locked.code_scheme:
        raise ValidationError({"register_code": _("新的注册代码与现在的相同。")})
    data = {
        "register_code": register_code,
        "code_scheme": code_scheme,
        "device_category": locked.device_category,
        "installation_date": None,
    }
    check_codes(data)
    before = audit.snapshot(locked, ["register_code", "code_scheme"])
    locked.register_code, locked.code_scheme = register_code, code_scheme
    locked.full_clean(validate_constraints=False)  # a code already on the platform: the field's own message
    locked._change_reason = reason[:100]  # the history's column
    locked.save(update_fields=["register_code", "code_scheme", "updated_at"])
    changes = audit.diff(before, audit.snapshot(locked, ["register_code", "code_scheme"]))
    audit.record(actor, "correct_code", locked, changes=changes, reason=reason, request=request)
    return locked


@transaction.atomic
def delete_elevator(elevator: Elevator, *, actor, reason: str, request=None) -> None:
    """删除 an elevator recorded by mistake: only while 待登记 with nothing recorded about it (the policy says
    who). The audit event keeps what it was; its components and landing doors go with it."""
    locked = Elevator.objects.select_for_update().get(pk=elevator.pk)
    if not is_deletable(locked):
        raise ValidationError(_("只能删除待登记、没有任何记录（如问题上报）的电梯；已登记的电梯请走报废或停用登记。"))
    snapshot = audit.snapshot(locked, ELEVATOR_FIELDS)
    audit.record(
        actor,
        "delete",
        locked,
        changes={k: [v, None] for k, v in snapshot.items() if v not in (None, "")},
        reason=reason,
        request=request,
    )
    locked._change_reason = reason[:100]
    locked.delete()


@transaction.atomic
def save_components(elevator: Elevator, formset, *, actor, request=None) -> None:
    """组件: save the edited rows (new ones included); deleted rows go; each change is audited."""
    changes = {}
    for form in formset.forms:
        if not form.has_changed() and form.instance.pk:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            if form.instance.pk:
                changes[form.instance.name] = [_("删除"), None]
                form.instance.delete()
            continue
        if not form.has_changed():
            continue
        component = form.save(commit=False)
        component.elevator = elevator
        component.save()
        changes[component.name] = [None, f"{component.installed_on} / {component.lifespan_months}"]
    if changes:
        audit.record(actor, "components", elevator, changes=changes, request=request)


@transaction.atomic
def replace_component(component: Component, *, actor, replaced_on: date, note: str = "", request=None) -> Component:
    """更换组件: a new part of the same kind from `replaced_on`; its install date moves there and its end of life
    follows (the lifespan stays). Audited on the elevator, like the component form's changes."""
    from django.utils import timezone

    require(actor, "replace", component)
    locked = Component.objects.select_for_update().select_related("elevator").get(pk=component.pk)
    if replaced_on > timezone.localdate():
        raise ValidationError({"replaced_on": _("更换日期不能晚于今天。")})
    if replaced_on < locked.elevator.installation_date:
        raise ValidationError({"replaced_on": _("更换日期不能早于电梯的安装日期。")})
    before = f"{locked.installed_on} / {locked.expires_on}"
    locked.installed_on = replaced_on
    locked.save()
    reason = (_("更换组件：%(note)s") % {"note": note} if note else _("更换组件"))[:200]
    audit.record(
        actor,
        "components",
        locked.elevator,
        changes={locked.name: [before, f"{locked.installed_on} / {locked.expires_on}"]},
        reason=reason,
        request=request,
    )
    if locked.name == GOVERNOR_COMPONENT:
        _governor_replaced(locked.elevator, replaced_on, actor=actor, reason=reason, request=request)
    component.installed_on, component.expires_on = locked.installed_on, locked.expires_on
    return locked


GOVERNOR_COMPONENT = "限速器"  # the catalogue's name of the governor (elevators.catalogue)


def _governor_replaced(elevator: Elevator, replaced_on: date, *, actor, reason: str, request) -> None:
    """A new governor from `replaced_on`: its age restarts there, an earlier calibration was the old one's, the next
    calibration is due as for a new governor."""
    locked = Elevator.objects.select_for_update().get(pk=elevator.pk)
    if governor.governor_kind(locked.device_category, locked.drive_type) is None:
        return
    locked.governor_since = replaced_on
    if locked.governor_calibrated_on and locked.governor_calibrated_on < replaced_on:
        locked.governor_calibrated_on = None
    _save_governor(locked, actor, reason, request)
    for name in GOVERNOR_FIELDS:
        setattr(elevator, name, getattr(locked, name))


@transaction.atomic
def save_landing_doors(elevator: Elevator, formset, *, actor, request=None) -> None:
    changed = [form for form in formset.forms if form.has_changed()]
    for form in changed:
        form.save()
    if changed:
        audit.record(
            actor,
            "landing_doors",
            elevator,
            request=request,
            changes={f.instance.floor_label: [None, f.instance.get_door_type_display()] for f in changed},
        )


# --- problem reports from the public QR page --------------------------------------------------


class ReportRateLimited(Exception):
    pass


def _count_this_hour(key: str) -> int:
    """How many times `key` was counted in the hour since its first count, this one included."""
    if cache.add(key, 1, timeout=3600):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        return 1


def report_problem(
    elevator: Elevator, *, category: str, description: str, contact_phone: str = "", ip: str | None = None
) -> ProblemReport:
    """A passenger reports a problem: at most PROBLEM_REPORTS_PER_ADDRESS_HOUR per address and elevator, and at
    most PROBLEM_REPORTS_PER_ELEVATOR_HOUR per elevator from all addresses together (a flood from many addresses
    cannot bury the maintenance company's 问题上报 page). Only reports that pass the first count towards the second."""
    if _count_this_hour(f"problem-report:{elevator.pk}:{ip or 'unknown'}") > settings.PROBLEM_REPORTS_PER_ADDRESS_HOUR:
        raise ReportRateLimited(_("提交过于频繁，请稍后再试；紧急情况请拨打 96333。"))
    if _count_this_hour(f"problem-report:{elevator.pk}:all") > settings.PROBLEM_REPORTS_PER_ELEVATOR_HOUR:
        raise ReportRateLimited(_("这台电梯近一小时的问题上报已达上限，请稍后再试；紧急情况请拨打 96333。"))
    report = ProblemReport(
        elevator=elevator,
        category=category,
        description=description.strip(),
        contact_phone=contact_phone.strip(),
        reporter_ip=ip,
    )
    report.full_clean()
    report.save()
    audit.record(None, "problem_report", elevator, changes={"category": [None, report.get_category_display()]})
    return report


PROBLEM_TRANSITIONS = {
    ProblemStatus.NEW: {ProblemStatus.ACKNOWLEDGED, ProblemStatus.CLOSED},
    ProblemStatus.ACKNOWLEDGED: {ProblemStatus.CLOSED},
}


def handle_problem(report: ProblemReport, *, actor, to_state: str, note: str = "", request=None) -> ProblemReport:
    if to_state == ProblemStatus.CLOSED and not note.strip():
        raise ValidationError({"note": _("关闭时请填写处理说明。")})
    return transition(
        report,
        to_state,
        allowed=PROBLEM_TRANSITIONS,
        actor=actor,
        reason=note,
        request=request,
        also={"handled_by": actor, "handling_note": note},
    )


def organisations_for(actor, field: str):
    """The choices a form offers for the use unit, the maintenance company and the manufacturer."""
    scope = scope_for(actor)
    base = Organization.objects.filter(is_active=True)
    if field == "manufacturer":
        return base.filter(kind=OrganizationKind.MANUFACTURER)
    if field == "use_unit":
        if scope.is_operator:
            return base.filter(kind=OrganizationKind.USE_UNIT)
        if scope.kind == "use_unit":
            return base.filter(pk=scope.organization_id)
        return Organization.objects.visible_to(actor).filter(kind=OrganizationKind.USE_UNIT)
    if field == "maintenance_company":
        if scope.kind == "maintenance_company":
            return base.filter(pk=scope.organization_id)
        return base.filter(kind=OrganizationKind.MAINTENANCE_COMPANY)
    raise ValueError(field)


# 使用状态 (TSG 08-2017): only an approved application moves it (applications.services.approve), never a form.
STATUS_TRANSITIONS = {
    "pending_registration": ("in_use",),
    "in_use": ("suspended", "scrapped"),
    "suspended": ("in_use", "scrapped"),
    "scrapped": (),
}


def change_status(elevator: Elevator, to_state: str, *, actor, reason: str, request=None, also=None) -> Elevator:
    """Move the elevator's 使用状态 (locked, checked against STATUS_TRANSITIONS, audited with the reason)."""
    return transition(
        elevator, to_state, allowed=STATUS_TRANSITIONS, actor=actor, reason=reason, request=request, also=also
    )


@transaction.atomic
def transfer_maintenance(elevator: Elevator, company: Organization, *, actor, reason: str, request=None) -> Elevator:
    """维保单位变更 approved: the elevator moves to `company`, which starts serving its use unit; the old company
    stops serving the unit when this was its last elevator there. Plans and groups are the maintenance app's."""
    locked = Elevator.objects.select_for_update().get(pk=elevator.pk)
    old_id = locked.maintenance_company_id
    if company.kind != OrganizationKind.MAINTENANCE_COMPANY:
        raise ValidationError(_("请选择一个维保单位。"))
    if old_id == company.pk:
        return locked
    ServiceRelation.objects.get_or_create(use_unit_id=locked.use_unit_id, maintenance_company=company)
    locked.maintenance_company = company
    locked._change_reason = reason[:100]  # django-simple-history's history_change_reason
    locked.save(update_fields=["maintenance_company", "updated_at"])
    still_serving = Elevator.objects.filter(use_unit_id=locked.use_unit_id, maintenance_company_id=old_id).exists()
    if not still_serving:
        ServiceRelation.objects.filter(use_unit_id=locked.use_unit_id, maintenance_company_id=old_id).delete()
    old_name = Organization.objects.filter(pk=old_id).values_list("name", flat=True).first()
    audit.record(
        actor,
        "update",
        locked,
        changes={"maintenance_company": [old_name, company.name]},
        reason=reason,
        request=request,
    )
    elevator.maintenance_company = company
    return elevator


# --- 电梯检验报告 (年检) ---------------------------------------------------------------------------------------

INSPECTION_FIELDS = ["kind", "date", "result", "number", "next_date"]
CALENDAR_KINDS = (InspectionKind.PERIODIC, InspectionKind.SELF)


def _latest_calendar_report(elevator):
    return InspectionReport.objects.filter(elevator=elevator, kind__in=CALENDAR_KINDS).order_by("-date", "-id").first()


def inspection_due(elevator, today=None, last_report=None) -> tuple:
    """(date, kind) of the elevator's next 定期检验 or 自行检测 by its last report and the calendar from the
    supervision inspection (elevators.inspection)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return inspection.next_inspection(elevator.inspection_base_date, today, last_report)


def next_due(elevator, reports) -> tuple:
    """What the elevator's page and API show: (date, kind, by the calendar?). The ledger's 下次检验日期 (a report's,
    an import's or typed in) wins, with the kind of its calendar year; else the reports and the calendar decide.
    reports: the elevator's reports, latest first."""
    if elevator.next_inspection_date:
        day = elevator.next_inspection_date
        return day, inspection.kind_on(elevator.inspection_base_date, day), False
    latest = next((r for r in reports if r.kind in CALENDAR_KINDS), None)
    day, kind = inspection_due(elevator, last_report=latest)
    return day, kind, True


def _clean_inspection(elevator, data: dict, upload) -> tuple[dict, object]:
    """The report's fields and its checked file, or one ValidationError naming every bad field."""
    from django.utils import timezone

    errors = {}
    values = {name: data.get(name) for name in INSPECTION_FIELDS}
    values["number"] = (values["number"] or "").strip()
    if values["kind"] not in InspectionKind.values:
        errors["kind"] = [_("请选择检验类别。")]
    if values["result"] not in InspectionResult.values:
        errors["result"] = [_("请选择检验结论。")]
    if not values["number"]:
        errors["number"] = [_("请填写报告编号。")]
    elif len(values["number"]) > 60:
        errors["number"] = [_("报告编号最多 60 个字符。")]
    for name in ("date", "next_date"):
        if isinstance(values[name], str):  # the API's form fields arrive as text
            text = values[name].strip()
            try:
                values[name] = date.fromisoformat(text) if text else None
            except ValueError:
                values[name] = None
                errors[name] = [_("请按“年-月-日”填写日期，例如 2026-05-31。")]
    day, following = values["date"], values["next_date"]
    if not day:
        errors.setdefault("date", [_("请填写检验日期。")])
    elif day > timezone.localdate():
        errors["date"] = [_("检验日期不能晚于今天。")]
    elif day < elevator.installation_date:
        errors["date"] = [_("检验日期不能早于电梯的安装日期。")]
    if following and day and following <= day:
        errors["next_date"] = [_("下次检验日期应晚于本次检验日期。")]
    checked = None
    if upload is None:
        errors["report_file"] = [_("请上传检验报告（PDF 或 JPEG/PNG 图片）。")]
    else:
        try:
            checked = validate_upload(upload, kinds=DOCUMENT)
        except ValidationError as exc:
            errors["report_file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return values, checked


@transaction.atomic
def record_inspection(elevator: Elevator, *, actor, data: dict, upload, request=None) -> InspectionReport:
    """录入检验结果: the report with its file (checked first: nothing is saved when anything is wrong), audited; the
    elevator's 下次检验日期 follows its latest periodic or self-inspection report (the date it states, else the
    calendar). A governor calibration leaves the date alone."""
    require(actor, "add", InspectionReport(elevator=elevator))
    values, checked = _clean_inspection(elevator, data, upload)
    locked = Elevator.objects.select_for_update().get(pk=elevator.pk)
    report = InspectionReport(
        elevator=locked, recorded_by=actor if getattr(actor, "is_authenticated", False) else None, **values
    )
    report.full_clean(exclude=["report_file", "recorded_by"])
    report.save()
    report.report_file = save_attachment(checked, report, "inspection_report", actor)
    report.save(update_fields=["report_file"])
    audit.record(
        actor,
        "create",
        report,
        changes=audit.created({**audit.snapshot(report, INSPECTION_FIELDS), "report_file": checked.name}),
        request=request,
    )
    if report.kind in CALENDAR_KINDS:
        due, _kind = inspection_due(locked, last_report=_latest_calendar_report(locked))
        if due != locked.next_inspection_date:
            before = locked.next_inspection_date
            locked.next_inspection_date = due
            locked._change_reason = _("录入检验结果 %(number)s") % {"number": report.number}
            locked.save(update_fields=["next_inspection_date", "updated_at"])
            audit.record(
                actor,
                "update",
                locked,
                changes={"next_inspection_date": [str(before) if before else None, str(due)]},
                reason=locked._change_reason,
                request=request,
            )
    if report.kind == InspectionKind.GOVERNOR:
        _governor_calibrated(locked, report, actor=actor, request=request)
        for name in GOVERNOR_FIELDS:
            setattr(elevator, name, getattr(locked, name))
    elevator.next_inspection_date = locked.next_inspection_date
    return report


def _governor_calibrated(locked: Elevator, report: InspectionReport, *, actor, request) -> None:
    """限速器校验 recorded: a qualified calibration of the present governor (on or after its start of use, not older
    than the last one known) becomes the last calibration and the next date follows the rule; a 不合格 one changes
    nothing, so the calibration stays due (or overdue) until a qualified report arrives."""
    if report.result == InspectionResult.FAILED:
        return
    if governor.governor_kind(locked.device_category, locked.drive_type) is None:
        return
    since = locked.governor_since or locked.installation_date
    if report.date < since or (locked.governor_calibrated_on and report.date < locked.governor_calibrated_on):
        return
    locked.governor_since = since
    locked.governor_calibrated_on = report.date
    _save_governor(locked, actor, _("录入检验结果 %(number)s") % {"number": report.number}, request)
