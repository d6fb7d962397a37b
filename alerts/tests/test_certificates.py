"""人员证书到期预警: the workers' certificates and the companies' own qualifications, 60 days ahead."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import WorkerQualification
from alerts.services import certificate_warnings, company_qualification_warnings
from organizations.services import review_qualification, submit_qualification
from tests.factories import UserFactory, png_bytes, qualify

pytestmark = pytest.mark.django_db

CERTIFICATE = reverse("alerts:certificate")


def worker(world, offset: int | None, *, company=None, **extra):
    """A new active worker (company A's by default) whose only certificate ends `offset` days from today (None:
    no qualification at all)."""
    person = UserFactory(organization=company or world.company_a, category="maintenance_worker", role="staff", **extra)
    if offset is not None:
        qualify(person, date.today() + timedelta(days=offset))
    return person


def company_qualification(world, company, offset: int, *, actor=None):
    upload = lambda name: SimpleUploadedFile(name, png_bytes(), "image/png")  # noqa: E731
    return submit_qualification(
        company,
        actor=actor or world.operator,
        certificate_number=f"ZZ-{company.pk}-{offset}",
        valid_from=date(2020, 1, 1),
        valid_until=date.today() + timedelta(days=offset),
        business_licence=upload("b.png"),
        qualification_certificate=upload("q.png"),
        self_declaration=upload("d.png"),
    )


def listed(response) -> set[int]:
    assert response.status_code == 200
    return {row.pk for row in response.context["object_list"]}


def csv_of(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_certificates_ending_within_sixty_days_or_ended_or_missing_are_listed(world, client_for):
    people = {offset: worker(world, offset) for offset in (61, 60, 1, 0, -1)}
    missing = worker(world, None)
    inactive = worker(world, -3, is_active=False)
    response = client_for(world.admin_a).get(CERTIFICATE)
    # world.worker_a has no qualification either: listed, red 无资质
    assert listed(response) == {people[o].pk for o in (60, 1, 0, -1)} | {missing.pk, world.worker_a.pk}
    assert inactive.pk not in listed(response) and people[61].pk not in listed(response)
    assert world.admin_a.pk not in listed(response)  # a manager, not a worker
    html = response.content.decode()
    assert 'data-level="near">临期</span> <span class="small">还有 60 天' in html
    assert 'data-level="near">临期</span> <span class="small">今天到期' in html
    assert 'data-level="overdue">已过期</span> <span class="small">已过期 1 天' in html
    assert 'data-level="overdue">无资质</span>' in html
    assert reverse("accounts:user_qualification", args=[missing.pk]) in html  # 更新资质
    qualification = WorkerQualification.objects.get(user=people[0])
    assert qualification.certificate_number in html


def test_the_qualification_that_ends_last_is_the_current_one(world, client_for):
    renewed = worker(world, -30)
    qualify(renewed, date.today() + timedelta(days=400))  # a newer certificate: no warning
    still_valid = worker(world, 400)
    WorkerQualification.objects.filter(user=still_valid).update(submitted_at=date(2020, 1, 1))
    qualify(still_valid, date.today() + timedelta(days=5))  # a later entry ending sooner: the earlier still holds
    ending = worker(world, 5)
    qualify(ending, date.today() - timedelta(days=3))  # an old certificate entered late changes nothing
    qualify(world.worker_a)  # valid for decades
    assert listed(client_for(world.admin_a).get(CERTIFICATE)) == {ending.pk}
    row = WorkerQualification.objects.filter(user=ending).order_by("-valid_until").first()
    assert row.certificate_number in client_for(world.admin_a).get(CERTIFICATE).content.decode()
    # the same rule as the records' gate: whoever the page leaves out may start a visit
    assert {p.pk for p in certificate_warnings(world.admin_a)} == {ending.pk}


def test_each_reader_sees_only_the_people_the_accounts_pages_show(world, client_for):
    mine = worker(world, 10)
    theirs = worker(world, -2, company=world.company_b)
    assert listed(client_for(world.admin_a).get(CERTIFICATE)) == {mine.pk, world.worker_a.pk}
    assert listed(client_for(world.admin_b).get(CERTIFICATE)) == {theirs.pk, world.worker_b.pk}
    operator = listed(client_for(world.operator).get(CERTIFICATE))
    assert {mine.pk, theirs.pk, world.worker_a.pk, world.worker_b.pk} <= operator
    bureau = client_for(world.yubei_admin).get(CERTIFICATE)
    assert listed(bureau) == set() and 'data-testid="people-hidden"' in bureau.content.decode()
    assert client_for(world.worker_a).get(CERTIFICATE).status_code == 403  # not an administrator
    assert client_for(world.use_admin_a).get(CERTIFICATE).status_code == 403
    export = csv_of(client_for(world.admin_a).get(CERTIFICATE, {"export": "csv"}))
    assert mine.username in export and theirs.username not in export and "证书编号" in export
    assert set(certificate_warnings(world.admin_b)) == {theirs, world.worker_b}


def test_level_name_and_date_filters(world, client_for):
    near, expired = worker(world, 20), worker(world, -2)
    client = client_for(world.admin_a)
    assert listed(client.get(CERTIFICATE, {"level": "near"})) == {near.pk}
    assert listed(client.get(CERTIFICATE, {"level": "overdue"})) == {expired.pk, world.worker_a.pk}
    assert listed(client.get(CERTIFICATE, {"name": near.full_name})) == {near.pk}
    assert listed(client.get(CERTIFICATE, {"due_after": date.today().isoformat()})) == {near.pk}
    assert set(certificate_warnings(world.admin_a, level="overdue")) == {expired, world.worker_a}


def test_the_companies_own_qualification_is_listed_above_the_workers(world, client_for):
    ours = company_qualification(world, world.company_a, 30)
    theirs = company_qualification(world, world.company_b, -5)
    later = company_qualification(world, world.company_b, 200)
    review_qualification(later, actor=world.operator, approve=False, note="扫描件不清晰")  # returned: not current
    company_qualification(world, world.admin_a.organization, 300)  # company A renewed: no warning
    assert set(company_qualification_warnings(world.admin_a)) == set()
    assert set(company_qualification_warnings(world.admin_b)) == {theirs}
    assert set(company_qualification_warnings(world.jlp_admin)) == {theirs}
    assert set(company_qualification_warnings(world.yubei_admin)) == set()
    assert set(company_qualification_warnings(world.operator)) == {theirs}
    page = client_for(world.admin_b).get(CERTIFICATE).content.decode()
    assert theirs.certificate_number in page and ours.certificate_number not in page
    assert 'id="company-warning-table"' in page and "已过期 5 天" in page
    assert reverse("organizations:qualification", args=[world.company_b.pk]) in page  # 更新资质, its own
    bureau = client_for(world.jlp_admin).get(CERTIFICATE).content.decode()
    assert theirs.certificate_number in bureau
    assert reverse("organizations:qualification", args=[world.company_b.pk]) not in bureau  # a bureau reviews


def test_a_company_qualification_near_its_end_shows_to_the_bureau_of_its_area(world, client_for):
    ours = company_qualification(world, world.company_a, 60)
    company_qualification(world, world.company_b, 61)
    page = client_for(world.yubei_admin).get(CERTIFICATE).content.decode()
    assert ours.certificate_number in page and "还有 60 天" in page
    assert set(company_qualification_warnings(world.operator)) == {ours}


@pytest.mark.parametrize("rows", [1, 20])
def test_certificate_queries_are_bounded(world, client_for, django_assert_max_num_queries, rows):
    for i in range(rows):
        worker(world, (i % 8) * 10 - 15 if i % 5 else None)
    company_qualification(world, world.company_a, 10)
    for user in (world.admin_a, world.operator):
        client = client_for(user)
        client.get(CERTIFICATE)
        with django_assert_max_num_queries(9):
            client.get(CERTIFICATE)
