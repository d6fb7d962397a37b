"""QR signs (decoded and followed), the sign PDF (its Chinese text extracted), the public page and its reports."""

import io

import pypdfium2
import pytest
import zxingcpp
from django.core.cache import cache
from django.urls import reverse
from PIL import Image

from elevators.models import ProblemReport
from elevators.signs import qr_png
from tests.factories import make_elevator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def test_qr_decodes_to_the_public_url_which_opens_without_login(world, client):
    elevator = make_elevator(world)
    url = f"http://testserver{elevator.public_path}"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png(url))))
    assert decoded[0].text == url
    page = client.get(decoded[0].text.removeprefix("http://testserver"))
    assert page.status_code == 200
    body = page.content.decode()
    assert elevator.rescue_code in body and "96333" in body and world.company_a.name in body
    assert 'name="viewport"' in body


def test_the_svg_on_screen_encodes_the_same_url(world, client_for):
    elevator = make_elevator(world)
    svg = client_for(world.admin_a).get(reverse("elevators:qr_svg", args=[elevator.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def _pdf_text_and_pages(content: bytes):
    pdf = pypdfium2.PdfDocument(content)
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    images = [pdf[i].render(scale=1).to_pil() for i in range(len(pdf))]
    return texts, images


def test_the_a5_sign_pdf_carries_the_codes_in_chinese_and_a_readable_qr(world, client_for):
    elevator = make_elevator(world)
    response = client_for(world.admin_a).get(reverse("elevators:sign", args=[elevator.pk]), {"layout": "a5"})
    assert response["Content-Type"] == "application/pdf"
    texts, images = _pdf_text_and_pages(response.content)
    assert len(texts) == 1
    for expected in [
        "电梯应急救援标识牌",
        "救援识别码",
        elevator.rescue_code,
        elevator.register_code,
        "96333",
        world.use_unit_a.name,
        world.company_a.name,
    ]:
        assert expected in texts[0].replace("\r\n", "").replace("\n", ""), expected
    width, height = images[0].size
    assert abs(width / height - 148 / 210) < 0.01  # A5 portrait
    big = pypdfium2.PdfDocument(response.content)[0].render(scale=3).to_pil()
    decoded = zxingcpp.read_barcodes(big)
    assert decoded and decoded[0].text.endswith(elevator.public_path)


def test_label_sheet_puts_eight_signs_on_an_a4_page(world, client_for):
    elevators = [make_elevator(world) for _ in range(9)]
    ids = [e.pk for e in elevators]
    response = client_for(world.admin_a).get(reverse("elevators:sign_sheet"), {"ids": ids})
    texts, images = _pdf_text_and_pages(response.content)
    assert len(texts) == 2
    assert sum(t.count("救援识别码") for t in texts) == 9
    assert abs(images[0].size[0] / images[0].size[1] - 210 / 297) < 0.01


def test_sign_sheet_of_another_tenants_elevators_is_404(world, client_for):
    other = make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    assert client_for(world.admin_a).get(reverse("elevators:sign_sheet"), {"ids": [other.pk]}).status_code == 404


def report(client, elevator, **overrides):
    data = {
        "category": "noise",
        "description": "运行时有异响",
        "contact_phone": "13800001111",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return client.post(elevator.public_path, data)


def test_a_passenger_reports_a_problem_that_reaches_the_company(world, client, client_for):
    elevator = make_elevator(world)
    response = report(client, elevator)
    assert response.status_code == 200 and "已提交" in response.content.decode()
    problem = ProblemReport.objects.get()
    assert problem.status == "new" and problem.elevator == elevator
    page = client_for(world.admin_a).get(reverse("elevators:problem_list")).content.decode()
    assert "运行时有异响" in page
    assert "运行时有异响" not in client_for(world.admin_b).get(reverse("elevators:problem_list")).content.decode()


def test_report_needs_the_captcha_and_a_valid_phone(world, client):
    elevator = make_elevator(world)
    assert "验证码错误" in report(client, elevator, captcha_1="WRONG").content.decode()
    assert "电话号码格式不正确" in report(client, elevator, contact_phone="123").content.decode()
    assert not ProblemReport.objects.exists()


def test_the_report_form_preselects_no_problem_type(world, client):
    elevator = make_elevator(world)
    page = client.get(elevator.public_path).content.decode()
    select = page[page.index('name="category"') : page.index("</select>", page.index('name="category"'))]
    assert '<option value="" selected>' in select and select.count("selected") == 1
    response = report(client, elevator, category="")
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    assert not ProblemReport.objects.exists()


def test_reports_are_rate_limited(world, client):
    elevator = make_elevator(world)
    for _ in range(5):
        assert report(client, elevator).status_code == 200
    response = report(client, elevator)
    assert response.status_code == 429 and "96333" in response.content.decode()
    assert ProblemReport.objects.count() == 5


def test_company_acknowledges_then_closes_with_a_note(world, client, client_for):
    elevator = make_elevator(world)
    report(client, elevator)
    problem = ProblemReport.objects.get()
    company = client_for(world.admin_a)
    url = reverse("elevators:problem_handle", args=[problem.pk])
    company.post(url, {"to_state": "acknowledged"})
    problem.refresh_from_db()
    assert problem.status == "acknowledged" and problem.handled_by == world.admin_a
    company.post(url, {"to_state": "closed", "note": ""})
    problem.refresh_from_db()
    assert problem.status == "acknowledged"  # closing needs a note
    company.post(url, {"to_state": "closed", "note": "已调整导靴"})
    problem.refresh_from_db()
    assert problem.status == "closed" and problem.handling_note == "已调整导靴"
    assert client_for(world.use_admin_a).post(url, {"to_state": "closed", "note": "x"}).status_code == 403


def test_unknown_token_is_404(client):
    assert client.get("/e/not-a-token").status_code == 404


def test_use_unit_sees_reports_without_the_handling_button(world, client, client_for):
    elevator = make_elevator(world)
    report(client, elevator)
    problem = ProblemReport.objects.get()
    handle_url = reverse("elevators:problem_handle", args=[problem.pk])
    page = client_for(world.use_admin_a).get(reverse("elevators:problem_list")).content.decode()
    assert "运行时有异响" in page and handle_url not in page
    assert client_for(world.use_admin_a).get(handle_url).status_code == 403
    company = client_for(world.admin_a)
    assert handle_url in company.get(reverse("elevators:problem_list")).content.decode()
    detail = company.get(reverse("elevators:problem_detail", args=[problem.pk])).content.decode()
    assert handle_url in detail and "运行时有异响" in detail
    form = company.get(handle_url).content.decode()
    assert 'name="to_state"' in form and 'name="note"' in form


def test_signs_print_the_configured_public_address(world, client_for, settings):
    settings.PUBLIC_BASE_URL = "https://lift.example.cn"
    elevator = make_elevator(world)
    response = client_for(world.admin_a).get(reverse("elevators:sign", args=[elevator.pk]))
    big = pypdfium2.PdfDocument(response.content)[0].render(scale=3).to_pil()
    assert zxingcpp.read_barcodes(big)[0].text == f"https://lift.example.cn{elevator.public_path}"
