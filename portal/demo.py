"""Demo data for `make run`: regulators, companies, use units and an account for each role; a small ledger, its
groups, plans, visits, and the regulatory applications (监管申请) that took its elevators from 待登记 to 正常使用.

Idempotent: run it again and nothing is duplicated. Demo accounts have already changed the
default password (they use DEMO_PASSWORD); accounts made in the UI start with 111111.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.validators import credit_code_check_char
from elevators.models import Elevator
from elevators.services import create_elevator
from organizations.models import Organization, Region, ServiceRelation
from portal.demo_documents import render_documents

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
    ("mc2_worker2", "mc2", "陈涛", "maintenance_worker", "staff", "rescuer", "13800000013"),
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
    _demo_applications(orgs)
    _demo_pilot(orgs)
    _demo_records(orgs)  # after the applications: an elevator's history follows its registration and suspension
    _demo_contracts(orgs)
    _demo_drills(orgs)
    _demo_selfcheck(orgs)
    _demo_warnings_told()
    return rows


# (use unit, company, building, district, category, stops, count, lat, lng)
DEMO_SITES = [
    ("uu1", "mc1", "龙湖·星悦荟", "500112", "3110", 18, 6, 29.5951, 106.5382),
    ("uu1", "mc1", "龙湖·星悦荟商业街", "500112", "3310", 0, 2, 29.5946, 106.5391),
    ("uu2", "mc2", "隆鑫·盛世普天", "500107", "3110", 26, 8, 29.5004, 106.5102),
    ("uu3", "mc1", "解放碑商业广场", "500103", "3110", 32, 4, 29.5578, 106.5772),
    ("uu3", "mc2", "解放碑商业广场", "500103", "3320", 0, 2, 29.5581, 106.5769),
]


def _demo_serials():
    """(serial, site, n, register code) of each demo elevator, in the ledger's order (serial 1 to 22)."""
    serial = 0
    for site in DEMO_SITES:
        category, district, count = site[4], site[3], site[6]
        for n in range(1, count + 1):
            serial += 1
            yield serial, site, n, f"{category}{district}2019{(serial % 12) + 1:02d}{serial:04d}"


def _demo_elevators(orgs, regions) -> None:
    """A small ledger so the demo has something to show; register codes make it idempotent."""
    operator = User.objects.get(username="admin")
    for serial, site, n, code in _demo_serials():
        use_unit, company, building, district, category, stops, count, lat, lng = site
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
            **_demo_governor(serial, category),
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
        elevator = create_elevator(actor=operator, data=data)
        _demo_components(elevator, serial)


DEMO_GOVERNOR_WARNINGS = {4: 18, 12: -9}  # serial -> days to the next governor calibration (mc1 near, mc2 overdue)
DEMO_GOVERNOR_REPLACED = {5: date(2024, 5, 20)}  # serial -> the day its governor was replaced


def _demo_governor(serial: int, category: str) -> dict:
    """The governor's dates (elevators.governor): every elevator's governor calibrated within the last two years,
    so that 限速器检验预警 shows only DEMO_GOVERNOR_WARNINGS; one governor replaced since the installation.
    Escalators and moving walks have none."""
    from dateutil.relativedelta import relativedelta

    if category in ("3310", "3320"):
        return {}
    today = timezone.localdate()
    if serial in DEMO_GOVERNOR_WARNINGS:
        calibrated = today + timedelta(days=DEMO_GOVERNOR_WARNINGS[serial]) - relativedelta(years=2)
    else:
        calibrated = today - timedelta(days=(serial * 53) % 600 + 60)  # next due 70 to 670 days from now
    return {"governor_since": DEMO_GOVERNOR_REPLACED.get(serial), "governor_calibrated_on": calibrated}


# realistic lifespans (months) of the parts that wear; the others last about as long as the elevator
DEMO_LIFESPANS = {
    "曳引钢丝绳": 120,
    "限速器钢丝绳": 120,
    "钢丝绳": 120,
    "随行电缆": 120,
    "变频器": 120,
    "门机": 96,
    "导靴": 60,
    "扶手带": 60,
    "梳齿板": 60,
    "液压油": 60,
    "应急照明与报警装置": 60,
}
DEMO_COMPONENT_WARNINGS = {3: 12, 8: -20, 15: 25}  # serial -> days to the end of life of its shortest-lived part


