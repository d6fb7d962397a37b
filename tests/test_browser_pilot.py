"""Browser journey: 电梯维护保养试点申请 as the seed (004, Chongqing's guide V1.2) walks it, by clicks and typing.

A maintenance company that has no account of its own opens its unit account from the login page (获取登录账号),
logs in with its credit code and changes the initial password; through 监管申请 → 电梯维护保养试点申请 it adds an
application (身份, 试点工作要求, 同意), fills 申请信息, builds its batch (the batch rule refuses another use unit's
elevator), describes its information system, uploads the documents its modes need, prints the application and
submits it; the routing rule sends it to 渝北区局, which accepts it in another browser and returns it with a reason;
the company reads the reason, replaces the 承诺书 and submits again; the bureau accepts, reviews and approves it
and the elevators go on 按需维保. Then an applicant whose elevators are outside the pilot districts is refused with
the seed's words. Every screen is screenshot; no CSP violation, no script error, no 5xx.
"""

import subprocess
from datetime import timedelta

import pytest

from applications.models import ApplicationKind
from applications.tests.builders import PDF, approved, in_use, today
from conftest import browser_login, screenshot, watch_csp
from organizations.models import Region
from pilot.models import PilotApplication, PilotStatus
from pilot.services import NOT_ELIGIBLE
from pilot.tests.test_services import ready
from tests.factories import TEST_PASSWORD, OrganizationFactory, UserFactory, make_elevator, region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPANY = "重庆渝安电梯维保有限公司"
COMPANY_PHONE = "023-67851234"
ESTATE = "重庆锦绣物业管理有限公司"
OTHER_ESTATE = "重庆华茂物业管理有限公司"
NEW_PASSWORD = "Yuan2026pilot"
SYSTEM_URL = "https://weibao.yuan.example.cn/query"
DESCRIPTION = "渝安智慧维保系统：维保人员扫码签到、现场拍照、电子签名，记录实时上传，物联网监测数据接入。"
RETURN_REASON = "承诺书未加盖使用单位公章，请补充后重新提交"


def watch(page) -> list[str]:
    """CSP reports and script errors (watch_csp), and any 5xx answer of the server."""
    seen = watch_csp(page)
    page.on("response", lambda r: seen.append(f"{r.url}: {r.status}") if r.status >= 500 else None)
    return seen


def click(page, selector) -> None:
    """Click something that loads another page, and wait for it."""
    with page.expect_navigation():
        page.click(selector)


def status_of(page) -> str:
    return page.locator("main [data-testid=pilot-status]").first.get_attribute("data-status")


def bell_count(page) -> int:
    badge = page.locator("[data-testid=notification-count]")
    return int(badge.get_attribute("data-count")) if badge.count() else 0


