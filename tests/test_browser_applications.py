"""Browser journeys: 监管申请 through the real pages.

A maintenance company's administrator files a 停用登记申请 from the elevator's page, uploads a PDF, submits; the
district bureau finds it in 申请审核 and returns it with a reason; the company follows the bell to it, reads the
reason, edits and resubmits (reaching it through the side menu's 停用登记申请 list); the bureau approves; the
elevator's page and its public QR page say 停用, the company's bell brings the decision, and the timeline holds
every step. Then the bureau in the English UI, and the application page at a phone's width. No CSP violation.
"""

import pytest

from applications import services
from applications.models import Application, ApplicationKind, ApplicationStatus
from applications.tests.builders import PDF, file, in_use, pdf_upload, today
from conftest import browser_login, screenshot, watch_csp
from notifications.models import Notification
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_REASON = "电梯主机大修，停用三个月"
RETURN_REASON = "请写明停用期间的安全措施（警示标识、断电）"
SECOND_REASON = "电梯主机大修，停用三个月；停用期间断开主电源，首层层门张贴停用警示标识"
FILE_NAME = "停用申请书.pdf"


def log_in_as(page, username: str) -> None:
    page.context.clear_cookies()
    browser_login(page, username, TEST_PASSWORD)


def watch(page) -> list[str]:
    """The console's CSP reports and script errors (watch_csp), and any answer of the server that is a 5xx."""
    seen = watch_csp(page)

    def answered(response):
        if response.status >= 500:
            seen.append(f"{response.url}: {response.status}")

    page.on("response", answered)
    return seen


def bell_count(page) -> int:
    """The bell's unread count on the current page (0 when it shows no badge)."""
    badge = page.locator("[data-testid=notification-count]")
    return int(badge.get_attribute("data-count")) if badge.count() else 0


def status_of(page) -> str:
    return page.locator("main [data-testid=application-status]").first.get_attribute("data-status")


def confirm(page) -> None:
    """The step's confirmation page (提交, 审核通过 …): press its button and land back on the application."""
    with page.expect_navigation():
        page.click("[data-testid=confirm-action]")


def timeline_actions(page) -> list[str]:
    return page.locator("[data-testid=timeline] li[data-action]").evaluate_all(
        "items => items.map(item => item.dataset.action)"
    )


