"""Organisation rules as plain functions: create, update, serve, qualification submit and review."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.policies import can
from core.tenancy import scope_for
from core.uploads import save_attachment, validate_uploads
from core.workflow import transition

from .models import Organization, OrganizationKind, OrganizationQualification, QualificationStatus, ServiceRelation

__all__ = [
    "ORG_FIELDS",
    "create_organization",
    "update_organization",
    "submit_qualification",
    "review_qualification",
    "QUALIFICATION_TRANSITIONS",
    "responsible_regulators",
]

ORG_FIELDS = [
    "kind",
    "name",
    "credit_code",
    "region",
    "address",
    "legal_representative",
    "legal_representative_phone",
    "contact_name",
    "contact_phone",
    "latitude",
    "longitude",
    "jurisdiction",
    "is_active",
]


def _check_regulator_fields(org: Organization) -> None:
    if org.kind == OrganizationKind.REGULATOR and not org.jurisdiction_id:
        raise ValidationError({"jurisdiction": _("监管单位必须选择管辖区域（市或区县）。")})
    if org.kind != OrganizationKind.REGULATOR:
        org.jurisdiction = None


def _check_region_allowed(actor, org: Organization) -> None:
    scope = scope_for(actor)
    if scope.kind == "regulator" and not org.region.path.startswith(scope.jurisdiction_path):
        raise ValidationError({"region": _("所在区域必须在本单位的管辖范围内。")})


@transaction.atomic
def create_organization(*, actor, data: dict, request=None) -> Organization:
    """新增单位. A maintenance company that creates a use unit starts serving it."""
    kind = data.get("kind")
    if not can(actor, "add", Organization(kind=kind)):
        raise ValidationError({"kind": _("您不能新增该类别的单位。")})
    org = Organization(**{k: v for k, v in data.items() if k in ORG_FIELDS}, created_by=actor)
    _check_regulator_fields(org)
    _check_region_allowed(actor, org)
    org.full_clean()
    org.save()
    scope = scope_for(actor)
    if kind == OrganizationKind.USE_UNIT and scope.kind == OrganizationKind.MAINTENANCE_COMPANY:
        ServiceRelation.objects.create(use_unit=org, maintenance_company_id=scope.organization_id)
    audit.record(actor, "create", org, changes=audit.created(audit.snapshot(org, ORG_FIELDS)), request=request)
    return org


@transaction.atomic
def update_organization(org: Organization, *, actor, data: dict, reason: str = "", request=None) -> Organization:
    if data.get("is_active") is False and org.is_active and not scope_for(actor).is_operator:
        if org.pk == scope_for(actor).organization_id:
            raise ValidationError(
                {"is_active": _("不能停用本单位：停用后本单位所有账号都无法使用，请联系平台运营方。")}
            )
    before = audit.snapshot(org, ORG_FIELDS)
    old_region_id = org.region_id
    for field, value in data.items():
        if field not in ORG_FIELDS or field == "kind":
            continue
        setattr(org, field, value)
    _check_regulator_fields(org)
    if not scope_for(actor).is_operator and old_region_id != org.region_id:
        _check_region_allowed(actor, org)
    org.full_clean()
    org.save()
    audit.record_changes(actor, org, before, audit.snapshot(org, ORG_FIELDS), reason=reason, request=request)
    return org


@transaction.atomic
def submit_qualification(
    org: Organization,
    *,
    actor,
    certificate_number,
    valid_from,
    valid_until,
    business_licence,
    qualification_certificate,
    self_declaration,
    request=None,
) -> OrganizationQualification:
    """资质认证: all three documents are checked before anything is stored."""
    if valid_until <= valid_from:
        raise ValidationError({"valid_until": _("有效期至必须晚于有效期起。")})
    files = {
        "business_licence": business_licence,
        "qualification_certificate": qualification_certificate,
        "self_declaration": self_declaration,
    }
    checked = validate_uploads(files)
    qualification = OrganizationQualification.objects.create(
        organization=org,
        certificate_number=certificate_number,
        valid_from=valid_from,
        valid_until=valid_until,
        submitted_by=actor,
        **{field: save_attachment(c, org, field, actor) for field, c in checked.items()},
    )
    audit.record(
        actor,
        "qualification",
        org,
        request=request,
        changes=audit.validity(certificate_number, valid_from, valid_until),
    )
    return qualification


QUALIFICATION_TRANSITIONS = {
    QualificationStatus.SUBMITTED: {QualificationStatus.APPROVED, QualificationStatus.REJECTED},
}


def review_qualification(
    qualification: OrganizationQualification, *, actor, approve: bool, note: str = "", request=None
) -> OrganizationQualification:
    """A regulator (or the operator) approves or returns a unit's qualification; returning needs a reason."""
    if not approve and not note.strip():
        raise ValidationError({"note": _("退回时必须填写审核意见。")})
    return transition(
        qualification,
        QualificationStatus.APPROVED if approve else QualificationStatus.REJECTED,
        allowed=QUALIFICATION_TRANSITIONS,
        actor=actor,
        reason=note,
        request=request,
        also={"reviewed_by": actor, "reviewed_at": timezone.now(), "review_note": note},
    )


def responsible_regulators(region_id, city_id) -> list[Organization]:
    """The bureaus responsible for a place: those whose jurisdiction is its district, else its city's (the
    district has no bureau on the platform)."""
    bureaus = list(
        Organization.objects.filter(
            kind=OrganizationKind.REGULATOR, is_active=True, jurisdiction_id__in={region_id, city_id}
        ).order_by("pk")
    )
    district = [b for b in bureaus if b.jurisdiction_id == region_id]
    return district or [b for b in bureaus if b.jurisdiction_id == city_id]
