"""监管申请 pages: the applicant's loop and the bureau's, errors in words, what the elevator page offers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.models import Application, ApplicationStatus
from applications.models import ApplicationKind as K
from elevators.models import Elevator
from tests.factories import make_elevator

from .builders import file, in_use, pdf_upload, today

pytestmark = pytest.mark.django_db


def test_a_suspension_through_the_pages_from_draft_to_approval(world, client_for):
    elevator = in_use(world)
    company, bureau = client_for(world.admin_a), client_for(world.yubei_admin)
    form = company.get(reverse("applications:create", args=["suspension"]) + f"?elevator={elevator.pk}")
    assert elevator.register_code in form.content.decode() and "停用原因" in form.content.decode()
    response = company.post(
        reverse("applications:create", args=["suspension"]),
        {"elevator_codes": elevator.register_code, "effective_date": today().isoformat(), "cause": "大堂装修"},
    )
    application = Application.objects.get(kind=K.SUSPENSION)
    assert response.status_code == 302 and response.url == application.get_absolute_url()
    page = company.get(application.get_absolute_url()).content.decode()
    assert "大堂装修" in page and 'data-testid="application-submit"' in page and "草稿" in page
    upload = company.post(
        reverse("applications:attach", args=[application.pk]),
        {"purpose": "other", "file": pdf_upload("停用标志照片.pdf")},
    )
    assert upload.status_code == 302
    document = services.attachments_of(application).get()
    opened = company.get(reverse("core:attachment", args=[document.pk]))
    assert opened["Content-Type"] == "application/pdf" and opened["Content-Disposition"].startswith("inline")
    assert company.post(reverse("applications:submit", args=[application.pk])).status_code == 302
    queue = bureau.get(reverse("applications:review_queue")).content.decode()
    assert application.number in queue
    assert (
        application.number not in client_for(world.jlp_admin).get(reverse("applications:review_queue")).content.decode()
    )
    page = bureau.get(application.get_absolute_url()).content.decode()
    assert 'data-testid="application-approve"' in page and 'data-testid="application-submit"' not in page
    returned = bureau.post(reverse("applications:return", args=[application.pk]), {"reason": "请补充停用标志照片"})
    assert returned.status_code == 302
    page = company.get(application.get_absolute_url()).content.decode()
    assert "请补充停用标志照片" in page and "重新提交" in page
    edited = company.post(
        reverse("applications:edit", args=[application.pk]),
        {
            "elevator_codes": elevator.register_code,
            "effective_date": today().isoformat(),
            "cause": "大堂装修，已设停用标志",
            "reason": "补充说明",
        },
    )
    assert edited.status_code == 302
    company.post(reverse("applications:submit", args=[application.pk]))
    approved = bureau.post(reverse("applications:approve", args=[application.pk]), {"reason": ""})
    assert approved.status_code == 302
    elevator.refresh_from_db()
    assert elevator.status == "suspended"
    elevator_page = company.get(elevator.get_absolute_url()).content.decode()
    assert 'data-testid="elevator-timeline"' in elevator_page and application.number in elevator_page
    public = (
        client_for(None).get(elevator.public_path).content.decode()
        if False
        else company.get(elevator.public_path).content.decode()
    )
    assert 'data-status="suspended"' in public
    # a second decision on the decided application is refused in words
    again = bureau.post(reverse("applications:reject", args=[application.pk]), {"reason": "晚了"})
    assert again.status_code == 200 and "不能从“已通过”变为" in again.content.decode()


def test_bad_input_is_explained_and_nothing_is_saved(world, client_for):
    client = client_for(world.admin_a)
    theirs = make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    response = client.post(
        reverse("applications:create", args=["suspension"]),
        {
            "elevator_codes": f"{theirs.register_code}, 31105001122099999999",
            "effective_date": "2026-13-01",
            "cause": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "不在本单位的电梯台账中" in page and "31105001122099999999" in page
    assert page.count("invalid-feedback") >= 3, [line for line in page.splitlines() if "invalid-feedback" in line]
    pending = make_elevator(world)
    response = client.post(
        reverse("applications:create", args=["suspension"]),
        {"elevator_codes": pending.register_code, "effective_date": today().isoformat(), "cause": "装修"},
    )
    assert "只有正常使用的电梯可以申请停用" in response.content.decode()
    assert not Application.objects.exists()
    assert client.get(reverse("applications:create", args=["nonsense"])).status_code == 404
    assert client.get(reverse("applications:kind_list", args=["nonsense"])).status_code == 404
    upload = client.post(
        reverse("applications:attach", args=[file(world, K.REGISTRATION, [pending], documents=False).pk]),
        {
            "purpose": "notice",
            "file": SimpleUploadedFile("告知.exe", b"MZ\x90\x00", content_type="application/pdf"),
        },
        follow=True,
    )
    assert "不支持的文件类型" in upload.content.decode()


def test_the_registration_page_shows_the_legal_deadline_and_the_approval_asks_for_the_certificate(world, client_for):
    elevator = make_elevator(world)
    application = file(world, K.REGISTRATION, [elevator])
    page = client_for(world.admin_a).get(application.get_absolute_url()).content.decode()
    assert 'data-testid="deadline"' in page and services.registration_deadline(application).isoformat() in page
    services.submit(application, actor=world.admin_a)
    bureau = client_for(world.yubei_admin)
    form = bureau.get(reverse("applications:approve", args=[application.pk])).content.decode()
    assert "使用登记证编号" in form
    refused = bureau.post(
        reverse("applications:approve", args=[application.pk]),
        {"certificate_number": "", "registered_on": today().isoformat()},
    )
    assert refused.status_code == 200
    bureau.post(
        reverse("applications:approve", args=[application.pk]),
        {"certificate_number": "梯11渝A00042(26)", "registered_on": today().isoformat()},
    )
    elevator.refresh_from_db()
    assert elevator.status == "in_use" and elevator.use_registration_number == "梯11渝A00042(26)"


def test_the_elevator_page_offers_what_its_status_allows_and_says_why_not(world, client_for):
    elevator = in_use(world)
    page = client_for(world.admin_a).get(elevator.get_absolute_url()).content.decode()
    assert 'data-testid="offer-suspension"' in page and 'data-testid="offer-scrapping"' in page
    assert 'data-testid="offer-registration"' not in page and 'data-why="registration"' in page
    # the bureau and the use unit's other company see the applications, but are offered nothing
    assert (
        'data-testid="application-offers"'
        not in client_for(world.yubei_admin).get(elevator.get_absolute_url()).content.decode()
    )
    assert (
        'data-testid="application-offers"'
        not in client_for(world.worker_a).get(elevator.get_absolute_url()).content.decode()
    )


def test_who_may_use_which_step(world, client_for):
    elevator = in_use(world)
    application = file(world, K.SUSPENSION, [elevator])
    use_unit, bureau, other = client_for(world.use_admin_a), client_for(world.yubei_admin), client_for(world.admin_b)
    assert use_unit.get(application.get_absolute_url()).status_code == 404  # a draft is the applicant's
    assert bureau.get(application.get_absolute_url()).status_code == 404
    services.submit(application, actor=world.admin_a)
    assert use_unit.get(application.get_absolute_url()).status_code == 200
    assert use_unit.get(reverse("applications:edit", args=[application.pk])).status_code == 403
    assert use_unit.post(reverse("applications:approve", args=[application.pk])).status_code == 403
    assert client_for(world.city_admin).post(reverse("applications:approve", args=[application.pk])).status_code == 403
    assert client_for(world.admin_a).post(reverse("applications:approve", args=[application.pk])).status_code == 403
    assert other.get(application.get_absolute_url()).status_code == 404
    assert (
        client_for(world.jlp_admin)
        .post(reverse("applications:return", args=[application.pk]), {"reason": "x"})
        .status_code
        == 404
    )
    assert client_for(world.worker_a).get(reverse("applications:kind_list", args=["suspension"])).status_code == 403
    toolbar = client_for(world.operator).get(reverse("applications:kind_list", args=["suspension"])).content.decode()
    assert 'data-testid="new-application"' not in toolbar  # the operator files nothing of its own
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and Elevator.objects.get(pk=elevator.pk).status == "in_use"


def test_the_list_filters_and_exports(world, client_for):
    first, second = in_use(world), in_use(world)
    suspension = file(world, K.SUSPENSION, [first])
    file(world, K.SCRAPPING, [second])
    client = client_for(world.admin_a)
    page = client.get(reverse("applications:list"), {"kind": "suspension"}).content.decode()
    assert suspension.number in page and "报废登记申请" not in page.split("application-table")[1]
    page = client.get(reverse("applications:list"), {"elevator": first.register_code[:14]}).content.decode()
    assert suspension.number in page
    export = client.get(reverse("applications:list"), {"export": "csv"})
    body = (
        b"".join(export.streaming_content).decode("utf-8-sig")
        if export.streaming
        else export.content.decode("utf-8-sig")
    )
    assert suspension.number in body and first.register_code in body
