"""监管申请 as plain functions: draft, edit, attach, submit, and the bureau's approve / return / reject.

Each step is one transaction. A status moves by a conditional UPDATE (`... WHERE status IN (...)`): of two
reviewers deciding the same application at the same moment, exactly one UPDATE matches a row, the other is told
who was first, and an approval's effects (the elevators' status, certificate number, company, plans) run inside the
winner's transaction, so they are applied once or, when one of them fails, not at all.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.models import Attachment
from core.tenancy import scope_for
from core.uploads import DOCUMENT, save_attachment, validate_upload
from core.workflow import TransitionError, advance
from elevators.models import Elevator, ElevatorStatus
from elevators.services import change_status, transfer_maintenance
from maintenance.services.plans import close_open_plans, hand_over, resume_plans
from notifications.models import NotificationKind
from notifications.services import notify, resolve
from organizations.models import Organization, OrganizationKind
from organizations.services import responsible_regulators

from .models import EDITABLE_STATUSES, OPEN_STATUSES, Application, ApplicationElevator, ApplicationKind, Purpose
from .models import ApplicationStatus as S
from .policies import FILING_KINDS

__all__ = [
    "KIND_FROM",
    "KIND_TO",
    "PURPOSES",
    "REQUIRED",
    "MAX_ELEVATORS",
    "FIELDS",
    "refusal_for",
    "availability",
    "open_application_of",
    "create_application",
    "update_application",
    "delete_application",
    "attach",
    "detach",
    "attachments_of",
    "missing_for_submission",
    "inspection_needed",
    "suspended_on",
    "registration_deadline",
    "submit",
    "approve",
    "return_application",
    "reject",
    "timeline",
    "steps_of",
    "decision_reason",
]

K = ApplicationKind
E = ElevatorStatus

# the statuses an elevator may be in for each kind, and where an approval takes it (TSG 08-2017)
KIND_FROM = {
    K.REGISTRATION: (E.PENDING_REGISTRATION,),
    K.MAINTAINER_CHANGE: (E.PENDING_REGISTRATION, E.IN_USE, E.SUSPENDED),
    K.SUSPENSION: (E.IN_USE,),
    K.REACTIVATION: (E.SUSPENDED,),
    K.SCRAPPING: (E.IN_USE, E.SUSPENDED),
}
KIND_TO = {K.REGISTRATION: E.IN_USE, K.SUSPENSION: E.SUSPENDED, K.REACTIVATION: E.IN_USE, K.SCRAPPING: E.SCRAPPED}
# the documents each kind takes, and those it cannot be submitted without
PURPOSES = {
    K.REGISTRATION: (Purpose.REGISTRATION_FORM, Purpose.NOTICE, Purpose.OTHER),
    K.MAINTAINER_CHANGE: (Purpose.EXPIRING_CONTRACT, Purpose.NEW_CONTRACT, Purpose.OTHER),
    K.SUSPENSION: (Purpose.OTHER,),
    K.REACTIVATION: (Purpose.INSPECTION_REPORT, Purpose.OTHER),
    K.SCRAPPING: (Purpose.OTHER,),
}
REQUIRED = {
    K.REGISTRATION: (Purpose.REGISTRATION_FORM, Purpose.NOTICE),
    K.MAINTAINER_CHANGE: (Purpose.EXPIRING_CONTRACT,),
}
FIELDS = ["kind", "effective_date", "reason", "new_company"]
MAX_ELEVATORS = 100
REGISTRATION_DAYS = 30  # 使用登记: within 30 days of putting into use (特种设备安全法 art. 33)
SUSPENSION_NEEDS_INSPECTION_DAYS = 365  # 停用 1 年以上: a periodic inspection before use (TSG T7001-2023 4.1(4))
EFFECTIVE_DATE_LABELS = {
    K.REGISTRATION: gettext_lazy("投入使用日期"),
    K.SUSPENSION: gettext_lazy("停用日期"),
    K.REACTIVATION: gettext_lazy("启用日期"),
    K.SCRAPPING: gettext_lazy("报废日期"),
}
REASON_LABELS = {
    K.REGISTRATION: gettext_lazy("备注"),
    K.MAINTAINER_CHANGE: gettext_lazy("变更原因"),
    K.SUSPENSION: gettext_lazy("停用原因"),
    K.REACTIVATION: gettext_lazy("启用原因"),
    K.SCRAPPING: gettext_lazy("报废原因"),
}


# --- what may be filed ---------------------------------------------------------------------------------------


def refusal_for(kind: str, elevator: Elevator) -> str:
    """Why `kind` cannot be filed for the elevator in its present status ('' when it can)."""
    if elevator.status in KIND_FROM[kind]:
        return ""
    status = elevator.get_status_display()
    if elevator.status == E.SCRAPPED:
        return _("电梯已报废，不能再办理任何申请。")
    if kind == K.REGISTRATION:
        return _("电梯已办理使用登记（当前状态：%(status)s），无需再次登记。") % {"status": status}
    if kind == K.SUSPENSION:
        return _("只有正常使用的电梯可以申请停用（当前状态：%(status)s）。") % {"status": status}
    if kind == K.REACTIVATION:
        return _("只有已停用的电梯可以申请启用（当前状态：%(status)s）。") % {"status": status}
    if kind == K.SCRAPPING:
        return _("尚未办理使用登记的电梯不能申请报废；录入有误的电梯请在台账中删除。")
    return _("当前状态（%(status)s）不能办理这项申请。") % {"status": status}


def open_application_of(elevator_ids, exclude_id=None) -> Application | None:
    """An unfinished application (草稿, 待审核, 已退回) that names one of these elevators."""
    lines = ApplicationElevator.objects.filter(
        elevator_id__in=list(elevator_ids), application__status__in=OPEN_STATUSES
    )
    if exclude_id is not None:
        lines = lines.exclude(application_id=exclude_id)
    line = lines.select_related("application").order_by("application_id").first()
    return line.application if line else None


def availability(elevator: Elevator) -> list[tuple[str, str, str]]:
    """(kind, label, why not) for each kind: what the elevator's page offers, and why the rest is not offered."""
    pending = open_application_of([elevator.pk])
    rows = []
    for kind, label in K.choices:
        why = refusal_for(kind, elevator)
        if not why and pending is not None:
            why = _("这台电梯有一份未办结的申请（%(number)s），办结后才能再申请。") % {"number": pending.number}
        rows.append((kind, label, why))
    return rows


