"""电梯维护保养试点申请 as plain functions (seed 004): the applicant's draft, batch, documents and submission with
the routing rule; the bureau's 受理, 审核, 审批 and 退回; approval puts the batch on 按需维保.

What counts as "using or maintaining" an elevator (the routing rule's count): the elevators of the applicant in
the whole city whose status is 待登记, 正常使用 or 停用 — as the use unit (`use_unit`) when it applies as a use unit,
as the maintenance company (`maintenance_company`, across all its use units) when it applies as a company. A
scrapped elevator is neither used nor maintained. A suspended one still is: the unit keeps it and its duties.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.services import decision_reason
from core import audit
from core.models import Attachment
from core.tenancy import scope_for
from core.uploads import DOCUMENT, save_attachment, validate_upload
from core.validators import validate_credit_code
from core.workflow import TransitionError, advance
from elevators.models import Elevator, ElevatorStatus
from maintenance.models import OnDemandMaintenance
from maintenance.services.calendar import check_interval, set_on_demand
from notifications.models import NotificationKind
from notifications.services import notify, resolve
from organizations.models import Organization, OrganizationKind

from .models import EDITABLE, IN_PROGRESS, Document, Identity, PilotApplication, PilotElevator, PilotStatus

__all__ = [
    "CITY_THRESHOLD",
    "NOT_ELIGIBLE",
    "UNIT_FIELDS",
    "INFO_FIELDS",
    "elevators_in_city",
    "route",
    "start_application",
    "save_information",
    "add_elevators",
    "remove_elevators",
    "required_documents",
    "attach",
    "detach",
    "detach_attachment",
    "documents_of",
    "missing_for_submission",
    "submit",
    "accept",
    "review",
    "approve",
    "return_application",
    "timeline",
]

CITY_THRESHOLD = 1000  # 全市使用管理或者维护保养电梯数量在 1000 台以上（含）: the city bureau
NOT_ELIGIBLE = gettext_lazy("贵单位因管理或者维护保养电梯数量或电梯所在区域为非当前试点区县不能申请试点!")
COUNTED_STATUSES = (ElevatorStatus.PENDING_REGISTRATION, ElevatorStatus.IN_USE, ElevatorStatus.SUSPENDED)
MAX_ELEVATORS = 500
UNIT_FIELDS = [
    f"{prefix}_{field}"
    for prefix in ("use_unit", "company")
    for field in ("name", "address", "credit_code", "legal_representative", "legal_phone", "contact", "contact_phone")
]
INFO_FIELDS = [
    *UNIT_FIELDS,
    "accident_in_three_years",
    "information_system",
    "information_system_url",
    "iot_monitoring",
    "full_package",
    "system_description",
]
CHOICE_FIELDS = ("accident_in_three_years", "information_system", "iot_monitoring", "full_package")  # yes / no / unset
S = PilotStatus


# --- the routing rule ----------------------------------------------------------------------------------------


def elevators_in_city(organization_id, identity: str, city_id) -> int:
    """How many elevators the unit uses (identity use_unit) or maintains (maintenance_company) in the city."""
    field = "use_unit_id" if identity == Identity.USE_UNIT else "maintenance_company_id"
    return Elevator.objects.filter(**{field: organization_id}, city_id=city_id, status__in=COUNTED_STATUSES).count()


def route(application: PilotApplication, elevators=None) -> tuple[Organization, str]:
    """The bureau that handles the application and why: the city bureau at 1000 elevators or more in the city;
    below, the bureau of the elevators' district when it is a pilot district; else NOT_ELIGIBLE."""
    elevators = list(elevators if elevators is not None else application.elevators.select_related("region"))
    if not elevators:
        raise ValidationError(_("请先添加试点电梯。"))
    city_id = elevators[0].city_id
    count = elevators_in_city(application.applicant_id, application.identity, city_id)
    if count >= CITY_THRESHOLD:
        bureau = (
            Organization.objects.filter(kind=OrganizationKind.REGULATOR, is_active=True, jurisdiction_id=city_id)
            .order_by("pk")
            .first()
        )
        if bureau is None:
            raise ValidationError(_("市局尚未入驻平台，暂不能在线提交。"))
        return bureau, _("全市使用管理或维护保养电梯 %(n)s 台（1000 台以上），由市局处理") % {"n": count}
    regions = {e.region_id: e.region for e in elevators}
    if not all(region.in_pilot for region in regions.values()):
        raise ValidationError(str(NOT_ELIGIBLE))
    if len(regions) > 1:
        raise ValidationError(_("试点电梯分布在多个区县：请按区县分别申请（由各试点区县局处理）。"))
    region = next(iter(regions.values()))
    bureau = (
        Organization.objects.filter(kind=OrganizationKind.REGULATOR, is_active=True, jurisdiction_id=region.pk)
        .order_by("pk")
        .first()
    )
    if bureau is None:
        raise ValidationError(str(NOT_ELIGIBLE))
    return bureau, _("全市使用管理或维护保养电梯 %(n)s 台（1000 台以下），电梯在试点区县%(region)s，由区县局处理") % {
        "n": count,
        "region": region.name,
    }


