"""/api/v1/applications: 监管申请 for applicants (drafts, documents, submit) and bureaus (approve, return, reject).

Each step is allowed only to its party: the applicant's administrators draft and submit, the bureau the application
was routed to decides. A step the application's state no longer allows (another reviewer decided first) answers
409 with who came first.
"""

from contextlib import contextmanager
from datetime import date, datetime

from django.core.exceptions import ValidationError
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
from .filters import ApplicationFilter
from .models import Application, ApplicationKind

router = Router(tags=["applications"])
ApplicationQuery = filter_schema(ApplicationFilter)


class ElevatorRef(Schema):
    id: int
    register_code: str
    building: str
    status: str


class DocumentOut(Schema):
    id: int
    purpose: str
    name: str = Field(alias="original_name")
    content_type: str
    size: int
    url: str

    @staticmethod
    def resolve_url(obj):
        from django.urls import reverse

        return reverse("core:attachment", args=[obj.pk])


class ApplicationOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    applicant_id: int
    use_unit_id: int
    maintenance_company_id: int
    new_company_id: int | None
    region_id: int
    regulator_id: int | None
    regulator: str | None
    effective_date: date | None
    reason: str
    certificate_number: str
    registered_on: date | None
    decision_reason: str
    created_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    elevator_ids: list[int]
    elevators: list[ElevatorRef]

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_regulator(obj):
        return obj.regulator.name if obj.regulator_id else None

    @staticmethod
    def resolve_elevator_ids(obj):
        return [line.elevator_id for line in obj.lines.all()]

    @staticmethod
    def resolve_elevators(obj):
        return [line.elevator for line in obj.lines.all()]


class ApplicationDetailOut(ApplicationOut):
    documents: list[DocumentOut]
    missing: list[str]

    @staticmethod
    def resolve_documents(obj):
        return list(services.attachments_of(obj))

    @staticmethod
    def resolve_missing(obj):
        return services.missing_for_submission(obj) if obj.is_editable else []


class ApplicationIn(Schema):
    """A new draft; its kind is fixed once it exists (a PATCH changes the rest)."""

    model_config = ConfigDict(json_schema_extra={"x-create-only": ["kind"]})

    kind: ApplicationKind
    elevator_ids: list[int] = Field(..., max_length=services.MAX_ELEVATORS)
    effective_date: date | None = None
    reason: str = Field("", max_length=500)
    new_company_id: int | None = None


class ApplicationPatch(Schema):
    elevator_ids: list[int] | None = Field(None, max_length=services.MAX_ELEVATORS)
    effective_date: date | None = None
    reason: str | None = Field(None, max_length=500)
    new_company_id: int | None = None
    change_reason: str = Field("", max_length=100)


class ReasonIn(Schema):
    reason: str = Field("", max_length=500)


class ApproveIn(Schema):
    certificate_number: str = Field("", max_length=40)
    registered_on: date | None = None
    reason: str = Field("", max_length=500)


def _queryset():
    from django.db.models import Prefetch

    from .models import ApplicationElevator

    lines = ApplicationElevator.objects.select_related("elevator").order_by("elevator__register_code")
    return Application.objects.select_related("regulator").prefetch_related(Prefetch("lines", queryset=lines))


def _one(request, pk, action="view"):
    return get_for(request.user, Application, pk, action, queryset=_queryset())


def _fresh(application):
    return _queryset().get(pk=application.pk)


# the services name the model's fields; an API caller sent these
API_FIELDS = {"elevators": "elevator_ids", "new_company": "new_company_id"}