def _demo_components(elevator, serial: int) -> None:
    """Give the demo's components realistic lifespans and replacement dates, so that 组件寿命预警 shows a few
    warnings (DEMO_COMPONENT_WARNINGS) rather than every part: a worn part was last replaced some months ago."""
    from dateutil.relativedelta import relativedelta

    today = timezone.localdate()
    components = list(elevator.components.order_by("id"))
    shortest = min(components, key=lambda c: DEMO_LIFESPANS.get(c.name, 240), default=None)
    for index, component in enumerate(components):
        months = DEMO_LIFESPANS.get(component.name, 240)
        component.lifespan_months = months
        if component is shortest and serial in DEMO_COMPONENT_WARNINGS:
            end = today + timedelta(days=DEMO_COMPONENT_WARNINGS[serial])
            component.installed_on = end - relativedelta(months=months)
        elif component.installed_on + relativedelta(months=months) < today + timedelta(days=60):
            component.installed_on = today - relativedelta(months=(serial + index) % (months - 3) + 1)
        component.save()


# (company, group, leader, members): every elevator of the company goes to its group
DEMO_GROUPS = [
    ("mc1", "永越渝北一组", "mc1_worker1", ["mc1_worker1", "mc1_worker2"]),
    ("mc2", "九龙坡维保组", "mc2_worker1", ["mc2_worker1", "mc2_worker2"]),
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


# (elevator index among 龙湖·星悦荟's, days ago, minutes (of a half-month visit), abnormal item index or None,
# confirmed)
DEMO_VISITS = [
    (0, 12, 52, None, True),
    (1, 12, 47, 3, True),  # 异常: a repair follows
    (2, 11, 16, None, True),  # too short for a half-month visit: 存疑
    (3, 2, 55, None, False),  # finished two days ago, the use unit has not confirmed: listed after 24 hours
    (4, None, 50, None, False),  # finished about three hours ago: 维保记录待确认预警 shows it yellow (under 24 hours)
]


def _demo_records(orgs) -> None:
    """Fourteen weeks of visits before today (`portal.demo_history`, written in bulk), then a few half-month visits
    of 永越渝北一组 at 龙湖·星悦荟 made through the records services (answers, photos of test items, finish, the use
    unit's signature and the seal): confirmed, doubtful, awaiting confirmation, and a repair opened from an abnormal
    item. Each completes the elevator's plan left open for it. The visit's start is written directly: its face
    check needs a person."""

    from django.core.files.uploadedfile import SimpleUploadedFile

    from records import services
    from records.models import ItemResult, MaintenanceRecord, RecordItem, RecordWorker
    from records.photos import save_record_photo
    from records.repairs import create_repair
    from records.seal import seal_confirmed

    from .demo_history import crew, load_history

    company = orgs["mc1"]
    if MaintenanceRecord.objects.filter(organization=company).exists():
        return
    first, second = User.objects.get(username="mc1_worker1"), User.objects.get(username="mc1_worker2")
    manager = User.objects.get(username="uu1_admin")
    admin = User.objects.get(username="mc1_admin")
    lifts = list(
        Elevator.objects.filter(maintenance_company=company, building__startswith="龙湖·星悦荟").order_by("pk")
    )
    now = timezone.now()
    starts = {}
    for index, days_ago, minutes, _abnormal, _confirmed in DEMO_VISITS:
        if days_ago is None:  # a visit of the last hours, whenever the demo is loaded
            starts[index] = now.replace(second=0, microsecond=0) - timedelta(hours=3, minutes=minutes)
        else:
            day = timezone.localdate() - timedelta(days=days_ago)
            # one after the other (the same two workers): 08:30, 09:50, 11:10 …
            starts[index] = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 8, 30)) + timedelta(
                minutes=80 * index
            )
    load_history(orgs, kept_open={lifts[i].pk: timezone.localdate(start) for i, start in starts.items()})
    # the chain follows the confirmations: the history's before these visits, then theirs, then the rest
    seal_confirmed(MaintenanceRecord.objects.filter(confirmed_at__lt=min(starts.values())))
    for index, _days_ago, minutes, abnormal, confirmed in DEMO_VISITS:
        elevator = lifts[index]
        started = starts[index]
        day = timezone.localdate(started)
        plan = services.plan_for_visit(elevator, day)  # the open plan left for it, as the phone would find
        cycle = plan.cycle if plan else "half_month"
        # the minutes are a half-month visit's: a longer cycle takes as much longer as its minimum
        minutes += services.MIN_MINUTES[cycle] - services.MIN_MINUTES["half_month"]
        record = MaintenanceRecord.objects.create(
            organization=company,
            elevator=elevator,
            plan=plan,
            cycle=cycle,
            work_type=services.work_type_for(elevator, cycle, day),
            started_at=started,
            latitude=elevator.latitude,
            longitude=elevator.longitude,
            accuracy_m=9,
            distance_m=18,
        )
        RecordWorker.objects.bulk_create(crew(record, first, second, distance_m=18, face_distance=0.35))
        items = list(services.items_due(elevator, cycle, day))
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
    seal_confirmed(MaintenanceRecord.objects.all())


