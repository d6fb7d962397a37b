"""/api/v1/elevators: the ledger, behind the same gate as the pages."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from api.errors import with_errors
from api.filtering import filter_queryset, filter_schema
from core import audit
from core.pagination import BadCursor, keyset_page
from core.policies import get_for, require
from core.schemas import model_schemas
from organizations.models import Organization, Region

from . import services, signs
from .catalogue import DeviceCategory
from .filters import SORTS, ElevatorFilter
from .models import (
    CodeScheme,
    ControlType,
    DriveType,
    Elevator,
    InspectionKind,
    InspectionReport,
    InspectionResult,
    LandingDoor,
)

router = Router(tags=["elevators"])
RELATED = ("use_unit", "maintenance_company", "manufacturer", "region")


ElevatorOut, ElevatorIn, ElevatorPatch = model_schemas(
    Elevator,
    fields=services.ELEVATOR_FIELDS,
    create_only=["register_code"],  # the page's edit form shows it disabled too
    read_only=["status", "next_governor_calibration"],  # the status workflow's; the governor rule's
    overrides={
        "code_scheme": CodeScheme,
        "device_category": DeviceCategory,
        "product_model": Field(min_length=1, max_length=60),
        "factory_number": Field(min_length=1, max_length=60),
        "building": Field(min_length=1, max_length=100),
        "address": Field(min_length=2, max_length=200),
        "latitude": Field(ge=-90, le=90),
        "longitude": Field(ge=-180, le=180),
        "drive_type": DriveType,
        "control_type": ControlType,
    },
    out_extra={
        "use_unit_name": (str, Field(..., alias="use_unit.name")),
        "maintenance_company_name": (str, Field(..., alias="maintenance_company.name")),
        "manufacturer_name": (str, Field(..., alias="manufacturer.name")),
        "region_name": (str, Field(..., alias="region.name")),
        "public_path": str,
    },
    patch_extra={"reason": (str, Field("", max_length=audit.CHANGE_REASON_MAX_LENGTH))},
)


class ElevatorPage(Schema):
    items: list[ElevatorOut]
    next_cursor: str | None


class ComponentOut(Schema):
    id: int
    name: str
    brand: str
    serial_number: str
    installed_on: date
    lifespan_months: int
    expires_on: date
    notes: str


class LandingDoorOut(Schema):
    id: int
    position: int
    floor_label: str
    door_type: str
    width_mm: int | None
    height_mm: int | None
    lock_model: str
    notes: str


class InspectionReportOut(Schema):
    id: int
    elevator_id: int
    kind: InspectionKind
    date: date
    result: InspectionResult
    number: str
    next_date: date | None
    report_file_id: int | None = Field(None, description="the report's file: GET /attachments/{report_file_id}/")
    report_file_name: str | None = Field(None, alias="report_file.original_name")
    recorded_by_id: int | None
    recorded_at: datetime


class InspectionListOut(Schema):
    next_inspection_date: date | None = Field(description="the elevator's 下次检验日期 (the ledger's)")
    next_due: date = Field(description="the next 定期检验 or 自行检测 (the ledger's date, else the calendar's)")
    next_kind: InspectionKind
    items: list[InspectionReportOut]


def _resolve(request, data: dict) -> dict:
    """Turn *_id fields into objects, each looked up where the user may choose it from."""
    for field in ("use_unit", "maintenance_company", "manufacturer"):
        key = f"{field}_id"
        if key in data:
            value = data.pop(key)
            org = services.organisations_for(request.user, field).filter(pk=value).first()
            if org is None:
                raise ValidationError({key: _("单位不存在或您无权选择该单位。")})
            data[field] = org
    if "region_id" in data:
        region = Region.objects.filter(pk=data.pop("region_id"), level="district").first()
        if region is None:
            raise ValidationError({"region_id": _("请选择一个区县。")})
        data["region"] = region
    if data.get("register_code"):
        data["register_code"] = data["register_code"].strip().upper()
    return data


def _visible(request, elevator_id: int) -> Elevator:
    return get_object_or_404(Elevator.objects.visible_to(request.user).select_related(*RELATED), pk=elevator_id)


ElevatorQuery = filter_schema(ElevatorFilter, name="ElevatorQuery")


@router.get("", response=with_errors(ElevatorPage))
def list_elevators(
    request, filters: Query[ElevatorQuery], sort: str = "register_code", cursor: str | None = None, limit: int = 50
):
    """Filtered as on the 电梯台账 page; keyset-paginated: follow `next_cursor` for the next page (no total
    count, no deep OFFSET); limit ≤ 200."""
    limit = min(max(limit, 1), 200)
    queryset = filter_queryset(ElevatorFilter, filters, Elevator.objects.visible_to(request.user), user=request.user)
    ordering = SORTS.get(sort, SORTS["register_code"])[0]
    try:
        page = keyset_page(queryset.select_related(*RELATED), ordering, cursor, size=limit)
    except BadCursor:
        raise ValidationError({"cursor": _("分页游标无效。")}) from None
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/{int:elevator_id}", response=with_errors(ElevatorOut, not_found=True))
def get_elevator(request, elevator_id: int):
    return _visible(request, elevator_id)


@router.post("", response=with_errors({201: ElevatorOut}))
def create_elevator(request, payload: ElevatorIn):
    require(request.user, "add", Elevator)
    elevator = services.create_elevator(actor=request.user, data=_resolve(request, payload.dict()), request=request)
    return Status(201, Elevator.objects.select_related(*RELATED).get(pk=elevator.pk))


@router.patch("/{int:elevator_id}", response=with_errors(ElevatorOut, not_found=True))
def update_elevator(request, elevator_id: int, payload: ElevatorPatch):
    elevator = get_for(
        request.user, Elevator, elevator_id, "change", queryset=Elevator.objects.select_related(*RELATED)
    )
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    if "maintenance_company_id" in data:
        wanted = Organization(pk=data["maintenance_company_id"])
        refusal = services.company_change_refusal(request.user, elevator, wanted)
        if refusal:
            raise ValidationError({"maintenance_company_id": refusal})
    services.update_elevator(elevator, actor=request.user, data=_resolve(request, data), reason=reason, request=request)
    return Elevator.objects.select_related(*RELATED).get(pk=elevator_id)


@router.get("/{int:elevator_id}/components", response=with_errors(list[ComponentOut], not_found=True))
def list_components(request, elevator_id: int):
    return _visible(request, elevator_id).components.all()


@router.get("/{int:elevator_id}/landing-doors", response=with_errors(list[LandingDoorOut], not_found=True))
def list_landing_doors(request, elevator_id: int):
    return LandingDoor.objects.filter(elevator=_visible(request, elevator_id))


@router.get(
    "/{int:elevator_id}/qrcode.svg",
    response=with_errors(not_found=True),
    openapi_extra={
        "responses": {"200": {"description": "OK", "content": {"image/svg+xml": {"schema": {"type": "string"}}}}}
    },
)
def qrcode_svg(request, elevator_id: int):
    """The QR code of the elevator's public page, as SVG."""
    from .views import public_url

    elevator = _visible(request, elevator_id)
    return HttpResponse(signs.qr_svg(public_url(request, elevator), scale=8), content_type="image/svg+xml")


