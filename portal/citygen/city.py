"""generate_city: what a run adds to a city, elevator by elevator, flushed in batches."""

import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction

from elevators import governor
from elevators.catalogue import COMPONENT_CATALOGUE, ParameterGroup, group_of
from elevators.models import CodeScheme, Component, Elevator, ElevatorStatus, LandingDoor, new_qr_token
from organizations.models import Organization, Region, RegionLevel, ServiceRelation

from .generator import (
    GenerationResult,
    Generator,
    Manufacturer,
    Site,
    cumulative,
    generated_organizations,
    max_serial,
    pick,
    register_counters,
)
from .words import LOCK_MODELS, MANUFACTURER_NAMES
from .writers import flush_batch, flush_orm, flush_postgres

__all__ = ["generate_city"]

ELEVATORS_PER_COMPANY = 300
ELEVATORS_PER_USE_UNIT = 25
MANUFACTURERS = 12

CATEGORY_SHORT = {
    "3110": "11",
    "3120": "12",
    "3130": "13",
    "3210": "21",
    "3220": "22",
    "3310": "31",
    "3320": "32",
    "3410": "41",
    "3420": "42",
    "3430": "43",
}


def generate_city(
    elevators: int, *, city_code: str = "500000", seed: int = 1, batch: int = 5000, log: Callable[[str], None] = print
) -> GenerationResult:
    """Add `elevators` elevators (and the organisations they need) to the city with code `city_code`."""
    started = time.perf_counter()
    city = Region.objects.get(code=city_code)
    if city.level != RegionLevel.CITY:
        raise ValueError(f"{city_code} ({city.name}) is not a city")
    existing = Elevator.objects.filter(city=city).count()
    gen = Generator(city, seed=seed, existing=existing, log=log)
    rng = gen.rng
    total = existing + elevators
    result = GenerationResult(city=f"{city.code} {city.name}")
    rescue_used = set(Elevator.objects.filter(city=city).values_list("rescue_code", flat=True))
    if len(rescue_used) + elevators > 900_000:
        raise ValueError("96333 rescue codes are 6 digits: a city holds at most 900,000 elevators")

    # organisations: create what the grown city lacks
    made = {}
    with transaction.atomic():
        for kind, target in (
            ("manufacturer", MANUFACTURERS),
            ("maintenance_company", max(2, round(total / ELEVATORS_PER_COMPANY))),
            ("use_unit", max(1, round(total / ELEVATORS_PER_USE_UNIT))),
        ):
            have = generated_organizations(kind, city).count()
            missing = max(0, target - have)
            names = None
            if kind == "manufacturer":
                names = [
                    f"{city.name.removesuffix('市')}{short}{suffix}" for short, _code, suffix in MANUFACTURER_NAMES
                ]
                taken = set(generated_organizations(kind, city).values_list("name", flat=True))
                names = [n for n in names if n not in taken and n not in gen.used_names][:missing]
                missing = len(names)
            made[kind] = gen.make_organizations(kind, missing, max_serial(kind) + 1, names=names) if missing else []
            result.created_organizations[kind] = missing
    log(f"organisations: +{result.created_organizations} ({time.perf_counter() - started:.1f} s)")
    if elevators <= 0:
        result.elevators_in_city = existing
        result.seconds = time.perf_counter() - started
        return result

    code_of = {short: code for short, code, _suffix in MANUFACTURER_NAMES}
    manufacturers = []
    for org in generated_organizations("manufacturer", city).order_by("credit_code"):
        short = next((s for s in code_of if s in org.name), org.name[2:4])
        manufacturers.append(Manufacturer(id=org.pk, short=short, code=code_of.get(short, "GC")))
    manufacturer_cum = cumulative([1.0 / (i + 1) ** 0.6 for i in range(len(manufacturers))])

    # company sizes follow a power law: the oldest companies are the biggest, as in real cities
    company_ids = [
        pk
        for pk, _code in sorted(
            generated_organizations("maintenance_company", city).values_list("pk", "credit_code"),
            key=lambda t: t[1][11:],
        )
    ]
    company_cum = cumulative([1.0 / (i + 1) ** 0.7 for i in range(len(company_ids))])
    use_units = list(generated_organizations("use_unit", city).order_by("pk").values_list("pk", flat=True))
    primary: dict[int, int] = {}
    for use_unit_id, company_id in (
        ServiceRelation.objects.filter(use_unit_id__in=use_units)
        .order_by("-id")
        .values_list("use_unit_id", "maintenance_company_id")
    ):
        primary[use_unit_id] = company_id
    new_companies = [o.pk for o in made["maintenance_company"]]
    for org in made["use_unit"]:
        primary[org.pk] = new_companies.pop(0) if new_companies else company_ids[pick(rng, company_cum)]
    for pk in use_units:  # a use unit left without a company (an interrupted run) gets one now
        primary.setdefault(pk, company_ids[pick(rng, company_cum)])
    unused_use_units = [o.pk for o in made["use_unit"]]

    counters = register_counters()
    relations: set[tuple[int, int]] = set()
    known_relations = set(
        ServiceRelation.objects.filter(use_unit_id__in=use_units).values_list("use_unit_id", "maintenance_company_id")
    )

    postgres = connection.vendor == "postgresql"
    flush = flush_postgres if postgres else flush_orm
    log(
        f"generating {elevators:,} elevators in {city.name} (already {existing:,}), "
        f"{'COPY' if postgres else 'bulk_create'} in batches of {batch:,}"
    )

    buffer: list[tuple] = []  # (elevator values, components, door spec, brand)
    done = 0
    while done < elevators:
        use_unit_id = unused_use_units.pop() if unused_use_units else rng.choice(use_units)
        company_id = primary[use_unit_id]
        if rng.random() < 0.05 and len(company_ids) > 1:  # some sites are maintained by a second company
            company_id = company_ids[pick(rng, company_cum)]
        relations.add((use_unit_id, company_id))
        site = gen.new_site(use_unit_id, company_id, manufacturers, manufacturer_cum)
        building_dates: dict[str, date] = {}
        for label, category, internal_number, building_floors in gen.site_plan(site):
            if done >= elevators:
                break
            installed = building_dates.setdefault(label, site.installed + timedelta(days=rng.randrange(0, 120)))
            installed = min(installed, gen.today)
            values = _elevator_values(
                gen, site, label, category, internal_number, building_floors, installed, counters, rescue_used
            )
            buffer.append(values)
            done += 1
            if len(buffer) >= batch:
                flush_batch(flush, buffer, relations, known_relations, result, city)
                log(
                    f"  {existing + done:>9,} elevators in the city  (+{done:,}/{elevators:,}, "
                    f"{time.perf_counter() - started:.1f} s)"
                )
    if buffer:
        flush_batch(flush, buffer, relations, known_relations, result, city)
        log(
            f"  {existing + done:>9,} elevators in the city  (+{done:,}/{elevators:,}, "
            f"{time.perf_counter() - started:.1f} s)"
        )
    if postgres:
        with connection.cursor() as cursor:
            for model in (Elevator, Component, LandingDoor, Organization, ServiceRelation):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    result.elevators_in_city = existing + done
    result.seconds = time.perf_counter() - started
    log(
        f"done: +{result.created_elevators:,} elevators, +{result.created_components:,} components, "
        f"+{result.created_landing_doors:,} landing doors, +{result.created_service_relations:,} service relations "
        f"in {result.seconds:.1f} s"
    )
    return result


