"""Contracts for the tests: company A's with use unit A by default, with a one-page PDF."""

import itertools
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from contracts import services
from tests.factories import make_elevator

_numbers = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="维保合同.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def new_use_unit(world, company):
    """A use unit of its own, served by `company` (a renewal is per company and use unit: separate units keep the
    tests' contracts from renewing each other)."""
    from organizations.models import ServiceRelation
    from tests.factories import OrganizationFactory, region

    unit = OrganizationFactory(kind="use_unit", name=f"合同物业{next(_numbers)}", region=region("500112"))
    ServiceRelation.objects.create(use_unit=unit, maintenance_company=company)
    return unit


def make_contract(world, *, ends_in=300, length=365, company=None, use_unit=None, elevators=None, number=None):
    """A contract ending `ends_in` days from today (negative: lapsed), `length` days long, on a new elevator of a
    new use unit (or of `use_unit`; the elevators' when given)."""
    company = company or world.company_a
    if use_unit is None:
        use_unit = elevators[0].use_unit if elevators else new_use_unit(world, company)
    if elevators is None:
        region_code = "500112" if company == world.company_a else "500107"
        elevators = [make_elevator(world, company=company, use_unit=use_unit, region_code=region_code)]
    actor = world.admin_a if company == world.company_a else world.admin_b
    ends = date.today() + timedelta(days=ends_in)
    starts = ends - timedelta(days=length)
    return services.create_contract(
        actor=actor,
        data={
            "use_unit": use_unit,
            "number": number or f"WB-{next(_numbers):05d}",
            "signed_on": min(starts, date.today()),
            "starts_on": starts,
            "ends_on": ends,
            "elevators": elevators,
        },
        upload=pdf(),
    )
