"""The worker's phone in headless Chromium at a phone's size: the camera is Chromium's fake device fed a video of
the elevator's QR sign, the position is Playwright's fake geolocation, the selfies are real faces checked by the
real face check; a stretch of the visit is made offline and sent when the signal returns."""

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from conftest import CHROMIUM, screenshot, watch_csp
from maintenance.models import GroupAssignment, MaintenanceGroup
from maintenance.services.plans import generate_year
from tests.factories import TEST_PASSWORD, UserFactory, make_elevator, make_world, qualify

pytestmark = pytest.mark.django_db(transaction=True)
FACES = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "faces"
SITE = {"latitude": 29.5952, "longitude": 106.5383, "accuracy": 8}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def qr_video(text: str, path: Path, frames: int = 6) -> Path:
    """A Y4M video (what Chromium's fake camera plays) of a QR sign held in front of the camera."""
    sign = Image.new("L", (640, 480), 200)
    qr = segno.make(text, error="m")
    out = Path(str(path) + ".png")
    qr.save(out, scale=8, border=4)
    code = Image.open(out).convert("L")
    code.thumbnail((400, 400))
    sign.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    luma = sign.tobytes()
    chroma = bytes([128]) * (320 * 240)
    with open(path, "wb") as video:
        video.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(frames):
            video.write(b"FRAME\n" + luma + chroma + chroma)
    return path


