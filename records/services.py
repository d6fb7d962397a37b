"""维保纪录: a visit from its start on site to the use unit's confirmation, each step checked where it happens.

Start: the worker is qualified, in a group holding the elevator, within the elevator's geofence (or the record
is flagged when the elevator has no coordinates) and his selfie is him. A second, distinct qualified worker joins
with the code shown on the first one's phone. Items are answered one by one (no "all normal"): abnormal needs a
description, 不涉及 a reason, numeric items a measured value (flagged against the limit), test items a photo.
Finish: every item answered, two workers, the hazard codes, the work type; the plan is completed and the rest of
its year re-anchored. Times are the phone's (an offline visit keeps its own); the server keeps its receipt time.
"""

import math
import secrets
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import WorkerQualification
from accounts.services import verify_face
from core import audit
from core.tenancy import scope_for
from core.uploads import IMAGE, save_attachment, validate_upload
from maintenance.models import Condition, GroupAssignment, MaintenancePlan, PlanStatus
from maintenance.services import annex_for, items_for
from maintenance.services.plans import PLANNABLE_STATUSES, complete_plan

from . import notices
from .models import (
    WORK_TYPE_OF_CYCLE,
    Flag,
    Hazard,
    ItemResult,
    MaintenanceRecord,
    RecordItem,
    RecordStatus,
    RecordWorker,
    WorkType,
)

__all__ = [
    "MIN_MINUTES",
    "Position",
    "distance_m",
    "start_visit",
    "join_visit",
    "answer_item",
    "finish_visit",
    "items_due",
    "plan_for_visit",
    "elevator_for_visit",
    "work_type_for",
    "calibration_note",
    "overlapping",
    "confirm_record",
    "awaiting_confirmation",
    "CONFIRMATION_DUE",
    "start_correction",
    "approve_correction",
]

# a visit shorter than this for its cycle is flagged (用时过短): the items cannot be done faster
MIN_MINUTES = {"half_month": 20, "quarter": 40, "half_year": 60, "annual": 90}
PLAN_WINDOW_BEFORE = timedelta(days=30)  # a visit counts for an open plan due up to a month ago …
PLAN_WINDOW_AFTER = timedelta(days=15)  # … or due within the next half month
# months whose visits do the seasonal items (Chongqing: rains from May, winter from December)
SEASON_MONTHS = {Condition.BEFORE_RAINY_SEASON: (3, 4, 5), Condition.BEFORE_WINTER: (9, 10, 11)}
NUMERIC = "numeric"


class Position:
    """Where the phone was: latitude, longitude (WGS-84) and its accuracy in metres, as the browser gives them."""

    def __init__(self, latitude, longitude, accuracy=None):
        try:
            self.latitude, self.longitude = float(latitude), float(longitude)
        except (TypeError, ValueError):
            raise ValidationError({"position": _("没有取得手机的位置，请允许定位后重试。")}) from None
        if not (-90 <= self.latitude <= 90 and -180 <= self.longitude <= 180):
            raise ValidationError({"position": _("位置坐标无效。")})
        self.accuracy = None if accuracy in (None, "") else max(0, int(float(accuracy)))


def distance_m(lat1, lng1, lat2, lng2) -> int:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * 6371000 * math.asin(math.sqrt(a)))


# --- who may work on an elevator ------------------------------------------------------------------------------


def _check_worker(worker, elevator) -> None:
    scope = scope_for(worker)
    if scope.kind != "maintenance_company" or elevator.maintenance_company_id != scope.organization_id:
        raise ValidationError(_("这台电梯不由您的单位维保。"))
    in_group = GroupAssignment.objects.filter(elevator=elevator).filter(
        Q(group__members=worker) | Q(group__leader=worker)
    )
    if not in_group.exists():
        raise ValidationError(_("这台电梯不在您所在的维保小组，不能维保。"))
    until = WorkerQualification.objects.filter(user=worker).aggregate(until=Max("valid_until"))["until"]
    if until is None or until < timezone.localdate():
        raise ValidationError(_("%(name)s的资质已过期或未认证，不能维保。") % {"name": worker.display_name})
    if elevator.status not in PLANNABLE_STATUSES:
        raise ValidationError(_("电梯状态为“%(status)s”，不能维保。") % {"status": elevator.get_status_display()})