def _governor_values(gen: Generator, category: str, drive_type: str, installed: date) -> dict:
    """The governor's dates (elevators.governor): in use since the installation (the components' date too); a
    governor whose first calibration is due was last calibrated at a random point of its present interval, a few
    slightly more than an interval ago (about 2% overdue, 4% within 30 days); escalators and moving walks none."""
    kind = governor.governor_kind(category, drive_type)
    if kind is None:
        return dict(governor_since=None, governor_calibrated_on=None, next_governor_calibration=None)
    calibrated = None
    if governor.next_calibration(kind, installed, None).due <= gen.today:
        span = governor.interval_years(kind, installed, gen.today) * 365
        calibrated = gen.today - timedelta(days=gen.rng.randint(0, span + span // 50))
        if calibrated < installed:
            calibrated = None
    due = governor.next_calibration(kind, installed, calibrated).due
    return dict(governor_since=installed, governor_calibrated_on=calibrated, next_governor_calibration=due)


def _elevator_values(
    gen: Generator,
    site: Site,
    label: str,
    category: str,
    internal_number: str,
    building_floors: int,
    installed: date,
    counters: dict[str, int],
    rescue_used: set[str],
):
    rng = gen.rng
    # register code: category + district + YYYYMM + 4-digit sequence (a full month moves on to the next one)
    while True:
        prefix = f"{category}{site.district.code}{installed:%Y%m}"
        seq = counters.get(prefix, 0) + 1
        if seq <= 9999:
            counters[prefix] = seq
            break
        installed = installed.replace(day=1) + relativedelta(months=1)
    while True:
        rescue = f"{rng.randrange(100000, 1000000)}"
        if rescue not in rescue_used:
            rescue_used.add(rescue)
            break
    params = gen.parameters(category, site, building_floors)
    status = gen.status(installed)
    gen.factory_serial += 1
    mf = site.manufacturer
    if group_of(category) == ParameterGroup.ESCALATOR:
        model = f"{mf.code}-{'E' if category == '3310' else 'W'}{params['step_width']}/{int(params['inclination'])}"
    else:
        model = f"{mf.code}-{rng.choice('KGFHM')}{params['rated_load']}/{params['rated_speed']}"
    registration = ""
    if status != ElevatorStatus.PENDING_REGISTRATION:
        registration = (
            f"梯{CATEGORY_SHORT.get(category, '11')}{gen.profile.plate}{rng.choice('ABCDEFG')}"
            f"{rng.randrange(100000):05d}({installed:%y})"
        )
    supervision, next_inspection = gen.inspection_dates(installed, status)
    lat, lng = site.lat, site.lng
    if lat is not None:
        lat += Decimal(rng.randint(-300, 300)) / 1_000_000
        lng += Decimal(rng.randint(-300, 300)) / 1_000_000
        lat_min, lat_max, lng_min, lng_max = gen.profile.box
        lat = min(max(lat, Decimal(str(lat_min))), Decimal(str(lat_max)))
        lng = min(max(lng, Decimal(str(lng_min))), Decimal(str(lng_max)))
    created = gen.now - timedelta(seconds=rng.randrange(30 * 86400, 730 * 86400))
    updated = created + (gen.now - created) * rng.random()
    values = dict(
        register_code=f"{prefix}{seq:04d}",
        code_scheme=CodeScheme.CATALOGUE_2014,
        rescue_code=rescue,
        device_category=category,
        use_unit_id=site.use_unit_id,
        maintenance_company_id=site.company_id,
        manufacturer_id=mf.id,
        product_model=model,
        factory_number=f"{mf.code}{installed:%y}{gen.factory_serial:07d}",
        installation_date=installed,
        building=label,
        internal_number=internal_number,
        use_registration_number=registration,
        region_id=site.district.pk,
        city_id=gen.city.pk,
        address=site.address,
        latitude=lat,
        longitude=lng,
        supervision_inspection_date=supervision,
        next_inspection_date=next_inspection,
        **_governor_values(gen, category, params["drive_type"], installed),
        status=status,
        qr_token=new_qr_token(),
        created_at=created,
        updated_at=updated,
        created_by_id=None,
        **params,
    )
    components = gen.components(COMPONENT_CATALOGUE[group_of(category)], installed)
    doors = None
    if group_of(category) != ParameterGroup.ESCALATOR:
        load = params["rated_load"] or 0
        door_type = {"3120": "side", "3430": "vertical", "3210": "side"}.get(category, "center")
        width = 700 if category == "3430" else min(2500, 800 + max(0, load - 800) // 250 * 100)
        height = 1000 if category == "3430" else (2100 if load < 1600 else 2400)
        doors = (door_type, width, height, rng.choice(LOCK_MODELS), params["stops"])
    return values, components, doors, mf.short