@router.get("/{int:elevator_id}/inspections", response=with_errors(InspectionListOut, not_found=True))
def list_inspections(request, elevator_id: int):
    """The elevator's inspection reports (latest first) and its next 定期检验 or 自行检测."""
    elevator = _visible(request, elevator_id)
    reports = list(
        InspectionReport.objects.visible_to(request.user)
        .filter(elevator=elevator)
        .select_related("report_file")
        .order_by("-date", "-id")
    )
    due, kind, _by_calendar = services.next_due(elevator, reports)
    return {"next_inspection_date": elevator.next_inspection_date, "next_due": due, "next_kind": kind, "items": reports}


@router.post("/{int:elevator_id}/inspections", response=with_errors({201: InspectionReportOut}, not_found=True))
def record_inspection(
    request,
    elevator_id: int,
    kind: Form[str] = "",
    date: Form[str] = "",
    result: Form[str] = "",
    number: Form[str] = "",
    next_date: Form[str] = "",
    report_file: File[UploadedFile] = None,
):
    """录入检验结果 (multipart): `kind` periodic | self | governor, `date`, `result` passed | failed | rechecked,
    `number`, `next_date` (the date the report states, optional; dates as YYYY-MM-DD) and `report_file` (PDF,
    JPEG or PNG). The elevator's `next_inspection_date` follows."""
    elevator = _visible(request, elevator_id)
    require(request.user, "add", InspectionReport(elevator=elevator))
    data = {"kind": kind, "date": date, "result": result, "number": number, "next_date": next_date}
    report = services.record_inspection(elevator, actor=request.user, data=data, upload=report_file, request=request)
    return Status(201, InspectionReport.objects.select_related("report_file").get(pk=report.pk))
