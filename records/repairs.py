"""维修纪录: a repair opened from a problem report, from a record's abnormal item, or by hand; its times checked in
order (reported → arrived → restored) and its people the company's own."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.policies import require
from core.tenancy import CHANGE, scope_for
from core.uploads import save_attachment
from elevators.models import Elevator

from .models import Repair, RepairStatus
from .photos import watermarked_photo

__all__ = [
    "REPAIR_FIELDS",
    "REPAIR_PHOTO",
    "MAX_REPAIR_PHOTOS",
    "create_repair",
    "update_repair",
    "initial_from",
    "repair_photos",
    "add_repair_photos",
]
REPAIR_PHOTO = "repair_photo"  # the attachments' purpose
MAX_REPAIR_PHOTOS = 30

REPAIR_FIELDS = ["fault", "cause", "work_done", "parts_replaced", "reported_at", "arrived_at", "restored_at"]


def _check(repair: Repair, workers) -> None:
    errors = {}
    if repair.arrived_at and repair.arrived_at < repair.reported_at:
        errors["arrived_at"] = _("到达时间不能早于报修时间。")
    if repair.restored_at and repair.restored_at < (repair.arrived_at or repair.reported_at):
        errors["restored_at"] = _("修复时间不能早于到达时间和报修时间。")
    if repair.restored_at and repair.restored_at > timezone.now() + timedelta(minutes=5):
        errors["restored_at"] = _("修复时间不能晚于现在。")
    if repair.restored_at and not (repair.cause or "").strip():
        errors["cause"] = _("修复时请填写故障原因。")
    strangers = [w for w in workers if w.organization_id != repair.organization_id]
    if strangers:
        errors["workers"] = _("维修人员须是本单位的人员。")
    if errors:
        raise ValidationError(errors)


def _snapshot(repair, workers) -> dict:
    return {**audit.snapshot(repair, REPAIR_FIELDS), "workers": sorted(w.display_name for w in workers)}


@transaction.atomic
def create_repair(*, actor, data: dict, request=None) -> Repair:
    """新增维修纪录 for an elevator the company maintains (`data["elevator"]`), optionally from a problem report
    or a record's abnormal item of that elevator."""
    elevator = data["elevator"]
    if not Elevator.objects.restrict(actor, CHANGE).filter(pk=elevator.pk).exists() or (
        elevator.maintenance_company_id != scope_for(actor).organization_id
    ):
        raise ValidationError({"elevator": _("只能为本单位维保的电梯新增维修纪录。")})
    report, item = data.get("problem_report"), data.get("record_item")
    if (report and report.elevator_id != elevator.pk) or (item and item.record.elevator_id != elevator.pk):
        raise ValidationError(_("问题上报或维保异常项不属于这台电梯。"))
    repair = Repair(
        organization_id=elevator.maintenance_company_id,
        elevator=elevator,
        problem_report=report,
        record_item=item,
        created_by=actor,
        **{k: data.get(k) for k in REPAIR_FIELDS if data.get(k) is not None},
    )
    workers = list(data.get("workers") or [])
    _check(repair, workers)
    repair.status = RepairStatus.RESTORED if repair.restored_at else RepairStatus.OPEN
    repair.full_clean(exclude=["workers"])
    repair.save()
    repair.workers.set(workers)
    audit.record(actor, "create", repair, changes=audit.created(_snapshot(repair, workers)), request=request)
    return repair


@transaction.atomic
def update_repair(repair: Repair, *, actor, data: dict, reason: str = "", request=None) -> Repair:
    """记录维修经过 / 修复: the times, cause, work and parts; restored once the restore time is given."""
    locked = Repair.objects.select_for_update().get(pk=repair.pk)
    before = _snapshot(locked, locked.workers.all())
    for field in REPAIR_FIELDS:
        if field in data:
            setattr(locked, field, data[field])
    workers = list(data["workers"]) if "workers" in data else list(locked.workers.all())
    _check(locked, workers)
    locked.status = RepairStatus.RESTORED if locked.restored_at else RepairStatus.OPEN
    locked.full_clean(exclude=["workers"])
    locked.save()
    locked.workers.set(workers)
    audit.record_changes(actor, locked, before, _snapshot(locked, workers), reason=reason, request=request)
    return locked


def initial_from(*, problem_report=None, record_item=None) -> dict:
    """What a new repair starts with when opened from a problem report or an abnormal item."""
    if problem_report is not None:
        return {
            "register_code": problem_report.elevator.register_code,
            "fault": problem_report.description[:300],
            "reported_at": problem_report.created_at,
        }
    if record_item is not None:
        return {
            "register_code": record_item.record.elevator.register_code,
            "fault": f"{record_item.code} {record_item.part}：{record_item.note}"[:300],
            "reported_at": record_item.answered_at or timezone.now(),
        }
    return {"reported_at": timezone.now()}


def repair_photos(repair):
    """The repair's photos (core.Attachment owned by the repair), in the order they were uploaded."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import Attachment

    return Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(Repair), owner_id=str(repair.pk), purpose=REPAIR_PHOTO
    ).order_by("uploaded_at", "id")


def add_repair_photos(repair: Repair, uploads, *, actor, request=None) -> list:
    """维修照片: each upload checked, turned upright, downscaled and watermarked with the upload time and the
    elevator (records.photos), then stored on the repair. One refused file refuses the upload, naming it; nothing
    is stored then."""
    require(actor, "change", repair)
    uploads = list(uploads)
    existing = repair_photos(repair).count()
    if existing + len(uploads) > MAX_REPAIR_PHOTOS:
        raise ValidationError(
            {
                "photos": _("一条维修纪录最多 %(max)s 张照片，已有 %(n)s 张。")
                % {"max": MAX_REPAIR_PHOTOS, "n": existing}
            }
        )
    taken_at = timezone.now()
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(watermarked_photo(upload, elevator=repair.elevator, taken_at=taken_at))
        except ValidationError as exc:
            errors.append(_("%(name)s：%(reason)s") % {"name": upload.name, "reason": "；".join(exc.messages)})
    if errors:
        raise ValidationError({"photos": errors})
    with transaction.atomic():
        saved = [save_attachment(photo, repair, REPAIR_PHOTO, actor) for photo in checked]
        audit.record(
            actor,
            "update",
            repair,
            changes={"photos": [existing, existing + len(saved)]},
            reason=_("上传维修照片 %(n)s 张") % {"n": len(saved)},
            request=request,
        )
    return saved