@contextmanager
def _as_sent():
    """A service's field errors under the names the caller used (`elevator_ids`, not `elevators`)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError({API_FIELDS.get(name, name): errors for name, errors in exc.error_dict.items()}) from None


def _data(payload: dict) -> dict:
    data = dict(payload)
    if "elevator_ids" in data:
        data["elevators"] = data.pop("elevator_ids")
    if "new_company_id" in data:
        data["new_company"] = data.pop("new_company_id")
    return data


@router.get("", response=with_errors(list[ApplicationOut]))
@paginate(LimitOffsetPagination)
def list_applications(request, filters: Query[ApplicationQuery]):
    require(request.user, "list", Application)
    return filter_queryset(ApplicationFilter, filters, _queryset().visible_to(request.user))


@router.get("/{int:application_id}", response=with_errors(ApplicationDetailOut, not_found=True))
def get_application(request, application_id: int):
    return _one(request, application_id)


@router.post("", response=with_errors({201: ApplicationDetailOut}))
def create_application(request, payload: ApplicationIn):
    """A draft: the kind, the elevators (ids from the applicant's ledger) and what the kind needs."""
    require(request.user, "add", Application)
    with _as_sent():
        application = services.create_application(actor=request.user, data=_data(payload.dict()), request=request)
    return Status(201, _fresh(application))


@router.patch("/{int:application_id}", response=with_errors(ApplicationDetailOut, not_found=True, conflict=True))
def update_application(request, application_id: int, payload: ApplicationPatch):
    """Edit a draft or a returned application (fields not sent stay)."""
    application = _one(request, application_id, "change")
    data = _data(payload.dict(exclude_unset=True))
    reason = data.pop("change_reason", "")
    with _as_sent():
        services.update_application(application, actor=request.user, data=data, reason=reason, request=request)
    return _fresh(application)


@router.delete("/{int:application_id}", response=with_errors({204: None}, not_found=True, conflict=True))
def delete_application(request, application_id: int):
    application = _one(request, application_id, "delete")
    services.delete_application(application, actor=request.user, request=request)
    return Status(204, None)


@router.post(
    "/{int:application_id}/attachments", response=with_errors({201: DocumentOut}, not_found=True, conflict=True)
)
def attach(request, application_id: int, purpose: Form[str] = "", file: File[UploadedFile] = None):
    """上传 a document (PDF, JPEG or PNG) as `purpose`: registration_form, notice, expiring_contract,
    new_contract, inspection_report or other, as the kind takes them."""
    application = _one(request, application_id, "change")
    if file is None:
        raise ValidationError({"file": _("请选择文件。")})
    document = services.attach(application, actor=request.user, purpose=purpose, upload=file, request=request)
    return Status(201, document)


@router.delete(
    "/{int:application_id}/attachments/{int:attachment_id}",
    response=with_errors({204: None}, not_found=True, conflict=True),
)
def detach(request, application_id: int, attachment_id: int):
    application = _one(request, application_id, "change")
    services.detach(application, attachment_id, actor=request.user, request=request)
    return Status(204, None)


@router.post("/{int:application_id}/submit", response=with_errors(ApplicationDetailOut, not_found=True, conflict=True))
def submit(request, application_id: int):
    """提交 to the bureau of the elevators' district (`regulator` in the answer)."""
    application = _one(request, application_id, "change")
    with _as_sent():
        services.submit(application, actor=request.user, request=request)
    return _fresh(application)


@router.post("/{int:application_id}/approve", response=with_errors(ApplicationDetailOut, not_found=True, conflict=True))
def approve(request, application_id: int, payload: ApproveIn):
    """审核通过 (a registration needs `certificate_number`; `registered_on` defaults to today)."""
    application = _one(request, application_id, "decide")
    services.approve(
        application,
        actor=request.user,
        certificate_number=payload.certificate_number,
        registered_on=payload.registered_on,
        note=payload.reason,
        request=request,
    )
    return _fresh(application)


@router.post("/{int:application_id}/return", response=with_errors(ApplicationDetailOut, not_found=True, conflict=True))
def return_application(request, application_id: int, payload: ReasonIn):
    """退回 with a reason: the applicant edits and submits again."""
    application = _one(request, application_id, "decide")
    services.return_application(application, actor=request.user, reason=payload.reason, request=request)
    return _fresh(application)


@router.post("/{int:application_id}/reject", response=with_errors(ApplicationDetailOut, not_found=True, conflict=True))
def reject(request, application_id: int, payload: ReasonIn):
    """不予通过 with a reason (final)."""
    application = _one(request, application_id, "decide")
    services.reject(application, actor=request.user, reason=payload.reason, request=request)
    return _fresh(application)
