#!/usr/bin/env python
"""The warning pages (预警) and the home pages (首页看板) at city scale: 300,000 elevators, a company of 20,000 in-use
elevators, a year of maintenance plans for every in-use elevator of the city, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/elevator_warning_bench \\
        .venv/bin/python bench/warning_bench.py [--reuse] [--explain] [--only TEXT]

Without --reuse the database is recreated (run_bench's `recreate_database`: the name must contain "bench"). Then,
each step only when the database lacks it (so --reuse continues an interrupted preparation):

1. `generate_city` up to --elevators (run_bench's `grow_to`);
2. the biggest maintenance company is given --company in-use elevators (others' in-use elevators re-pointed to
   it, with their service relations), its administrator, 20 workers and 20 groups holding its elevators (as
   plan_bench does);
3. every in-use elevator of the city gets a year of plans by the background job's own function
   (`maintenance.services.plans.run_job`, one job per company), the year starting --past-days ago (the job is
   run "as of" that day, so the past weeks have plans too); then, in SQL, the plans due before today are done
   (on time, a few late), except a share left open, overdue (more in the last two weeks, more for some
   companies), and every done plan gets its confirmed 维保纪录 (3% with a credibility flag, some recent ones
   waiting for confirmation), so the on-time rates, the chart and the compliance table read real rows;
4. VACUUM ANALYZE.

The pages are timed as run_bench times the ledger (its `run_case`: server time inside Django's test client,
p50/p95, SQL statements per page and the slowest one), as the company's administrator, the city bureau (重庆市,
the home page with the compliance table's cache cleared before each request, and warm) and the district bureau
(渝北区). Results: stdout and bench/results/warnings-<timestamp>.md (git-ignored). See bench/README.md.
"""

import argparse
import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/elevator_warning_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"

from bench.plan_bench import GROUPS, _user  # noqa: E402
from bench.run_bench import (  # noqa: E402
    CITY,
    DISTRICT,
    Case,
    baseline_case,
    bench_users,
    explain_case,
    grow_to,
    next_cursor,
    pct,
    recreate_database,
    run_case,
)

TARGET_MS = 100
PAST_DAYS = 91  # the plan year starts 13 weeks back: the 90 days the on-time rate reads have plans
SPREAD_DAYS = 14  # plan years start on 14 different days, so visits spread over the fortnight
BUCKET_FROM = 1000  # a company of more elevators starts them on 14 different days (by elevator id)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


# --- the data -------------------------------------------------------------------------------------------------------


