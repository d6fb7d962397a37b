"""/api/v1/maintenance/records: the phone's calls (start, join, items, finish, confirm) and the records' reading,
with the same rules and tenancy as the pages. Uploads are multipart; every field is checked by the services
after the record is found, so another tenant's record is a 404 whatever the body."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import ConfigDict

from api.errors import with_errors
from api.filtering import filter_queryset, filter_schema
from core.policies import get_for, require
from elevators.models import Elevator

from . import services
from .filters import MaintenanceRecordFilter, RepairFilter
from .models import MaintenanceRecord, Repair
from .photos import save_record_photo

records_router = Router(tags=["records"])
RecordQuery = filter_schema(MaintenanceRecordFilter, name="MaintenanceRecordQuery")


class WorkerOut(Schema):
    user_id: int
    name: str = Field(alias="user.display_name")
    role: str
    joined_at: datetime
    distance_m: int | None
    face_matched: bool


class ItemOut(Schema):
    id: int
    item_id: int
    code: str
    part: str
    requirement: str
    result: str
    note: str
    measured_value: Decimal | None
    out_of_limit: bool
    needs_photo: bool = Field(alias="item.needs_photo")
    judgement: str = Field(alias="item.judgement")
    unit: str = Field(alias="item.unit")
    photo_id: int | None


class RecordOut(Schema):
    id: int
    elevator_id: int
    register_code: str = Field(alias="elevator.register_code")
    organization_id: int
    plan_id: int | None
    cycle: str
    work_type: str
    status: str
    started_at: datetime
    received_at: datetime
    finished_at: datetime | None
    duration_minutes: int | None
    latitude: Decimal | None
    longitude: Decimal | None
    distance_m: int | None
    hazard_codes: list
    flags: list
    join_code: str
    confirmed_at: datetime | None
    confirmed_name: str
    chain_index: int | None
    seal: str


class RecordDetailOut(RecordOut):
    workers: list[WorkerOut]
    items: list[ItemOut]

    @staticmethod
    def resolve_workers(record):
        return list(record.workers.select_related("user").order_by("role"))

    @staticmethod
    def resolve_items(record):
        return list(record.items.select_related("item").order_by("id"))


class FinishIn(Schema):
    hazard_codes: list[str] = []
    work_type: str | None = None
    finished_at: datetime | None = None


def _record(request, pk):
    return get_for(request.user, MaintenanceRecord, pk, queryset=MaintenanceRecord.objects.select_related("elevator"))


def _position(latitude, longitude, accuracy):
    return services.Position(latitude, longitude, accuracy)


def _required(upload, field):
    if upload is None:
        raise ValidationError({field: _("请上传照片。")})
    return upload


@records_router.get("", response=with_errors(list[RecordOut]))
@paginate(LimitOffsetPagination)
def list_records(request, filters: Query[RecordQuery]):
    require(request.user, "list", MaintenanceRecord)
    queryset = MaintenanceRecord.objects.visible_to(request.user).select_related("elevator")
    return filter_queryset(MaintenanceRecordFilter, filters, queryset)


@records_router.post("", response=with_errors({201: RecordDetailOut}, not_found=True))
def start(
    request,
    elevator: Form[str] = "",
    latitude: Form[str] = "",
    longitude: Form[str] = "",
    accuracy: Form[str] = "",
    started_at: Form[datetime | None] = None,
    join_code: Form[str] = "",
    selfie: File[UploadedFile] = None,
):
    """开始维保: the elevator by register code (typed) or by what its QR sign holds (the public URL `…/e/<token>`),
    the phone's position and time, a selfie for the face check; `join_code` keeps the code a phone that started
    offline already showed the second worker."""
    found = services.elevator_for_visit(request.user, elevator)
    if found is None:
        raise Http404(_("电梯不存在或无权查看。"))
    record = services.start_visit(
        worker=request.user,
        elevator=found,
        position=_position(latitude, longitude, accuracy),
        selfie=_required(selfie, "selfie"),
        at=started_at,
        join_code=join_code,
        request=request,
    )
    return Status(201, record)


@records_router.post("/join", response=with_errors(RecordDetailOut))
def join(
    request,
    code: Form[str] = "",
    latitude: Form[str] = "",
    longitude: Form[str] = "",
    accuracy: Form[str] = "",
    joined_at: Form[datetime | None] = None,
    selfie: File[UploadedFile] = None,
):
    """The second worker joins with the code shown on the first worker's phone."""
    return services.join_visit(
        worker=request.user,
        code=code,
        position=_position(latitude, longitude, accuracy),
        selfie=_required(selfie, "selfie"),
        at=joined_at,
        request=request,
    )


