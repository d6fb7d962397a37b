"""/api/v1/pilot-applications: 电梯维护保养试点申请. The applicant starts (identity + agreement), fills, adds the
batch, uploads the documents and submits (the answer names the handling bureau, `regulator`, and why); the bureau
accepts, reviews, approves (interval and start) or returns with a reason."""

from contextlib import contextmanager
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import ConfigDict

from api.errors import with_errors
from api.filtering import filter_queryset, filter_schema
from api.pagination import LimitOffsetPagination
from core.policies import get_for, require

from . import services
from .filters import PilotFilter
from .models import Identity, PilotApplication, PilotElevator

router = Router(tags=["pilot"])
PilotQuery = filter_schema(PilotFilter)


class ElevatorRef(Schema):
    id: int
    register_code: str
    building: str
    region_id: int


class DocumentOut(Schema):
    id: int
    document: str = Field(alias="purpose")
    name: str = Field(alias="original_name")
    url: str

    @staticmethod
    def resolve_url(obj):
        return reverse("core:attachment", args=[obj.pk])


class PilotOut(Schema):
    id: int
    number: str
    identity: str
    agree: bool = Field(..., description="whether the applicant agreed to the pilot's requirements")
    status: str
    status_label: str
    applicant_id: int
    use_unit_id: int | None
    maintenance_company_id: int | None
    regulator_id: int | None
    regulator: str | None
    routing_note: str
    use_unit_name: str
    use_unit_address: str
    use_unit_credit_code: str
    use_unit_legal_representative: str
    use_unit_legal_phone: str
    use_unit_contact: str
    use_unit_contact_phone: str
    company_name: str
    company_address: str
    company_credit_code: str
    company_legal_representative: str
    company_legal_phone: str
    company_contact: str
    company_contact_phone: str
    accident_in_three_years: bool | None
    information_system: bool | None
    information_system_url: str
    iot_monitoring: bool | None
    full_package: bool | None
    system_description: str
    decision_reason: str
    interval_days: int | None
    starts_on: date | None
    created_at: datetime
    submitted_at: datetime | None
    elevators: list[ElevatorRef]

    @staticmethod
    def resolve_agree(obj):
        return obj.requirements_agreed_at is not None

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_regulator(obj):
        return obj.regulator.name if obj.regulator_id else None

    @staticmethod
    def resolve_elevators(obj):
        return [line.elevator for line in obj.lines.all()]


class PilotDetailOut(PilotOut):
    documents: list[DocumentOut]
    required_documents: list[str]
    missing: list[str]

    @staticmethod
    def resolve_documents(obj):
        return list(services.documents_of(obj))

    @staticmethod
    def resolve_required_documents(obj):
        return [str(d) for d in services.required_documents(obj)]

    @staticmethod
    def resolve_missing(obj):
        return services.missing_for_submission(obj) if obj.is_editable else []


class StartIn(Schema):
    """A new application: who applies and its agreement; both are fixed once it exists (a PATCH fills the rest)."""

    model_config = ConfigDict(json_schema_extra={"x-create-only": ["identity", "agree"]})

    identity: Identity
    agree: bool = Field(..., description="同意 the pilot's requirements (试点工作要求)")


class InformationIn(Schema):
    use_unit_name: str | None = Field(None, max_length=100)
    use_unit_address: str | None = Field(None, max_length=200)
    use_unit_credit_code: str | None = Field(None, max_length=18)
    use_unit_legal_representative: str | None = Field(None, max_length=50)
    use_unit_legal_phone: str | None = Field(None, max_length=30)
    use_unit_contact: str | None = Field(None, max_length=50)
    use_unit_contact_phone: str | None = Field(None, max_length=30)
    company_name: str | None = Field(None, max_length=100)
    company_address: str | None = Field(None, max_length=200)
    company_credit_code: str | None = Field(None, max_length=18)
    company_legal_representative: str | None = Field(None, max_length=50)
    company_legal_phone: str | None = Field(None, max_length=30)
    company_contact: str | None = Field(None, max_length=50)
    company_contact_phone: str | None = Field(None, max_length=30)
    accident_in_three_years: bool | None = None
    information_system: bool | None = None
    information_system_url: str | None = Field(None, max_length=200)
    iot_monitoring: bool | None = None
    full_package: bool | None = None
    system_description: str | None = Field(None, max_length=5000)


# The bodies of the steps on an application default every field, so that the gate answers first (404 for an
# application the caller does not reach, 403 for a step not theirs) and the service then names what is missing.


class ElevatorsIn(Schema):
    elevator_ids: list[int] = Field([], max_length=services.MAX_ELEVATORS)


class ApproveIn(Schema):
    interval_days: int | None = Field(None, ge=1, le=365, description="15–60")
    starts_on: date | None = None
    reason: str = Field("", max_length=500)


class ReasonIn(Schema):
    reason: str = Field("", max_length=500)


def _queryset():
    lines = PilotElevator.objects.select_related("elevator").order_by("elevator__register_code")
    return PilotApplication.objects.select_related("regulator").prefetch_related(Prefetch("lines", queryset=lines))


def _one(request, pk, action="view"):
    return get_for(request.user, PilotApplication, pk, action, queryset=_queryset())


def _fresh(application):
    return _queryset().get(pk=application.pk)


# the services name the model's fields; an API caller sent these
API_FIELDS = {"elevators": "elevator_ids"}


