"""Browser journey: 通知 — a visit finished with S3 reaches the district bureau at once; its officer sees the bell's
count, opens the list, clicks the notification, lands on the record, and the count is gone. No CSP violation."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import browser_login, screenshot, watch_csp
from maintenance.models import GroupAssignment, MaintenanceGroup
from maintenance.services.plans import generate_year
from records import services
from records.models import ItemResult
from tests.factories import TEST_PASSWORD, UserFactory, make_elevator, png_upload, qualify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SITE = services.Position(29.5952, 106.5383, 12)


def visit_with_s3(world, monkeypatch):
    """A whole visit through the services (the face check says yes), finished with S3."""
    from core.uploads import IMAGE, save_attachment, validate_upload

    monkeypatch.setattr(services, "verify_face", lambda user, data: (True, 0.3))
    second = UserFactory(organization=world.company_a, category="maintenance_worker", role="staff")
    for worker in (world.worker_a, second):
        qualify(worker)
    elevator = make_elevator(world, building="银杏苑", latitude=Decimal("29.5951"), longitude=Decimal("106.5382"))
    group = MaintenanceGroup.objects.create(organization=world.company_a, name="一组", leader=world.worker_a)
    group.members.add(world.worker_a, second)
    GroupAssignment.objects.create(elevator=elevator, group=group)
    started = timezone.now() - timedelta(hours=1)
    generate_year(elevator, started.date() - timedelta(days=3), actor=world.admin_a, avoid=frozenset())
    record = services.start_visit(
        worker=world.worker_a, elevator=elevator, position=SITE, selfie=png_upload("selfie.png"), at=started
    )
    services.join_visit(worker=second, code=record.join_code, position=SITE, selfie=png_upload("selfie.png"))
    photo = save_attachment(validate_upload(png_upload("test.png"), kinds=IMAGE), record, "item_photo", world.worker_a)
    for entry in record.items.select_related("item"):
        value = "8" if entry.item.judgement == "numeric" else None
        services.answer_item(
            record, entry.pk, worker=world.worker_a, result=ItemResult.NORMAL, measured_value=value, photo=photo
        )
    return services.finish_visit(record, worker=world.worker_a, hazard_codes=["S3"], at=started + timedelta(minutes=45))


def test_a_bureau_officer_follows_the_bell_to_the_record(browser_page, world, monkeypatch):
    record = visit_with_s3(world, monkeypatch)
    code = record.elevator.register_code
    page = browser_page
    violations = watch_csp(page)
    browser_login(page, "yubei", TEST_PASSWORD)

    bell = page.locator("[data-testid=notification-bell]")
    assert bell.locator("[data-testid=notification-count]").get_attribute("data-count") == "1"
    screenshot(page, "notifications-01-bell")

    with page.expect_navigation():
        bell.click()
    assert page.url == f"{page.base_url}/notifications/"
    row = page.locator("#notification-table tbody tr", has_text=f"严重事故隐患：{code}")
    assert row.count() == 1
    assert "S3 安全附件、安全保护装置缺失或者失灵" in row.inner_text()
    assert row.locator("[data-testid=notification-unread]").is_visible()
    screenshot(page, "notifications-02-list")

    with page.expect_navigation():
        row.locator("[data-testid=notification-open]").click()
    assert page.url == f"{page.base_url}{record.get_absolute_url()}"
    assert code in page.locator("main").inner_text()
    assert page.locator("[data-testid=notification-count]").count() == 0
    screenshot(page, "notifications-03-record")

    page.goto(f"{page.base_url}/notifications/")
    row = page.locator("#notification-table tbody tr", has_text=code)
    assert row.locator("[data-testid=notification-unread]").count() == 0
    assert page.locator("[data-testid=notifications-read-all]").is_disabled()
    assert not violations, "\n".join(violations)


def test_the_use_unit_sees_its_request_and_reads_everything_at_once(browser_page, world, monkeypatch):
    visit_with_s3(world, monkeypatch)
    page = browser_page
    violations = watch_csp(page)
    browser_login(page, "use_a", TEST_PASSWORD)
    assert page.locator("[data-testid=notification-count]").get_attribute("data-count") == "1"
    page.goto(f"{page.base_url}/notifications/?unread=on")
    assert page.locator("#notification-table tbody tr", has_text="维保纪录待确认").count() == 1
    with page.expect_navigation():
        page.click("[data-testid=notifications-read-all]")
    assert page.locator(".alert", has_text="已将全部通知标为已读。").is_visible()
    assert page.locator("[data-testid=notification-count]").count() == 0
    assert not violations, "\n".join(violations)