# --- 监管申请 ----------------------------------------------------------------------------------------------------

# Each demo elevator's applications, by its serial in the ledger (DEMO_SITES' order): who files them and what came of
# them. 龙湖·星悦荟's elevators of 永越渝北一组 (serials 1–6, where the visits and the repair are) stay in use.
DEMO_APPLICATIONS = {
    **{serial: ("uu1_admin", "registered") for serial in range(1, 8)},  # 龙湖·星悦荟1–6栋, 商业街1号自动扶梯
    8: ("mc1_admin", "waiting"),  # 商业街2号自动扶梯: the company's registration waits for 渝北区局 (cq_yubei)
    **{serial: ("uu2_admin", "registered") for serial in range(9, 13)},  # 隆鑫·盛世普天1–4栋
    13: ("uu2_admin", "reactivated"),  # 5栋: suspended during works, back in use after its inspection
    14: ("uu2_admin", "suspended"),  # 6栋: pit flooded, suspended
    15: ("mc2_admin", "returned"),  # 7栋: returned by 九龙坡区局, the company is to fix it
    16: ("uu2_admin", "draft"),  # 8栋: a draft, the notice not uploaded yet
    **{serial: ("uu3_admin", "registered") for serial in range(17, 21)},  # 解放碑商业广场1–4栋
    21: ("uu3_admin", "scrapped"),  # 1号自动人行道: removed
    22: ("uu3_admin", "suspension_waiting"),  # 2号自动人行道: a suspension waits for 渝中区局 (cq_yuzhong)
}
# 九龙坡区市场监督管理局 decides its district's applications but has no demo login: its officer has no usable password
DEMO_REVIEWERS = [("jlp_officer", "bureau:500107", "冯志远", "13900000005")]
# 使用登记证编号 梯11渝A01234(20): 品种 (11 曳引驱动乘客电梯, 31 自动扶梯, 32 自动人行道), 渝A, number, year
VARIETY_CODES = {"3110": "11", "3310": "31", "3320": "32"}
CERTIFICATE_BASE = {"500112": 12000, "500107": 7000, "500103": 3000}


@dataclass
class _Step:
    """One application of the demo: filed, its documents attached, and how far it went."""

    filer: User
    elevator: Elevator
    kind: str
    data: dict
    documents: list  # (purpose, file name, (title, rows))
    outcome: str  # draft, submit, return, approve
    decision: dict = field(default_factory=dict)


def _demo_applications(orgs) -> None:
    """Applications made through the services: the applicant files, attaches generated PDFs and submits; the bureau
    the application is routed to (`application.regulator`) approves or returns it. Most elevators were registered
    (存量补录 of their paper certificates), a few wait, one is returned, two were suspended (one is back in use),
    one moving walk was scrapped. An elevator that already has an application is left as it is."""
    from applications.models import ApplicationElevator

    people = {u.username: u for u in User.objects.filter(username__in={f for f, _s in DEMO_APPLICATIONS.values()})}
    managers = {u.organization_id: u for u in User.objects.filter(username__in=["uu1_admin", "uu2_admin", "uu3_admin"])}
    codes = {code: (serial, site, n) for serial, site, n, code in _demo_serials()}
    started = set(
        ApplicationElevator.objects.filter(elevator__register_code__in=codes).values_list(
            "elevator__register_code", flat=True
        )
    )
    elevators = Elevator.objects.filter(register_code__in=set(codes) - started, status="pending_registration")
    steps = []
    related = elevators.select_related("use_unit", "maintenance_company", "manufacturer", "region")
    for elevator in sorted(related, key=lambda e: codes[e.register_code][0]):
        serial, site, n = codes[elevator.register_code]
        filer, story = DEMO_APPLICATIONS[serial]
        context = _Context(elevator, serial, n, managers[elevator.use_unit_id], orgs)
        steps += _steps(context, people[filer], story)
    if not steps:
        return
    _reviewers(orgs)
    documents = render_documents(content for step in steps for _p, _n, content in step.documents)
    reviewers = {}
    for step in steps:
        _file(step, documents, reviewers)