def _check_position(elevator, position: Position) -> tuple[int | None, list[str]]:
    """(distance, flags): refused beyond the geofence; an elevator without coordinates is flagged instead."""
    if not elevator.has_location:
        return None, [Flag.NO_ELEVATOR_POSITION]
    distance = distance_m(position.latitude, position.longitude, elevator.latitude, elevator.longitude)
    if distance > elevator.geofence_m:
        raise ValidationError(
            {
                "position": _("您距离电梯约 %(distance)s 米，超出 %(fence)s 米的电子围栏，请到现场后再开始。")
                % {"distance": distance, "fence": elevator.geofence_m}
            }
        )
    return distance, []


def _check_face(worker, selfie) -> tuple[float, object]:
    """The selfie is the worker (维保验证); returns the distance and the checked upload."""
    checked = validate_upload(selfie, kinds=IMAGE)
    selfie.seek(0)
    matched, distance = verify_face(worker, selfie.read())
    if not matched:
        raise ValidationError({"selfie": _("自拍与维保验证照片不是同一人，请本人重新拍摄。")})
    return distance, checked


# --- what the visit does --------------------------------------------------------------------------------------


def elevator_for_visit(user, text: str):
    """The elevator a phone names: a register code typed, or the public URL (or bare token) its QR sign holds;
    among the elevators the user may see (None otherwise)."""
    from elevators.models import Elevator

    text = (text or "").strip()
    visible = Elevator.objects.visible_to(user)
    if "/e/" in text:
        token = text.rsplit("/e/", 1)[1].split("?")[0].split("#")[0].strip("/")
        return visible.filter(qr_token=token).first() if token else None
    return visible.filter(Q(register_code=text) | Q(qr_token=text)).first() if text else None


def plan_for_visit(elevator, day):
    """The open plan a visit on `day` fulfils: the one due nearest to it within the window, or None."""
    candidates = MaintenancePlan.objects.filter(
        elevator=elevator,
        status=PlanStatus.PLANNED,
        due_date__gte=day - PLAN_WINDOW_BEFORE,
        due_date__lte=day + PLAN_WINDOW_AFTER,
    )
    return min(candidates, key=lambda p: (abs((p.due_date - day).days), p.due_date), default=None)


def items_due(elevator, cycle: str, day):
    """The items of the visit: the regulation's tables up to the cycle and the company's own, seasonal items only
    in their months (firefighter and explosion-proof elevators follow the company's items of annex A, entered
    from their manufacturer's list)."""
    annex = annex_for(elevator.device_category) or "A"
    items = items_for(annex, cycle, elevator.maintenance_company_id)
    out_of_season = [c for c, months in SEASON_MONTHS.items() if day.month not in months]
    return items.exclude(condition__in=out_of_season).order_by("cycle_rank", "number", "code", "id")


# 限速器动作速度校验 (TSG T5002 annex A-4-6, B-4-4, C-4-6): part of the annual governor–safety-gear test, due by
# the governor's age: traction ≤ 15 years every 2 years, > 15 years every year; hydraulic every 2, dumbwaiters every 5
GOVERNOR_TEST_ITEMS = {"A-4-6": (2, 15), "B-4-4": (2, None), "C-4-6": (5, None)}


def governor_age(elevator, day) -> tuple[int, bool]:
    """(whole years of the governor at `day`, whether it is the ledger's 限速器 component's or the elevator's)."""
    components = [c for c in elevator.components.all() if c.name == "限速器"]
    since = max(c.installed_on for c in components) if components else elevator.installation_date
    years = day.year - since.year - ((day.month, day.day) < (since.month, since.day))
    return max(years, 0), bool(components)


