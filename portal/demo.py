"""Demo data for `make run`: regulators, companies, use units and an account for each role.

Idempotent: run it again and nothing is duplicated. Demo accounts have already changed the
default password (they use DEMO_PASSWORD); accounts made in the UI start with 111111.
"""

import hashlib
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.validators import credit_code_check_char
from elevators.models import Elevator
from elevators.services import create_elevator
from organizations.models import Organization, Region, ServiceRelation

DEMO_PASSWORD = "Demo@2026"


def demo_credit_code(prefix2: str, region_code: str, name: str) -> str:
    """A valid (GB 32100 check character) but made-up credit code, stable for a name."""
    digits = str(int(hashlib.sha256(name.encode()).hexdigest(), 16))[:9]
    first17 = f"{prefix2}{region_code}{digits}"
    return first17 + credit_code_check_char(first17)


ORGS = [
    # key, kind, name, region, jurisdiction, address, lat, lng
    ("cq_city", "regulator", "重庆市市场监督管理局", "500000", "500000", "重庆市渝北区青竹东路6号", 29.6137, 106.5301),
    (
        "sz_city",
        "regulator",
        "深圳市市场监督管理局",
        "440300",
        "440300",
        "深圳市福田区深南大道7010号",
        22.5431,
        114.0579,
    ),
    (
        "mc1",
        "maintenance_company",
        "重庆渝安电梯维保有限公司",
        "500112",
        None,
        "重庆市渝北区金开大道68号",
        29.6520,
        106.5650,
    ),
    (
        "mc2",
        "maintenance_company",
        "重庆山城电梯工程有限公司",
        "500107",
        None,
        "重庆市九龙坡区科园一路200号",
        29.5180,
        106.4820,
    ),
    (
        "uu1",
        "use_unit",
        "重庆龙湖物业服务有限公司渝北分公司",
        "500112",
        None,
        "重庆市渝北区新南路166号",
        29.5950,
        106.5380,
    ),
    ("uu2", "use_unit", "重庆新隆信物业管理有限公司", "500107", None, "重庆市九龙坡区盛世普天小区", 29.5000, 106.5100),
    ("uu3", "use_unit", "重庆解放碑商业管理有限公司", "500103", None, "重庆市渝中区民族路188号", 29.5580, 106.5770),
    ("mf", "manufacturer", "重庆示例电梯制造有限公司", "500120", None, "重庆市璧山区璧泉街道工业园", 29.5920, 106.2270),
    ("rescue", "rescue_unit", "重庆市96333电梯应急处置中心", "500112", None, "重庆市渝北区龙溪街道", 29.6010, 106.5250),
    (
        "insp",
        "inspection_institute",
        "重庆市特种设备检测研究院（演示）",
        "500112",
        None,
        "重庆市渝北区人和街道",
        29.6330,
        106.5160,
    ),
    # the platform operator's unit: its phone is the technical support the public 区县局 page shows
    ("operator", "operator", "电梯维保管理平台运营中心", "500112", None, "重庆市渝北区金开大道99号", None, None),
]
SERVICE = [("uu1", "mc1"), ("uu2", "mc2"), ("uu3", "mc1"), ("uu3", "mc2")]

USERS = [
    # username, org key (None = operator), full name, category, role, emergency role, phone
    ("cq_city", "cq_city", "陈建国", "regulator_officer", "admin", "commander", "13900000001"),
    ("cq_yubei", "bureau:500112", "李晓燕", "regulator_officer", "admin", "none", "13900000002"),
    ("cq_yuzhong", "bureau:500103", "王强", "regulator_officer", "admin", "none", "13900000003"),
    ("sz_city", "sz_city", "周敏", "regulator_officer", "admin", "none", "13900000004"),
    ("mc1_admin", "mc1", "张伟", "maintenance_manager", "admin", "commander", "13800000001"),
    ("mc1_worker1", "mc1", "刘洋", "maintenance_worker", "staff", "rescuer", "13800000002"),
    ("mc1_worker2", "mc1", "赵磊", "maintenance_worker", "staff", "rescuer", "13800000003"),
    ("mc2_admin", "mc2", "黄丽", "maintenance_manager", "admin", "commander", "13800000011"),
    ("mc2_worker1", "mc2", "吴刚", "maintenance_worker", "staff", "rescuer", "13800000012"),
    ("uu1_admin", "uu1", "孙芳", "use_unit_safety_manager", "admin", "none", "13700000001"),
    ("uu2_admin", "uu2", "马超", "use_unit_safety_manager", "admin", "none", "13700000002"),
    ("uu3_admin", "uu3", "郑洁", "use_unit_safety_manager", "admin", "none", "13700000003"),
    ("mf_admin", "mf", "何军", "manufacturer_staff", "admin", "none", "13600000001"),
    ("rescue_admin", "rescue", "林涛", "rescue_worker", "admin", "dispatcher", "13600000002"),
    ("insp_admin", "insp", "高峰", "inspector", "admin", "none", "13600000003"),
]