def suspended_on(elevator: Elevator) -> date | None:
    """The day the elevator's latest approved suspension took effect (None when it was not suspended that way)."""
    return (
        Application.objects.filter(lines__elevator=elevator, kind=K.SUSPENSION, status=S.APPROVED)
        .order_by("-decided_at", "-id")
        .values_list("effective_date", flat=True)
        .first()
    )


def registration_deadline(application: Application) -> date | None:
    """使用登记's legal deadline: 30 days after the elevator is put into use."""
    if application.kind != K.REGISTRATION or not application.effective_date:
        return None
    return application.effective_date + timedelta(days=REGISTRATION_DAYS)


def inspection_needed(application: Application, elevators=None) -> str:
    """停用后启用: why a periodic inspection report must be attached first ('' when it need not)."""
    if application.kind != K.REACTIVATION or not application.effective_date:
        return ""
    day = application.effective_date
    for elevator in elevators if elevators is not None else application.elevators.all():
        since = suspended_on(elevator)
        if since and (day - since).days > SUSPENSION_NEEDS_INSPECTION_DAYS:
            return _("电梯 %(code)s 自 %(since)s 停用已超过一年：重新启用前须经定期检验合格，请上传定期检验报告。") % {
                "code": elevator.register_code,
                "since": since.isoformat(),
            }
        if elevator.next_inspection_date and elevator.next_inspection_date < day:
            return _("电梯 %(code)s 已超过检验有效期（%(due)s）：重新启用前须经定期检验合格，请上传定期检验报告。") % {
                "code": elevator.register_code,
                "due": elevator.next_inspection_date.isoformat(),
            }
    return ""


# --- drafts --------------------------------------------------------------------------------------------------


def _ids(values) -> list[int]:
    ids = []
    for value in values or []:
        pk = getattr(value, "pk", value)
        try:
            ids.append(int(pk))
        except (TypeError, ValueError):
            raise ValidationError({"elevators": _("电梯编号不正确。")}) from None
    return list(dict.fromkeys(ids))


def _elevators_for(actor, values) -> list[Elevator]:
    """The elevators named, among those the actor's unit keeps (its ledger): anything else is refused alike."""
    ids = _ids(values)
    if not ids:
        raise ValidationError({"elevators": _("请至少选择一台电梯。")})
    if len(ids) > MAX_ELEVATORS:
        raise ValidationError({"elevators": _("一份申请最多 %(n)s 台电梯。") % {"n": MAX_ELEVATORS}})
    found = {e.pk: e for e in Elevator.objects.changeable_by(actor).filter(pk__in=ids).select_related("region")}
    if len(found) != len(ids):
        raise ValidationError({"elevators": _("所选电梯不存在或不属于本单位。")})
    return [found[pk] for pk in ids]