def test_suspension_filed_returned_resubmitted_and_approved(browser_page, world):
    elevator = in_use(world, building="停用测试大厦")
    code = elevator.register_code
    page = browser_page
    violations = watch(page)

    # 1. the company's administrator: the elevator's page offers 停用登记申请, the form comes with its code
    log_in_as(page, "admin_a")
    bell_before = bell_count(page)
    page.goto(page.base_url + elevator.get_absolute_url())
    panel = page.locator("[data-testid=elevator-applications]")
    assert panel.locator("[data-testid=offer-registration]").count() == 0  # registered already: not offered
    with page.expect_navigation():
        panel.locator("[data-testid=offer-suspension]").click()
    assert page.locator("h1").inner_text() == "新增停用登记申请"
    assert page.locator("[data-testid=elevator-codes]").input_value().strip() == code
    page.fill("#id_effective_date", today().isoformat())
    page.fill("#id_cause", FIRST_REASON)
    screenshot(page, "applications-01-form")
    with page.expect_navigation():
        page.click("main form button.btn-primary")
    application = Application.objects.get(kind=ApplicationKind.SUSPENSION)
    assert page.url == page.base_url + application.get_absolute_url()
    assert page.locator(".alert-success", has_text="已保存为草稿").is_visible()
    assert status_of(page) == ApplicationStatus.DRAFT
    assert FIRST_REASON in page.locator("[data-testid=application-fields]").inner_text()
    assert code in page.locator("[data-testid=application-elevators]").inner_text()

    # 2. a PDF uploaded on the application's page: listed with its preview link, served inline as a PDF
    form = page.locator("[data-testid=attach-form]")
    form.locator("input[type=file]").set_input_files({"name": FILE_NAME, "mimeType": "application/pdf", "buffer": PDF})
    with page.expect_navigation():
        form.locator("[data-testid=attach-submit]").click()
    assert page.locator(".alert-success", has_text="已上传").is_visible()
    preview = page.locator("[data-testid=document-preview]")
    assert preview.count() == 1 and preview.inner_text() == FILE_NAME
    assert page.locator("[data-testid=documents]").inner_text().count("其他材料") == 1  # its purpose
    href = preview.get_attribute("href")
    url = page.base_url + href
    # the link opens a new tab, whose answer is the PDF inline (the browser's viewer shows it), never an HTML page
    with page.expect_popup() as tab, page.context.expect_event("response", lambda r: r.url == url) as answer:
        preview.click()
    opened = answer.value
    assert opened.status == 200
    assert opened.headers["content-type"] == "application/pdf"
    assert opened.headers["content-disposition"].startswith("inline")
    assert opened.headers["x-content-type-options"] == "nosniff"
    tab.value.close()
    response = page.request.get(url)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body() == PDF  # the file itself
    screenshot(page, "applications-02-document")

    # 3. submitted to the district bureau
    with page.expect_navigation():
        page.click("[data-testid=application-submit]")
    assert "提交后申请将送交" in page.locator("main").inner_text()
    confirm(page)
    assert page.url == page.base_url + application.get_absolute_url()
    assert status_of(page) == ApplicationStatus.SUBMITTED
    assert "渝北区局" in page.locator("[data-testid=regulator]").inner_text()
    assert page.locator("[data-testid=application-edit]").count() == 0  # under review: nothing to change
    screenshot(page, "applications-03-submitted")

    # 4. the district bureau: the bell, 申请审核, the application, 退回 with a reason
    log_in_as(page, "yubei")
    assert bell_count(page) == 1  # 新的停用登记申请待审核
    with page.expect_navigation():
        page.click("[data-testid=menu-review]")
    row = page.locator("#application-table tbody tr", has_text=application.number)
    assert row.count() == 1 and code in row.inner_text() and "甲维保公司" in row.inner_text()
    screenshot(page, "applications-04-review-queue")
    with page.expect_navigation():
        row.locator(f"a:has-text('{application.number}')").click()
    assert FILE_NAME in page.locator("[data-testid=documents]").inner_text()
    with page.expect_navigation():
        page.click("[data-testid=application-return]")
    confirm(page)  # without a reason: refused in the form
    assert page.locator(".invalid-feedback, .alert-danger").first.is_visible()
    page.fill("#id_reason", RETURN_REASON)
    confirm(page)
    assert status_of(page) == ApplicationStatus.RETURNED
    assert page.locator(".alert-success", has_text="已退回申请单位").is_visible()
    assert page.locator("[data-testid=application-approve]").count() == 0
    page.goto(page.base_url + "/applications/review/")
    assert page.locator("#application-table tbody tr", has_text=application.number).count() == 0

    # 5. the company: the bell counts one more, its notification leads to the application and its reason
    log_in_as(page, "admin_a")
    assert bell_count(page) == bell_before + 1
    with page.expect_navigation():
        page.click("[data-testid=notification-bell]")
    note = page.locator("#notification-table tbody tr", has_text=application.number)
    assert note.count() == 1 and "已退回" in note.inner_text()
    screenshot(page, "applications-05-notification")
    with page.expect_navigation():
        note.locator("[data-testid=notification-open]").click()
    assert page.url == page.base_url + application.get_absolute_url()
    assert bell_count(page) == bell_before
    assert RETURN_REASON in page.locator("[data-testid=return-reason]").inner_text()
    screenshot(page, "applications-06-returned")

    # 6. through the side menu's 停用登记申请: the list shows it returned, with the way to its reason
    with page.expect_navigation():
        page.click("#side-menu a:has-text('停用登记申请')")
    assert page.url == page.base_url + "/applications/kind/suspension/"
    row = page.locator("#application-table tbody tr", has_text=application.number)
    assert row.count() == 1 and "已退回" in row.inner_text()
    screenshot(page, "applications-06b-kind-list")
    link = row.locator("[data-testid=view-reason]")
    assert link.inner_text() == "查看原因"
    with page.expect_navigation():
        link.click()
    assert page.url == f"{page.base_url}{application.get_absolute_url()}#decision"
    assert page.locator("#decision[data-testid=return-reason]").is_visible()
    assert RETURN_REASON in page.locator("[data-testid=return-reason]").inner_text()

    # 7. edited (the reason) and submitted again
    with page.expect_navigation():
        page.click("[data-testid=application-edit]")
    assert page.locator("#id_cause").input_value() == FIRST_REASON
    page.fill("#id_cause", SECOND_REASON)
    page.fill("#id_reason", "按退回意见补充安全措施")  # the edit's 修改原因
    with page.expect_navigation():
        page.click("main form button.btn-primary")
    assert page.locator(".alert-success", has_text="已保存").is_visible()
    assert SECOND_REASON in page.locator("[data-testid=application-fields]").inner_text()
    assert page.locator("[data-testid=application-submit]").inner_text() == "重新提交"
    with page.expect_navigation():
        page.click("[data-testid=application-submit]")
    confirm(page)
    assert status_of(page) == ApplicationStatus.SUBMITTED
    assert page.locator("[data-testid=return-reason]").count() == 0

    # 8. the bureau approves
    log_in_as(page, "yubei")
    with page.expect_navigation():
        page.click("[data-testid=menu-review]")
    row = page.locator("#application-table tbody tr", has_text=application.number)
    with page.expect_navigation():
        row.locator(f"a:has-text('{application.number}')").click()
    assert SECOND_REASON in page.locator("[data-testid=application-fields]").inner_text()
    with page.expect_navigation():
        page.click("[data-testid=application-approve]")
    assert "电梯状态变为“停用”" in page.locator("main").inner_text()  # what the approval does
    page.fill("#id_reason", "同意停用")
    confirm(page)
    assert status_of(page) == ApplicationStatus.APPROVED
    assert page.locator(".alert-success", has_text="已审核通过").is_visible()
    screenshot(page, "applications-07-approved")

    # 9. the elevator's page and its public QR page say 停用
    page.goto(page.base_url + elevator.get_absolute_url())
    badge = page.locator("main h1 + [data-status]")
    assert badge.get_attribute("data-status") == "suspended" and badge.inner_text() == "停用"
    assert panel.locator("[data-testid=application-offers]").count() == 0  # a bureau files nothing
    steps = page.locator("[data-testid=elevator-timeline]").inner_text()
    assert RETURN_REASON in steps and "停用登记申请" in steps
    screenshot(page, "applications-08-elevator")
    passer_by = page.context.browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:  # whoever scans the sign: no account
        public = passer_by.new_page()
        public_violations = watch(public)
        public.goto(page.base_url + elevator.public_path)
        status = public.locator("dd [data-status]")
        assert status.get_attribute("data-status") == "suspended" and status.inner_text() == "停用"
        screenshot(public, "applications-09-public")
        assert not public_violations, "\n".join(public_violations)
    finally:
        passer_by.close()

    # 10. the company: the decision in the bell, and every step on the application's timeline
    log_in_as(page, "admin_a")
    assert bell_count(page) == bell_before + 1
    with page.expect_navigation():
        page.click("[data-testid=notification-bell]")
    note = page.locator("#notification-table tbody tr", has_text=f"{application.number}：审核通过")
    assert note.count() == 1
    with page.expect_navigation():
        note.locator("[data-testid=notification-open]").click()
    assert status_of(page) == ApplicationStatus.APPROVED
    assert bell_count(page) == bell_before
    steps = [a for a in timeline_actions(page) if a != "attach"]
    assert steps == ["create", "submit", "return", "update", "submit", "approve"]
    assert "attach" in timeline_actions(page)
    timeline = page.locator("[data-testid=timeline]").inner_text()
    assert RETURN_REASON in timeline and "同意停用" in timeline
    assert page.locator("[data-testid=attach-form]").count() == 0
    screenshot(page, "applications-10-timeline")
    page.goto(page.base_url + elevator.get_absolute_url())
    assert page.locator("main h1 + [data-status]").get_attribute("data-status") == "suspended"
    assert panel.locator("[data-testid=offer-suspension]").count() == 0
    assert panel.locator("[data-testid=offer-reactivation]").is_visible()  # what may follow a suspension
    assert not violations, "\n".join(violations)


