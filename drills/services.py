"""应急演练: record, change and delete a company's drills (validated in full before anything is saved, audited).

A drill covers at least one elevator the company maintains, is not dated in the future, names its people among
the company's active accounts (others in plain text) and keeps 1–9 photos (JPEG/PNG, checked by content through
`core.uploads`)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit
from core.models import Attachment
from core.policies import require
from core.tenancy import scope_for
from core.uploads import IMAGE, save_attachment, validate_upload
from elevators.models import Elevator

from .models import PHOTO_PURPOSE, EmergencyDrill

__all__ = [
    "DRILL_FIELDS",
    "MAX_PHOTOS",
    "PHOTO_MAX_BYTES",
    "company_people",
    "drillable_elevators",
    "create_drill",
    "update_drill",
    "delete_drill",
]

DRILL_FIELDS = ["held_on", "subject", "location", "other_participants", "summary"]
MAX_PHOTOS = 9
PHOTO_MAX_BYTES = 5 * 1024 * 1024
SCRAPPED = "scrapped"


def drillable_elevators(organization_id):
    """The elevators a company's drill may cover: those it maintains that are not scrapped."""
    return Elevator.objects.filter(maintenance_company_id=organization_id).exclude(status=SCRAPPED)


def company_people(organization_id):
    """The company's active accounts, who may be named as participants."""
    return User.objects.filter(organization_id=organization_id, is_active=True).order_by("full_name", "username", "id")


def _ids(values, field) -> list[int]:
    ids = []
    for value in values or ():
        pk = getattr(value, "pk", value)
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            raise ValidationError({field: _("“%(value)s”不是有效的编号。") % {"value": value}}) from None
        if pk not in ids:
            ids.append(pk)
    return ids


def _check_photos(uploads) -> list:
    checked, errors = [], []
    for upload in uploads or ():
        try:
            checked.append(validate_upload(upload, kinds=IMAGE, max_bytes=PHOTO_MAX_BYTES))
        except ValidationError as exc:
            errors.append(_("%(name)s：%(error)s") % {"name": getattr(upload, "name", "?"), "error": exc.messages[0]})
    if errors:
        raise ValidationError({"photos": errors})
    return checked