def _check(application: Application, elevators: list[Elevator], today: date) -> None:
    """Every rule of a draft: the kind, the elevators together, the date, the reason, the new company."""
    errors: dict[str, list[str]] = {}
    kind = application.kind

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if kind not in K.values:
        raise ValidationError({"kind": _("请选择申请类别。")})
    if kind == K.REGISTRATION and len(elevators) > 1:
        add("elevators", _("使用登记按台办理：一份申请只能有一台电梯。"))
    for elevator in elevators:
        why = refusal_for(kind, elevator)
        if why:
            add("elevators", f"{elevator.register_code}：{why}")
    if len({e.use_unit_id for e in elevators}) > 1:
        add("elevators", _("一份申请中的电梯须属于同一使用单位。"))
    if len({e.region_id for e in elevators}) > 1:
        add("elevators", _("一份申请中的电梯须位于同一区县（由同一监管部门受理）。"))
    if kind == K.MAINTAINER_CHANGE and len({e.maintenance_company_id for e in elevators}) > 1:
        add("elevators", _("一份变更申请中的电梯须由同一家维保单位维保。"))
    pending = open_application_of([e.pk for e in elevators], exclude_id=application.pk)
    if pending is not None:
        add(
            "elevators",
            _("所选电梯已有一份未办结的申请（%(number)s %(kind)s），办结或删除后才能再申请。")
            % {"number": pending.number, "kind": pending.get_kind_display()},
        )
    day = application.effective_date
    if kind in EFFECTIVE_DATE_LABELS:
        label = EFFECTIVE_DATE_LABELS[kind]
        if day is None:
            add("effective_date", _("请填写%(what)s。") % {"what": label})
        else:
            if day > today + timedelta(days=365):
                add("effective_date", _("%(what)s不能晚于一年以后。") % {"what": label})
            installed = max((e.installation_date for e in elevators), default=None)
            if installed and day < installed:
                add(
                    "effective_date",
                    _("%(what)s不能早于电梯的安装日期（%(day)s）。") % {"what": label, "day": installed},
                )
            if kind == K.REACTIVATION:
                since = max(filter(None, map(suspended_on, elevators)), default=None)  # one query per elevator
                if since and day < since:
                    add("effective_date", _("启用日期不能早于停用日期（%(day)s）。") % {"day": since})
    else:
        application.effective_date = None
    if kind in (K.SUSPENSION, K.REACTIVATION, K.SCRAPPING) and not (application.reason or "").strip():
        add("reason", _("请填写%(what)s。") % {"what": REASON_LABELS[kind]})
    if len(application.reason or "") > 500:
        add("reason", _("最多 500 个字。"))
    if kind == K.MAINTAINER_CHANGE:
        company = application.new_company
        if company is None:
            add("new_company", _("请选择变更后的维保单位。"))
        elif company.kind != OrganizationKind.MAINTENANCE_COMPANY or not company.is_active:
            add("new_company", _("请选择一家在平台登记的维保单位。"))
        elif elevators and company.pk == elevators[0].maintenance_company_id:
            add("new_company", _("所选单位已经是这些电梯的维保单位。"))
    else:
        application.new_company = None
    if errors:
        raise ValidationError(errors)


def _fill(application: Application, data: dict) -> None:
    for field in ("effective_date", "reason", "new_company"):
        if field in data:
            value = data[field]
            if field == "new_company" and value is not None and not isinstance(value, Organization):
                value = Organization.objects.filter(pk=value).first() if str(value).isdigit() else None
                if value is None:
                    raise ValidationError({"new_company": _("请选择一家在平台登记的维保单位。")})
            setattr(application, field, value if value is not None or field != "reason" else "")


def _parties(application: Application, elevators: list[Elevator]) -> None:
    first = elevators[0]
    application.use_unit_id = first.use_unit_id
    application.maintenance_company_id = first.maintenance_company_id
    application.region_id = first.region_id


