"""Factories for tests: organisations of each kind and accounts, with valid credit codes."""

import io
import itertools
from datetime import date
from types import SimpleNamespace

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from core.validators import credit_code_check_char
from organizations.models import Organization, Region, ServiceRelation
from organizations.region_data import load_regions

TEST_PASSWORD = "Test@2026pass"
_serial = itertools.count(1)


def credit_code(region_code="500112", prefix="91"):
    first17 = f"{prefix}{region_code}{next(_serial):09d}"
    return first17 + credit_code_check_char(first17)


def region(code) -> Region:
    return Region.objects.get(code=code)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = "maintenance_company"
    name = factory.Sequence(lambda n: f"测试单位{n}")
    credit_code = factory.LazyAttribute(lambda o: credit_code(o.region.code))
    region = factory.LazyFunction(lambda: region("500112"))
    address = "重庆市渝北区测试路1号"
    legal_representative = "法人"
    legal_representative_phone = "13800138000"
    contact_name = "联系人"
    contact_phone = "023-63891234"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    phone = "13800138000"
    category = "maintenance_manager"
    role = "admin"
    must_change_password = False
    password_changed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def load_reference_data() -> None:
    """Data the migrations load (a transactional test before this one may have flushed it)."""
    from maintenance.models import MaintenanceItem
    from maintenance.regulation import load as load_items

    if not MaintenanceItem.objects.filter(organization__isnull=True).exists():
        load_items(MaintenanceItem)


def make_world() -> SimpleNamespace:
    """Two maintenance companies with their use units and workers, bureaus of two districts and the city."""
    if not Region.objects.exists():  # a transactional test before this one flushed the migration's data
        load_regions(Region)
    load_reference_data()
    w = SimpleNamespace()
    w.city_bureau = OrganizationFactory(
        kind="regulator", name="市局", region=region("500000"), jurisdiction=region("500000")
    )
    w.yubei_bureau = OrganizationFactory(
        kind="regulator", name="渝北区局", region=region("500112"), jurisdiction=region("500112")
    )
    w.jlp_bureau = OrganizationFactory(
        kind="regulator", name="九龙坡区局", region=region("500107"), jurisdiction=region("500107")
    )
    w.sz_bureau = OrganizationFactory(
        kind="regulator", name="深圳市局", region=region("440300"), jurisdiction=region("440300")
    )
    w.company_a = OrganizationFactory(kind="maintenance_company", name="甲维保公司", region=region("500112"))
    w.company_b = OrganizationFactory(kind="maintenance_company", name="乙维保公司", region=region("500107"))
    w.use_unit_a = OrganizationFactory(kind="use_unit", name="甲物业", region=region("500112"))
    w.use_unit_b = OrganizationFactory(kind="use_unit", name="乙物业", region=region("500107"))
    w.manufacturer = OrganizationFactory(kind="manufacturer", name="某电梯厂", region=region("500120"))
    ServiceRelation.objects.create(use_unit=w.use_unit_a, maintenance_company=w.company_a)
    ServiceRelation.objects.create(use_unit=w.use_unit_b, maintenance_company=w.company_b)

    w.operator = UserFactory(username="operator", is_superuser=True, is_staff=True, category="operator_staff")
    w.city_admin = UserFactory(username="city", organization=w.city_bureau, category="regulator_officer")
    w.yubei_admin = UserFactory(username="yubei", organization=w.yubei_bureau, category="regulator_officer")
    w.jlp_admin = UserFactory(username="jlp", organization=w.jlp_bureau, category="regulator_officer")
    w.sz_admin = UserFactory(username="sz", organization=w.sz_bureau, category="regulator_officer")
    w.admin_a = UserFactory(username="admin_a", organization=w.company_a)
    w.admin_b = UserFactory(username="admin_b", organization=w.company_b)
    w.worker_a = UserFactory(username="worker_a", organization=w.company_a, category="maintenance_worker", role="staff")
    w.worker_b = UserFactory(username="worker_b", organization=w.company_b, category="maintenance_worker", role="staff")
    w.use_admin_a = UserFactory(username="use_a", organization=w.use_unit_a, category="use_unit_safety_manager")
    w.use_admin_b = UserFactory(username="use_b", organization=w.use_unit_b, category="use_unit_safety_manager")
    return w


_elevator_serial = itertools.count(1)


