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


def make_contract(world, *, ends_in=300, length=365, company=None, use_unit=None, elevators=None, number=None):
    """A contract ending `ends_in` days from today (negative: lapsed), `length` days long, on a new elevator."""
    company = company or world.company_a
    use_unit = use_unit or (world.use_unit_a if company == world.company_a else world.use_unit_b)
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