@transaction.atomic
def create_application(*, actor, data: dict, request=None) -> Application:
    """新增 a draft: the kind, the elevators (from the applicant's ledger), the date, the reason, the new company."""
    scope = scope_for(actor)
    if scope.kind not in FILING_KINDS or not scope.organization_id:
        raise ValidationError(_("只有维保单位或使用单位可以填报监管申请。"))
    application = Application(kind=data.get("kind") or "", applicant_id=scope.organization_id, created_by=actor)
    _fill(application, data)
    elevators = _elevators_for(actor, data.get("elevators"))
    _check(application, elevators, timezone.localdate())
    _parties(application, elevators)
    application.save()
    ApplicationElevator.objects.bulk_create(
        [ApplicationElevator(application=application, elevator=e) for e in elevators]
    )
    audit.record(
        actor,
        "create",
        application,
        changes=audit.created(
            {
                "kind": application.kind,
                "elevators": ", ".join(e.register_code for e in elevators),
                "effective_date": str(application.effective_date or ""),
                "reason": application.reason,
                "new_company": str(application.new_company or ""),
            }
        ),
        request=request,
    )
    return application


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("new_company", "region")
        .get(pk=application.pk)
    )


def _require_editable(application: Application) -> None:
    if application.status not in EDITABLE_STATUSES:
        raise TransitionError(
            _("申请%(status)s，不能再修改。") % {"status": application.get_status_display()}
            if application.status != S.SUBMITTED
            else _("申请已提交，正在审核，不能修改。")
        )


@transaction.atomic
def update_application(application: Application, *, actor, data: dict, reason: str = "", request=None) -> Application:
    """Edit a draft or a returned application (its kind stays; the elevators may change)."""
    locked = _locked(application)
    _require_editable(locked)
    before = {
        "elevators": ", ".join(locked.elevators.order_by("register_code").values_list("register_code", flat=True)),
        "effective_date": str(locked.effective_date or ""),
        "reason": locked.reason,
        "new_company": str(locked.new_company or ""),
    }
    _fill(locked, data)
    elevators = _elevators_for(actor, data["elevators"]) if "elevators" in data else list(locked.elevators.all())
    _check(locked, elevators, timezone.localdate())
    _parties(locked, elevators)
    locked.save()
    ids = {e.pk for e in elevators}
    locked.lines.exclude(elevator_id__in=ids).delete()
    have = set(locked.lines.values_list("elevator_id", flat=True))
    ApplicationElevator.objects.bulk_create(
        [ApplicationElevator(application=locked, elevator=e) for e in elevators if e.pk not in have]
    )
    after = {
        "elevators": ", ".join(sorted(e.register_code for e in elevators)),
        "effective_date": str(locked.effective_date or ""),
        "reason": locked.reason,
        "new_company": str(locked.new_company or ""),
    }
    changes = audit.diff(before, after)
    if changes:
        audit.record(actor, "update", locked, changes=changes, reason=reason, request=request)
    return locked


@transaction.atomic
def delete_application(application: Application, *, actor, request=None) -> None:
    """A draft is deleted (with its files); anything submitted stays, whatever came of it."""
    locked = _locked(application)
    if locked.status != S.DRAFT:
        raise TransitionError(_("只有草稿可以删除；已提交的申请会一直保留。"))
    attachments_of(locked).delete()
    audit.record(actor, "delete", locked, changes={"kind": [locked.kind, None]}, request=request)
    locked.delete()


# --- documents -----------------------------------------------------------------------------------------------


def attachments_of(application: Application):
    return Attachment.objects.filter(owner_type__app_label="applications", owner_id=str(application.pk)).order_by(
        "purpose", "id"
    )


@transaction.atomic
def attach(application: Application, *, actor, purpose: str, upload, request=None) -> Attachment:
    """上传 a document (PDF, JPEG or PNG, checked by content) to a draft or returned application."""
    locked = _locked(application)
    _require_editable(locked)
    if purpose not in PURPOSES[locked.kind]:
        raise ValidationError({"purpose": _("这类申请不需要这种材料。")})
    if attachments_of(locked).count() >= 20:
        raise ValidationError({"file": _("一份申请最多 20 个附件。")})
    try:
        checked = validate_upload(upload, kinds=DOCUMENT)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    attachment = save_attachment(checked, locked, purpose, actor)
    audit.record(actor, "attach", locked, changes={str(Purpose(purpose).label): [None, checked.name]}, request=request)
    return attachment


@transaction.atomic
def detach(application: Application, attachment_id, *, actor, request=None) -> None:
    """移除 a document from a draft or returned application."""
    locked = _locked(application)
    _require_editable(locked)
    attachment = attachments_of(locked).filter(pk=attachment_id).first()
    if attachment is None:
        raise ValidationError(_("附件不存在。"))
    name, label = (
        attachment.original_name,
        Purpose(attachment.purpose).label if attachment.purpose in Purpose.values else attachment.purpose,
    )
    attachment.file.delete(save=False)
    attachment.delete()
    audit.record(actor, "detach", locked, changes={str(label): [name, None]}, request=request)


