"""账号维护 pages: list with actions, create, edit, worker qualification and face photo."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from core.models import AuditEvent
from tests.factories import account_form_data, png_bytes

pytestmark = pytest.mark.django_db
FACES = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "faces"


def account_form(world, **overrides):
    return account_form_data(world, **overrides)


def test_company_admin_creates_a_worker_with_the_initial_password(world, client_for):
    client = client_for(world.admin_a)
    response = client.post(reverse("accounts:user_create"), account_form(world))
    assert response.status_code == 302
    worker = User.objects.get(username="wang_worker")
    assert worker.check_password("111111") and worker.must_change_password
    assert worker.organization == world.company_a
    assert "wang_worker" in client.get(reverse("accounts:user_list")).content.decode()
    assert AuditEvent.objects.filter(action="create", target_id=str(worker.pk)).exists()


def use_unit_of_company_a(world):
    """A use unit company A's administrator created (and so serves); it has no account yet."""
    from organizations.services import create_organization
    from tests.factories import region, unit_form_data

    data = unit_form_data(name="甲公司新建物业", region=region("500112"), kind="use_unit")
    return create_organization(actor=world.admin_a, data=data)


def test_company_admin_creates_the_first_account_of_a_use_unit_it_created(world, client_for):
    unit = use_unit_of_company_a(world)
    client = client_for(world.admin_a)
    form = account_form(world, username="wuye", organization=unit.pk, category="use_unit_safety_manager", role="admin")
    assert client.post(reverse("accounts:user_create"), form).status_code == 302
    # the unit has its own administrator now: its accounts are its own business
    second = client.post(reverse("accounts:user_create"), {**form, "username": "wuye2"})
    assert second.status_code == 200 and not User.objects.filter(username="wuye2").exists()
    assert "organization" in second.context["form"].errors
    assert client.get(reverse("accounts:user_detail", args=[User.objects.get(username="wuye").pk])).status_code == 404


def test_company_admin_opens_no_account_in_a_use_unit_it_only_serves(world, client_for):
    response = client_for(world.admin_a).post(
        reverse("accounts:user_create"),
        account_form(world, username="wuye", organization=world.use_unit_a.pk, category="use_unit_safety_manager"),
    )
    assert response.status_code == 200 and not User.objects.filter(username="wuye").exists()
    assert "organization" in response.context["form"].errors


def test_category_must_fit_the_organisation(world, client_for):
    response = client_for(world.admin_a).post(
        reverse("accounts:user_create"),
        account_form(world, organization=use_unit_of_company_a(world).pk, category="maintenance_worker"),
    )
    assert response.status_code == 200
    assert "该单位的账号只能是" in response.content.decode()
    assert not User.objects.filter(username="wang_worker").exists()


def test_another_companys_organisation_cannot_be_chosen(world, client_for):
    response = client_for(world.admin_a).post(
        reverse("accounts:user_create"), account_form(world, organization=world.company_b.pk)
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="wang_worker").exists()


def test_duplicate_username_is_refused(world, client_for):
    response = client_for(world.admin_a).post(reverse("accounts:user_create"), account_form(world, username="worker_b"))
    assert response.status_code == 200
    assert "已存在" in response.content.decode() or "已被使用" in response.content.decode()


def test_editing_an_account_is_audited(world, client_for):
    client = client_for(world.admin_a)
    data = account_form(world, username="worker_a", full_name="改名", is_active="on")
    response = client.post(reverse("accounts:user_edit", args=[world.worker_a.pk]), data)
    assert response.status_code == 302
    world.worker_a.refresh_from_db()
    assert world.worker_a.full_name == "改名" and world.worker_a.username == "worker_a"
    event = AuditEvent.objects.get(action="update", target_id=str(world.worker_a.pk))
    assert event.changes["full_name"][1] == "改名"


def test_worker_qualification_upload(world, client_for):
    client = client_for(world.admin_a)
    response = client.post(
        reverse("accounts:user_qualification", args=[world.worker_a.pk]),
        {
            "certificate_number": "T-500112-0001",
            "valid_from": "2025-01-01",
            "valid_until": "2029-01-01",
            "certificate": SimpleUploadedFile("证书.pdf", b"%PDF-1.4\n%%EOF"),
            "self_declaration": SimpleUploadedFile("承诺书.png", png_bytes()),
        },
    )
    assert response.status_code == 302
    detail = client.get(reverse("accounts:user_detail", args=[world.worker_a.pk])).content.decode()
    assert "T-500112-0001" in detail and "证书.pdf" in detail