def pdftotext(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def upload(page, document: str, name: str) -> None:
    row = page.locator(f"[data-testid=pilot-documents] tr[data-document={document}]")
    row.locator("input[type=file]").set_input_files({"name": name, "mimeType": "application/pdf", "buffer": PDF})
    with page.expect_navigation():
        row.locator(f"[data-testid=upload-{document}]").click()
    assert page.locator(".alert-success", has_text="已上传").is_visible()
    assert page.locator(f"[data-testid=uploaded-{document}]").inner_text() == "√"


def pilot_world(world):
    """渝北 is a pilot district; a company (its phone on record, one registrar to file the registrations) maintains
    three elevators of 锦绣物业 in 锦绣花园 and one of 华茂物业, all registered and in use in 渝北."""
    Region.objects.filter(code="500112").update(in_pilot=True)
    company = OrganizationFactory(
        kind="maintenance_company",
        name=COMPANY,
        region=region("500112"),
        address="重庆市渝北区龙溪街道金山路18号",
        legal_representative="周明",
        legal_representative_phone="13983001234",
        contact_name="陈静",
        contact_phone=COMPANY_PHONE,
    )
    registrar = UserFactory(username="yuan_registrar", organization=company)  # filed the registrations
    estate = OrganizationFactory(
        kind="use_unit",
        name=ESTATE,
        region=region("500112"),
        address="重庆市渝北区锦绣路8号",
        legal_representative="",  # not on record: the applicant writes it in
        legal_representative_phone="",
        contact_name="李强",
        contact_phone="023-67009876",
    )
    other = OrganizationFactory(kind="use_unit", name=OTHER_ESTATE, region=region("500112"))
    elevators = []
    for building, unit in (
        ("锦绣花园1栋", estate),
        ("锦绣花园2栋", estate),
        ("锦绣花园3栋", estate),
        ("华茂大厦", other),
    ):
        elevator = make_elevator(world, company=company, use_unit=unit, building=building, region_code="500112")
        approved(world, ApplicationKind.REGISTRATION, [elevator], actor=registrar, reviewer=world.yubei_admin)
        elevator.refresh_from_db()
        elevators.append(elevator)
    return company, estate, elevators[:3], elevators[3]


def test_a_company_applies_for_the_pilot_from_its_first_login_to_approval(browser_page, browser, world):
    company, estate, batch, stranger = pilot_world(world)
    codes = sorted(e.register_code for e in batch)
    page = browser_page
    problems = watch(page)

    # 1. 获取登录账号 from the login page, log in with the credit code, change the initial password
    page.goto(page.base_url + "/accounts/login/")
    click(page, "[data-testid=obtain-account-link]")
    screenshot(page, "pilot-01-obtain")
    page.fill("#id_credit_code", company.credit_code)
    page.fill("#id_name", COMPANY)
    page.fill("#id_phone", COMPANY_PHONE)
    page.fill("#id_captcha_1", "PASSED")  # the captcha's test mode
    click(page, "[data-testid=obtain-submit]")
    assert page.locator("[data-testid=unit-username]").inner_text() == company.credit_code
    screenshot(page, "pilot-02-obtained")
    click(page, "[data-testid=go-login]")
    assert page.input_value("#id_username") == company.credit_code
    page.fill("#id_password", company.credit_code)
    page.fill("#id_captcha_1", "PASSED")
    click(page, "button[type=submit]")
    assert page.url.endswith("/accounts/password/")
    assert page.locator("[data-testid=must-change]").is_visible()
    screenshot(page, "pilot-03-change-password")
    page.fill("#id_old_password", company.credit_code)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    click(page, "button[type=submit]")
    assert page.url == page.base_url + "/"
    assert COMPANY in page.locator("[data-testid=current-user]").inner_text()

    # 2. 监管申请 → 电梯维护保养试点申请: 任务状态, 搜索, 新增; nothing yet
    menu = page.locator("[data-testid=side-menu]")
    assert menu.locator(".menu-heading", has_text="监管申请").is_visible()
    click(page, "[data-testid=menu-pilot]")
    assert page.locator("main h1").inner_text() == "电梯维护保养试点申请"
    filters = page.locator("[data-testid=list-filters]")
    assert filters.locator("label", has_text="任务状态").is_visible()
    assert filters.locator("label", has_text="搜索").is_visible()
    assert "没有查询到结果" in page.locator("#object-list").inner_text()
    screenshot(page, "pilot-04-list-empty")

    # 3. 新增 → 申请单位身份 (维保单位) → 确定 → 试点工作要求 → 同意 → the editor
    click(page, "[data-testid=pilot-new]")
    identity = page.locator("#id_identity")
    assert identity.input_value() == "maintenance_company"
    assert identity.locator("option").all_inner_texts() == ["维保单位"]  # only the unit's own kind
    screenshot(page, "pilot-05-identity")
    click(page, "[data-testid=identity-confirm]")
    requirements = page.locator("[data-testid=pilot-requirements]")
    assert requirements.is_visible() and "近三年未发生电梯安全责任事故" in requirements.inner_text()
    screenshot(page, "pilot-06-requirements")
    click(page, "[data-testid=requirements-agree]")
    application = PilotApplication.objects.get(applicant=company)
    assert page.url == page.base_url + f"/pilot/{application.pk}/edit/"
    assert status_of(page) == PilotStatus.DRAFT
    assert application.number in page.locator("main h1").inner_text()

    # 4. 申请信息: the company's information prefilled; the declaration and the modes; 保存
    assert page.input_value("#id_company_name") == COMPANY
    assert page.input_value("#id_company_credit_code") == company.credit_code
    assert page.input_value("#id_company_contact_phone") == COMPANY_PHONE
    assert page.input_value("#id_use_unit_name") == ""  # the use unit comes with the batch
    page.check("[data-field=accident_in_three_years] input[value=False]")
    page.check("[data-field=information_system] input[value=True]")
    page.fill("#id_information_system_url", SYSTEM_URL)
    page.check("[data-field=iot_monitoring] input[value=True]")
    page.check("[data-field=full_package] input[value=False]")
    screenshot(page, "pilot-07-information")
    click(page, "[data-testid=pilot-save]")
    assert page.locator(".alert-success", has_text="已保存").is_visible()
    assert page.is_checked("[data-field=iot_monitoring] input[value=True]")
    assert page.input_value("#id_information_system_url") == SYSTEM_URL

    # 添加试点电梯: the ledger's four elevators; ticking another use unit's with ours is refused (the batch rule)
    click(page, "[data-testid=add-elevators]")
    candidates = page.locator("[data-testid=candidate-elevators] tbody")
    assert candidates.locator("input[type=checkbox]").count() == 4
    page.check(f"input[data-code='{batch[0].register_code}']")
    page.check(f"input[data-code='{stranger.register_code}']")
    click(page, "[data-testid=add-selected]")
    refusal = page.locator(".alert-danger", has_text="同一批次只能添加使用单位和维保单位一致的电梯")
    assert refusal.is_visible() and ESTATE in refusal.inner_text()
    assert page.is_checked(f"input[data-code='{stranger.register_code}']")  # the ticks kept, to correct
    screenshot(page, "pilot-08-batch-rule")
    # by building: 锦绣花园 shows our three; all ticked, 添加
    page.fill("#f-building", "锦绣花园")
    click(page, "[data-testid=elevator-search]")
    assert sorted(candidates.locator("input[type=checkbox]").evaluate_all("l => l.map(i => i.dataset.code)")) == codes
    for code in codes:
        page.check(f"input[data-code='{code}']")
    screenshot(page, "pilot-09-candidates")
    click(page, "[data-testid=add-selected]")
    assert page.locator(".alert-success", has_text="已添加 3 台电梯").is_visible()
    lines = page.locator("[data-testid=pilot-elevators] tbody tr")
    assert lines.count() == 3 and ESTATE in lines.first.inner_text()
    # the use unit's information now comes from the ledger; its legal representative is not on record
    assert page.input_value("#id_use_unit_name") == ESTATE
    assert page.input_value("#id_use_unit_credit_code") == estate.credit_code
    assert page.input_value("#id_use_unit_legal_representative") == ""
    assert "请填写使用单位法定代表人（负责人）" in page.locator("[data-testid=missing]").inner_text()
    page.fill("#id_use_unit_legal_representative", "王磊")
    page.fill("#id_use_unit_legal_phone", "13983005678")
    click(page, "[data-testid=pilot-save]")
    assert page.input_value("#id_use_unit_legal_representative") == "王磊"
    assert "法定代表人" not in page.locator("[data-testid=missing]").inner_text()

    # once the batch has elevators, another use unit's are not offered
    click(page, "[data-testid=add-elevators]")
    assert ESTATE in page.locator("[data-testid=elevator-filters] + form").inner_text()  # the batch's units named
    assert candidates.locator("input[type=checkbox]").count() == 0
    assert "没有符合条件的电梯" in candidates.inner_text()
    page.goto(page.base_url + f"/pilot/{application.pk}/elevators/?building=华茂")
    assert candidates.locator("input[type=checkbox]").count() == 0
    click(page, "[data-testid=menu-pilot]")  # back through the list: 编辑
    click(page, "[data-testid=row-edit]")

    # 移除 one and add it back
    with page.expect_navigation():
        lines.filter(has_text=codes[2]).locator("[data-testid=remove-elevator]").click()
    assert page.locator(".alert-success", has_text="已移除 1 台电梯").is_visible()
    assert lines.count() == 2
    click(page, "[data-testid=add-elevators]")
    assert candidates.locator("input[type=checkbox]").evaluate_all("l => l.map(i => i.dataset.code)") == [codes[2]]
    page.check(f"input[data-code='{codes[2]}']")
    click(page, "[data-testid=add-selected]")
    assert lines.count() == 3
    assert page.input_value("#id_use_unit_legal_representative") == "王磊"  # kept as written
    screenshot(page, "pilot-10-batch")

    # 5. 维保工作信息化管理系统介绍
    assert "请填写维保工作信息化管理系统介绍" in page.locator("[data-testid=missing]").inner_text()
    click(page, "[data-testid=pilot-editor-nav] >> text=维保工作信息化管理系统介绍")
    page.fill("#id_system_description", DESCRIPTION)
    click(page, "[data-testid=pilot-save]")
    assert page.locator(".alert-success", has_text="已保存").is_visible()
    assert page.input_value("#id_system_description") == DESCRIPTION
    screenshot(page, "pilot-11-system")

    # 6. 上传附件: seven rows; 提交 stays disabled while the IoT documents (IoT chosen) and the others are missing
    click(page, "[data-testid=tab-documents]")
    rows = page.locator("[data-testid=pilot-documents] tbody tr")
    assert rows.count() == 7
    assert rows.locator("td:first-child").all_inner_texts()[0].startswith("试点申请书")
    submit = page.locator("[data-testid=pilot-submit]")
    assert submit.get_attribute("aria-disabled") == "true" and "disabled" in submit.get_attribute("class")
    missing = page.locator("[data-testid=missing]").inner_text()
    for document in ("试点申请书", "承诺书", "物联网监测系统安全评价报告", "物联网监测系统功能和故障代码说明"):
        assert f"请上传“{document}”" in missing
    assert "维保合同" not in missing and "电梯保险证明" not in missing  # not required with these modes
    screenshot(page, "pilot-12-documents-empty")
    # 下载模板: the 承诺书 to fill, a PDF download
    with page.expect_download() as download:
        page.click("[data-testid=commitment-template]")
    template = download.value.path().read_bytes()
    assert template.startswith(b"%PDF") and "承诺书" in pdftotext(template)
    upload(page, "application_letter", "试点申请书.pdf")
    upload(page, "commitment", "承诺书.pdf")
    upload(page, "iot_security_report", "物联网安全评价报告.pdf")
    upload(page, "iot_functions", "功能和故障代码说明.pdf")
    assert page.locator("[data-testid=missing]").count() == 0
    assert submit.get_attribute("aria-disabled") is None
    # a document's name previews it: the PDF itself, inline
    preview = page.locator("[data-testid=preview-commitment]")
    url = page.base_url + preview.get_attribute("href")
    with page.expect_popup() as tab, page.context.expect_event("response", lambda r: r.url == url) as answer:
        preview.click()
    assert answer.value.status == 200
    assert answer.value.headers["content-type"] == "application/pdf"
    assert answer.value.headers["content-disposition"].startswith("inline")
    tab.value.close()
    screenshot(page, "pilot-13-documents")

    # 打印: the application as a PDF to stamp, with its number
    printed = page.locator("[data-testid=pilot-print]")
    url = page.base_url + printed.get_attribute("href")
    with page.expect_popup() as tab, page.context.expect_event("response", lambda r: r.url == url) as answer:
        printed.click()
    assert answer.value.status == 200 and answer.value.headers["content-type"] == "application/pdf"
    assert answer.value.headers["content-disposition"].startswith("inline")
    tab.value.close()
    text = pdftotext(page.request.get(url).body())
    assert application.number in text and ESTATE in text

    # 7. 提交 → confirm: 待受理, routed to 渝北区局 with the reason
    click(page, "[data-testid=pilot-submit]")
    assert "1000 台以上" in page.locator("main").inner_text()  # the routing rule, said before
    screenshot(page, "pilot-14-submit")
    click(page, "[data-testid=confirm-action]")
    assert page.url == page.base_url + application.get_absolute_url()
    assert status_of(page) == PilotStatus.SUBMITTED
    assert page.locator("main [data-testid=pilot-status]").first.inner_text() == "待受理"
    regulator = page.locator("[data-testid=pilot-regulator]").inner_text()
    assert "渝北区局" in regulator and "1000 台以下" in regulator and "渝北区" in regulator
    assert page.locator("[data-testid=pilot-edit]").count() == 0
    screenshot(page, "pilot-15-submitted")

    # 8. the district bureau, in another browser: the bell, 试点申请办理, 受理, then 退回 with a reason
    bureau_context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    try:
        bureau = bureau_context.new_page()
        bureau.set_default_timeout(15000)
        bureau.base_url = page.base_url
        bureau_problems = watch(bureau)
        browser_login(bureau, "yubei", TEST_PASSWORD)
        assert bell_count(bureau) == 1  # 新的电梯维护保养试点申请待受理
        click(bureau, "[data-testid=menu-pilot-queue]")
        row = bureau.locator("#pilot-table tbody tr", has_text=application.number)
        assert row.count() == 1 and "待受理" in row.inner_text() and ESTATE in row.inner_text()
        screenshot(bureau, "pilot-16-queue")
        click(bureau, "[data-testid=notification-bell]")
        note = bureau.locator("#notification-table tbody tr", has_text=application.number)
        assert note.count() == 1 and "待受理" in note.inner_text()
        screenshot(bureau, "pilot-17-bell")
        with bureau.expect_navigation():
            note.locator("[data-testid=notification-open]").click()
        assert bureau.url == page.base_url + application.get_absolute_url()
        assert bureau.locator("[data-testid=pilot-elevators] tbody tr").count() == 3
        assert COMPANY in bureau.locator("[data-testid=pilot-units]").inner_text()
        click(bureau, "[data-testid=pilot-accept]")
        assert bureau.locator("main textarea").count() == 0  # 受理 asks nothing but a click
        click(bureau, "[data-testid=confirm-action]")
        assert bell_count(bureau) == 0  # the request is done once accepted
        assert status_of(bureau) == PilotStatus.ACCEPTED
        click(bureau, "[data-testid=pilot-return]")
        click(bureau, "[data-testid=confirm-action]")  # without a reason: refused
        assert bureau.locator(".invalid-feedback, .alert-danger").first.is_visible()
        bureau.fill("#id_reason", RETURN_REASON)
        screenshot(bureau, "pilot-18-return")
        click(bureau, "[data-testid=confirm-action]")
        assert status_of(bureau) == PilotStatus.RETURNED
        assert bureau.locator("#pilot-table").count() == 0

        # 9. the company: 退回申请 in the list with 查看原因; the reason; 编辑, a new 承诺书, 提交 again
        click(page, "[data-testid=menu-pilot]")
        page.select_option("#id_status", "approved")  # 任务状态: none approved yet
        click(page, "[data-testid=list-filters] button")
        assert "没有查询到结果" in page.locator("#object-list").inner_text()
        page.select_option("#id_status", "returned")
        page.fill("#id_q", application.number)  # 搜索 by the number
        click(page, "[data-testid=list-filters] button")
        row = page.locator("#pilot-table tbody tr")
        assert row.count() == 1 and application.number in row.inner_text() and "退回申请" in row.inner_text()
        screenshot(page, "pilot-19-returned-list")
        click(page, "[data-testid=view-reason]")
        assert RETURN_REASON in page.locator("#reason").inner_text()
        screenshot(page, "pilot-20-reason")
        click(page, "[data-testid=pilot-edit]")
        assert RETURN_REASON in page.locator("[data-testid=return-reason]").inner_text()
        click(page, "[data-testid=tab-documents]")
        upload(page, "commitment", "承诺书（已盖章）.pdf")
        assert page.locator("[data-testid=preview-commitment]").get_attribute("href")
        click(page, "[data-testid=pilot-submit]")
        click(page, "[data-testid=confirm-action]")
        assert status_of(page) == PilotStatus.SUBMITTED
        assert "渝北区局" in page.locator("[data-testid=pilot-regulator]").inner_text()
        timeline = page.locator("[data-testid=timeline] li[data-action]")
        actions = timeline.evaluate_all("items => items.map(i => i.dataset.action)")
        assert actions.count("submit") == 2 and actions.count("return") == 1  # routed at each submission

        # 10. the bureau: 受理, 审核, 审批 (30 days from next week) → 已审批
        starts = today() + timedelta(days=7)
        click(bureau, "[data-testid=menu-pilot-queue]")
        click(bureau, f"#pilot-table a:has-text('{application.number}')")
        for step in ("accept", "review"):
            click(bureau, f"[data-testid=pilot-{step}]")
            click(bureau, "[data-testid=confirm-action]")
        assert status_of(bureau) == PilotStatus.REVIEWED
        click(bureau, "[data-testid=pilot-approve]")
        bureau.fill("#id_interval_days", "30")
        bureau.fill("#id_starts_on", starts.isoformat())
        bureau.fill("#id_reason", "同意试点")
        screenshot(bureau, "pilot-21-approve")
        click(bureau, "[data-testid=confirm-action]")
        assert status_of(bureau) == PilotStatus.APPROVED
        assert bureau.locator("[data-testid=pilot-return]").count() == 0
        assert not bureau_problems, "\n".join(bureau_problems)
    finally:
        bureau_context.close()

    # the company's page: the approved terms; 按需维保 lists its three elevators, every 30 days from that day
    page.reload()
    assert status_of(page) == PilotStatus.APPROVED
    terms = page.locator("[data-testid=approved-terms]").inner_text()
    assert "3 台电梯" in terms and starts.isoformat() in terms and "30 天" in terms
    steps = page.locator("[data-testid=timeline] li[data-action]")
    assert "审批通过" in steps.last.inner_text() and "同意试点" in steps.last.inner_text()
    screenshot(page, "pilot-22-approved")
    click(page, "#side-menu >> text=按需维保")
    table = page.locator("#on-demand-table tbody")
    for code in codes:
        row = table.locator("tr", has_text=code)
        assert row.count() == 1 and "30" in row.inner_text() and application.number in row.inner_text()
    assert table.locator("tr", has_text=stranger.register_code).count() == 0
    screenshot(page, "pilot-23-on-demand")
    assert not problems, "\n".join(problems)


def test_elevators_outside_the_pilot_districts_are_refused_on_submission(browser_page, world):
    Region.objects.filter(code="500112").update(in_pilot=False)  # 渝北 is not (or no longer) a pilot district
    application = ready(world, [in_use(world)])
    page = browser_page
    problems = watch(page)
    browser_login(page, "admin_a", TEST_PASSWORD)
    click(page, "[data-testid=menu-pilot]")
    click(page, "[data-testid=row-edit]")
    click(page, "[data-testid=pilot-submit]")
    click(page, "[data-testid=confirm-action]")
    assert str(NOT_ELIGIBLE) in page.locator("[data-testid=form-errors]").inner_text()
    screenshot(page, "pilot-24-not-eligible")
    click(page, "[data-testid=menu-pilot]")
    row = page.locator("#pilot-table tbody tr", has_text=application.number)
    assert "未提交" in row.inner_text()
    application.refresh_from_db()
    assert application.status == PilotStatus.DRAFT and application.regulator is None
    assert not problems, "\n".join(problems)
