"""The seeded draws: organisations, sites, their elevators' parameters and statuses."""

import bisect
import calendar
import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from core.validators import credit_code_check_char
from elevators.catalogue import ParameterGroup, group_of
from elevators.models import Elevator, ElevatorStatus
from organizations.models import Organization, Region, RegionLevel
from portal.demo import DEMO_LIFESPANS

from .profiles import profile_for
from .words import (
    COMPANY_SUFFIXES,
    DEFAULT_ROADS,
    DEVELOPERS,
    ESTATE_SUFFIXES,
    ESTATE_WORDS,
    GIVEN,
    HOTEL_SUFFIXES,
    JACKING_TYPES,
    MALL_SUFFIXES,
    OFFICE_SUFFIXES,
    OFFICE_WORDS,
    ROAD_SUFFIXES,
    ROAD_WORDS,
    SURNAMES,
    TRADE_CHARS,
    USE_UNIT_SUFFIXES,
)

__all__ = [
    "GenerationResult",
    "Generator",
    "Manufacturer",
    "Site",
    "cumulative",
    "generated_organizations",
    "max_serial",
    "pick",
    "register_counters",
]

# components: the demo's realistic lifespans in months (the parts that wear); the others last 20 years
LIFESPANS = DEMO_LIFESPANS
OTHER_LIFESPAN = 240
OVERDUE_PART_SHARE = 0.01  # worn parts not replaced in time
OVERDUE_INSPECTION_SHARE = 0.015  # in-use elevators whose periodic inspection is overdue
INSPECTED_EARLY_SHARE = 0.4  # of those within 60 days of the date: inspected early, next date a year on

KIND_LETTER = {"maintenance_company": "M", "use_unit": "U", "manufacturer": "F"}
GENERATED_CODE = re.compile(r"^91\d{6}GC([MUF])(\d{6})[0-9A-Z]$")


@dataclass
class GenerationResult:
    city: str
    created_elevators: int = 0
    created_components: int = 0
    created_landing_doors: int = 0
    created_organizations: dict[str, int] = field(default_factory=dict)
    created_service_relations: int = 0
    elevators_in_city: int = 0
    seconds: float = 0.0


@dataclass
class Manufacturer:
    id: int
    short: str
    code: str


@dataclass
class Site:
    kind: str
    name: str
    district: Region
    address: str
    lat: Decimal | None
    lng: Decimal | None
    use_unit_id: int
    company_id: int
    manufacturer: Manufacturer
    installed: date
    floors: int  # above ground
    basements: int


def generated_organizations(kind: str, city: Region | None = None):
    """The organisations the generator made (of one kind, optionally inside a city)."""
    qs = Organization.objects.filter(kind=kind, credit_code__regex=rf"^91[0-9]{{6}}GC{KIND_LETTER[kind]}")
    if city is not None:
        qs = qs.filter(region__path__startswith=city.path)
    return qs