def elevator_data(world, *, company=None, use_unit=None, region_code="500112", category="3110", **overrides) -> dict:
    """Valid data for elevators.services.create_elevator (a traction passenger elevator by default)."""

    n = next(_elevator_serial)
    data = {
        "register_code": f"{category}{region_code}2020{n % 12 + 1:02d}{n:04d}",
        "rescue_code": f"{(n * 7919) % 1000000:06d}",
        "device_category": category,
        "use_unit": use_unit or world.use_unit_a,
        "maintenance_company": company or world.company_a,
        "manufacturer": world.manufacturer,
        "product_model": "TE-GL1",
        "factory_number": f"F{n:06d}",
        "installation_date": date(2020, 1, 15),
        "building": f"测试花园{n}栋",
        "region": region(region_code),
        "address": "重庆市测试路1号",
        "latitude": None,
        "longitude": None,
    }
    if category in ("3310", "3320"):
        data.update(inclination=30, rated_speed=0.5, rise=5.5, step_width=1000)
    else:
        data.update(
            rated_load=1000,
            rated_speed=1.75,
            floors=6,
            stops=6,
            doors=6,
            drive_type="traction",
            control_type="collective",
        )
    data.update(overrides)
    return data


def make_elevator(world, *, actor=None, **kwargs):
    from elevators.services import create_elevator

    return create_elevator(actor=actor or world.operator, data=elevator_data(world, **kwargs))


def png_bytes(size=(300, 300)) -> bytes:
    """A plain PNG image (no face in it)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 180, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def png_upload(name="a.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def elevator_form_data(world, **overrides) -> dict:
    """What a person fills into the three-step elevator form (新增电梯), as posted."""
    n = next(_elevator_serial)
    data = {
        "register_code": f"3110500112202406{n:04d}",
        "code_scheme": "2014",
        "rescue_code": f"{(n * 7919 + 17) % 1000000:06d}",
        "device_category": "3110",
        "use_unit": world.use_unit_a.pk,
        "maintenance_company": world.company_a.pk,
        "manufacturer": world.manufacturer.pk,
        "product_model": "GeN2",
        "factory_number": f"OT-{n:04d}",
        "installation_date": "2024-06-01",
        "building": "向导花园1栋",
        "region": region("500112").pk,
        "address": "重庆市渝北区向导路1号",
        "rated_load": "1000",
        "rated_speed": "1.75",
        "floors": "10",
        "stops": "10",
        "doors": "10",
        "drive_type": "traction",
        "control_type": "collective",
        "latitude": "29.600001",
        "longitude": "106.500001",
    }
    data.update(overrides)
    return data


def elevator_api_payload(world, **overrides) -> dict:
    """A valid POST /api/v1/elevators body."""
    n = next(_elevator_serial)
    data = {
        "register_code": f"3110500112202407{n:04d}",
        "rescue_code": f"{(n * 7919 + 29) % 1000000:06d}",
        "device_category": "3110",
        "use_unit_id": world.use_unit_a.pk,
        "maintenance_company_id": world.company_a.pk,
        "manufacturer_id": world.manufacturer.pk,
        "product_model": "X1",
        "factory_number": f"API-{n}",
        "installation_date": "2024-07-01",
        "building": "接口大厦",
        "region_id": region("500112").pk,
        "address": "重庆市渝北区接口路2号",
        "rated_load": 1000,
        "rated_speed": 1.75,
        "floors": 12,
        "stops": 12,
        "doors": 12,
        "latitude": 29.61,
        "longitude": 106.51,
    }
    data.update(overrides)
    return data


def unit_form_data(region_code="500112", **overrides) -> dict:
    """What a person fills into the unit form (新增使用单位 …), as posted."""
    data = {
        "name": "新建物业公司",
        "credit_code": credit_code(region_code),
        "region": region(region_code).pk,
        "address": "重庆市渝北区新南路1号",
        "legal_representative": "王五",
        "legal_representative_phone": "13900001111",
        "contact_name": "赵六",
        "contact_phone": "023-67001234",
        "latitude": "29.600000",
        "longitude": "106.550000",
    }
    data.update(overrides)
    return data


def account_form_data(world, **overrides) -> dict:
    """What a company administrator fills into the account form (新增账号), as posted."""
    data = {
        "username": "wang_worker",
        "full_name": "王师傅",
        "phone": "13812345678",
        "email": "",
        "organization": world.company_a.pk,
        "category": "maintenance_worker",
        "role": "staff",
        "emergency_role": "rescuer",
    }
    data.update(overrides)
    return data


def qualify(user, valid_until=date(2099, 12, 31)):
    """A worker's qualification (资质认证) valid until the given day."""
    from accounts.services import submit_worker_qualification

    return submit_worker_qualification(
        user,
        actor=user,
        certificate_number=f"Q-{user.pk}-{valid_until}",
        valid_from=date(2020, 1, 1),
        valid_until=valid_until,
        certificate_file=png_upload("c.png"),
        declaration_file=png_upload("d.png"),
    )