class _Context:
    """What the documents and texts of one elevator say."""

    def __init__(self, elevator, serial, n, manager, orgs):
        self.elevator, self.serial, self.manager, self.orgs = elevator, serial, manager, orgs
        self.today = timezone.localdate()
        self.variety = elevator.get_device_category_display().split(" ", 1)[-1]
        moving = elevator.device_category in ("3310", "3320")
        self.name = f"{elevator.building}{n}号{self.variety}" if moving else elevator.building
        self.place = f"{elevator.address} {self.name}"
        self.bureau = orgs[f"bureau:{elevator.region.code}"].name
        # 存量电梯: put into use a month after installation, registered twelve days later (paper certificate)
        self.in_use_since = elevator.installation_date + timedelta(days=35)
        self.registered_on = self.in_use_since + timedelta(days=12)
        number = CERTIFICATE_BASE[elevator.region.code] + serial * 37
        self.certificate = f"梯{VARIETY_CODES[elevator.device_category]}渝A{number:05d}({self.registered_on:%y})"

    def days(self, n: int) -> date:
        return self.today + timedelta(days=n)


def _steps(c: _Context, filer, story: str) -> list[_Step]:
    from applications.models import ApplicationKind as K
    from applications.models import Purpose

    e = c.elevator

    def registration(outcome, effective, reason, documents=None, decision=None):
        documents = documents or [
            (Purpose.REGISTRATION_FORM, "使用登记表.pdf", _registration_form(c, effective)),
            (Purpose.NOTICE, "安装告知书.pdf", _installation_notice(c)),
            (Purpose.OTHER, f"维保合同（{c.today.year - 1}-{c.today.year + 1}）.pdf", _contract(c)),
        ]
        data = {"effective_date": effective, "reason": reason}
        return _Step(filer, e, K.REGISTRATION, data, documents, outcome, decision or {})

    registered = registration(
        "approve",
        c.in_use_since,
        f"存量电梯补录：已于{_day(c.registered_on)}取得使用登记证（{c.certificate}），现于平台补办。",
        decision={
            "certificate_number": c.certificate,
            "registered_on": c.registered_on,
            "note": "已核对原使用登记证，准予补录。",
        },
    )
    if story == "registered":
        return [registered]
    if story == "waiting":
        return [
            registration(
                "submit",
                c.days(-12),
                "商业街东区开业，该自动扶梯经安装监督检验合格后投入使用，由维保单位代为办理使用登记。",
            )
        ]
    if story == "returned":
        return [
            registration(
                "return",
                c.days(-25),
                "盛世普天二期7栋交付使用，由维保单位代为办理使用登记。",
                decision={
                    "reason": "安装告知书未加盖施工单位公章，且投入使用日期与监督检验报告出具日期不一致。"
                    "请核对日期，补充盖章后的告知书扫描件再重新提交。"
                },
            )
        ]
    if story == "draft":
        form = [(Purpose.REGISTRATION_FORM, "使用登记表.pdf", _registration_form(c, c.days(-6)))]
        return [registration("draft", c.days(-6), "8栋交付使用。安装告知书待施工单位盖章后上传。", documents=form)]

    def suspension(outcome, effective, reason, decision=None):
        form = [(Purpose.OTHER, "停用报废注销登记表.pdf", _deregistration_form(c, "停用", effective, reason))]
        data = {"effective_date": effective, "reason": reason}
        return _Step(filer, e, K.SUSPENSION, data, form, outcome, decision or {})

    if story == "suspended":
        reason = "6栋底坑进水，控制柜及底坑电气部件受潮，须维修更换，维修期间停止使用。"
        note = "同意停用。停用期间请在电梯入口显著位置设置停用标志，并切断主电源。"
        return [registered, suspension("approve", c.days(-30), reason, {"note": note})]
    if story == "suspension_waiting":
        reason = "商场负一层改造施工，该自动人行道施工期间停止使用，完工后申请启用。"
        return [registered, suspension("submit", c.days(7), reason)]
    if story == "reactivated":
        since = c.days(-150)
        reason = "5栋公共区域装修施工，轿厢及层门需防护，施工期间电梯停止使用。"
        back = c.days(-20)
        report = [(Purpose.INSPECTION_REPORT, "定期检验报告.pdf", _inspection_report(c, back - timedelta(days=6)))]
        reactivation = _Step(
            filer,
            e,
            K.REACTIVATION,
            {"effective_date": back, "reason": "装修施工结束，电梯经定期检验合格，申请恢复使用。"},
            report,
            "approve",
            {"note": "定期检验合格，同意恢复使用。"},
        )
        return [registered, suspension("approve", since, reason, {"note": "同意停用。"}), reactivation]
    if story == "scrapped":
        day = c.days(-45)
        reason = "商场负一层改造为地下连接通道，该自动人行道已由安装单位拆除，不再使用，申请报废。"
        form = [(Purpose.OTHER, "停用报废注销登记表.pdf", _deregistration_form(c, "报废", day, reason))]
        scrapping = _Step(
            filer,
            e,
            K.SCRAPPING,
            {"effective_date": day, "reason": reason},
            form,
            "approve",
            {"note": "同意报废注销。请交回使用登记证原件。"},
        )
        return [registered, scrapping]
    raise ValueError(story)


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _registration_form(c: _Context, in_use_since: date):
    e = c.elevator
    return (
        "特种设备使用登记表",
        (
            ("使用单位名称", e.use_unit.name),
            ("统一社会信用代码", e.use_unit.credit_code),
            ("设备类别", "电梯"),
            ("设备品种", c.variety),
            ("设备代码", e.register_code),
            ("产品型号", e.product_model),
            ("出厂编号", e.factory_number),
            ("制造单位", e.manufacturer.name),
            ("设备使用地点", c.place),
            ("维护保养单位", e.maintenance_company.name),
            ("投入使用日期", _day(in_use_since)),
            ("安全管理员", f"{c.manager.full_name}  {c.manager.phone}"),
            ("登记机关", c.bureau),
        ),
    )