@records_router.get("/{int:maintenancerecord_id}", response=with_errors(RecordDetailOut, not_found=True))
def get_record(request, maintenancerecord_id: int):
    return _record(request, maintenancerecord_id)


@records_router.post("/{int:maintenancerecord_id}/items", response=with_errors(ItemOut, not_found=True))
def answer(
    request,
    maintenancerecord_id: int,
    item: Form[int] = 0,
    result: Form[str] = "",
    note: Form[str] = "",
    measured_value: Form[str] = "",
    answered_at: Form[datetime | None] = None,
    component: Form[int | None] = None,
    photo: File[UploadedFile] = None,
):
    """One item's result (`item` is the record item's id), with its photo for test items; 已更换 may name the
    elevator's `component` replaced (its dates in the ledger start again)."""
    record = _record(request, maintenancerecord_id)
    attachment = None
    if photo is not None:  # watermarked with the time, the register code and the place
        attachment = save_record_photo(
            photo,
            record=record,
            purpose="item_photo",
            user=request.user,
            taken_at=answered_at or timezone.now(),
            latitude=record.latitude,
            longitude=record.longitude,
        )
    return services.answer_item(
        record,
        item,
        worker=request.user,
        result=result,
        note=note,
        measured_value=measured_value,
        photo=attachment,
        component_id=component,
        at=answered_at,
    )


@records_router.post("/{int:maintenancerecord_id}/finish", response=with_errors(RecordDetailOut, not_found=True))
def finish(request, maintenancerecord_id: int, payload: FinishIn):
    record = _record(request, maintenancerecord_id)
    return services.finish_visit(
        record,
        worker=request.user,
        hazard_codes=payload.hazard_codes,
        work_type=payload.work_type,
        at=payload.finished_at,
        request=request,
    )


@records_router.post("/{int:maintenancerecord_id}/confirm", response=with_errors(RecordDetailOut, not_found=True))
def confirm(
    request,
    maintenancerecord_id: int,
    signer_name: Form[str] = "",
    confirmed_at: Form[datetime | None] = None,
    signature: File[UploadedFile] = None,
):
    """The use unit confirms with a drawn signature (PNG): on the worker's phone with the signer's name, or from
    its own account."""
    record = _record(request, maintenancerecord_id)
    return services.confirm_record(
        record,
        actor=request.user,
        signature=_required(signature, "signature"),
        signer_name=signer_name,
        at=confirmed_at,
        request=request,
    )


class CorrectionIn(Schema):
    reason: str = Field("", max_length=200)


@records_router.post(
    "/{int:maintenancerecord_id}/correction", response=with_errors({201: RecordDetailOut}, not_found=True)
)
def correct(request, maintenancerecord_id: int, payload: CorrectionIn):
    """更正 a confirmed record: a new record repeating the visit, which its workers edit (items, finish) like any
    visit in progress; the original never changes."""
    record = _record(request, maintenancerecord_id)
    require(request.user, "correct", record)
    return Status(201, services.start_correction(record, actor=request.user, reason=payload.reason, request=request))


@records_router.post("/{int:maintenancerecord_id}/approve", response=with_errors(RecordDetailOut, not_found=True))
def approve(request, maintenancerecord_id: int):
    """批准更正: the company's administrator approves a finished correction; the use unit then confirms it."""
    record = _record(request, maintenancerecord_id)
    return services.approve_correction(record, actor=request.user, request=request)