def test_worker_qualification_refuses_a_bad_file(world, client_for):
    response = client_for(world.admin_a).post(
        reverse("accounts:user_qualification", args=[world.worker_a.pk]),
        {
            "certificate_number": "T-1",
            "valid_from": "2025-01-01",
            "valid_until": "2029-01-01",
            "certificate": SimpleUploadedFile("证书.docx", b"PK\x03\x04"),
            "self_declaration": SimpleUploadedFile("承诺书.png", png_bytes()),
        },
    )
    assert response.status_code == 200
    assert "不支持的文件类型" in response.content.decode()
    assert not world.worker_a.qualifications.exists()


def test_face_photo_upload_stores_the_current_photo(world, client_for):
    client = client_for(world.admin_a)
    with open(FACES / "obama.jpg", "rb") as f:
        response = client.post(
            reverse("accounts:user_face", args=[world.worker_a.pk]),
            {"image": SimpleUploadedFile("obama.jpg", f.read())},
        )
    assert response.status_code == 302
    photo = world.worker_a.current_face_photo()
    assert photo.image.content_type == "image/jpeg" and min(photo.width, photo.height) >= 200
    image = client.get(reverse("core:attachment", args=[photo.image_id]))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


def test_face_photo_must_be_an_image(world, client_for):
    response = client_for(world.admin_a).post(
        reverse("accounts:user_face", args=[world.worker_a.pk]), {"image": SimpleUploadedFile("face.pdf", b"%PDF-1.4")}
    )
    assert response.status_code == 200
    assert "不支持的文件类型" in response.content.decode()


def test_face_verification_is_for_workers_only(world, client_for):
    response = client_for(world.admin_a).post(
        reverse("accounts:user_face", args=[world.admin_a.pk]), {"image": SimpleUploadedFile("a.png", png_bytes())}
    )
    assert "只有维保人员" in response.content.decode()


def test_account_list_has_the_seed_actions_and_bounded_queries(world, client_for, django_assert_max_num_queries):
    from tests.factories import UserFactory

    for i in range(30):
        UserFactory(username=f"bulk{i}", organization=world.company_a, category="maintenance_worker", role="staff")
    client = client_for(world.admin_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:user_list"))
    page = response.content.decode()
    for action in ["编辑", "新增", "资质认证", "维保验证"]:
        assert action in page
    assert 'name="selection"' in page
    assert "worker_b" not in page


def _photo(*names, size=None):
    """A JPEG of one or more of the shared test faces side by side."""
    import io

    from PIL import Image

    images = [Image.open(FACES / name).convert("RGB") for name in names]
    height = min(i.height for i in images)
    images = [i.resize((int(i.width * height / i.height), height)) for i in images]
    canvas = Image.new("RGB", (sum(i.width for i in images), height), "white")
    x = 0
    for image in images:
        canvas.paste(image, (x, 0))
        x += image.width
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue())


def test_face_photo_without_a_face_is_refused(world, client_for):
    response = client_for(world.admin_a).post(
        reverse("accounts:user_face", args=[world.worker_a.pk]), {"image": SimpleUploadedFile("wall.png", png_bytes())}
    )
    assert "没有检测到人脸" in response.content.decode()
    assert not world.worker_a.face_photos.exists()


def test_face_photo_with_two_people_is_refused(world, client_for):
    response = client_for(world.admin_a).post(
        reverse("accounts:user_face", args=[world.worker_a.pk]), {"image": _photo("obama.jpg", "biden.jpg")}
    )
    assert "2 张人脸" in response.content.decode()
    assert not world.worker_a.face_photos.exists()


def test_the_stored_face_recognises_the_same_worker_and_not_another(world):
    from accounts import services

    services.set_face_photo(world.worker_a, actor=world.admin_a, image_file=_photo("obama.jpg"))
    assert len(world.worker_a.current_face_photo().face_encoding) == 128
    match, distance = services.verify_face(world.worker_a, (FACES / "obama2.jpg").read_bytes())
    assert match and distance < 0.5
    match, distance = services.verify_face(world.worker_a, (FACES / "biden.jpg").read_bytes())
    assert not match and distance > 0.7
    match, _ = services.verify_face(world.worker_a, (FACES / "astronaut.png").read_bytes())
    assert not match