def submitted_suspension(world, **elevator):
    """A 停用登记申请 of company A with one PDF, submitted to 渝北区局 (set up through the services)."""
    application = file(world, ApplicationKind.SUSPENSION, [in_use(world, **elevator)], reason=FIRST_REASON)
    services.attach(application, actor=world.admin_a, purpose="other", upload=pdf_upload(FILE_NAME))
    return services.submit(application, actor=world.admin_a)


def no_page_overflow(page) -> bool:
    """The page itself does not scroll sideways (wide tables scroll inside their own box)."""
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_bureau_reviews_in_the_english_ui(browser_page, world):
    """The review queue and an application's page in English: they work whatever strings still wait for their
    translation; the notification the return sends is stored in the platform's language."""
    application = submitted_suspension(world, building="English Tower")
    page = browser_page
    violations = watch(page)
    page.goto(page.base_url + "/accounts/login/")
    with page.expect_navigation():
        page.select_option("[data-testid=language-switch] select", "en")
    browser_login(page, "yubei", TEST_PASSWORD)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("nav button", has_text="Log out").is_visible()

    with page.expect_navigation():
        page.click("[data-testid=menu-review]")
    assert page.url == page.base_url + "/applications/review/"
    table = page.locator("#application-table")
    headers = table.locator("thead").inner_text()
    assert "Use unit" in headers and "District" in headers
    row = table.locator("tbody tr", has_text=application.number)
    assert row.count() == 1
    assert row.locator("[data-status=submitted]").inner_text() == "Pending review"
    assert "Yubei" in row.inner_text()  # the district's English name
    assert page.locator("[data-testid=export-xlsx]").inner_text() == "Export Excel"
    screenshot(page, "applications-11-english-queue")

    with page.expect_navigation():
        row.locator(f"a:has-text('{application.number}')").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert status_of(page) == ApplicationStatus.SUBMITTED
    assert page.locator("main [data-testid=application-status]").first.inner_text() == "Pending review"
    fields = page.locator("[data-testid=application-fields]").inner_text()
    assert "Use unit" in fields and "Yubei" in fields and FIRST_REASON in fields
    elevators = page.locator("[data-testid=application-elevators]").inner_text()
    assert "Register code" in elevators and "In use" in elevators and "English Tower" in elevators
    assert page.locator("[data-testid=document-preview]").inner_text() == FILE_NAME
    assert page.locator("[data-testid=application-return]").inner_text() == "Return"
    assert timeline_actions(page) == ["create", "attach", "submit"]
    screenshot(page, "applications-12-english-application")

    # 退回 in English: Django's own required-field message, then the return itself
    with page.expect_navigation():
        page.click("[data-testid=application-return]")
    assert page.locator("label[for=id_reason]").inner_text().startswith("Reason")
    confirm(page)
    assert "This field is required." in page.locator("main").inner_text()
    page.fill("#id_reason", RETURN_REASON)
    confirm(page)
    assert page.url == page.base_url + application.get_absolute_url()
    assert status_of(page) == ApplicationStatus.RETURNED
    assert RETURN_REASON in page.locator("[data-testid=return-reason]").inner_text()
    title = Notification.objects.filter(organization=world.company_a).order_by("-id").values_list("title", flat=True)
    assert "已退回" in title[0]  # stored in the platform's language, whoever sent it
    assert not violations, "\n".join(violations)


