"""The home page (平台首页): the user's unit and what the user may see, counted."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_is_the_root_and_needs_a_login(client):
    assert reverse("portal:home") == "/"
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_home_shows_the_organisation_and_counts(world, client_for):
    page = client_for(world.admin_a).get("/").content.decode()
    assert "甲维保公司" in page and "单位管理员" in page
    assert 'data-count="use_unit">1<' in page


def test_home_counts_the_elevators_one_may_see(world, client_for):
    from django.core.cache import cache

    from tests.factories import make_elevator

    cache.clear()
    make_elevator(world)
    make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    assert 'data-count="elevators">1<' in client_for(world.admin_a).get("/").content.decode()
    assert 'data-count="elevators">2<' in client_for(world.city_admin).get("/").content.decode()
    assert 'data-count="elevators">0<' in client_for(world.sz_admin).get("/").content.decode()


def test_the_account_count_shows_to_those_who_maintain_accounts(world, client_for):
    assert 'data-count="users"' in client_for(world.admin_a).get("/").content.decode()
    assert 'data-count="users"' not in client_for(world.worker_a).get("/").content.decode()


def _count(page: str, key: str) -> int:
    import re

    match = re.search(rf'data-count="{key}">(\d+)<', page)
    assert match, f"no {key} card"
    return int(match.group(1))


def test_home_shows_the_applications_waiting_for_each_party(world, client_for):
    """A bureau sees what is routed to it and waits; an applicant's administrators their own returned and
    submitted applications; nobody counts a draft, another bureau's queue or another unit's applications."""
    from applications import services
    from applications.models import ApplicationKind
    from applications.tests.builders import file
    from tests.factories import make_elevator

    registration = ApplicationKind.REGISTRATION
    waiting = file(world, registration, [make_elevator(world)])
    services.submit(waiting, actor=world.admin_a)
    returned = file(world, registration, [make_elevator(world)])
    services.submit(returned, actor=world.admin_a)
    services.return_application(returned, actor=world.yubei_admin, reason="告知书未盖章")
    file(world, registration, [make_elevator(world)])  # a draft: nobody's business yet
    by_use_unit = file(world, registration, [make_elevator(world)], actor=world.use_admin_a)
    services.submit(by_use_unit, actor=world.use_admin_a)

    bureau = client_for(world.yubei_admin).get("/").content.decode()
    assert _count(bureau, "applications_to_review") == 2
    assert 'href="/applications/review/"' in bureau
    for other in (world.jlp_admin, world.city_admin, world.sz_admin):  # routed to 渝北区局 only
        assert _count(client_for(other).get("/").content.decode(), "applications_to_review") == 0

    company = client_for(world.admin_a).get("/").content.decode()
    assert _count(company, "applications_returned") == 1 and _count(company, "applications_submitted") == 1
    assert 'href="/applications/?status=returned"' in company
    assert 'href="/applications/?status=submitted"' in company
    use_unit = client_for(world.use_admin_a).get("/").content.decode()
    assert _count(use_unit, "applications_returned") == 0 and _count(use_unit, "applications_submitted") == 1
    other_company = client_for(world.admin_b).get("/").content.decode()
    assert _count(other_company, "applications_returned") == _count(other_company, "applications_submitted") == 0
    assert "applications_returned" not in client_for(world.worker_a).get("/").content.decode()  # files nothing
    assert 'data-count="applications' not in client_for(world.operator).get("/").content.decode()


def test_the_application_cards_cost_one_query_whatever_the_number(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from applications import services
    from applications.models import ApplicationKind
    from applications.tests.builders import file
    from tests.factories import make_elevator

    def queries(user):
        client = client_for(user)
        client.get("/")  # the session, the cached elevator count
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/").content.decode()
        about = [q["sql"] for q in captured.captured_queries if "applications_application" in q["sql"]]
        return len(captured), len(about), page

    before = {user.username: queries(user) for user in (world.admin_a, world.yubei_admin)}
    for _n in range(3):
        application = file(world, ApplicationKind.REGISTRATION, [make_elevator(world)])
        services.submit(application, actor=world.admin_a)
    for user in (world.admin_a, world.yubei_admin):
        total, about, page = queries(user)
        assert (total, about) == before[user.username][:2] and about == 1
    assert _count(page, "applications_to_review") == 3


def test_a_bureau_sees_the_pilot_applications_it_must_handle(world, client_for):
    from applications.tests.builders import in_use
    from organizations.models import Region
    from pilot import services
    from pilot.tests.test_services import ready

    Region.objects.filter(code="500112").update(in_pilot=True)
    application = ready(world, [in_use(world)])
    assert _count(client_for(world.yubei_admin).get("/").content.decode(), "pilots_to_handle") == 0  # a draft
    services.submit(application, actor=world.admin_a)
    page = client_for(world.yubei_admin).get("/").content.decode()
    assert _count(page, "pilots_to_handle") == 1 and 'href="/pilot/queue/"' in page
    application.refresh_from_db()
    services.accept(application, actor=world.yubei_admin)
    assert _count(client_for(world.yubei_admin).get("/").content.decode(), "pilots_to_handle") == 1  # still its own
    for other in (world.jlp_admin, world.city_admin):
        assert _count(client_for(other).get("/").content.decode(), "pilots_to_handle") == 0
