"""Helpers for the applications' tests: documents and applications made through the services."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications import services
from applications.models import ApplicationKind, Purpose
from tests.factories import make_elevator

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name="申请资料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def today() -> date:
    return timezone.localdate()


def file(world, kind, elevators, *, actor=None, documents=True, **data):
    """A draft of `kind` for `elevators`, with the documents the kind requires (unless documents=False)."""
    actor = actor or world.admin_a
    values = {"kind": kind, "elevators": [e.pk for e in elevators]}
    if kind in services.EFFECTIVE_DATE_LABELS:
        values["effective_date"] = today()
    if kind in (ApplicationKind.SUSPENSION, ApplicationKind.REACTIVATION, ApplicationKind.SCRAPPING):
        values["reason"] = "测试原因"
    if kind == ApplicationKind.MAINTAINER_CHANGE:
        values["new_company"] = world.company_b
    values.update(data)
    application = services.create_application(actor=actor, data=values)
    if documents:
        for purpose in services.REQUIRED.get(kind, ()):
            services.attach(application, actor=actor, purpose=purpose, upload=pdf_upload())
    return application


def approved(world, kind, elevators, *, actor=None, reviewer=None, **data):
    """Filed, submitted and approved (a registration gets a certificate number)."""
    application = file(world, kind, elevators, actor=actor, **data)
    services.submit(application, actor=actor or world.admin_a)
    extra = {"certificate_number": f"梯11渝A{application.pk:05d}(26)"} if kind == ApplicationKind.REGISTRATION else {}
    return services.approve(application, actor=reviewer or world.yubei_admin, **extra)


REVIEWERS = {"500112": "yubei_admin", "500107": "jlp_admin"}  # the test world's district bureaus (else the city's)


def in_use(world, **kwargs):
    """An elevator registered through an approved 使用登记 (filed by its company, decided by its bureau)."""
    elevator = make_elevator(world, **kwargs)
    actor = world.admin_b if elevator.maintenance_company_id == world.company_b.pk else world.admin_a
    reviewer = getattr(world, REVIEWERS.get(elevator.region.code, "city_admin"))
    approved(world, ApplicationKind.REGISTRATION, [elevator], actor=actor, reviewer=reviewer)
    elevator.refresh_from_db()
    return elevator


def suspended(world, *, since=None, **kwargs):
    elevator = in_use(world, **kwargs)
    actor = world.admin_b if elevator.maintenance_company_id == world.company_b.pk else world.admin_a
    reviewer = getattr(world, REVIEWERS.get(elevator.region.code, "city_admin"))
    approved(
        world, ApplicationKind.SUSPENSION, [elevator], effective_date=since or today(), actor=actor, reviewer=reviewer
    )
    elevator.refresh_from_db()
    return elevator


__all__ = ["PDF", "pdf_upload", "file", "approved", "in_use", "suspended", "today", "Purpose", "timedelta"]
