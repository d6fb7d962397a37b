"""Browser: every main page under the Content-Security-Policy, with no violation in Chromium's console.

The policy (config/settings.py, django-csp) allows scripts, styles and fonts from the platform itself only: an
inline <script>, a style="…" attribute, a javascript: URL or htmx's inline indicator <style> shows up here as
"Refused to … because it violates the following Content Security Policy directive".
"""

import pytest
from django.urls import reverse

from conftest import browser_login, watch_csp
from tests.factories import TEST_PASSWORD, make_elevator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, path: str, status: int = 200) -> None:
    response = page.goto(page.base_url + path)
    assert response.status == status, (path, response.status)
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, (path, policy)
    page.wait_for_load_state("load")


def test_main_pages_raise_no_csp_violation(browser_page, world):
    from imports.models import ImportJob, ImportStatus

    page = browser_page
    violations = watch_csp(page)
    elevator = make_elevator(world)
    job = ImportJob.objects.create(
        kind="elevators",
        organization=world.company_a,
        created_by=world.admin_a,
        status=ImportStatus.RUNNING,
        total_rows=10,
        processed_rows=4,
    )

    visit(page, "/accounts/login/")
    visit(page, elevator.public_path)  # the QR page: no login, its own layout
    browser_login(page, "admin_a", TEST_PASSWORD)
    for path in [
        "/",
        reverse("elevators:list"),
        reverse("elevators:detail", args=[elevator.pk]),  # map, QR SVG, history
        reverse("elevators:create"),  # the wizard's map picker
        reverse("elevators:edit", args=[elevator.pk]),
        reverse("elevators:components", args=[elevator.pk]),
        reverse("elevators:landing_doors", args=[elevator.pk]),
        reverse("elevators:problem_list"),
        reverse("accounts:user_list"),
        reverse("accounts:user_detail", args=[world.worker_a.pk]),
        reverse("accounts:user_edit", args=[world.worker_a.pk]),
        reverse("accounts:user_create"),
        reverse("accounts:user_face", args=[world.worker_a.pk]),
        reverse("accounts:password_change"),
        reverse("organizations:list", kwargs={"kind": "use_unit"}),
        reverse("organizations:detail", args=[world.company_a.pk]),
        reverse("organizations:edit", args=[world.company_a.pk]),
        reverse("organizations:region_list"),
        reverse("imports:list"),
        reverse("imports:start", kwargs={"kind": "elevators"}),
        "/api/v1/docs",
    ]:
        visit(page, path)
    visit(page, reverse("imports:detail", args=[job.pk]))  # the progress bar's width, set by app.js
    width = page.locator("[data-testid=import-progress-bar] .progress-bar").evaluate("el => el.style.width")
    assert width == "40%"
    visit(page, "/elevators/999999/", status=404)
    visit(page, "/?q=%00", status=400)

    # htmx at work (the list's unit autocomplete), then the filter form
    visit(page, reverse("elevators:list"))
    with page.expect_response(lambda response: "unit-lookup" in response.url):
        page.fill("input[name=use_unit_name]", "甲")
    page.wait_for_load_state("networkidle")
    with page.expect_navigation():
        page.click("[data-testid=list-filters] button")

    page.context.clear_cookies()
    browser_login(page, "operator", TEST_PASSWORD)
    visit(page, "/admin/")
    visit(page, "/admin/organizations/organization/")
    visit(page, reverse("accounts:user_list"), status=200)
    page.context.clear_cookies()
    browser_login(page, "worker_a", TEST_PASSWORD)
    visit(page, reverse("accounts:user_list"), status=403)

    assert not violations, "\n".join(violations)