def _installation_notice(c: _Context):
    e = c.elevator
    return (
        "特种设备安装改造修理告知书",
        (
            ("施工单位", e.manufacturer.name),
            ("施工类别", "安装"),
            ("设备名称", c.variety),
            ("型号", e.product_model),
            ("出厂编号", e.factory_number),
            ("使用单位", e.use_unit.name),
            ("施工地点", c.place),
            ("拟施工日期", f"{_day(e.installation_date - timedelta(days=60))}至{_day(e.installation_date)}"),
            ("告知对象", c.bureau),
        ),
    )


def _contract(c: _Context):
    e, year = c.elevator, c.today.year
    return (
        "电梯维护保养合同",
        (
            ("合同编号", f"WB{year - 1}-{e.use_unit.credit_code[-5:-1]}{e.maintenance_company.credit_code[-5:-1]}"),
            ("甲方（使用单位）", e.use_unit.name),
            ("乙方（维保单位）", e.maintenance_company.name),
            ("合同期限", f"{year - 1}年1月1日至{year + 1}年12月31日"),
            ("维保内容", "按TSG T5002-2017进行半月、季度、半年、年度维护保养，间隔不超过15日"),
            ("应急救援", "接到困人报警后30分钟内到达现场"),
            ("维保电梯", "见合同附件《维保电梯清单》"),
        ),
    )


def _inspection_report(c: _Context, day: date):
    e = c.elevator
    return (
        "电梯定期检验报告",
        (
            ("报告编号", f"DT{day:%Y}-{e.register_code[-6:]}"),
            ("检验机构", c.orgs["insp"].name),
            ("使用单位", e.use_unit.name),
            ("设备代码", e.register_code),
            ("使用登记证编号", c.certificate),
            ("设备使用地点", c.place),
            ("检验日期", _day(day)),
            ("检验结论", "合格"),
            ("下次检验日期", _day(e.next_inspection_date)),
        ),
    )


def _deregistration_form(c: _Context, what: str, day: date, reason: str):
    e = c.elevator
    return (
        "特种设备停用报废注销登记表",
        (
            ("使用单位名称", e.use_unit.name),
            ("设备代码", e.register_code),
            ("使用登记证编号", c.certificate),
            ("设备使用地点", c.place),
            ("办理事项", what),
            (f"{what}日期", _day(day)),
            (f"{what}原因", reason),
            ("安全管理员", f"{c.manager.full_name}  {c.manager.phone}"),
        ),
    )


def _reviewers(orgs) -> None:
    for username, org_key, full_name, phone in DEMO_REVIEWERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults=dict(
                organization=orgs[org_key],
                full_name=full_name,
                category="regulator_officer",
                role="staff",
                phone=phone,
                must_change_password=False,
            ),
        )
        if created:
            user.set_unusable_password()
            user.save()