def biggest_company():
    from django.db.models import Count

    from elevators.models import Elevator
    from organizations.models import Organization

    row = (
        Elevator.objects.filter(city__code=CITY)
        .values("maintenance_company")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return Organization.objects.get(pk=row["maintenance_company"])


def prepare_company(size: int) -> None:
    """The biggest company holds `size` in-use elevators (others' re-pointed to it), in 20 groups of one worker."""
    from django.db import connection
    from django.utils import timezone

    from elevators.models import Elevator
    from maintenance.models import GroupAssignment, MaintenanceGroup
    from organizations.models import ServiceRelation

    company = biggest_company()
    in_use = Elevator.objects.filter(maintenance_company=company, status="in_use")
    missing = size - in_use.count()
    if missing > 0:
        with connection.cursor() as cursor:
            cursor.execute(
                """UPDATE elevators_elevator SET maintenance_company_id = %s WHERE id IN (
                     SELECT id FROM elevators_elevator WHERE status = 'in_use' AND maintenance_company_id <> %s
                     ORDER BY md5(id::text) LIMIT %s)""",
                [company.pk, company.pk, missing],
            )
        pairs = set(Elevator.objects.filter(maintenance_company=company).values_list("use_unit_id", flat=True))
        known = set(ServiceRelation.objects.filter(maintenance_company=company).values_list("use_unit_id", flat=True))
        ServiceRelation.objects.bulk_create(
            [ServiceRelation(use_unit_id=u, maintenance_company=company) for u in pairs - known],
            ignore_conflicts=True,
            batch_size=1000,
        )
        log(f"re-pointed {missing:,} in-use elevators to {company.name}, +{len(pairs - known)} service relations")
    assert in_use.count() == size, in_use.count()
    if MaintenanceGroup.objects.filter(organization=company).exists():
        return
    admin = _user("bench_company", company, "admin", "maintenance_manager")
    workers = [_user(f"bench_worker_{i}", company, "staff", "maintenance_worker") for i in range(GROUPS)]
    ids = list(Elevator.objects.filter(maintenance_company=company).order_by("pk").values_list("pk", flat=True))
    per_group = -(-len(ids) // GROUPS)
    for i, worker in enumerate(workers):
        group = MaintenanceGroup.objects.create(organization=company, name=f"第{i + 1}组", leader=admin)
        group.members.add(worker)
        GroupAssignment.objects.bulk_create(
            GroupAssignment(elevator_id=pk, group=group) for pk in ids[i * per_group : (i + 1) * per_group]
        )
    log(f"{company.name}: {len(ids):,} elevators in {GROUPS} groups ({timezone.now():%H:%M:%S})")


def generate_plans(past_days: int) -> None:
    """A year of plans for every in-use elevator, by the job's own function, run as of `past_days` ago. Contracts
    start on different days, so the visits spread over the fortnight rather than fall on one day for the whole city:
    a company's year starts 0-13 days before that day (by company), and a company of more than BUCKET_FROM
    elevators plans them in 14 jobs, one per start day (by elevator id)."""
    from django.db.models import Count
    from django.utils import timezone

    from elevators.models import Elevator
    from maintenance.models import PlanJob
    from maintenance.services import plans

    as_of = timezone.localdate() - timedelta(days=past_days)
    companies = list(
        Elevator.objects.filter(city__code=CITY, status="in_use")
        .values("maintenance_company")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("maintenance_company", "n")
    )
    started, rows = time.perf_counter(), 0
    for index, (company_id, n) in enumerate(companies, 1):
        ids = list(
            Elevator.objects.filter(maintenance_company_id=company_id, status="in_use").values_list("pk", flat=True)
        )
        if n > BUCKET_FROM:
            buckets = [(k, [pk for pk in ids if pk % SPREAD_DAYS == k]) for k in range(SPREAD_DAYS)]
        else:
            buckets = [(company_id % SPREAD_DAYS, ids)]
        for offset, bucket in buckets:
            start = as_of - timedelta(days=offset)
            job = PlanJob.objects.create(
                organization_id=company_id, start_date=start, elevator_ids=bucket, total=len(bucket)
            )
            plans.run_job(job.pk, today=as_of)
            job.refresh_from_db()
            assert job.status == "done", job.error
            rows += job.created_plans
        if index % 100 == 0 or index == len(companies):
            log(f"  plans: {index}/{len(companies)} companies, {rows:,} rows, {time.perf_counter() - started:.0f} s")
    seconds = time.perf_counter() - started
    log(f"generated {rows:,} plans (run_job, years from {as_of} less 0-13 days) in {seconds:.0f} s")


def clear_plans() -> None:
    """--replan: the plans, their records and jobs go (TRUNCATE; the bench database only)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE maintenance_maintenanceplan, records_maintenancerecord, maintenance_planjob CASCADE")
    log("plans, records and plan jobs truncated")


def close_the_past() -> None:
    """The plans due before today: done (mostly on time), or left open and overdue (a few; more in the last two
    weeks and for some companies); every done plan gets its 维保纪录."""
    from django.db import connection, transaction
    from django.utils import timezone

    today = timezone.localdate()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.17)")
        cursor.execute(
            """UPDATE maintenance_maintenanceplan p SET status = 'done',
                 done_at = LEAST(
                   (p.due_date - floor(random() * 4)::int
                      + CASE WHEN random() < 0.04 + 0.02 * (p.organization_id %% 3) THEN 1 + floor(random() * 5)::int
                             ELSE 0 END
                   ) + time '02:00',
                   now() - interval '1 hour')
               WHERE p.status = 'planned' AND p.due_date < %(today)s
                 AND random() >= CASE WHEN p.due_date >= %(today)s - 14 THEN 0.04 ELSE 0.005 END
                                 * (1 + p.organization_id %% 3)""",
            {"today": today},
        )
        done = cursor.rowcount
        cursor.execute(
            """INSERT INTO records_maintenancerecord (cycle, work_type, status, started_at, received_at,
                 finished_at, finish_received_at, duration_minutes, hazard_codes, flags, join_code, confirmed_at,
                 confirmed_name, confirmed_on_site, correction_reason, previous_seal, seal, elevator_id,
                 organization_id, plan_id)
               SELECT s.cycle,
                 CASE s.cycle WHEN 'half_month' THEN 'HM' WHEN 'quarter' THEN 'TM' WHEN 'half_year' THEN 'SM'
                              ELSE 'OY' END,
                 CASE WHEN s.waiting THEN 'finished' ELSE 'confirmed' END,
                 s.done_at - interval '50 minutes', s.done_at - interval '50 minutes', s.done_at, s.done_at, 50,
                 '[]'::jsonb, CASE WHEN s.flagged THEN '["too_short"]'::jsonb ELSE '[]'::jsonb END, '',
                 CASE WHEN s.waiting THEN NULL ELSE s.done_at + interval '2 hours' END,
                 CASE WHEN s.waiting THEN '' ELSE '物业' END, false, '', '', '',
                 s.elevator_id, s.organization_id, s.id
               FROM (SELECT p.*, (p.done_at > now() - interval '3 days' AND random() < 0.5) AS waiting,
                            random() < 0.03 AS flagged
                     FROM maintenance_maintenanceplan p WHERE p.status = 'done') s"""
        )
        records = cursor.rowcount
        cursor.execute(
            "SELECT count(*) FROM maintenance_maintenanceplan WHERE status = 'planned' AND due_date < %s", [today]
        )
        overdue = cursor.fetchone()[0]
    log(
        f"past plans: {done:,} done with {records:,} records, {overdue:,} left open (overdue) "
        f"in {time.perf_counter() - started:.0f} s"
    )


def vacuum_analyze() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in (
            "elevators_elevator",
            "elevators_component",
            "maintenance_maintenanceplan",
            "maintenance_groupassignment",
            "records_maintenancerecord",
            "organizations_organization",
            "organizations_servicerelation",
        ):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def district_bureau_user():
    """渝北区's bureau (a regulator whose jurisdiction is the district) and its user `bench_district`."""
    from django.utils import timezone

    from accounts.models import User
    from core.validators import credit_code_check_char
    from organizations.models import Organization, Region

    district = Region.objects.get(code=DISTRICT)
    bureau = Organization.objects.filter(kind="regulator", jurisdiction=district).order_by("pk").first()
    if bureau is None:
        first17 = f"11{DISTRICT}BENCH0002"
        bureau = Organization.objects.create(
            kind="regulator",
            name=f"重庆市{district.name}市场监督管理局",
            credit_code=first17 + credit_code_check_char(first17),
            region=district,
            jurisdiction=district,
            address="重庆市渝北区双龙大道",
            legal_representative="基准测试",
            legal_representative_phone="023-67820000",
            contact_name="基准测试",
            contact_phone="023-67820000",
        )
    user, _created = User.objects.update_or_create(
        username="bench_district",
        defaults=dict(
            organization=bureau,
            role="admin",
            category="regulator_officer",
            full_name="bench_district",
            must_change_password=False,
            password_changed_at=timezone.now(),
            is_active=True,
        ),
    )
    return user


def data_shape(users) -> list[str]:
    """How many warnings each person has: what the pages list."""
    from alerts.rules import NEAR, OVERDUE
    from alerts.services import component_warnings, inspection_warnings, maintenance_warnings
    from elevators.models import Component, Elevator
    from maintenance.models import MaintenancePlan

    lines = [
        f"- city: {Elevator.objects.count():,} elevators ({Elevator.objects.filter(status='in_use').count():,} in "
        f"use), {Component.objects.count():,} components, {MaintenancePlan.objects.count():,} plans",
    ]
    for label, user in users:
        counts = []
        for kind, warnings in (
            ("维保", maintenance_warnings),
            ("年检", inspection_warnings),
            ("组件", component_warnings),
        ):
            near = warnings(user, level=NEAR).count()
            overdue = warnings(user, level=OVERDUE).count()
            counts.append(f"{kind} {near:,} 临期 / {overdue:,} 逾期")
        lines.append(f"- {label}: " + ", ".join(counts))
    return lines


# --- the pages ------------------------------------------------------------------------------------------------------


def deep_url(user, base: str, depth: int) -> str | None:
    """The URL of page `depth` of a list, reached through its next links (keyset cursors)."""
    from django.test import Client

    from bench.run_bench import HOST

    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    url = base
    for _ in range(depth - 1):
        cursor = next_cursor(client.get(url).content)
        if cursor is None:
            return None
        url = f"{base}{'&' if '?' in base else '?'}cursor={cursor}"
    return url


def cases(company_label, company_admin, city_user, district_user, depth):
    """(user, case, before) for each page timed."""
    from django.core.cache import cache

    def clear():
        cache.clear()

    out = []

    def add(user, label, name, url, before=None):
        out.append((user, Case(label, name, [url], []), before))

    add(company_admin, company_label, "home / (cache cleared)", "/", before=clear)
    add(company_admin, company_label, "home / (warm cache)", "/")
    for kind in ("maintenance", "inspection", "component"):
        add(company_admin, company_label, f"/alerts/{kind}/", f"/alerts/{kind}/")
        add(company_admin, company_label, f"/alerts/{kind}/?level=overdue", f"/alerts/{kind}/?level=overdue")
    deep = deep_url(company_admin, "/alerts/maintenance/", depth)
    if deep:
        add(company_admin, company_label, f"/alerts/maintenance/ page {depth} (cursor)", deep)
    add(
        company_admin,
        company_label,
        "API /api/v1/warnings?kind=maintenance",
        "/api/v1/warnings?" + urlencode({"kind": "maintenance"}),
    )
    city = "city bureau (重庆市)"
    add(city_user, city, "home / (cache cleared)", "/", before=clear)
    add(city_user, city, "home / (warm cache)", "/")
    for kind in ("maintenance", "inspection", "component"):
        add(city_user, city, f"/alerts/{kind}/", f"/alerts/{kind}/")
    district = "district bureau (渝北区)"
    add(district_user, district, "home / (cache cleared)", "/", before=clear)
    add(district_user, district, "home / (warm cache)", "/")
    return out


HEADER = "| user | page | server p50 | server p95 | queries | SQL total p50 | slowest query p95 | HTML KB |"
RULE = "|---|---|---:|---:|---:|---:|---:|---:|"


def row(case: Case) -> str:
    p95 = pct(case.server_ms, 95)
    flag = " ⚠" if p95 > TARGET_MS else ""
    status = "" if case.statuses == {200} else f" (HTTP {sorted(case.statuses)})"
    queries = "/".join(map(str, sorted(set(case.query_counts))))
    return (
        f"| {case.user} | {case.name}{status} | {pct(case.server_ms, 50):.1f} | {p95:.1f}{flag} | {queries} "
        f"| {pct(case.sql_ms, 50):.1f} | {pct(case.main_sql_ms, 95):.1f} | {pct(case.html_kb, 50):.0f} |"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--elevators", type=int, default=300_000)
    parser.add_argument("--company", type=int, default=20_000, help="in-use elevators of the benchmark's company")
    parser.add_argument("--past-days", type=int, default=PAST_DAYS, help="the plan year starts this many days back")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--capture", type=int, default=5, help="requests per page run again to count SQL queries")
    parser.add_argument("--depth", type=int, default=5, help="page of the warning list reached through next links")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep the database; only add what it lacks")
    parser.add_argument("--replan", action="store_true", help="generate the plans (and records) again")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query of each page")
    parser.add_argument("--only", default="", help="time only the pages whose user or name contains this text")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("the benchmark needs PostgreSQL: DATABASE_URL=postgres://…/elevator_warning_bench")
    if not args.reuse:
        recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from maintenance.models import MaintenancePlan
    from records.models import MaintenanceRecord

    call_command("migrate", verbosity=0)
    seconds, size = grow_to(args.elevators, args.seed)
    changed = seconds > 0
    if seconds:
        log(f"generate_city: {size:,} elevators in {seconds:.0f} s")
    prepare_company(args.company)
    if args.replan:
        clear_plans()
    if not MaintenancePlan.objects.exists():
        generate_plans(args.past_days)
        changed = True
    if not MaintenanceRecord.objects.exists():
        close_the_past()
        changed = True
    if changed or not args.reuse:
        log(f"VACUUM ANALYZE in {vacuum_analyze():.0f} s")

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    (_city_label, city_user, _s, _c), (company_label, company_admin, _s2, company) = bench_users()
    district_user = district_bureau_user()
    started_at = datetime.now()
    lines = [
        f"# Warning pages and home pages — {started_at:%Y-%m-%d %H:%M}",
        "",
        f"PostgreSQL {pg_version}, {os.cpu_count()} CPUs, {args.requests} requests per page after {args.warmup} "
        f"warm-ups; server time in ms inside Django's test client; queries and SQL over {args.capture} more "
        f"requests; ⚠ = p95 over {TARGET_MS} ms.",
        "",
        *data_shape(
            [(company_label, company_admin), ("city bureau", city_user), ("district bureau 渝北区", district_user)]
        ),
        "",
    ]
    print("\n".join(lines), flush=True)
    table, explains = [HEADER, RULE], []
    for user, case, before in cases(company_label, company_admin, city_user, district_user, args.depth):
        if args.only and args.only not in f"{case.user} {case.name}":
            continue
        run_case(case, user, args.warmup, args.requests, args.capture, before=before)
        table.append(row(case))
        print(table[-1], flush=True)
        if args.explain:
            explains += explain_case(size, case.user, case)
    if not args.only:  # last: it replaces the URLconf
        baseline = baseline_case()
        run_case(baseline, city_user, args.warmup, args.requests, args.capture)
        table.append(row(baseline))
        print(table[-1], flush=True)
    report = "\n".join([*lines, *table, "", *explains])
    out = ROOT / "bench" / "results" / f"warnings-{started_at:%Y%m%d-%H%M%S}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report + "\n", encoding="utf-8")
    print("\n".join(["", *table, "", f"written to {out.relative_to(ROOT)}"]))


if __name__ == "__main__":
    main()