def missing_for_submission(application: Application, elevators=None) -> list[str]:
    """What still keeps the application from being submitted (documents, the inspection report)."""
    have = set(attachments_of(application).values_list("purpose", flat=True))
    missing = [
        _("请上传“%(what)s”。") % {"what": Purpose(purpose).label}
        for purpose in REQUIRED.get(application.kind, ())
        if purpose not in have
    ]
    if Purpose.INSPECTION_REPORT not in have:
        why = inspection_needed(application, elevators)
        if why:
            missing.append(why)
    return missing


# --- the steps -----------------------------------------------------------------------------------------------


def _move(application, from_states, to_state, **kwargs):
    """Claim the step (core.workflow.advance): a concurrent decision that came first makes it match nothing."""
    advance(
        application,
        from_states,
        to_state,
        busy_message=_("这份申请刚刚已由他人处理（%(status)s），您的审核未保存。"),
        **kwargs,
    )


def _notify(organization, kind, title, body, application, audience="all") -> None:
    """Notifications are stored in the platform's language, whoever's request sent them."""
    if organization is None:
        return
    notify(organization, kind, title, body, application.get_absolute_url(), about=application, audience=audience)


def _codes(elevators) -> str:
    codes = [e.register_code for e in elevators]
    return "、".join(codes[:5]) + (_("等 %(n)s 台") % {"n": len(codes)} if len(codes) > 5 else "")


@transaction.atomic
def submit(application: Application, *, actor, request=None) -> Application:
    """提交 to the bureau of the elevators' district (the city bureau where the district has none)."""
    locked = _locked(application)
    _require_editable(locked)
    elevators = list(locked.elevators.select_related("region"))
    _check(locked, elevators, timezone.localdate())
    missing = missing_for_submission(locked, elevators)
    if missing:
        raise ValidationError(missing)
    bureaus = responsible_regulators(locked.region_id, locked.city_id)
    if not bureaus:
        raise ValidationError(_("电梯所在区县尚无监管部门入驻平台，暂不能在线提交，请联系当地市场监督管理局。"))
    bureau = bureaus[0]
    _move(
        locked,
        EDITABLE_STATUSES,
        S.SUBMITTED,
        action="submit",
        actor=actor,
        changes={"regulator": [None, bureau.name]},
        also={"regulator": bureau, "submitted_at": timezone.now(), "decided_at": None, "decided_by": None},
        request=request,
    )
    with translation.override(settings.LANGUAGE_CODE):
        _notify(
            bureau,
            NotificationKind.APPLICATION_SUBMITTED,
            _("新的%(kind)s待审核：%(number)s") % {"kind": locked.get_kind_display(), "number": locked.number},
            _("%(unit)s 提交，电梯 %(codes)s。") % {"unit": _name(locked.applicant_id), "codes": _codes(elevators)},
            locked,
        )
    return locked


def _name(organization_id) -> str:
    return Organization.objects.filter(pk=organization_id).values_list("name", flat=True).first() or ""


def _decided(locked, elevators, verdict: str, reason: str) -> None:
    """Tell the applicant (and the other parties of an approval) the bureau's decision; the bureau's request to
    review is done."""
    resolve(locked, kinds=[NotificationKind.APPLICATION_SUBMITTED])
    title = _("%(kind)s %(number)s：%(verdict)s") % {
        "kind": locked.get_kind_display(),
        "number": locked.number,
        "verdict": verdict,
    }
    body = _("电梯 %(codes)s。%(reason)s") % {"codes": _codes(elevators), "reason": reason}
    told = {locked.applicant_id}
    _notify(locked.applicant, NotificationKind.APPLICATION_DECIDED, title, body, locked)
    if locked.status != S.APPROVED:
        return
    for party in (locked.use_unit, locked.maintenance_company, locked.new_company):
        if party is not None and party.pk not in told:
            told.add(party.pk)
            _notify(party, NotificationKind.APPLICATION_DECIDED, title, body, locked, audience="admins")


def decision_reason(reason: str, required: bool, missing=None) -> str:
    """A bureau's reason or note: stripped, at most 500 characters, required (`missing` says so) for a return or
    a refusal."""
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": str(missing or _("请填写原因，申请单位会看到它。"))})
    if len(reason) > 500:
        raise ValidationError({"reason": _("最多 500 个字。")})
    return reason