def _file(step: _Step, documents: dict, reviewers: dict) -> None:
    """File, attach, submit and have the routed bureau decide, as the people would."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications import services

    data = {"kind": step.kind, "elevators": [step.elevator.pk], **step.data}
    application = services.create_application(actor=step.filer, data=data)
    for purpose, name, content in step.documents:
        upload = SimpleUploadedFile(name, documents[content], "application/pdf")
        services.attach(application, actor=step.filer, purpose=purpose, upload=upload)
    if step.outcome == "draft":
        return
    application = services.submit(application, actor=step.filer)
    if step.outcome == "submit":
        return
    bureau = application.regulator_id
    if bureau not in reviewers:
        reviewers[bureau] = User.objects.filter(organization_id=bureau, is_active=True).order_by("pk").first()
    reviewer = reviewers[bureau]
    if reviewer is None:  # nobody left at that bureau (a database someone changed): it stays waiting
        return
    if step.outcome == "return":
        services.return_application(application, actor=reviewer, reason=step.decision["reason"])
    else:
        services.approve(application, actor=reviewer, **step.decision)


# 改进维保模式试点: (applicant, identity, use unit, company, outcome)
DEMO_PILOTS = [
    ("mc1_admin", "maintenance_company", "uu3", "mc1", "approved"),  # 解放碑商业广场: on demand every 30 days
    ("uu1_admin", "use_unit", "uu1", "mc1", "submitted"),  # 龙湖·星悦荟: waiting for 渝北区局 to accept
]
PILOT_ANSWERS = {
    "accident_in_three_years": False,
    "information_system": True,
    "information_system_url": "https://weibao.yuan-dianti.example/query",
    "system_description": (
        "本单位使用电梯维保管理平台开展无纸化维保：维保人员到场扫描电梯二维码、人脸核验并定位签到，按项目逐项填写结果，"
        "测试项目拍照留存（照片带时间、地点水印），结束后由使用单位安全管理员电子签名确认，记录封存并实时上传；"
        "电梯物联网监测装置接入平台，故障和困人告警实时推送值班电话。维保记录可在平台按电梯注册代码查询。"
    ),
}


def _demo_pilot(orgs) -> None:
    """Two pilot applications through the services: one approved by 渝中区局 (its elevators are on 按需维保 every 30
    days, IoT monitored), one waiting for 渝北区局 to accept. Left alone when any pilot application exists."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pilot import services as pilot
    from pilot.models import Document, PilotApplication
    from pilot.pdf import application_pdf, commitment_template_pdf

    if PilotApplication.objects.exists():
        return
    people = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in DEMO_PILOTS])}
    documents = [
        (
            Document.MAINTENANCE_PLAN,
            "维护保养方案",
            (("维保方式", "物联网监测 + 按需维保"), ("现场维保间隔", "30 天，季度、半年、年度项目按期完成")),
        ),
        (
            Document.INSURANCE,
            "电梯保险证明",
            (("险种", "电梯安全责任保险"), ("保险期间", "2026年1月1日至2026年12月31日")),
        ),
        (
            Document.IOT_SECURITY_REPORT,
            "物联网监测系统安全评价报告",
            (("评价结论", "符合 GB/T 24476-2017 的安全要求"), ("评价机构", "演示检测机构")),
        ),
        (
            Document.IOT_FUNCTIONS,
            "物联网监测系统功能和故障代码说明",
            (("监测内容", "运行状态、门区、困人、停梯"), ("故障代码", "按重庆平台故障枚举")),
        ),
    ]
    rendered = render_documents((title, rows) for _d, title, rows in documents)
    for username, identity, unit, company, outcome in DEMO_PILOTS:
        actor = people[username]
        elevators = list(
            Elevator.objects.filter(
                use_unit=orgs[unit], maintenance_company=orgs[company], status="in_use", on_demand__isnull=True
            ).order_by("register_code")[:4]
        )
        if not elevators:
            continue
        application = pilot.start_application(actor=actor, identity=identity, agreed=True)
        pilot.add_elevators(application, [e.pk for e in elevators], actor=actor)
        pilot.save_information(
            application, actor=actor, data={**PILOT_ANSWERS, "iot_monitoring": True, "full_package": False}
        )
        application.refresh_from_db()
        files = {
            Document.APPLICATION_LETTER: ("试点申请书（盖章扫描件）.pdf", application_pdf(application)),
            Document.COMMITMENT: ("承诺书（盖章扫描件）.pdf", commitment_template_pdf()),
        }
        for document, title, rows in documents:
            files[document] = (f"{title}.pdf", rendered[(title, rows)])
        for document, (name, content) in files.items():
            upload = SimpleUploadedFile(name, content, "application/pdf")
            pilot.attach(application, actor=actor, document=document, upload=upload)
        pilot.submit(application, actor=actor)
        if outcome != "approved":
            continue
        application.refresh_from_db()
        reviewer = User.objects.filter(organization_id=application.regulator_id, is_active=True).order_by("pk").first()
        if reviewer is None:
            continue
        pilot.accept(application, actor=reviewer)
        pilot.review(application, actor=reviewer, note="材料齐全，物联网监测装置已接入平台。")
        pilot.approve(application, actor=reviewer, interval_days=30, starts_on=timezone.localdate())


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


# workers whose certificate ends soon (days from the day the demo is loaded): 人员证书到期预警 shows them yellow
DEMO_CERTIFICATES_ENDING = {"mc1_worker2": 45}