def _clean(drill: EmergencyDrill, data: dict, *, elevators, participants, photo_count: int) -> tuple[list, list]:
    """Check the drill's fields and its elevators and people; ValidationError naming every bad field."""
    errors = {}
    for name in ("subject", "location", "other_participants", "summary"):
        setattr(drill, name, (getattr(drill, name) or "").strip())
    if not drill.held_on:
        errors["held_on"] = _("请填写演练日期。")
    elif drill.held_on > timezone.localdate():
        errors["held_on"] = _("演练日期不能晚于今天。")
    if not drill.subject:
        errors["subject"] = _("请填写演练内容，例如“困人救援”。")
    if not drill.location:
        errors["location"] = _("请填写演练地点。")
    if not drill.summary:
        errors["summary"] = _("请填写演练总结。")
    elevator_ids = _ids(elevators, "elevators")
    if not elevator_ids:
        errors["elevators"] = _("请至少选择一台演练电梯。")
    else:
        own = set(drillable_elevators(drill.organization_id).filter(pk__in=elevator_ids).values_list("pk", flat=True))
        if len(own) != len(elevator_ids):
            errors["elevators"] = _("只能选择本单位维保的电梯（%(n)s 台不是）。") % {"n": len(elevator_ids) - len(own)}
    people_ids = _ids(participants, "participants")
    if people_ids:
        found = set(company_people(drill.organization_id).filter(pk__in=people_ids).values_list("pk", flat=True))
        if len(found) != len(people_ids):
            errors["participants"] = _("参演人员必须是本单位在职的账号（%(n)s 个不是）。") % {
                "n": len(people_ids) - len(found)
            }
    if photo_count < 1:
        errors["photos"] = _("请上传至少一张演练照片。")
    elif photo_count > MAX_PHOTOS:
        errors["photos"] = _("演练照片最多 %(max)s 张（现有 %(n)s 张）。") % {"max": MAX_PHOTOS, "n": photo_count}
    try:
        drill.full_clean(exclude=["organization", "created_by"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    return elevator_ids, people_ids


def _snapshot(drill: EmergencyDrill, elevator_ids, people_ids, photo_names) -> dict:
    codes = (
        Elevator.objects.filter(pk__in=elevator_ids).order_by("register_code").values_list("register_code", flat=True)
    )
    names = [user.display_name for user in User.objects.filter(pk__in=people_ids).order_by("full_name", "username")]
    return {
        **audit.snapshot(drill, DRILL_FIELDS),
        "elevators": "、".join(codes),
        "participants": "、".join(names),
        _("演练照片"): "、".join(photo_names),
    }


@transaction.atomic
def create_drill(*, actor, data: dict, photos=(), request=None) -> EmergencyDrill:
    """登记 a drill of the actor's company (the operator names the company as `organization`)."""
    scope = scope_for(actor)
    organization = data.get("organization") if scope.is_operator else None
    organization_id = getattr(organization, "pk", organization) or (
        scope.organization_id if scope.kind == "maintenance_company" else None
    )
    if organization_id is None:
        raise ValidationError(_("只有维保单位可以登记应急演练。"))
    drill = EmergencyDrill(
        organization_id=organization_id,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{name: data.get(name) or ("" if name != "held_on" else None) for name in DRILL_FIELDS},
    )
    require(actor, "add", drill)
    photos = list(photos or ())
    elevator_ids, people_ids = _clean(
        drill, data, elevators=data.get("elevators"), participants=data.get("participants"), photo_count=len(photos)
    )
    checked = _check_photos(photos)
    drill.save()
    drill.elevators.set(elevator_ids)
    drill.participants.set(people_ids)
    for photo in checked:
        save_attachment(photo, drill, PHOTO_PURPOSE, actor)
    changes = audit.created(_snapshot(drill, elevator_ids, people_ids, [photo.name for photo in checked]))
    audit.record(actor, "create", drill, changes=changes, request=request)
    return drill


@transaction.atomic
def update_drill(
    drill: EmergencyDrill, *, actor, data: dict, photos=(), remove_photos=(), reason: str = "", request=None
) -> EmergencyDrill:
    """Change a drill: the fields in `data`, new `photos` added, the attachments in `remove_photos` (ids) removed;
    it keeps 1–9 photos."""
    locked = EmergencyDrill.objects.select_for_update().get(pk=drill.pk)
    require(actor, "change", locked)
    current_elevators = list(locked.elevators.values_list("pk", flat=True))
    current_people = list(locked.participants.values_list("pk", flat=True))
    kept = list(locked.photos())
    before = _snapshot(locked, current_elevators, current_people, [p.original_name for p in kept])
    for name in DRILL_FIELDS:
        if name in data:
            setattr(locked, name, data[name] if name == "held_on" else (data[name] or ""))
    remove_ids = set(_ids(remove_photos, "remove_photos"))
    unknown = remove_ids - {p.pk for p in kept}
    if unknown:
        raise ValidationError({"remove_photos": _("要删除的照片不属于这次演练。")})
    kept = [p for p in kept if p.pk not in remove_ids]
    photos = list(photos or ())
    elevator_ids, people_ids = _clean(
        locked,
        data,
        elevators=data["elevators"] if "elevators" in data else current_elevators,
        participants=data["participants"] if "participants" in data else current_people,
        photo_count=len(kept) + len(photos),
    )
    checked = _check_photos(photos)
    locked.save()
    if set(elevator_ids) != set(current_elevators):
        locked.elevators.set(elevator_ids)
    if set(people_ids) != set(current_people):
        locked.participants.set(people_ids)
    removed = Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(locked), owner_id=str(locked.pk), pk__in=remove_ids
    )
    for attachment in removed:
        attachment.file.delete(save=False)
    removed.delete()
    added = [save_attachment(photo, locked, PHOTO_PURPOSE, actor) for photo in checked]
    after = _snapshot(locked, elevator_ids, people_ids, [p.original_name for p in [*kept, *added]])
    audit.record_changes(actor, locked, before, after, reason=reason, request=request)
    return locked


@transaction.atomic
def delete_drill(drill: EmergencyDrill, *, actor, reason: str, request=None) -> None:
    """删除 a drill (entered by mistake): the audit event keeps what it said and why it was removed."""
    locked = EmergencyDrill.objects.select_for_update().get(pk=drill.pk)
    require(actor, "delete", locked)
    photos = list(locked.photos())
    snapshot = _snapshot(
        locked,
        locked.elevators.values_list("pk", flat=True),
        locked.participants.values_list("pk", flat=True),
        [p.original_name for p in photos],
    )
    changes = {k: [v, None] for k, v in snapshot.items() if v not in (None, "")}
    audit.record(actor, "delete", locked, changes=changes, reason=reason, request=request)
    for attachment in photos:
        attachment.file.delete(save=False)
        attachment.delete()
    locked.delete()