def calibration_note(item_code: str, elevator, day) -> str:
    """What the governor item of an annual visit adds: whether this year's visit calibrates the governor's tripping
    speed (the age-conditional part of the item), with the age it follows. Empty for every other item."""
    rule = GOVERNOR_TEST_ITEMS.get(item_code)
    if rule is None:
        return ""
    every, yearly_after = rule
    age, _own = governor_age(elevator, day)
    if yearly_after is not None and age > yearly_after:
        every = 1
    if age >= every and age % every == 0:
        return _("本次须进行限速器动作速度校验（限速器已使用 %(age)s 年，每 %(every)s 年一次）。") % {
            "age": age,
            "every": every,
        }
    following = (age // every + 1) * every
    return _("本次不需校验限速器动作速度（限速器已使用 %(age)s 年，满 %(next)s 年时校验）。") % {
        "age": age,
        "next": following,
    }


def work_type_for(elevator, cycle: str, on=None) -> str:
    """FM for the half-month visits of an on-demand elevator (按需维保) from its start, else the cycle's type.
    `on`: the visit's day (today by default)."""
    try:
        on_demand = elevator.on_demand
    except ObjectDoesNotExist:
        on_demand = None
    if on_demand is not None and cycle == "half_month" and on_demand.starts_on <= (on or timezone.localdate()):
        return WorkType.ON_DEMAND
    return WORK_TYPE_OF_CYCLE[cycle]


def _aware(moment) -> datetime:
    if moment is None:
        return timezone.now()
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@transaction.atomic
def start_visit(
    *, worker, elevator, position: Position, selfie, at=None, join_code=None, request=None
) -> MaintenanceRecord:
    """开始维保: checks the worker, the place and the face, then opens the record with the items to answer.

    `join_code` is the code a phone that started offline already showed the second worker (six digits); it is
    kept unless another visit in progress holds it, else a new one is drawn."""
    at = _aware(at)
    elevator = type(elevator).objects.select_for_update().get(pk=elevator.pk)
    _check_worker(worker, elevator)
    distance, flags = _check_position(elevator, position)
    face_distance, checked = _check_face(worker, selfie)
    if MaintenanceRecord.objects.filter(elevator=elevator, status=RecordStatus.IN_PROGRESS).exists():
        raise ValidationError(_("这台电梯已有进行中的维保，请扫描第一维保人手机上的加入码加入。"))
    plan = plan_for_visit(elevator, timezone.localtime(at).date())
    cycle = plan.cycle if plan else "half_month"
    record = MaintenanceRecord.objects.create(
        organization_id=elevator.maintenance_company_id,
        elevator=elevator,
        plan=plan,
        cycle=cycle,
        work_type=work_type_for(elevator, cycle),
        started_at=at,
        latitude=Decimal(f"{position.latitude:.6f}"),
        longitude=Decimal(f"{position.longitude:.6f}"),
        accuracy_m=position.accuracy,
        distance_m=distance,
        flags=flags,
        join_code=_join_code(join_code),
    )
    _add_worker(record, worker, RecordWorker.Role.FIRST, at, position, distance, face_distance, checked)
    day = timezone.localtime(at).date()
    RecordItem.objects.bulk_create(
        RecordItem(
            record=record,
            item=item,
            code=item.code,
            part=item.part,
            requirement=" ".join(filter(None, [item.requirement, calibration_note(item.code, elevator, day)]))[:300],
        )
        for item in items_due(elevator, cycle, day)
    )
    audit.record(worker, "start_visit", record, changes={"elevator": [None, elevator.register_code]}, request=request)
    return record


def _join_code(proposed) -> str:
    """The phone's proposal when it is six ASCII digits no visit in progress holds, else a fresh code (also
    unheld: join_visit finds the visit by its code)."""
    code = (proposed or "").strip()
    in_progress = MaintenanceRecord.objects.filter(status=RecordStatus.IN_PROGRESS)
    while not (len(code) == 6 and code.isascii() and code.isdigit()) or in_progress.filter(join_code=code).exists():
        code = f"{secrets.randbelow(10**6):06d}"
    return code


def _add_worker(record, worker, role, at, position, distance, face_distance, checked) -> RecordWorker:
    entry = RecordWorker(
        record=record,
        user=worker,
        role=role,
        joined_at=at,
        latitude=Decimal(f"{position.latitude:.6f}"),
        longitude=Decimal(f"{position.longitude:.6f}"),
        distance_m=distance,
        face_distance=face_distance,
        face_matched=True,
    )
    entry.selfie = save_attachment(checked, record, "selfie", worker)
    entry.save()
    return entry


@transaction.atomic
def join_visit(*, worker, code: str, position: Position, selfie, at=None, request=None) -> MaintenanceRecord:
    """The second worker joins with the code on the first worker's phone, his own selfie and position."""
    at = _aware(at)
    record = (
        MaintenanceRecord.objects.select_for_update()
        .select_related("elevator")
        .filter(join_code=(code or "").strip(), status=RecordStatus.IN_PROGRESS)
        .first()
    )
    if record is None or not (code or "").strip():
        raise ValidationError({"code": _("加入码无效或这次维保已结束。")})
    if record.workers.filter(user=worker).exists():
        raise ValidationError({"code": _("您已在这次维保中：一次维保需要两名不同的维保人员。")})
    if record.workers.count() >= 2:
        raise ValidationError({"code": _("这次维保已有两名维保人员。")})
    _check_worker(worker, record.elevator)
    distance, _flags = _check_position(record.elevator, position)
    face_distance, checked = _check_face(worker, selfie)
    _add_worker(record, worker, RecordWorker.Role.SECOND, at, position, distance, face_distance, checked)
    audit.record(worker, "join_visit", record, request=request)
    return record


def _in_progress(record, worker) -> MaintenanceRecord:
    record = MaintenanceRecord.objects.select_for_update().select_related("elevator").get(pk=record.pk)
    if record.status != RecordStatus.IN_PROGRESS:
        raise ValidationError(_("这次维保已结束，不能再修改。"))
    if not record.workers.filter(user=worker).exists():
        raise ValidationError(_("只有这次维保的维保人员可以填写。"))
    return record


def _measured(item, value):
    """The measured value of a numeric item (required) and whether it breaks the limit."""
    if item.judgement != NUMERIC:
        return None, False
    if value in (None, ""):
        raise ValidationError({"measured_value": _("这一项需要填写测量值。")})
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({"measured_value": _("测量值应为数字。")}) from None
    if not number.is_finite() or abs(number) >= Decimal("10000000"):
        raise ValidationError({"measured_value": _("测量值应为数字。")})
    low, high = item.lower_limit, item.upper_limit
    return number, (low is not None and number < low) or (high is not None and number > high)


@transaction.atomic
def answer_item(
    record, record_item_id, *, worker, result, note="", measured_value=None, photo=None, component_id=None, at=None
) -> RecordItem:
    """One item's result: 正常, 已调整, 已更换, 异常 (with a description) or 不涉及 (with a reason); a measured
    value for numeric items; a photo (an Attachment from `records.photos`) for test items, now or later."""
    record = _in_progress(record, worker)
    entry = RecordItem.objects.select_related("item").filter(record=record, pk=record_item_id).first()
    if entry is None:
        raise ValidationError(_("这一项不属于这次维保。"))
    if result not in ItemResult.values:
        raise ValidationError({"result": _("请选择这一项的结果。")})
    note = (note or "").strip()
    if result == ItemResult.ABNORMAL and not note:
        raise ValidationError({"note": _("异常的项目需要填写情况说明。")})
    if result == ItemResult.NOT_APPLICABLE and not note:
        raise ValidationError({"note": _("不涉及的项目需要填写原因。")})
    value, out = (None, False) if result == ItemResult.NOT_APPLICABLE else _measured(entry.item, measured_value)
    entry.result, entry.note, entry.measured_value, entry.out_of_limit = result, note[:300], value, out
    if photo is not None:
        entry.photo = photo
    entry.answered_at, entry.answered_by = _aware(at), worker
    entry.save()
    if result == ItemResult.REPLACED and component_id:
        _replace_component(record, entry, component_id, worker, entry.answered_at)
    return entry


def _replace_component(record, entry, component_id, worker, at) -> None:
    """已更换 naming a component of the elevator: the ledger's component starts a new life on the visit's day."""
    from elevators.models import Component

    component = Component.objects.filter(pk=component_id, elevator_id=record.elevator_id).first()
    if component is None:
        raise ValidationError({"component": _("这台电梯没有这个组件。")})
    before = component.installed_on
    component.installed_on = timezone.localtime(at).date()
    component.save()  # recomputes expires_on
    audit.record(
        worker,
        "components",
        record.elevator,
        changes={component.name: [before.isoformat(), component.installed_on.isoformat()]},
        reason=_("维保更换（%(code)s）") % {"code": entry.code},
    )


def overlapping(record) -> bool:
    """A worker of this visit was on another visit at an overlapping time (two places at once)."""
    users = list(record.workers.values_list("user_id", flat=True))
    end = record.finished_at or timezone.now()
    # a correction repeats its original's visit: neither counts against the other
    others = (
        MaintenanceRecord.objects.exclude(pk__in=[record.pk, record.corrects_id])
        .filter(corrects__isnull=True)
        .filter(workers__user_id__in=users, started_at__lt=end)
    )
    return others.filter(Q(finished_at__gt=record.started_at) | Q(finished_at__isnull=True)).exists()


def _flags(record, items) -> list[str]:
    flags = [f for f in record.flags if f in (Flag.NO_ELEVATOR_POSITION, Flag.OUTSIDE_GEOFENCE)]
    if record.duration_minutes is not None and record.duration_minutes < MIN_MINUTES[record.cycle]:
        flags.append(Flag.TOO_SHORT)
    if any(not w.face_matched for w in record.workers.all()):
        flags.append(Flag.FACE_MISMATCH)
    if any(i.item.needs_photo and i.result != ItemResult.NOT_APPLICABLE and not i.photo_id for i in items):
        flags.append(Flag.MISSING_PHOTO)
    if overlapping(record):
        flags.append(Flag.OVERLAP)
    return flags


def _check_hazards(codes) -> list[str]:
    codes = list(dict.fromkeys(codes or []))
    if not codes or any(c not in Hazard.values for c in codes):
        raise ValidationError({"hazard_codes": _("请选择严重事故隐患：S0（未发现），或 S1–S7 中的一项或多项。")})
    if Hazard.NONE in codes and len(codes) > 1:
        raise ValidationError({"hazard_codes": _("选择了 S0（未发现严重事故隐患）就不能再选 S1–S7。")})
    return sorted(codes)


@transaction.atomic
def finish_visit(record, *, worker, hazard_codes, work_type=None, at=None, request=None) -> MaintenanceRecord:
    """结束维保: every item answered, test photos there, two distinct workers; the plan is completed."""
    record = _in_progress(record, worker)
    at = _aware(at)
    if at <= record.started_at and not record.corrects_id:
        raise ValidationError(_("结束时间必须晚于开始时间。"))
    items = list(record.items.select_related("item"))
    unanswered = [i.code for i in items if not i.result]
    if unanswered:
        raise ValidationError(
            _("还有 %(n)s 项未填写：%(codes)s。") % {"n": len(unanswered), "codes": "、".join(unanswered[:10])}
        )
    missing = [i.code for i in items if i.item.needs_photo and i.result != ItemResult.NOT_APPLICABLE and not i.photo_id]
    if missing:
        raise ValidationError(_("以下试验项目需要拍照：%(codes)s。") % {"codes": "、".join(missing[:10])})
    if record.workers.count() < 2:
        raise ValidationError(_("一次维保需要两名维保人员：请第二名维保人员扫码加入。"))
    codes = _check_hazards(hazard_codes)
    chosen = work_type or record.work_type
    if chosen not in WorkType.values:
        raise ValidationError({"work_type": _("作业类型无效。")})
    if chosen == WorkType.ON_DEMAND and record.work_type != WorkType.ON_DEMAND:
        raise ValidationError({"work_type": _("只有按需维保的电梯可以选择 FM（按需维保）。")})
    if not record.corrects_id:  # a correction keeps the visit's own times
        record.finished_at = at
        record.duration_minutes = int((at - record.started_at).total_seconds() // 60)
    record.finish_received_at = timezone.now()
    record.hazard_codes, record.work_type, record.status = codes, chosen, RecordStatus.FINISHED
    record.flags = _flags(record, items)
    record.join_code = ""
    record.save()
    if record.plan_id and record.plan.status == PlanStatus.PLANNED:
        complete_plan(record.plan, at, actor=worker)
    audit.record(
        worker,
        "finish_visit",
        record,
        changes={"hazard_codes": [None, codes], "duration_minutes": [None, record.duration_minutes]},
        request=request,
    )
    notices.visit_finished(record)  # S1–S7 to the bureau, the use unit to confirm (never fails the visit)
    return record


# --- 使用单位确认 and the seal ------------------------------------------------------------------------------------

CONFIRMATION_DUE = timedelta(hours=24)


@transaction.atomic
def confirm_record(record, *, actor, signature, signer_name="", at=None, request=None) -> MaintenanceRecord:
    """The use unit's safety manager confirms with a drawn signature: on the worker's phone on site (`actor` is a
    worker of the visit, `signer_name` the manager's name), or later from the manager's own account (`actor`).
    The confirmed record is sealed into the company's chain at once; from then on it cannot change."""
    from core.policies import can

    from .seal import seal_record

    record = MaintenanceRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != RecordStatus.FINISHED:
        raise ValidationError(_("只有已结束、待确认的维保纪录可以确认。"))
    if record.corrects_id and not record.correction_approved_at:
        raise ValidationError(_("更正纪录须先经维保单位管理员批准，再由使用单位确认。"))
    workers = {w.user_id: w.user for w in record.workers.select_related("user")}
    on_site = actor.pk in workers
    if on_site:
        signer_name = (signer_name or "").strip()
        if not signer_name:
            raise ValidationError({"signer_name": _("请填写签字的使用单位安全管理人员姓名。")})
    elif can(actor, "confirm", record):
        signer_name = actor.display_name
    else:
        raise ValidationError(_("只有电梯使用单位的人员或本次维保人员（现场签字）可以确认维保纪录。"))
    checked = validate_upload(signature, kinds=IMAGE)
    names = {n for user in workers.values() for n in (user.full_name, user.username, user.display_name) if n}
    flags = list(record.flags)
    if signer_name in names and Flag.SELF_CONFIRMED not in flags:
        flags.append(Flag.SELF_CONFIRMED)
    record.signature = save_attachment(checked, record, "signature", actor)
    record.confirmed_at = _aware(at)
    record.confirmed_by = None if on_site else actor
    record.confirmed_name = signer_name[:60]
    record.confirmed_on_site = on_site
    record.flags = flags
    record.status = RecordStatus.CONFIRMED
    record.save()
    audit.record(actor, "confirm", record, changes={"confirmed_name": [None, record.confirmed_name]}, request=request)
    notices.record_confirmed(record)
    return seal_record(record)


def awaiting_confirmation(queryset, now=None):
    """Records finished more than 24 hours ago and still not confirmed by the use unit."""
    now = now or timezone.now()
    return queryset.filter(status=RecordStatus.FINISHED, finished_at__lt=now - CONFIRMATION_DUE)


# --- 更正: a sealed record never changes; a correction is a new record, approved, then confirmed ------------------


@transaction.atomic
def start_correction(original, *, actor, reason: str, request=None) -> MaintenanceRecord:
    """更正 a confirmed record: a new record with the same visit (times, place, workers, answers) that the
    workers edit, linked to the original, which stays as it was."""
    original = MaintenanceRecord.objects.select_for_update().get(pk=original.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写更正原因。")})
    if original.status != RecordStatus.CONFIRMED:
        raise ValidationError(_("只有已确认的维保纪录需要更正；未确认的纪录由维保人员直接修改。"))
    scope = scope_for(actor)
    workers = list(original.workers.all())
    if not (
        (scope.is_admin and scope.organization_id == original.organization_id)
        or any(w.user_id == actor.pk for w in workers)
    ):
        raise ValidationError(_("只有本次维保的维保人员或本单位管理员可以发起更正。"))
    if original.corrections.exclude(status=RecordStatus.CONFIRMED).exists():
        raise ValidationError(_("这条纪录已有一条未完成的更正。"))
    copy = MaintenanceRecord.objects.create(
        organization_id=original.organization_id,
        elevator_id=original.elevator_id,
        cycle=original.cycle,
        work_type=original.work_type,
        status=RecordStatus.IN_PROGRESS,
        started_at=original.started_at,
        finished_at=original.finished_at,
        duration_minutes=original.duration_minutes,
        latitude=original.latitude,
        longitude=original.longitude,
        accuracy_m=original.accuracy_m,
        distance_m=original.distance_m,
        hazard_codes=original.hazard_codes,
        flags=original.flags,
        corrects=original,
        correction_reason=reason[:200],
    )
    RecordWorker.objects.bulk_create(
        RecordWorker(
            record=copy,
            user_id=w.user_id,
            role=w.role,
            joined_at=w.joined_at,
            latitude=w.latitude,
            longitude=w.longitude,
            distance_m=w.distance_m,
            selfie_id=w.selfie_id,
            face_distance=w.face_distance,
            face_matched=w.face_matched,
        )
        for w in workers
    )
    RecordItem.objects.bulk_create(
        RecordItem(
            record=copy,
            item_id=i.item_id,
            code=i.code,
            part=i.part,
            requirement=i.requirement,
            result=i.result,
            note=i.note,
            measured_value=i.measured_value,
            out_of_limit=i.out_of_limit,
            photo_id=i.photo_id,
            answered_at=i.answered_at,
            answered_by_id=i.answered_by_id,
        )
        for i in original.items.all()
    )
    audit.record(actor, "correct", original, reason=reason, changes={"correction": [None, copy.pk]}, request=request)
    return copy


@transaction.atomic
def approve_correction(record, *, actor, request=None) -> MaintenanceRecord:
    """The company's maintenance manager approves a finished correction; the use unit then confirms it."""
    from core.policies import require

    record = MaintenanceRecord.objects.select_for_update().get(pk=record.pk)
    require(actor, "approve_correction", record)
    if not record.corrects_id or record.status != RecordStatus.FINISHED or record.correction_approved_at:
        raise ValidationError(_("只有已填写完成、尚未批准的更正纪录可以批准。"))
    record.correction_approved_by, record.correction_approved_at = actor, timezone.now()
    record.save(update_fields=["correction_approved_by", "correction_approved_at"])
    audit.record(actor, "approve_correction", record, request=request)
    notices.correction_approved(record)
    return record