class Generator:
    def __init__(self, city: Region, *, seed: int, existing: int, log: Callable[[str], None]):
        self.city = city
        self.profile = profile_for(city)
        self.rng = random.Random(f"citygen:{city.code}:{seed}:{existing}")
        self.log = log
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.districts = list(Region.objects.filter(parent=city, level=RegionLevel.DISTRICT).order_by("code"))
        if not self.districts:
            self.districts = [city]
        self.district_weights = [self.profile.weights.get(d.code, self.profile.default_weight) for d in self.districts]
        self._cum_district = cumulative(self.district_weights)
        self.roads = ROAD_WORDS.get(city.code, DEFAULT_ROADS)
        self.used_names = set(Organization.objects.values_list("name", flat=True))
        self.used_buildings: set[str] = set()
        self.expires_cache: dict[tuple[date, int], date] = {}
        self.factory_serial = 0

    # -- small draws ------------------------------------------------------------------------------------------------

    def district(self) -> Region:
        return self.districts[pick(self.rng, self._cum_district)]

    def person(self) -> str:
        r = self.rng
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))

    def landline(self) -> str:
        digits = 8 - len(self.profile.phone_prefix.split("-", 1)[1])
        return self.profile.phone_prefix + "".join(str(self.rng.randrange(10)) for _ in range(digits))

    def mobile(self) -> str:
        return self.rng.choice(("13", "15", "17", "18", "19")) + f"{self.rng.randrange(10**9):09d}"

    def location(self, district: Region, spread: float = 0.03) -> tuple[Decimal | None, Decimal | None]:
        box = self.profile.box
        if box is None:
            return None, None
        lat_min, lat_max, lng_min, lng_max = box
        center = self.profile.centers.get(district.code)
        if center:
            lat, lng = self.rng.gauss(center[0], spread), self.rng.gauss(center[1], spread)
        else:
            lat, lng = self.rng.uniform(lat_min, lat_max), self.rng.uniform(lng_min, lng_max)
        lat = min(max(lat, lat_min), lat_max)
        lng = min(max(lng, lng_min), lng_max)
        return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")

    def address(self, district: Region) -> str:
        r = self.rng
        road = r.choice(self.roads) + r.choice(ROAD_SUFFIXES)
        return f"{self.city.name}{district.name}{road}{r.randint(1, 399)}号"

    def unique_name(self, make: Callable[[], str]) -> str:
        for _ in range(50):
            name = make()
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        base = make()
        n = 2
        while f"{base}（{n}）" in self.used_names:
            n += 1
        self.used_names.add(f"{base}（{n}）")
        return f"{base}（{n}）"

    def trade_name(self) -> str:
        return self.rng.choice(TRADE_CHARS) + self.rng.choice(TRADE_CHARS)

    # -- organisations ---------------------------------------------------------------------------------------------

    def make_organizations(self, kind: str, count: int, serial_start: int, names: list[str] | None = None):
        objs = []
        for i in range(count):
            district = self.district()
            if names is not None:
                name = names[i]
                self.used_names.add(name)
            elif kind == "maintenance_company":
                name = self.unique_name(
                    lambda: f"{self.profile.short}{self.trade_name()}{self.rng.choice(COMPANY_SUFFIXES)}"
                )
            else:

                def use_unit_name(district=district):
                    suffix = self.rng.choices(USE_UNIT_SUFFIXES, weights=(40, 30, 10, 8, 4, 8))[0]
                    name = f"{self.profile.short}{self.trade_name()}{suffix}"
                    if self.rng.random() < 0.3:
                        name += f"{district.name.removesuffix('区').removesuffix('县')}分公司"
                    return name

                name = self.unique_name(use_unit_name)
            first17 = f"91{district.code}GC{KIND_LETTER[kind]}{serial_start + i:06d}"
            lat, lng = self.location(district)
            phone = self.landline()
            objs.append(
                Organization(
                    kind=kind,
                    name=name,
                    credit_code=first17 + credit_code_check_char(first17),
                    region=district,
                    address=self.address(district),
                    legal_representative=self.person(),
                    legal_representative_phone=self.mobile(),
                    contact_name=self.person(),
                    contact_phone=phone,
                    latitude=lat,
                    longitude=lng,
                )
            )
        return Organization.objects.bulk_create(objs, batch_size=500)

    # -- sites and elevators ---------------------------------------------------------------------------------------

    def install_date(self) -> date:
        r = self.rng
        year = r.choices(
            range(1998, 2026), weights=[1 + 3 * math.exp(-(((y - 2015) / 6.0) ** 2)) for y in range(1998, 2026)]
        )[0]
        day = date(year, 1, 1) + timedelta(days=r.randrange(365))
        return min(day, self.today - timedelta(days=30))

    def estate_name(self) -> str:
        r = self.rng
        words = r.choice(ESTATE_WORDS) + r.choice(ESTATE_SUFFIXES)
        return f"{r.choice(DEVELOPERS)}·{words}" if r.random() < 0.65 else words

    def site_name(self, kind: str, district: Region) -> str:
        r = self.rng
        for _ in range(20):
            if kind == "residential":
                name = self.estate_name()
            elif kind == "retrofit":
                name = r.choice(
                    (
                        f"{r.choice(self.roads)}{r.choice(('小区', '新村', '宿舍', '花园'))}",
                        f"{r.choice(self.roads)}{r.choice(('路', '街'))}{r.randint(1, 300)}号院",
                    )
                )
            elif kind == "office":
                name = r.choice(OFFICE_WORDS) + r.choice(OFFICE_SUFFIXES)
            elif kind == "mall":
                name = r.choice(DEVELOPERS + OFFICE_WORDS) + r.choice(MALL_SUFFIXES)
            elif kind == "hospital":
                name = r.choice(
                    (
                        f"{district.name}人民医院",
                        f"{district.name}中医院",
                        f"{district.name}妇幼保健院",
                        f"{self.profile.short}市第{r.randint(1, 30)}人民医院",
                    )
                )
            elif kind == "hotel":
                name = r.choice(OFFICE_WORDS + ESTATE_WORDS) + r.choice(HOTEL_SUFFIXES)
            else:
                name = r.choice(
                    (
                        f"{district.name}第{r.randint(1, 60)}中学",
                        f"{self.profile.short}{self.trade_name()}工业园",
                        f"{district.name}政务服务中心",
                        f"{district.name}{r.choice(self.roads)}社区卫生服务中心",
                    )
                )
            if name not in self.used_buildings:
                break
        self.used_buildings.add(name)
        return name

    def new_site(
        self, use_unit_id: int, company_id: int, manufacturers: list[Manufacturer], manufacturer_cum: list[float]
    ) -> Site:
        r = self.rng
        kind = r.choices(
            ("residential", "retrofit", "office", "mall", "hospital", "hotel", "lowrise"),
            weights=(56, 22, 6, 4, 3, 3, 6),
        )[0]
        district = self.district()
        lat, lng = self.location(district)
        if kind == "residential":
            floors = r.choices((9, 11, 15, 18, 24, 26, 30, 32, 33), weights=(8, 24, 8, 18, 8, 8, 8, 9, 9))[0]
        elif kind == "retrofit":  # 老旧小区加装电梯: walk-up blocks of six or seven storeys
            floors = r.choice((6, 6, 7, 7, 8))
        elif kind == "office":
            floors = r.randint(18, 56)
        elif kind == "mall":
            floors = r.randint(3, 7)
        elif kind in ("hospital", "hotel"):
            floors = r.randint(8, 28)
        else:
            floors = r.randint(3, 6)
        basements = 0 if kind in ("lowrise", "retrofit") else r.choice((1, 1, 1, 2, 2, 3))
        return Site(
            kind=kind,
            name=self.site_name(kind, district),
            district=district,
            address=self.address(district),
            lat=lat,
            lng=lng,
            use_unit_id=use_unit_id,
            company_id=company_id,
            manufacturer=manufacturers[pick(r, manufacturer_cum)],
            installed=self.install_date(),
            floors=floors,
            basements=basements,
        )

    def site_plan(self, site: Site) -> list[tuple[str, str, str, int]]:
        """(building label, device category, internal number, building floors) for each elevator of a site."""
        r = self.rng
        plan = []
        if site.kind == "residential":
            for block in range(1, r.randint(2, 14) + 1):
                label = f"{site.name}{block}栋"
                for k in range(1, r.choice((2, 2, 2, 3, 3, 4)) + 1):
                    plan.append((label, "3110", f"{block}栋{k}号梯", site.floors))
        elif site.kind == "retrofit":
            for block in range(1, r.randint(3, 12) + 1):
                for unit in range(1, r.choice((1, 2, 2, 3)) + 1):
                    plan.append((f"{site.name}{block}栋", "3110", f"{block}栋{unit}单元梯", site.floors))
        elif site.kind == "office":
            towers = r.choice(("", "", "A座", "AB"))
            for tower in ("A座", "B座") if towers == "AB" else (towers,):
                label = f"{site.name}{tower}"
                cats = ["3110"] * r.randint(4, 14) + ["3120"] * r.randint(1, 2) + ["3430"] * r.choice((0, 0, 1))
                plan += [(label, cat, f"{tower}{k}号梯", site.floors) for k, cat in enumerate(cats, 1)]
        elif site.kind == "mall":
            cats = (
                ["3310"] * (2 * (site.floors - 1) + r.randint(0, 6))
                + ["3320"] * r.choice((0, 0, 2, 4))
                + ["3110"] * r.randint(2, 6)
                + ["3120"] * r.randint(1, 3)
                + ["3430"] * r.randint(0, 2)
            )
            plan += [
                (site.name, cat, f"{k}号{'扶梯' if cat in ('3310', '3320') else '梯'}", site.floors)
                for k, cat in enumerate(cats, 1)
            ]
        elif site.kind == "hospital":
            for part in r.sample(("门诊楼", "住院楼", "医技楼"), r.randint(1, 3)):
                cats = ["3110"] * r.randint(3, 8) + ["3120"] * r.randint(0, 2) + ["3210"] * r.choice((0, 0, 0, 1))
                cats += ["3430"] * r.choice((0, 1))
                plan += [(f"{site.name}{part}", cat, f"{part}{k}号梯", site.floors) for k, cat in enumerate(cats, 1)]
        elif site.kind == "hotel":
            cats = ["3110"] * r.randint(3, 8) + ["3120"] + ["3430"] * r.randint(1, 2)
            plan += [(site.name, cat, f"{k}号梯", site.floors) for k, cat in enumerate(cats, 1)]
        else:
            cats = [
                r.choices(("3110", "3210", "3120", "3430"), weights=(5, 3, 2, 2))[0] for _ in range(r.randint(1, 3))
            ]
            plan += [(site.name, cat, f"{k}号梯", site.floors) for k, cat in enumerate(cats, 1)]
        return plan

    def parameters(self, category: str, site: Site, building_floors: int) -> dict:
        r = self.rng
        group = group_of(category)
        p = dict(
            drive_type="",
            control_type="",
            rated_load=None,
            rated_speed=None,
            floors=None,
            stops=None,
            doors=None,
            cylinder_count=None,
            jacking_type="",
            inclination=None,
            step_width=None,
            rise=None,
            motor_power=None,
            usable_length=None,
        )
        if group == ParameterGroup.ESCALATOR:
            rise = r.uniform(4.2, 6.5) if r.random() < 0.9 else r.uniform(6.5, 12)
            if category == "3310":
                inclination = 35 if (rise <= 6 and r.random() < 0.35) else 30
                p.update(
                    inclination=Decimal(f"{inclination}.0"),
                    step_width=r.choice((600, 800, 1000, 1000, 1000)),
                    rated_speed=Decimal(r.choice(("0.50", "0.50", "0.50", "0.65"))),
                )
            else:
                inclination = r.choice((10, 11, 12, 12))
                p.update(
                    inclination=Decimal(f"{inclination}.0"),
                    step_width=r.choice((800, 1000, 1000)),
                    rated_speed=Decimal(r.choice(("0.50", "0.50", "0.65"))),
                    usable_length=Decimal(f"{rise / math.sin(math.radians(inclination)) + 4:.2f}"),
                )
            p["rise"] = Decimal(f"{rise:.2f}")
            p["motor_power"] = Decimal(f"{5.5 + rise * 1.1 + r.choice((0, 1.5, 3)):.1f}")
            return p
        if category == "3430":
            floors = r.randint(2, min(max(site.floors, 2), 8))
            p.update(
                drive_type=r.choice(("traction", "traction", "forced")),
                control_type="button",
                rated_load=r.choice((100, 200, 250, 300)),
                rated_speed=Decimal("0.40"),
            )
        elif category == "3210":
            floors = r.randint(2, min(max(site.floors, 2), 6))
            p.update(
                control_type=r.choice(("collective", "button")),
                rated_load=r.choice((630, 1000, 1600, 2000)),
                rated_speed=Decimal(r.choice(("0.40", "0.50", "0.63", "1.00"))),
                cylinder_count=r.choice((1, 1, 2)),
                jacking_type=r.choice(JACKING_TYPES),
            )
        elif category == "3120":
            floors = r.randint(2, min(max(building_floors + site.basements, 2), 12))
            p.update(
                drive_type="traction",
                control_type=r.choice(("button", "signal", "collective")),
                rated_load=r.choice((1000, 1600, 2000, 3000, 5000)),
                rated_speed=Decimal(r.choice(("0.50", "1.00", "1.00", "1.50"))),
            )
        else:
            floors = building_floors + site.basements
            if floors <= 8:
                speed = "1.00"
            elif floors <= 14:
                speed = "1.50"
            elif floors <= 22:
                speed = r.choice(("1.75", "1.75", "2.00"))
            elif floors <= 36:
                speed = r.choice(("2.00", "2.50", "2.50"))
            else:
                speed = r.choice(("3.00", "4.00", "5.00"))
            loads = {
                "residential": (800, 1000, 1000, 1050),
                "retrofit": (450, 630, 630, 800),
                "office": (1150, 1350, 1600),
                "mall": (1000, 1350, 1600),
                "hospital": (1600, 1600, 2000),
                "hotel": (1000, 1150, 1350),
            }.get(site.kind, (630, 800, 1000))
            control = {
                "residential": ("collective", "parallel"),
                "retrofit": ("collective",),
                "office": ("group", "group", "parallel"),
            }.get(site.kind, ("collective", "parallel", "group"))
            p.update(
                drive_type="traction",
                control_type=r.choice(control),
                rated_load=r.choice(loads),
                rated_speed=Decimal(speed),
            )
        floors = max(2, floors)
        stops = max(2, floors - r.choice((0, 0, 0, 0, 1, 2)))
        doors = stops * 2 if r.random() < 0.05 else stops
        p.update(floors=floors, stops=stops, doors=doors)
        return p

    def status(self, installed: date) -> str:
        r = self.rng.random()
        if installed.year < 2006 and r < 0.12:
            return ElevatorStatus.SCRAPPED
        if r < 0.04:
            return ElevatorStatus.SUSPENDED
        if r < 0.09:
            return ElevatorStatus.PENDING_REGISTRATION
        if r < 0.10:
            return ElevatorStatus.SCRAPPED
        return ElevatorStatus.IN_USE

    def expires(self, installed: date, months: int) -> date:
        """The end of life as `Component.save()` computes it (installed + lifespan), cached per (date, lifespan)."""
        value = self.expires_cache.get((installed, months))
        if value is None:
            value = self.expires_cache[(installed, months)] = installed + relativedelta(months=months)
        return value

    def components(self, names: list[str], installed: date) -> list[tuple[str, date, int, date]]:
        """(name, installed_on, lifespan_months, expires_on) of an elevator's parts, with the demo's realistic
        lifespans (portal/demo.py: 5-10 years for the parts that wear, 20 for the others). A part still within its
        first life keeps the elevator's installation date; a worn one was replaced some time within its lifespan,
        and a few (OVERDUE_PART_SHARE) were not replaced in time and are up to half a year past their end of life.
        So only a few percent of the parts are near or past their end of life, as in a real city."""
        r = self.rng
        out = []
        for name in names:
            months = LIFESPANS.get(name, OTHER_LIFESPAN)
            expires = self.expires(installed, months)
            if expires <= self.today:  # worn out once already: replaced (or, rarely, overdue for it)
                if r.random() < OVERDUE_PART_SHARE:
                    replaced = self.today - timedelta(days=int(months * 30.4) + r.randint(1, 183))
                else:
                    replaced = self.today - timedelta(days=r.randrange(int(months * 30.4)))
                replaced = max(replaced, installed)
                expires = self.expires(replaced, months)
                installed_on = replaced
            else:
                installed_on = installed
            out.append((name, installed_on, months, expires))
        return out

    def inspection_dates(self, installed: date, status: str) -> tuple[date, date | None]:
        """(supervision_inspection_date, next_inspection_date). The supervision inspection comes a few days to a
        month after the installation; the next 定期检验 or 自行检测 falls due at the end of that month each year
        (elevators.inspection's calendar), so dates spread over the year. Some elevators in their window were
        inspected early already (their date moved a year on) and a few are overdue: about one elevator in ten is
        within the 60-day window, one or two in a hundred past it. Scrapped and pending elevators have no date;
        suspended ones kept their old, past date."""
        r = self.rng
        supervision = min(installed + timedelta(days=r.randint(3, 30)), self.today)
        if status in (ElevatorStatus.SCRAPPED, ElevatorStatus.PENDING_REGISTRATION):
            return supervision, None
        if status == ElevatorStatus.SUSPENDED:
            return supervision, self.today - timedelta(days=r.randint(1, 200))
        if r.random() < OVERDUE_INSPECTION_SHARE:
            return supervision, self.today - timedelta(days=r.randint(1, 90))
        month, year = supervision.month, self.today.year
        due = _end_of_month(year, month)
        if due < self.today:
            due = _end_of_month(year + 1, month)
        if (due - self.today).days <= 60 and r.random() < INSPECTED_EARLY_SHARE:
            due = _end_of_month(due.year + 1, month)
        return supervision, due


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def cumulative(weights) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def pick(rng: random.Random, cumulative: list[float]) -> int:
    return min(bisect.bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def max_serial(kind: str) -> int:
    serials = [
        int(m.group(2))
        for code in generated_organizations(kind).values_list("credit_code", flat=True)
        if (m := GENERATED_CODE.match(code))
    ]
    return max(serials, default=0)


def register_counters() -> dict[str, int]:
    """Highest 4-digit sequence already used under each 16-character prefix (category + district + YYYYMM)."""
    counters: dict[str, int] = {}
    for code in Elevator.objects.values_list("register_code", flat=True).iterator(chunk_size=20000):
        if len(code) == 20 and code.isdigit():
            prefix, seq = code[:16], int(code[16:])
            if seq > counters.get(prefix, 0):
                counters[prefix] = seq
    return counters