@records_router.get("/{int:maintenancerecord_id}/pdf", response=with_errors(not_found=True))
def record_pdf(request, maintenancerecord_id: int):
    """The record as a PDF (TSG T5002 art. 8 parameters, items, photos, workers, signature, seal)."""
    from .pdf import record_filename
    from .pdf import record_pdf as render

    record = _record(request, maintenancerecord_id)
    response = HttpResponse(render(record), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{record_filename(record)}"'
    return response


class RegulatorOut(Schema):
    payload: dict
    problems: list[str]


@records_router.get("/{int:maintenancerecord_id}/regulator", response=with_errors(RegulatorOut, not_found=True))
def regulator_record(request, maintenancerecord_id: int):
    """The record in the Chongqing platform's V1.5 fields, with what would make the platform refuse it."""
    from .regulator import v15_payload, v15_problems

    record = _record(request, maintenancerecord_id)
    payload = v15_payload(record)
    return {"payload": payload, "problems": v15_problems(record, payload)}


# --- /api/v1/maintenance/repairs ------------------------------------------------------------------------------

repairs_router = Router(tags=["records"])


class RepairOut(Schema):
    id: int
    elevator_id: int
    register_code: str = Field(alias="elevator.register_code")
    problem_report_id: int | None
    record_item_id: int | None
    fault: str
    cause: str
    work_done: str
    parts_replaced: str
    reported_at: datetime
    arrived_at: datetime | None
    restored_at: datetime | None
    minutes_to_restore: int | None
    status: str
    worker_ids: list[int]

    @staticmethod
    def resolve_worker_ids(repair):
        return sorted(repair.workers.values_list("pk", flat=True))


class RepairIn(Schema):
    """A new repair; the elevator and the problem report it answers are fixed once it exists."""

    model_config = ConfigDict(json_schema_extra={"x-create-only": ["elevator_id", "problem_report_id"]})

    elevator_id: int | None = None
    problem_report_id: int | None = None
    fault: str = Field("", max_length=300)
    cause: str = Field("", max_length=300)
    work_done: str = Field("", max_length=500)
    parts_replaced: str = Field("", max_length=300)
    reported_at: datetime | None = None
    arrived_at: datetime | None = None
    restored_at: datetime | None = None
    worker_ids: list[int] = []


class RepairPatch(Schema):
    fault: str | None = Field(None, min_length=1, max_length=300)
    reported_at: datetime | None = None
    cause: str | None = Field(None, max_length=300)
    work_done: str | None = Field(None, max_length=500)
    parts_replaced: str | None = Field(None, max_length=300)
    arrived_at: datetime | None = None
    restored_at: datetime | None = None
    worker_ids: list[int] | None = None
    reason: str = ""


def _workers(request, ids):
    from accounts.models import User

    people = list(User.objects.filter(pk__in=ids, organization_id=request.user.organization_id))
    if len(people) != len(set(ids)):
        raise ValidationError({"worker_ids": _("维修人员须是本单位的人员。")})
    return people


@repairs_router.get("", response=with_errors(list[RepairOut]))
@paginate(LimitOffsetPagination)
def list_repairs(request, filters: Query[filter_schema(RepairFilter, name="RepairQuery")]):
    require(request.user, "list", Repair)
    queryset = Repair.objects.visible_to(request.user).select_related("elevator")
    return filter_queryset(RepairFilter, filters, queryset)


@repairs_router.get("/{int:repair_id}", response=with_errors(RepairOut, not_found=True))
def get_repair(request, repair_id: int):
    return get_for(request.user, Repair, repair_id, queryset=Repair.objects.select_related("elevator"))


@repairs_router.post("", response=with_errors({201: RepairOut}))
def create_repair(request, payload: RepairIn):
    """A repair of an elevator the company maintains, optionally from a problem report of it."""
    from elevators.models import ProblemReport

    from .repairs import create_repair as create

    require(request.user, "add", Repair)
    elevator = Elevator.objects.visible_to(request.user).filter(pk=payload.elevator_id).first()
    if elevator is None:
        raise ValidationError({"elevator_id": _("电梯不存在或无权查看。")})
    if not payload.fault.strip():
        raise ValidationError({"fault": _("请填写故障现象。")})
    report = None
    if payload.problem_report_id:
        report = get_for(request.user, ProblemReport, payload.problem_report_id)
    data = payload.dict(exclude={"elevator_id", "problem_report_id", "worker_ids"})
    data["reported_at"] = data["reported_at"] or timezone.now()
    data.update(elevator=elevator, problem_report=report, workers=_workers(request, payload.worker_ids))
    return Status(201, create(actor=request.user, data=data, request=request))


@repairs_router.patch("/{int:repair_id}", response=with_errors(RepairOut, not_found=True))
def update_repair(request, repair_id: int, payload: RepairPatch):
    from .repairs import update_repair as update

    repair = get_for(request.user, Repair, repair_id, "change")
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    if "worker_ids" in data:
        data["workers"] = _workers(request, data.pop("worker_ids") or [])
    return update(repair, actor=request.user, data=data, reason=reason, request=request)