def log_in(page, base, username):
    page.goto(base + "/accounts/login/?next=/m/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.fill("#id_captcha_1", "PASSED")
    page.click("button[type=submit]")
    page.wait_for_url(base + "/m/")


@pytest.fixture
def crew():
    from accounts.services import set_face_photo

    world = make_world()
    world.second = UserFactory(
        username="worker_a2",
        organization=world.company_a,
        category="maintenance_worker",
        role="staff",
        full_name="李师傅",
    )
    for worker, face in ((world.worker_a, "obama.jpg"), (world.second, "biden.jpg")):
        qualify(worker)
        set_face_photo(
            worker,
            actor=world.admin_a,
            image_file=SimpleUploadedFile("face.jpg", (FACES / face).read_bytes(), content_type="image/jpeg"),
        )
    world.elevator = make_elevator(
        world, latitude=Decimal("29.5951"), longitude=Decimal("106.5382"), building="观音桥商圈 3 号楼"
    )
    group = MaintenanceGroup.objects.create(organization=world.company_a, name="一组", leader=world.worker_a)
    group.members.add(world.worker_a, world.second)
    GroupAssignment.objects.create(elevator=world.elevator, group=group)
    today = timezone.localdate()
    generate_year(world.elevator, today, actor=world.admin_a, avoid=frozenset(), today=today)
    return world


def answer_every_item(page, tmp_path):
    photo = tmp_path / "test-photo.jpg"
    Image.new("RGB", (1200, 900), (120, 150, 170)).save(photo, "JPEG")
    cards = page.locator("[data-testid=item]")
    for index in range(cards.count()):
        card = cards.nth(index)
        needs_photo = card.locator("text=📷").count() > 0
        if index == 0:  # 已更换: the part replaced is chosen from the elevator's components in the ledger
            card.locator("[data-result=replaced]").click()
            card.locator("[data-testid=component]").select_option(label="曳引钢丝绳")
            card.locator("[data-testid=note]").fill("更换曳引钢丝绳")
        else:
            card.locator("[data-result=normal]").click()
        if card.locator("[data-testid=item-save]").count():
            if card.locator("[data-testid=measured]").count():
                card.locator("[data-testid=measured]").fill("5")
            if needs_photo:
                card.locator("[data-testid=item-photo]").set_input_files(str(photo))
                card.locator("text=已拍照").wait_for()
            card.locator("[data-testid=item-save]").click()
        card.locator("xpath=self::*[contains(@class,'done')]").wait_for()


def test_two_workers_visit_offline_and_the_use_unit_signs_on_the_phone(browser_type, live_server, crew, tmp_path):
    from records.models import MaintenanceRecord

    base = live_server.url
    video = qr_video(f"{base}/e/{crew.elevator.qr_token}", tmp_path / "sign.y4m")
    browser = browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        options = {**PHONE, "locale": "zh-CN", "geolocation": SITE, "permissions": ["geolocation", "camera"]}
        first_context, second_context = browser.new_context(**options), browser.new_context(**options)
        first, second = first_context.new_page(), second_context.new_page()
        for page in (first, second):
            page.set_default_timeout(20000)
        problems = watch_csp(first) + watch_csp(second)

        # the first worker: today's visit, nearest first; scanning the sign opens the start page
        log_in(first, base, "worker_a")
        first.locator("[data-testid=section-today]").wait_for()
        assert "观音桥商圈 3 号楼" in first.locator("[data-testid=visit]").first.inner_text()
        screenshot(first, "mobile-01-agenda")
        first.click("[data-testid=scan-start]")
        first.locator("[data-testid=start-elevator]:has-text('观音桥商圈 3 号楼')").wait_for()  # read by the camera
        first.locator("[data-testid=position]:has-text('已定位')").wait_for()
        first.click("[data-testid=start-submit]")
        first.locator("[data-testid=start-error]:has-text('请先拍摄本人自拍')").wait_for()
        first.locator("[data-testid=selfie]").set_input_files(str(FACES / "biden.jpg"))  # not him
        first.locator("text=已拍照").wait_for()
        first.click("[data-testid=start-submit]")
        first.locator("[data-testid=start-error]:has-text('不是同一人')").wait_for()
        first.locator("[data-testid=selfie]").set_input_files(str(FACES / "obama2.jpg"))
        first.click("[data-testid=start-submit]")
        first.locator("[data-testid=join-code]").wait_for()
        code = first.locator("[data-testid=join-code]").inner_text().strip()
        record = MaintenanceRecord.objects.get()
        assert record.join_code == code and record.workers.get().face_matched
        first.locator("[data-testid=join-qr]").screenshot(path=str(tmp_path / "join.png"))
        screenshot(first, "mobile-02-visit")

        # the second worker joins with the code on the first one's phone and his own face
        log_in(second, base, "worker_a2")
        second.click("[data-testid=join]")
        second.fill("[data-testid=join-input]", code)
        second.click("[data-testid=join-next]")
        second.locator("[data-testid=selfie]").set_input_files(str(FACES / "biden.jpg"))
        second.locator("[data-testid=position]:has-text('已定位')").wait_for()
        second.click("[data-testid=join-submit]")
        second.locator(f"h1:has-text('{crew.elevator.register_code}')").wait_for()
        first.locator("[data-testid=workers]:has-text('李师傅')").wait_for()  # the first phone sees him

        # the basement: no signal from here to the end of the visit
        first_context.set_offline(True)
        first.locator("[data-testid=net]:has-text('离线')").wait_for()
        first.reload()  # the app opens from what it cached and finds its visit
        first.locator("[data-testid=progress]:has-text('已填 0 / 31')").wait_for()
        answer_every_item(first, tmp_path)
        assert "已填 31 / 31" in first.locator("[data-testid=progress]").inner_text()
        first.click("[data-testid=to-finish]")
        first.click("[data-testid=finish-submit]")
        first.locator("[data-testid=finish-error]:has-text('请选择 S0')").wait_for()
        first.check("[data-testid=hazard-S0]")
        first.click("[data-testid=finish-submit]")
        first.locator("[data-testid=signature-pad]").wait_for()
        waiting = first.locator("[data-testid=queue-button]").inner_text()
        assert "待发送 32 条" in waiting, waiting  # 31 items (with their photos where needed) and the finish
        record.refresh_from_db()
        assert record.status == "in_progress" and not record.items.exclude(result="").exists()
        screenshot(first, "mobile-03-offline")

        # the signal returns: everything is sent in order, with the phone's own times
        first_context.set_offline(False)
        first.locator("[data-testid=queue-button].hidden").wait_for(state="attached")
        record.refresh_from_db()
        assert record.status == "finished" and record.finish_received_at > record.finished_at
        assert not record.items.filter(result="").exists()
        rope = crew.elevator.components.get(name="曳引钢丝绳")
        assert rope.installed_on == timezone.localdate() and record.items.filter(result="replaced").count() == 1
        assert record.items.filter(item__needs_photo=True, photo__isnull=False).count() == (
            record.items.filter(item__needs_photo=True).count()
        )

        # the use unit's safety manager signs on the worker's phone
        first.fill("[data-testid=signer-name]", "王经理")
        first.locator("[data-testid=signature-pad][data-ready='1']").wait_for()
        pad = first.locator("[data-testid=signature-pad]").bounding_box()
        first.mouse.move(pad["x"] + 30, pad["y"] + 120)
        first.mouse.down()
        for x, y in ((90, 40), (150, 130), (220, 50), (300, 110)):
            first.mouse.move(pad["x"] + x, pad["y"] + y, steps=5)
        first.mouse.up()
        first.click("[data-testid=sign-submit]")
        first.locator("[data-testid=section-today], [data-testid=scan-start]").first.wait_for()
        record.refresh_from_db()
        assert record.status == "confirmed" and record.confirmed_name == "王经理" and len(record.seal) == 64
        assert record.confirmed_on_site and "self_confirmed" not in record.flags

        # the record prints, and its text can be read back
        pdf = first_context.request.get(f"{base}/records/{record.pk}/pdf/")
        assert pdf.ok
        path = tmp_path / "record.pdf"
        path.write_bytes(pdf.body())
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
        assert crew.elevator.register_code in text and "王经理" in text and "李师傅" in text
        assert not problems, problems
    finally:
        browser.close()

    import zxingcpp

    decoded = zxingcpp.read_barcodes(Image.open(tmp_path / "join.png"))
    assert [d.text for d in decoded] == [f"JOIN:{code}"]


def test_an_offline_visit_the_platform_refuses_stays_on_the_phone_with_the_reason(browser, live_server, crew):
    """Started offline, then the elevator left the worker's group: the start is refused when the signal returns;
    the phone keeps it (and the answers behind it) with the platform's words until the worker discards it."""
    from records.models import MaintenanceRecord

    base = live_server.url
    context = browser.new_context(**PHONE, locale="zh-CN", geolocation=SITE, permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(20000)
    problems = watch_csp(page)
    log_in(page, base, "worker_a")
    page.locator("[data-testid=section-today]").wait_for()  # the agenda and its items are now on the phone
    context.set_offline(True)
    page.goto(base + "/m/#/start/" + crew.elevator.register_code)
    page.locator("[data-testid=start-elevator]:has-text('观音桥商圈 3 号楼')").wait_for()
    page.locator("[data-testid=selfie]").set_input_files(str(FACES / "obama2.jpg"))
    page.locator("[data-testid=position]:has-text('已定位')").wait_for()
    page.click("[data-testid=start-submit]")
    page.locator("text=离线开始").wait_for()
    page.locator("[data-testid=item]").first.locator("[data-result=normal]").click()
    page.locator("[data-testid=queue-button]:has-text('待发送 2 条')").wait_for()

    GroupAssignment.objects.filter(elevator=crew.elevator).delete()  # meanwhile, in the office
    context.set_offline(False)
    page.locator("[data-testid=queue-button].bad").wait_for()
    assert not MaintenanceRecord.objects.exists()
    page.click("[data-testid=queue-button]")
    refused = page.locator("[data-testid=queued-error]")
    refused.first.wait_for()
    assert "不在您所在的维保小组" in refused.first.inner_text()
    assert page.locator("[data-testid=queued]").count() == 2  # the item waits behind its start, nothing lost
    screenshot(page, "mobile-04-refused")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.locator("[data-testid=queued-discard]").first.click()
    page.locator("text=没有待发送的内容").wait_for()  # the item behind the start goes with it, as the question said
    assert "后面的 1 条内容也将一并放弃" in asked[0]
    page.click("text=返回")
    page.locator("text=没有待做的维保").wait_for()  # the elevator left his group: nothing of it remains
    assert page.locator("[data-testid=open-visit]").count() == 0
    assert not problems, problems
    context.close()


def test_the_phone_speaks_english(browser, live_server, crew):
    context = browser.new_context(**PHONE, locale="en-US", geolocation=SITE, permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(20000)
    log_in(page, live_server.url, "worker_a")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/m/")
    page.locator("[data-testid=section-today]:has-text('Today')").wait_for()
    assert page.locator("[data-testid=scan-start]").inner_text() == "Scan to start"
    assert page.locator("[data-testid=net]").inner_text() == "Online"
    context.close()