def _org(kind, name, region, jurisdiction, address, lat, lng, contact_phone):
    prefix = "11" if kind == "regulator" else "91"
    code = demo_credit_code(prefix, region.code, name)
    org, _created = Organization.objects.update_or_create(
        credit_code=code,
        defaults=dict(
            kind=kind,
            name=name,
            region=region,
            jurisdiction=jurisdiction,
            address=address,
            legal_representative="演示负责人",
            legal_representative_phone=contact_phone,
            contact_name="演示联系人",
            contact_phone=contact_phone,
            latitude=lat,
            longitude=lng,
        ),
    )
    return org


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create the demo world; returns (username, password, organisation) rows for the README/console."""
    regions = {r.code: r for r in Region.objects.all()}
    orgs = {}
    for key, kind, name, region, jurisdiction, address, lat, lng in ORGS:
        orgs[key] = _org(kind, name, regions[region], regions.get(jurisdiction), address, lat, lng, "023-63890000")
    # every Chongqing district and county has its bureau; Shenzhen's districts too
    for region in Region.objects.filter(level="district"):
        if region.code.startswith("50"):
            name = f"重庆市{region.name}市场监督管理局"
        else:
            name = f"深圳市市场监督管理局{region.name.removesuffix('区')}监管局"
        orgs[f"bureau:{region.code}"] = _org(
            "regulator", name, region, region, f"{region.name}行政服务中心", None, None, "023-63890001"
        )
    for use_unit, company in SERVICE:
        ServiceRelation.objects.get_or_create(use_unit=orgs[use_unit], maintenance_company=orgs[company])

    rows = []
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "is_superuser": True,
            "is_staff": True,
            "full_name": "平台管理员",
            "category": "operator_staff",
            "role": "admin",
            "must_change_password": False,
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    rows.append(("admin", DEMO_PASSWORD, "平台运营方（超级管理员）"))
    for username, org_key, full_name, category, role, emergency_role, phone in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults=dict(
                organization=orgs[org_key],
                full_name=full_name,
                category=category,
                role=role,
                emergency_role=emergency_role,
                phone=phone,
                must_change_password=False,
                password_changed_at=timezone.now(),
            ),
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        rows.append((username, DEMO_PASSWORD, orgs[org_key].name))
    _demo_elevators(orgs, regions)
    _demo_plans(orgs)
    _demo_records(orgs)
    return rows


# (use unit, company, building, district, category, stops, count, lat, lng)
DEMO_SITES = [
    ("uu1", "mc1", "龙湖·星悦荟", "500112", "3110", 18, 6, 29.5951, 106.5382),
    ("uu1", "mc1", "龙湖·星悦荟商业街", "500112", "3310", 0, 2, 29.5946, 106.5391),
    ("uu2", "mc2", "隆鑫·盛世普天", "500107", "3110", 26, 8, 29.5004, 106.5102),
    ("uu3", "mc1", "解放碑商业广场", "500103", "3110", 32, 4, 29.5578, 106.5772),
    ("uu3", "mc2", "解放碑商业广场", "500103", "3320", 0, 2, 29.5581, 106.5769),
]


def _demo_elevators(orgs, regions) -> None:
    """A small ledger so the demo has something to show; register codes make it idempotent."""
    operator = User.objects.get(username="admin")
    serial = 0
    for use_unit, company, building, district, category, stops, count, lat, lng in DEMO_SITES:
        for n in range(1, count + 1):
            serial += 1
            code = f"{category}{district}2019{(serial % 12) + 1:02d}{serial:04d}"
            if Elevator.objects.filter(register_code=code).exists():
                continue
            data = {
                "register_code": code,
                "rescue_code": f"{500000 + serial:06d}",
                "device_category": category,
                "use_unit": orgs[use_unit],
                "maintenance_company": orgs[company],
                "manufacturer": orgs["mf"],
                "product_model": "SKY-1000" if stops else "ESC-30",
                "factory_number": f"DEMO{serial:05d}",
                "installation_date": date(2019, 1 + serial % 12, 1 + serial % 27),
                "building": f"{building}{n}栋" if stops else building,
                "region": regions[district],
                "address": orgs[use_unit].address,
                "latitude": round(lat + n * 0.0004, 6),
                "longitude": round(lng + n * 0.0003, 6),
                "next_inspection_date": date(2027, 1 + serial % 12, 10),
            }
            if stops:
                data.update(
                    rated_load=1000,
                    rated_speed=2.5 if stops > 20 else 1.75,
                    floors=stops,
                    stops=stops,
                    doors=stops,
                    drive_type="traction",
                    control_type="group",
                )
            else:
                data.update(inclination=30, rated_speed=0.5, rise=5.2, step_width=1000)
            create_elevator(actor=operator, data=data)


# (company, group, leader, members): every elevator of the company goes to its group
DEMO_GROUPS = [
    ("mc1", "永越渝北一组", "mc1_worker1", ["mc1_worker1", "mc1_worker2"]),
    ("mc2", "九龙坡维保组", "mc2_worker1", ["mc2_worker1"]),
]


def _demo_plans(orgs) -> None:
    """Qualified workers, one group per company with its elevators, and a year of plans for each elevator whose
    annual visit falls due in about three months (the seed's example: the start is nine months back)."""
    from maintenance import schedule
    from maintenance.models import MaintenanceGroup, MaintenancePlan
    from maintenance.services import assign_elevators, create_group
    from maintenance.services.plans import generate_year

    today = timezone.localdate()
    for company_key, name, leader, members in DEMO_GROUPS:
        company = orgs[company_key]
        if MaintenanceGroup.objects.filter(organization=company, name=name).exists():
            continue
        admin = User.objects.filter(organization=company, role="admin").order_by("pk").first()
        people = {u.username: u for u in User.objects.filter(username__in=members)}
        for person in people.values():
            _qualify(person, admin, today)
        group = create_group(
            actor=admin,
            data={"name": name, "leader": people[leader], "members": list(people.values()), "note": "演示数据"},
        )
        elevators = Elevator.objects.filter(maintenance_company=company).order_by("pk")
        assign_elevators(group, list(elevators.values_list("pk", flat=True)), actor=admin)
        for i, elevator in enumerate(elevators.select_related("on_demand")):
            if MaintenancePlan.objects.filter(elevator=elevator).exists():
                continue
            # starts spread over a few weeks, so that the calendar is not one column of visits
            start = schedule.add_months(today, -9) - timedelta(days=(i * 3) % 14)
            generate_year(elevator, start, actor=admin)


# (elevator index among 龙湖·星悦荟's, days ago, minutes, abnormal item index or None, confirmed)
DEMO_VISITS = [
    (0, 12, 52, None, True),
    (1, 12, 47, 3, True),  # 异常: a repair follows
    (2, 11, 16, None, True),  # too short for a half-month visit: 存疑
    (3, 2, 55, None, False),  # finished two days ago, the use unit has not confirmed: listed after 24 hours
]


def _demo_records(orgs) -> None:
    """A few half-month visits of 永越渝北一组 at 龙湖·星悦荟 made through the records services (answers, photos
    of test items, finish, the use unit's signature and the seal): confirmed, doubtful, awaiting confirmation, and
    a repair opened from an abnormal item. The visit's start is written directly: its face check needs a person."""
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from records import services
    from records.models import ItemResult, MaintenanceRecord, RecordItem, RecordWorker
    from records.photos import save_record_photo
    from records.repairs import create_repair

    company = orgs["mc1"]
    if MaintenanceRecord.objects.filter(organization=company).exists():
        return
    first, second = User.objects.get(username="mc1_worker1"), User.objects.get(username="mc1_worker2")
    manager = User.objects.get(username="uu1_admin")
    admin = User.objects.get(username="mc1_admin")
    lifts = list(
        Elevator.objects.filter(maintenance_company=company, building__startswith="龙湖·星悦荟").order_by("pk")
    )
    for index, days_ago, minutes, abnormal, confirmed in DEMO_VISITS:
        elevator = lifts[index]
        day = timezone.localdate() - timedelta(days=days_ago)
        # one after the other (the same two workers): 08:30, 09:50, 11:10 …
        started = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 8, 30)) + timedelta(
            minutes=80 * index
        )
        record = MaintenanceRecord.objects.create(
            organization=company,
            elevator=elevator,
            cycle="half_month",
            work_type=services.work_type_for(elevator, "half_month"),
            started_at=started,
            latitude=elevator.latitude,
            longitude=elevator.longitude,
            accuracy_m=9,
            distance_m=18,
        )
        for person, role, joined in ((first, "first", started), (second, "second", started + timedelta(minutes=2))):
            RecordWorker.objects.create(
                record=record,
                user=person,
                role=role,
                joined_at=joined,
                latitude=elevator.latitude,
                longitude=elevator.longitude,
                distance_m=18,
                face_matched=True,
                face_distance=Decimal("0.35"),
            )
        items = list(services.items_due(elevator, "half_month", day))
        RecordItem.objects.bulk_create(
            RecordItem(record=record, item=i, code=i.code, part=i.part, requirement=i.requirement) for i in items
        )
        abnormal_entry = None
        for n, entry in enumerate(record.items.select_related("item").order_by("id")):
            at = started + timedelta(minutes=3 + n * (minutes - 6) // max(len(items), 1))
            photo = None
            if entry.item.needs_photo:
                upload = SimpleUploadedFile("photo.png", _demo_png(), "image/png")
                photo = save_record_photo(
                    upload,
                    record=record,
                    purpose="item_photo",
                    user=first,
                    taken_at=at,
                    latitude=elevator.latitude,
                    longitude=elevator.longitude,
                )
            result, note = ItemResult.NORMAL, ""
            if n == abnormal:
                result, note = ItemResult.ABNORMAL, "层门地坎有积尘和小石子，门运行有卡阻声"
            value = "8" if entry.item.judgement == "numeric" else None
            saved = services.answer_item(
                record, entry.pk, worker=first, result=result, note=note, measured_value=value, photo=photo, at=at
            )
            if n == abnormal:
                abnormal_entry = saved
        services.finish_visit(record, worker=first, hazard_codes=["S0"], at=started + timedelta(minutes=minutes))
        if confirmed:
            signature = SimpleUploadedFile("signature.png", _demo_signature(), "image/png")
            services.confirm_record(
                record, actor=manager, signature=signature, at=started + timedelta(minutes=minutes + 90)
            )
        if abnormal_entry is not None:
            reported = started + timedelta(minutes=minutes)
            create_repair(
                actor=admin,
                data={
                    "elevator": elevator,
                    "record_item": abnormal_entry,
                    "fault": f"{abnormal_entry.code} {abnormal_entry.part}：{abnormal_entry.note}",
                    "cause": "地坎导槽内异物，门滑块磨损",
                    "work_done": "清理地坎导槽，更换层门滑块",
                    "parts_replaced": "层门滑块 ×2",
                    "reported_at": reported,
                    "arrived_at": reported + timedelta(hours=20),
                    "restored_at": reported + timedelta(hours=21, minutes=10),
                    "workers": [first, second],
                },
            )


def _demo_signature() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (480, 160), (255, 255, 255, 0))
    ImageDraw.Draw(image).line(
        [(30, 120), (110, 40), (180, 125), (260, 50), (330, 110), (440, 60)], fill="black", width=5
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _qualify(person, admin, today) -> None:
    """A 特种设备作业人员证 valid for years, with its scans (generated images)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import WorkerQualification
    from accounts.services import submit_worker_qualification

    if WorkerQualification.objects.filter(user=person).exists():
        return
    submit_worker_qualification(
        person,
        actor=admin,
        certificate_number=f"T{person.phone[-8:]}",
        valid_from=date(today.year - 2, 3, 1),
        valid_until=date(today.year + 2, 2, 28),
        certificate_file=SimpleUploadedFile("certificate.png", _demo_png(), "image/png"),
        declaration_file=SimpleUploadedFile("declaration.png", _demo_png(), "image/png"),
    )


def _demo_png() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 400), "white")
    ImageDraw.Draw(image).rectangle([10, 10, 590, 390], outline="navy", width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