def test_the_application_page_at_a_phones_width(browser, live_server, world):
    """390 px: a returned application's page, its list and its upload form fit the screen (no sideways scroll of
    the page), its buttons are on screen and a document can be added from the phone."""
    application = submitted_suspension(world, building="手机测试大厦")
    services.return_application(application, actor=world.yubei_admin, reason=RETURN_REASON)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    violations = watch(page)
    try:
        browser_login(page, "admin_a", TEST_PASSWORD)
        # the list through the folded side menu
        page.click("[data-testid=menu-toggle]")
        page.wait_for_selector("#side-menu.show")
        page.wait_for_function("() => document.querySelector('#side-menu').getBoundingClientRect().x >= 0")
        with page.expect_navigation():
            page.click("#side-menu a:has-text('停用登记申请')")
        assert page.locator("[data-testid=new-application]").is_visible()
        assert no_page_overflow(page)
        screenshot(page, "applications-13-phone-list")
        row = page.locator("#application-table tbody tr", has_text=application.number)
        with page.expect_navigation():
            row.locator(f"a:has-text('{application.number}')").click()

        assert status_of(page) == ApplicationStatus.RETURNED
        assert page.locator("[data-testid=return-reason]").is_visible()
        assert no_page_overflow(page)
        for testid in ("application-edit", "application-submit"):
            box = page.locator(f"[data-testid={testid}]").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 28, testid
        for testid in ("application-fields", "documents", "timeline", "attach-form"):
            box = page.locator(f"[data-testid={testid}]").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 391, testid
        # the elevators' table scrolls inside its own box
        wrapper = page.locator(".table-responsive:has([data-testid=application-elevators])")
        box = wrapper.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 391
        screenshot(page, "applications-14-phone-application")

        form = page.locator("[data-testid=attach-form]")
        form.scroll_into_view_if_needed()
        form.locator("input[type=file]").set_input_files(
            {"name": "现场照片说明.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        with page.expect_navigation():
            form.locator("[data-testid=attach-submit]").tap()
        assert page.locator(".alert-success", has_text="已上传").is_visible()
        assert page.locator("[data-testid=document-preview]").count() == 2
        assert no_page_overflow(page)
        screenshot(page, "applications-15-phone-uploaded")
        assert not violations, "\n".join(violations)
    finally:
        context.close()