# --- the draft -----------------------------------------------------------------------------------------------


def _applicant(actor, identity: str) -> Organization:
    scope = scope_for(actor)
    if identity not in Identity.values:
        raise ValidationError({"identity": _("请选择申请单位身份。")})
    if scope.kind != identity or not scope.is_admin:
        raise ValidationError(
            {"identity": _("申请单位身份须与登录的单位一致：您的单位是%(kind)s。") % {"kind": _kind_label(scope.kind)}}
        )
    return Organization.objects.get(pk=scope.organization_id)


def _kind_label(kind: str) -> str:
    return str(dict(OrganizationKind.choices).get(kind, kind or "—"))


def _prefill(application: PilotApplication, prefix: str, org: Organization | None) -> None:
    """A unit's basic information from the ledger, where the application has none yet."""
    if org is None:
        return
    values = {
        "name": org.name,
        "address": org.address,
        "credit_code": org.credit_code,
        "legal_representative": org.legal_representative,
        "legal_phone": org.legal_representative_phone,
        "contact": org.contact_name,
        "contact_phone": org.contact_phone,
    }
    for field, value in values.items():
        if not getattr(application, f"{prefix}_{field}"):
            setattr(application, f"{prefix}_{field}", value or "")


@transaction.atomic
def start_application(*, actor, identity: str, agreed: bool, request=None) -> PilotApplication:
    """新增: the applicant's identity, then 同意 the pilot's requirements; the draft starts with the unit's own
    information from the ledger."""
    applicant = _applicant(actor, identity)
    if not agreed:
        raise ValidationError(_("请阅读试点工作要求并点击“同意”后再填写申请。"))
    application = PilotApplication(
        identity=identity, applicant=applicant, created_by=actor, requirements_agreed_at=timezone.now()
    )
    if identity == Identity.USE_UNIT:
        application.use_unit = applicant
        _prefill(application, "use_unit", applicant)
    else:
        application.maintenance_company = applicant
        _prefill(application, "company", applicant)
    application.save()
    audit.record(actor, "create", application, changes=audit.created({"identity": identity}), request=request)
    return application


def _locked(application: PilotApplication) -> PilotApplication:
    return PilotApplication.objects.select_for_update(of=("self",)).select_related("region").get(pk=application.pk)


def _require_editable(application: PilotApplication) -> None:
    if application.status not in EDITABLE:
        raise TransitionError(_("申请正在办理或已办结，只能查看。"))


