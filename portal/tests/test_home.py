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