@contextmanager
def _as_sent():
    """A service's field errors under the names the caller used (`elevator_ids`, not `elevators`)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError({API_FIELDS.get(name, name): errors for name, errors in exc.error_dict.items()}) from None


@router.get("", response=with_errors(list[PilotOut]))
@paginate(LimitOffsetPagination)
def list_pilot_applications(request, filters: Query[PilotQuery]):
    require(request.user, "list", PilotApplication)
    return filter_queryset(PilotFilter, filters, _queryset().visible_to(request.user))


@router.get("/{int:pilotapplication_id}", response=with_errors(PilotDetailOut, not_found=True))
def get_pilot_application(request, pilotapplication_id: int):
    return _one(request, pilotapplication_id)


@router.post("", response=with_errors({201: PilotDetailOut}))
def start(request, payload: StartIn):
    """新增: the applicant's identity and its agreement to the pilot's requirements."""
    require(request.user, "add", PilotApplication)
    application = services.start_application(
        actor=request.user, identity=payload.identity, agreed=payload.agree, request=request
    )
    return Status(201, _fresh(application))


@router.patch("/{int:pilotapplication_id}", response=with_errors(PilotDetailOut, not_found=True, conflict=True))
def save_information(request, pilotapplication_id: int, payload: InformationIn):
    """保存 申请信息 (fields not sent stay)."""
    application = _one(request, pilotapplication_id, "change")
    services.save_information(application, actor=request.user, data=payload.dict(exclude_unset=True), request=request)
    return _fresh(application)


@router.post(
    "/{int:pilotapplication_id}/elevators", response=with_errors(PilotDetailOut, not_found=True, conflict=True)
)
def add_elevators(request, pilotapplication_id: int, payload: ElevatorsIn):
    """添加试点电梯: one batch holds elevators of one use unit and one maintenance company."""
    application = _one(request, pilotapplication_id, "change")
    with _as_sent():
        services.add_elevators(application, payload.elevator_ids, actor=request.user, request=request)
    return _fresh(application)


@router.delete(
    "/{int:pilotapplication_id}/elevators/{int:elevator_id}",
    response=with_errors(PilotDetailOut, not_found=True, conflict=True),
)
def remove_elevator(request, pilotapplication_id: int, elevator_id: int):
    """移除 an elevator of the batch (one not in it: the application as it is)."""
    application = _one(request, pilotapplication_id, "change")
    services.remove_elevators(application, [elevator_id], actor=request.user, request=request)
    return _fresh(application)


@router.post(
    "/{int:pilotapplication_id}/documents", response=with_errors({201: DocumentOut}, not_found=True, conflict=True)
)
def attach(request, pilotapplication_id: int, document: Form[str] = "", file: File[UploadedFile] = None):
    """上传 `document`: application_letter, commitment, maintenance_plan, insurance, iot_security_report,
    iot_functions or contract (a second upload replaces the first)."""
    application = _one(request, pilotapplication_id, "change")
    if file is None:
        raise ValidationError({"file": _("请选择文件。")})
    attachment = services.attach(application, actor=request.user, document=document, upload=file, request=request)
    return Status(201, attachment)


@router.delete(
    "/{int:pilotapplication_id}/documents/{int:attachment_id}",
    response=with_errors({204: None}, not_found=True, conflict=True),
)
def detach(request, pilotapplication_id: int, attachment_id: int):
    """移除 a document (its `id` in `documents`)."""
    application = _one(request, pilotapplication_id, "change")
    services.detach_attachment(application, attachment_id, actor=request.user, request=request)
    return Status(204, None)


def _step(request, pk, action, run):
    application = _one(request, pk, action)
    run(application)
    return _fresh(application)


@router.post("/{int:pilotapplication_id}/submit", response=with_errors(PilotDetailOut, not_found=True, conflict=True))
def submit(request, pilotapplication_id: int):
    """提交: routed to the city bureau (1000 elevators or more in the city) or the pilot district's bureau."""
    return _step(
        request, pilotapplication_id, "change", lambda a: services.submit(a, actor=request.user, request=request)
    )


@router.post("/{int:pilotapplication_id}/accept", response=with_errors(PilotDetailOut, not_found=True, conflict=True))
def accept(request, pilotapplication_id: int):
    return _step(
        request, pilotapplication_id, "decide", lambda a: services.accept(a, actor=request.user, request=request)
    )


@router.post("/{int:pilotapplication_id}/review", response=with_errors(PilotDetailOut, not_found=True, conflict=True))
def review(request, pilotapplication_id: int, payload: ReasonIn):
    return _step(
        request,
        pilotapplication_id,
        "decide",
        lambda a: services.review(a, actor=request.user, note=payload.reason, request=request),
    )


@router.post("/{int:pilotapplication_id}/approve", response=with_errors(PilotDetailOut, not_found=True, conflict=True))
def approve(request, pilotapplication_id: int, payload: ApproveIn):
    """审批 通过: the elevators go on 按需维保 with the interval (15–60 days) from `starts_on`."""
    return _step(
        request,
        pilotapplication_id,
        "decide",
        lambda a: services.approve(
            a,
            actor=request.user,
            interval_days=payload.interval_days,
            starts_on=payload.starts_on,
            note=payload.reason,
            request=request,
        ),
    )


@router.post("/{int:pilotapplication_id}/return", response=with_errors(PilotDetailOut, not_found=True, conflict=True))
def return_application(request, pilotapplication_id: int, payload: ReasonIn):
    return _step(
        request,
        pilotapplication_id,
        "decide",
        lambda a: services.return_application(a, actor=request.user, reason=payload.reason, request=request),
    )