def _qualify(person, admin, today) -> None:
    """A 特种设备作业人员证 valid for years, with its scans (generated images)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import WorkerQualification
    from accounts.services import submit_worker_qualification

    if WorkerQualification.objects.filter(user=person).exists():
        return
    ending = DEMO_CERTIFICATES_ENDING.get(person.username)
    submit_worker_qualification(
        person,
        actor=admin,
        certificate_number=f"T{person.phone[-8:]}",
        valid_from=date(today.year - 2, 3, 1),
        valid_until=date(today.year + 2, 2, 28) if ending is None else today + timedelta(days=ending),
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


# --- 维保合同 ----------------------------------------------------------------------------------------------------
# One contract per (company, use unit) pair of the demo, the PDF drawn as the applications' documents
# are. Most run from January of last year to December of next year (as the applications' 维保合同.pdf
# says); 龙湖·星悦荟's is the renewal of a contract that ended the day before it started; 解放碑's with
# 渝安 ends within 60 days (黄色 临期) and 解放碑's with 山城 lapsed last month without renewal (红色 逾期),
# so 维保合同到期预警 shows one of each.


def _contract_document(company, use_unit, number, signed, starts, ends, elevators):
    codes = "、".join(e.register_code for e in elevators)
    return (
        "电梯维护保养合同",
        (
            ("合同编号", number),
            ("甲方（使用单位）", use_unit.name),
            ("乙方（维保单位）", company.name),
            ("合同期限", f"{_day(starts)}至{_day(ends)}"),
            ("签订日期", _day(signed)),
            ("维保内容", "按TSG T5002-2017进行半月、季度、半年、年度维护保养，间隔不超过15日"),
            ("应急救援", "接到困人报警后30分钟内到达现场"),
            ("维保电梯", f"共{len(elevators)}台：{codes}"),
        ),
    )


def _demo_contract_plan(today: date) -> list[tuple[str, str, str, date, date]]:
    """(use unit, company, suffix, starts, ends) of each demo contract."""
    current = (date(today.year - 1, 1, 1), date(today.year + 1, 12, 31))
    near_end = today + timedelta(days=45)
    lapsed_end = today.replace(day=1) - timedelta(days=10)
    return [
        ("uu1", "mc1", "A", date(today.year - 3, 1, 1), date(today.year - 2, 12, 31)),  # renewed by the next one
        ("uu1", "mc1", "", *current),
        ("uu2", "mc2", "", *current),
        ("uu3", "mc1", "", near_end - timedelta(days=2 * 365), near_end),
        ("uu3", "mc2", "", lapsed_end - timedelta(days=2 * 365), lapsed_end),
    ]


def _demo_contracts(orgs) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from contracts.models import MaintenanceContract
    from contracts.services import create_contract

    today = timezone.localdate()
    admins = {"mc1": User.objects.get(username="mc1_admin"), "mc2": User.objects.get(username="mc2_admin")}
    planned = []
    for unit_key, company_key, suffix, starts, ends in _demo_contract_plan(today):
        company, use_unit = orgs[company_key], orgs[unit_key]
        number = f"WB{starts.year}-{use_unit.credit_code[-5:-1]}{company.credit_code[-5:-1]}{suffix}"
        if MaintenanceContract.objects.filter(maintenance_company=company, number=number).exists():
            continue
        elevators = list(
            Elevator.objects.filter(maintenance_company=company, use_unit=use_unit)
            .exclude(status="scrapped")
            .order_by("register_code")
        )
        if not elevators:
            continue
        signed = starts - timedelta(days=15)
        content = _contract_document(company, use_unit, number, signed, starts, ends, elevators)
        planned.append((admins[company_key], use_unit, number, signed, starts, ends, elevators, content))
    documents = render_documents(item[-1] for item in planned)
    for admin, use_unit, number, signed, starts, ends, elevators, content in planned:
        create_contract(
            actor=admin,
            data={
                "use_unit": use_unit,
                "number": number,
                "signed_on": signed,
                "starts_on": starts,
                "ends_on": ends,
                "elevators": elevators,
            },
            upload=SimpleUploadedFile(f"维保合同{number}.pdf", documents[content], content_type="application/pdf"),
        )


# --- 应急演练 and 年度自行检查 ----------------------------------------------------------------------------------------

# (company, building prefix of the elevators, days ago, subject, location, participants, others, summary)
DEMO_DRILLS = [
    (
        "mc1",
        "龙湖·星悦荟",
        365,
        "困人救援（盘车放人）",
        "龙湖·星悦荟 3 栋电梯机房及 12 层厅门",
        ["mc1_admin", "mc1_worker1", "mc1_worker2"],
        "龙湖物业工程部 陈工、安全管理员 周敏",
        "模拟 3 栋电梯停在 11、12 层之间，接警后 18 分钟到场，断电、盘车平层、开门放人，全程 26 分钟。",
    ),
    (
        "mc1",
        "龙湖·星悦荟",
        167,  # five and a half months: the traction category turns yellow (临期)
        "困人救援及电话安抚",
        "龙湖·星悦荟 1 栋",
        ["mc1_admin", "mc1_worker1"],
        "龙湖物业客服 李娜",
        "演练五方通话、安抚被困人员及救援流程；发现 1 栋对讲电话音量偏小，已报修。",
    ),
    (
        "mc1",
        "龙湖·星悦荟商业街",
        213,  # seven months: the escalator category is red (逾期)
        "自动扶梯紧急停止与夹人救援",
        "龙湖·星悦荟商业街 1 号自动扶梯",
        ["mc1_worker1", "mc1_worker2"],
        "商业街物业保安 4 人",
        "演练急停、疏散乘客、拆卸梳齿板救出被夹物，讲解扶梯安全乘梯常识。",
    ),
    (
        "mc2",
        "隆鑫·盛世普天",
        40,
        "火灾时电梯迫降及消防员电梯操作",
        "隆鑫·盛世普天 2 栋消防控制室",
        ["mc2_admin", "mc2_worker1"],
        "隆鑫物业消防主管 王强",
        "联动消防信号，全部电梯迫降首层开门停用；消防员开关操作正常。",
    ),
    (
        "mc2",
        "解放碑商业广场",
        90,
        "自动人行道逆转及紧急制动",
        "解放碑商业广场 B1 层自动人行道",
        ["mc2_worker1"],
        "商场物业经理 刘洁",
        "检查非操纵逆转保护、急停按钮响应；疏散演练用时 4 分钟。",
    ),
]


def _demo_photo(seed: int) -> bytes:
    """A small JPEG that looks like something: a lift car, its doors and a few people."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), (200 - seed * 17 % 60, 210, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle([180, 60, 460, 440], fill=(150, 150, 160), outline=(60, 60, 70), width=6)
    draw.line([320, 60, 320, 440], fill=(60, 60, 70), width=4)
    for n in range(3):
        x = 60 + n * 40 + seed * 7 % 30
        draw.ellipse([x, 250, x + 30, 280], fill=(240, 200, 160))
        draw.rectangle([x - 5, 282, x + 35, 380], fill=(30 + n * 60, 80, 160))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _demo_drills(orgs) -> None:
    """A few drills per demo company (drills.services, photos and all): 应急演练预警 then shows 永越's traction
    elevators yellow and its escalators red, the other company clear."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from drills import services
    from drills.models import EmergencyDrill

    today = timezone.localdate()
    for index, (company, building, days_ago, subject, location, people, others, summary) in enumerate(DEMO_DRILLS):
        organization = orgs[company]
        held_on = today - timedelta(days=days_ago)
        if EmergencyDrill.objects.filter(organization=organization, subject=subject).exists():
            continue
        admin = User.objects.get(username=f"{company}_admin")
        in_use = services.drillable_elevators(organization.pk).exclude(status="suspended")
        elevators = list(in_use.filter(building__startswith=building).order_by("pk")[:3])
        photos = [
            SimpleUploadedFile(f"演练现场{n + 1}.jpg", _demo_photo(index * 3 + n), "image/jpeg") for n in range(2)
        ]
        drill = services.create_drill(
            actor=admin,
            data={
                "held_on": held_on,
                "subject": subject,
                "location": location,
                "elevators": elevators,
                "participants": list(User.objects.filter(username__in=people)),
                "other_participants": others,
                "summary": summary,
            },
            photos=photos,
        )
        EmergencyDrill.objects.filter(pk=drill.pk).update(
            created_at=timezone.make_aware(timezone.datetime(held_on.year, held_on.month, held_on.day, 17, 0))
        )


def _demo_selfcheck(orgs) -> None:
    """One elevator (隆鑫·盛世普天1栋) whose periodic inspection is 40 days away with no annual maintenance record:
    年度自行检查预警 lists it. Its supervision inspection is put seven years before, a periodic year."""
    today = timezone.localdate()
    elevator = (
        Elevator.objects.filter(maintenance_company=orgs["mc2"], building__startswith="隆鑫·盛世普天")
        .order_by("pk")
        .first()
    )
    due = today + timedelta(days=40)
    supervised = date(due.year - 7, due.month, 1)
    if elevator is None or elevator.installation_date > supervised:
        return
    Elevator.objects.filter(pk=elevator.pk).update(next_inspection_date=due, supervision_inspection_date=supervised)


def _demo_warnings_told() -> None:
    """What the daily job (manage.py send_alerts) would have told by now: the demo's overdue visits escalated and
    the other warnings at their lead times, so a newcomer's bell has them. No email: the digest is the job's."""
    from alerts.escalation import escalate
    from alerts.notices import send_notices

    escalate()
    send_notices()