@transaction.atomic
def save_information(application: PilotApplication, *, actor, data: dict, request=None) -> PilotApplication:
    """保存 申请信息 and the system's description (any subset of INFO_FIELDS)."""
    locked = _locked(application)
    _require_editable(locked)
    before = audit.snapshot(locked, INFO_FIELDS)
    errors = {}
    for field in INFO_FIELDS:
        if field in data:
            value = data[field]
            if value is None and field not in CHOICE_FIELDS:
                value = ""  # a text left empty (null from the API): the columns hold no NULL
            setattr(locked, field, value.strip() if isinstance(value, str) else value)
    for prefix in ("use_unit", "company"):
        code = getattr(locked, f"{prefix}_credit_code")
        if code:
            try:
                validate_credit_code(code)
            except ValidationError as exc:
                errors[f"{prefix}_credit_code"] = exc.messages
    if locked.information_system is False:
        locked.information_system_url = ""
    try:
        locked.full_clean(exclude=["applicant", "use_unit", "maintenance_company", "region", "regulator", "status"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    locked.save()
    changes = audit.diff(before, audit.snapshot(locked, INFO_FIELDS))
    if changes:
        audit.record(actor, "update", locked, changes=changes, request=request)
    return locked


def _open_pilot_of(elevator_ids, exclude_id) -> PilotApplication | None:
    line = (
        PilotElevator.objects.filter(
            elevator_id__in=list(elevator_ids), application__status__in=[*EDITABLE, *IN_PROGRESS]
        )
        .exclude(application_id=exclude_id)
        .select_related("application")
        .first()
    )
    return line.application if line else None


@transaction.atomic
def add_elevators(application: PilotApplication, ids, *, actor, request=None) -> int:
    """添加试点电梯 from the applicant's ledger: one batch holds elevators of one use unit and one maintenance
    company, in use, not on 按需维保 already and in no other pilot application. Returns how many were added."""
    locked = _locked(application)
    _require_editable(locked)
    ids = list(dict.fromkeys(int(i) for i in ids))
    if not ids:
        raise ValidationError({"elevators": _("请先勾选要添加的电梯。")})
    found = list(Elevator.objects.changeable_by(actor).filter(pk__in=ids).select_related("region"))
    if len(found) != len(ids):
        raise ValidationError({"elevators": _("所选电梯不存在或不属于本单位。")})
    current = list(locked.elevators.all())
    if len(current) + len(ids) > MAX_ELEVATORS:
        raise ValidationError({"elevators": _("一份申请最多 %(n)s 台电梯。") % {"n": MAX_ELEVATORS}})
    batch = current + [e for e in found if e.pk not in {c.pk for c in current}]
    errors = []
    if len({e.use_unit_id for e in batch}) > 1 or len({e.maintenance_company_id for e in batch}) > 1:
        if current:
            errors.append(
                _("同一批次只能添加使用单位和维保单位一致的电梯（本批次：%(unit)s / %(company)s）。")
                % {"unit": current[0].use_unit, "company": current[0].maintenance_company}
            )
        else:  # the selection itself mixes: name every pair it holds, in a stable order
            pairs = sorted({f"{e.use_unit} / {e.maintenance_company}" for e in found})
            errors.append(
                _("同一批次只能添加使用单位和维保单位一致的电梯（所选电梯涉及：%(pairs)s）。")
                % {"pairs": "；".join(pairs)}
            )
    for elevator in found:
        if elevator.status != ElevatorStatus.IN_USE:
            errors.append(
                _("%(code)s：只有正常使用的电梯可以申请试点（当前状态：%(status)s）。")
                % {"code": elevator.register_code, "status": elevator.get_status_display()}
            )
    on_demand = set(
        OnDemandMaintenance.objects.filter(elevator_id__in=ids).values_list("elevator__register_code", flat=True)
    )
    if on_demand:
        errors.append(_("已实行按需维保的电梯：%(codes)s") % {"codes": "、".join(sorted(on_demand))})
    other = _open_pilot_of(ids, locked.pk)
    if other is not None:
        errors.append(_("所选电梯已在另一份试点申请（%(number)s）中。") % {"number": other.number})
    if errors:
        raise ValidationError({"elevators": errors})
    new = [e for e in found if e.pk not in {c.pk for c in current}]
    PilotElevator.objects.bulk_create([PilotElevator(application=locked, elevator=e) for e in new])
    first = batch[0]
    locked.use_unit_id, locked.maintenance_company_id, locked.region_id = (
        first.use_unit_id,
        first.maintenance_company_id,
        first.region_id,
    )
    _prefill(locked, "use_unit", first.use_unit)
    _prefill(locked, "company", first.maintenance_company)
    locked.save()
    if new:
        codes = ", ".join(e.register_code for e in new)
        audit.record(actor, "add_elevators", locked, changes={"elevators": [None, codes]}, request=request)
    return len(new)


@transaction.atomic
def remove_elevators(application: PilotApplication, ids, *, actor, request=None) -> int:
    """移除 elevators from the batch; an empty batch may take another use unit and company again."""
    locked = _locked(application)
    _require_editable(locked)
    lines = locked.lines.filter(elevator_id__in=list(ids)).select_related("elevator")
    codes = [line.elevator.register_code for line in lines]
    removed = lines.delete()[0]
    if not locked.lines.exists():
        locked.region = None
        if locked.identity == Identity.USE_UNIT:
            locked.maintenance_company = None
        else:
            locked.use_unit = None
        locked.save()
    if removed:
        audit.record(
            actor, "remove_elevators", locked, changes={"elevators": [", ".join(codes), None]}, request=request
        )
    return removed


# --- documents -----------------------------------------------------------------------------------------------


def required_documents(application: PilotApplication) -> list[str]:
    """试点申请书 and 承诺书 always; the two IoT documents with IoT monitoring; the contract with full-package
    maintenance."""
    required = [Document.APPLICATION_LETTER, Document.COMMITMENT]
    if application.iot_monitoring:
        required += [Document.IOT_SECURITY_REPORT, Document.IOT_FUNCTIONS]
    if application.full_package:
        required.append(Document.CONTRACT)
    return required


def documents_of(application: PilotApplication):
    return Attachment.objects.filter(owner_type__app_label="pilot", owner_id=str(application.pk)).order_by("id")


@transaction.atomic
def attach(application: PilotApplication, *, actor, document: str, upload, request=None) -> Attachment:
    """上传 one of the seven documents (PDF, JPEG, PNG; a second upload of a kind replaces the first)."""
    locked = _locked(application)
    _require_editable(locked)
    if document not in Document.values:
        raise ValidationError({"document": _("请选择资料名称。")})
    try:
        checked = validate_upload(upload, kinds=DOCUMENT)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    replaced = list(documents_of(locked).filter(purpose=document))
    for old in replaced:
        old.file.delete(save=False)
        old.delete()
    attachment = save_attachment(checked, locked, document, actor)
    label = str(Document(document).label)
    audit.record(
        actor,
        "attach",
        locked,
        changes={label: [replaced[0].original_name if replaced else None, checked.name]},
        request=request,
    )
    return attachment


@transaction.atomic
def detach(application: PilotApplication, document: str, *, actor, request=None) -> int:
    """移除 a document."""
    locked = _locked(application)
    _require_editable(locked)
    found = list(documents_of(locked).filter(purpose=document))
    for attachment in found:
        attachment.file.delete(save=False)
        attachment.delete()
    if found:
        label = str(Document(document).label) if document in Document.values else document
        audit.record(actor, "detach", locked, changes={label: [found[0].original_name, None]}, request=request)
    return len(found)


@transaction.atomic
def detach_attachment(application: PilotApplication, attachment_id, *, actor, request=None) -> int:
    """移除 a document named by its attachment (the API's way): only one of this application."""
    locked = _locked(application)
    _require_editable(locked)
    document = documents_of(locked).filter(pk=attachment_id).values_list("purpose", flat=True).first()
    if document is None:
        raise ValidationError(_("附件不存在。"))
    return detach(locked, document, actor=actor, request=request)


# --- submission ----------------------------------------------------------------------------------------------


def missing_for_submission(application: PilotApplication, elevators=None) -> list[str]:
    """What keeps the application from being submitted, in the order of the form."""
    missing = []
    labels = {f.name: str(f.verbose_name) for f in PilotApplication._meta.fields}
    for field in UNIT_FIELDS:
        if not getattr(application, field):
            missing.append(_("请填写%(what)s。") % {"what": labels[field]})
    for field in CHOICE_FIELDS:
        if getattr(application, field) is None:
            missing.append(_("请选择：%(what)s。") % {"what": labels[field]})
    if application.accident_in_three_years:
        missing.append(_("近三年发生过电梯安全责任事故的单位不符合试点申请条件。"))
    if application.information_system and not application.information_system_url:
        missing.append(_("请填写信息化管理系统的信息查询网址。"))
    if application.information_system and not application.system_description.strip():
        missing.append(_("请填写维保工作信息化管理系统介绍。"))
    if not (elevators if elevators is not None else application.lines.exists()):
        missing.append(_("请添加试点电梯。"))
    have = set(documents_of(application).values_list("purpose", flat=True))
    for document in required_documents(application):
        if document not in have:
            missing.append(_("请上传“%(what)s”。") % {"what": Document(document).label})
    return missing


def _notify(organization, kind, title, body, application, audience="all") -> None:
    if organization is not None:
        notify(organization, kind, title, body, application.get_absolute_url(), about=application, audience=audience)


@transaction.atomic
def submit(application: PilotApplication, *, actor, request=None) -> PilotApplication:
    """提交: checked, then routed (again, for a returned application) to the city or the district bureau; an
    applicant the rule does not admit is told so and nothing changes."""
    locked = _locked(application)
    _require_editable(locked)
    elevators = list(locked.elevators.select_related("region"))
    missing = missing_for_submission(locked, elevators)
    if missing:
        raise ValidationError(missing)
    for elevator in elevators:
        if elevator.status != ElevatorStatus.IN_USE:
            raise ValidationError(
                _("%(code)s：只有正常使用的电梯可以申请试点（当前状态：%(status)s）。")
                % {"code": elevator.register_code, "status": elevator.get_status_display()}
            )
    bureau, why = route(locked, elevators)
    advance(
        locked,
        EDITABLE,
        S.SUBMITTED,
        action="submit",
        actor=actor,
        busy_message=_("申请状态已变为“%(status)s”，请刷新后再试。"),
        changes={"regulator": [None, bureau.name]},
        reason=why,
        also={
            "regulator": bureau,
            "routing_note": why[:200],
            "submitted_at": timezone.now(),
            "decision_reason": "",
            "accepted_at": None,
            "reviewed_at": None,
            "decided_at": None,
        },
        request=request,
    )
    with translation.override(settings.LANGUAGE_CODE):
        _notify(
            bureau,
            NotificationKind.APPLICATION_SUBMITTED,
            _("新的电梯维护保养试点申请待受理：%(number)s") % {"number": locked.number},
            _("%(unit)s 申请 %(n)s 台电梯试点。%(why)s")
            % {"unit": locked.applicant.name, "n": len(elevators), "why": why},
            locked,
        )
    return locked


# --- the bureau's steps --------------------------------------------------------------------------------------

RETURN_REASON_MISSING = gettext_lazy("请填写退回原因，申请单位会看到它。")
BUSY = gettext_lazy("这份申请刚刚已由他人处理（%(status)s），您的操作未保存。")


def _step(application, from_states, to_state, *, action, actor, reason="", also=None, request=None):
    advance(
        application,
        from_states,
        to_state,
        action=action,
        actor=actor,
        busy_message=str(BUSY),
        reason=reason,
        also=also,
        request=request,
    )


def _tell_applicant(application, verdict: str, reason: str = "") -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _notify(
            application.applicant,
            NotificationKind.APPLICATION_DECIDED,
            _("电梯维护保养试点申请 %(number)s：%(verdict)s") % {"number": application.number, "verdict": verdict},
            reason,
            application,
        )


@transaction.atomic
def accept(application: PilotApplication, *, actor, request=None) -> PilotApplication:
    """受理."""
    _step(
        application,
        (S.SUBMITTED,),
        S.ACCEPTED,
        action="accept",
        actor=actor,
        also={"accepted_at": timezone.now()},
        request=request,
    )
    resolve(application, kinds=[NotificationKind.APPLICATION_SUBMITTED])
    _tell_applicant(application, _("已受理"))
    return application


@transaction.atomic
def review(application: PilotApplication, *, actor, note: str = "", request=None) -> PilotApplication:
    """审核 (the reviewer's opinion, optional)."""
    _step(
        application,
        (S.ACCEPTED,),
        S.REVIEWED,
        action="review",
        actor=actor,
        reason=decision_reason(note, required=False),
        also={"reviewed_at": timezone.now()},
        request=request,
    )
    return application


@transaction.atomic
def approve(
    application: PilotApplication, *, actor, interval_days: int, starts_on: date, note: str = "", request=None
) -> PilotApplication:
    """审批 通过: each elevator of the batch goes on 按需维保 with the approved interval, start and modes."""
    check_interval(interval_days)
    if starts_on is None:
        raise ValidationError({"starts_on": _("请填写按需维保开始日期。")})
    if starts_on < timezone.localdate():
        raise ValidationError({"starts_on": _("开始日期不能早于今天。")})
    _step(
        application,
        (S.REVIEWED,),
        S.APPROVED,
        action="approve",
        actor=actor,
        reason=decision_reason(note, required=False),
        also={"decided_at": timezone.now(), "interval_days": interval_days, "starts_on": starts_on},
        request=request,
    )
    basis = _("改进维保模式试点 %(number)s") % {"number": application.number}
    modes = {"iot_monitoring": bool(application.iot_monitoring), "full_package": bool(application.full_package)}
    for elevator in application.elevators.all():
        set_on_demand(
            elevator,
            interval_days=interval_days,
            starts_on=starts_on,
            note=basis,
            actor=actor,
            modes=modes,
            request=request,
        )
    _tell_applicant(
        application,
        _("已审批通过"),
        _("%(n)s 台电梯自 %(day)s 起按需维保，维保间隔 %(days)s 天。")
        % {"n": application.lines.count(), "day": starts_on.isoformat(), "days": interval_days},
    )
    return application


@transaction.atomic
def return_application(application: PilotApplication, *, actor, reason: str, request=None) -> PilotApplication:
    """退回申请 with the reason (查看原因): the applicant edits, saves and submits again."""
    reason = decision_reason(reason, required=True, missing=RETURN_REASON_MISSING)
    _step(
        application,
        IN_PROGRESS,
        S.RETURNED,
        action="return",
        actor=actor,
        reason=reason,
        also={"decided_at": timezone.now(), "decision_reason": reason},
        request=request,
    )
    resolve(application, kinds=[NotificationKind.APPLICATION_SUBMITTED])
    _tell_applicant(application, _("退回申请"), reason)
    return application


def timeline(application: PilotApplication) -> list:
    return list(reversed(list(audit.events_for(application, limit=200))))