@transaction.atomic
def approve(
    application: Application,
    *,
    actor,
    certificate_number: str = "",
    registered_on: date | None = None,
    note: str = "",
    request=None,
) -> Application:
    """审核通过: the elevators move (登记 → 正常使用 with the certificate; 变更 → the new company with its plans;
    停用 → plans closed; 启用 → plans resume; 报废 → final)."""
    note = decision_reason(note, required=False)
    also = {"decided_at": timezone.now(), "decided_by": actor, "decision_reason": note}
    kind = application.kind
    if kind == K.REGISTRATION:
        certificate_number = (certificate_number or "").strip()
        if not certificate_number:
            raise ValidationError({"certificate_number": _("请填写使用登记证编号。")})
        if len(certificate_number) > 40:
            raise ValidationError({"certificate_number": _("最多 40 个字符。")})
        registered_on = registered_on or timezone.localdate()
        if registered_on > timezone.localdate():
            raise ValidationError({"registered_on": _("登记日期不能晚于今天。")})
        also.update(certificate_number=certificate_number, registered_on=registered_on)
    _move(
        application, (S.SUBMITTED,), S.APPROVED, action="approve", actor=actor, reason=note, also=also, request=request
    )
    locked = Application.objects.select_related("applicant", "use_unit", "maintenance_company", "new_company").get(
        pk=application.pk
    )
    elevators = list(locked.elevators.order_by("register_code"))
    why = f"{locked.get_kind_display()} {locked.number}" + (f"：{locked.reason}" if locked.reason else "")
    for elevator in elevators:
        try:
            _apply(locked, elevator, actor=actor, why=why, request=request)
        except TransitionError as exc:
            raise ValidationError(
                _("电梯 %(code)s 的状态已变化，不能按本申请办理：%(error)s")
                % {"code": elevator.register_code, "error": exc}
            ) from None
    with translation.override(settings.LANGUAGE_CODE):
        _decided(locked, elevators, _("审核通过"), note)
    return locked


def _apply(application: Application, elevator: Elevator, *, actor, why: str, request) -> None:
    kind = application.kind
    if kind == K.MAINTAINER_CHANGE:
        transfer_maintenance(elevator, application.new_company, actor=actor, reason=why, request=request)
        hand_over(elevator, application.new_company_id, actor=actor, reason=why, request=request)
        return
    also = {"use_registration_number": application.certificate_number} if kind == K.REGISTRATION else None
    change_status(elevator, KIND_TO[kind], actor=actor, reason=why, request=request, also=also)
    if kind in (K.SUSPENSION, K.SCRAPPING):
        close_open_plans(elevator, reason=why[:200], actor=actor, request=request)
    elif kind == K.REACTIVATION:
        resume_plans(elevator, application.effective_date, actor=actor, request=request)


def _decline(application, *, actor, reason, to_state, action, verdict, request) -> Application:
    reason = decision_reason(reason, required=True)
    also = {"decided_at": timezone.now(), "decided_by": actor, "decision_reason": reason}
    _move(application, (S.SUBMITTED,), to_state, action=action, actor=actor, reason=reason, also=also, request=request)
    with translation.override(settings.LANGUAGE_CODE):
        _decided(application, list(application.elevators.all()), str(verdict), reason)
    return application


@transaction.atomic
def return_application(application: Application, *, actor, reason: str, request=None) -> Application:
    """退回: the applicant corrects the application and submits it again."""
    verdict = gettext_lazy("已退回，请修改后重新提交")
    return _decline(
        application, actor=actor, reason=reason, to_state=S.RETURNED, action="return", verdict=verdict, request=request
    )


@transaction.atomic
def reject(application: Application, *, actor, reason: str, request=None) -> Application:
    """不予通过: final; the applicant may file a new application."""
    verdict = gettext_lazy("不予通过")
    return _decline(
        application, actor=actor, reason=reason, to_state=S.REJECTED, action="reject", verdict=verdict, request=request
    )


def timeline(application: Application) -> list:
    """Every step of the application, oldest first (who, when, what, why)."""
    return list(reversed(list(audit.events_for(application, limit=200))))


def steps_of(applications, limit: int = 30) -> list:
    """The newest steps of several applications together (the elevator's page), as (event, application)."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEvent

    by_id = {str(a.pk): a for a in applications}
    if not by_id:
        return []
    events = AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Application), target_id__in=list(by_id)
    ).order_by("-at", "-id")[:limit]
    return [(event, by_id[event.target_id]) for event in events]
