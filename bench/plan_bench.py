#!/usr/bin/env python
"""A year of maintenance plans for a company of 20,000 elevators: generation speed against a raw COPY of the
same rows, and the plan list and calendar at that size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/elevator_plan_bench \\
        .venv/bin/python bench/plan_bench.py --elevators 20000

Without --reuse the database is recreated: `migrate`, `generate_city` for the elevators, then all of them are
given to one maintenance company (in use), in 20 groups of workers. Generation runs the background job's own
function (`maintenance.services.plans.run_job`) for every elevator with a year starting today (about 25
visits each), first into an empty table, then again (replacing the open plans); the baseline is PostgreSQL's
COPY of exactly the rows
the job wrote, into the emptied table, in the same run. Pages are timed as in run_bench.py (server time, the
time inside Django's test client). Results: stdout and bench/results/plans-<timestamp>.md.
"""

import argparse
import io
import os
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/elevator_plan_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"

from bench.run_bench import HOST, pct, recreate_database  # noqa: E402

CITY = "500000"
GROUPS = 20
TARGET_MS = 60
COLUMNS = "organization_id, elevator_id, year_start, position, quarter, cycle, due_date, original_date, status, "
COLUMNS += "closed_reason, created_at"


def prepare(elevators: int, seed: int) -> None:
    """One company holds every elevator of the generated city, in use, assigned to 20 groups."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from elevators.models import Elevator
    from maintenance.models import GroupAssignment, MaintenanceGroup
    from organizations.models import Organization

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("generate_city", elevators=elevators, city=CITY, seed=seed)
    print(f"generate_city {elevators:,}: {time.perf_counter() - started:.1f} s", flush=True)
    company = Organization.objects.filter(kind="maintenance_company").order_by("pk").first()
    Elevator.objects.update(maintenance_company=company, status="in_use")
    admin = _user("bench_plans_admin", company, "admin", "maintenance_manager")
    workers = [_user(f"bench_worker_{i}", company, "staff", "maintenance_worker") for i in range(GROUPS)]
    ids = list(Elevator.objects.order_by("pk").values_list("pk", flat=True))
    size = -(-len(ids) // GROUPS)
    for i, worker in enumerate(workers):
        group = MaintenanceGroup.objects.create(organization=company, name=f"第{i + 1}组", leader=admin)
        group.members.add(worker)
        GroupAssignment.objects.bulk_create(
            GroupAssignment(elevator_id=pk, group=group) for pk in ids[i * size : (i + 1) * size]
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) elevators_elevator")
        cursor.execute("ANALYZE")
    print(f"company {company.name}: {len(ids):,} elevators, {GROUPS} groups ({timezone.now():%H:%M:%S})", flush=True)


def _user(username, company, role, category):
    from django.utils import timezone

    from accounts.models import User

    user, _created = User.objects.update_or_create(
        username=username,
        defaults=dict(
            organization=company,
            role=role,
            category=category,
            full_name=username,
            must_change_password=False,
            password_changed_at=timezone.now(),
            is_active=True,
        ),
    )
    return user


def time_generation(admin, start) -> tuple[int, float]:
    """(rows, seconds) of one job over every elevator of the company."""
    from elevators.models import Elevator
    from maintenance.models import MaintenancePlan, PlanJob
    from maintenance.services import plans

    ids = list(Elevator.objects.filter(maintenance_company_id=admin.organization_id).values_list("pk", flat=True))
    job = PlanJob.objects.create(
        organization_id=admin.organization_id, created_by=admin, start_date=start, elevator_ids=ids, total=len(ids)
    )
    started = time.perf_counter()
    plans.run_job(job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert job.created_plans == MaintenancePlan.objects.filter(status="planned").count()
    return job.created_plans, seconds


def time_copy() -> tuple[int, float]:
    """(rows, seconds) of COPYing exactly the rows the job wrote into the emptied table."""
    from django.db import connection, transaction

    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY (SELECT {COLUMNS} FROM maintenance_maintenanceplan) TO STDOUT") as copy:
            for data in copy:
                buffer.write(data)
        rows = buffer.getvalue().count(b"\n")
        cursor.execute("TRUNCATE maintenance_maintenanceplan")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.copy(f"COPY maintenance_maintenanceplan ({COLUMNS}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
    return rows, time.perf_counter() - started


def time_pages(admin, requests: int) -> list[tuple[str, float, float, int]]:
    """(page, p50 ms, p95 ms, status) as the company's administrator and as a worker."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from elevators.models import Elevator
    from maintenance.models import MaintenanceGroup

    month = timezone.localdate().strftime("%Y-%m")
    group = MaintenanceGroup.objects.order_by("pk").first()
    code = Elevator.objects.order_by("pk").values_list("register_code", flat=True)[5000]
    plans_url, calendar_url = reverse("maintenance:plan_list"), reverse("maintenance:plan_calendar")
    worker = User.objects.get(username="bench_worker_0")
    cases = [
        (admin, "plan list (upcoming)", plans_url),
        (admin, "plan list, one group", f"{plans_url}?group={group.pk}"),
        (admin, "plan list, overdue", f"{plans_url}?when=overdue"),
        (admin, "plan list, annual visits", f"{plans_url}?cycle=annual&sort=-due"),
        (admin, "calendar, whole company", f"{calendar_url}?month={month}"),
        (admin, "calendar, one group", f"{calendar_url}?month={month}&group={group.pk}"),
        (admin, "calendar, one elevator", f"{calendar_url}?month={month}&elevator={code}"),
        (worker, "calendar, a worker's groups", f"{calendar_url}?month={month}"),
        (worker, "plan list, a worker's groups", plans_url),
    ]
    results = []
    for user, name, url in cases:
        client = Client(HTTP_HOST=HOST)
        client.force_login(user)
        for _ in range(5):
            client.get(url)
        timings, status = [], 0
        for _ in range(requests):
            started = time.perf_counter()
            status = client.get(url).status_code
            timings.append((time.perf_counter() - started) * 1000)
        results.append((name, pct(timings, 50), pct(timings, 95), status))
        print(f"{name:32s} p50 {pct(timings, 50):6.1f} ms  p95 {pct(timings, 95):6.1f} ms  [{status}]", flush=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--elevators", type=int, default=20000)
    parser.add_argument("--reuse", action="store_true", help="keep the database (prepared by an earlier run)")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not args.reuse:
        recreate_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User

    if not args.reuse:
        prepare(args.elevators, args.seed)
    admin = User.objects.get(username="bench_plans_admin")
    start = timezone.localdate()  # a whole year of visits from today (the seed's 9-months-back start writes a quarter)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE maintenance_maintenanceplan")
    rows, first = time_generation(admin, start)
    print(f"generation into an empty table: {rows:,} rows in {first:.2f} s = {rows / first:,.0f} rows/s", flush=True)
    rows_again, again = time_generation(admin, start)
    print(f"generation again (replacing):   {rows_again:,} rows in {again:.2f} s", flush=True)
    copied, copy_seconds = time_copy()
    ratio = first / copy_seconds
    print(f"raw COPY of the same rows:      {copied:,} rows in {copy_seconds:.2f} s = {copied / copy_seconds:,.0f} /s")
    print(f"generation / COPY: {ratio:.2f}x (target: within 3x)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) maintenance_maintenanceplan")
    pages = time_pages(admin, args.requests)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"plans-{datetime.now():%Y%m%d-%H%M%S}.md"
    lines = [
        f"# Plan generation and pages, {args.elevators:,} elevators, {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"- generation into an empty table: {rows:,} rows, {first:.2f} s, {rows / first:,.0f} rows/s",
        f"- generation again (replacing the open plans): {rows_again:,} rows, {again:.2f} s",
        f"- raw COPY of the same rows: {copy_seconds:.2f} s, {copied / copy_seconds:,.0f} rows/s",
        f"- generation / COPY: {ratio:.2f}x",
        "",
        "| page | p50 ms | p95 ms | status |",
        "|---|---:|---:|---:|",
        *[f"| {name} | {p50:.1f} | {p95:.1f} | {status} |" for name, p50, p95, status in pages],
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {path}")
    slow = [name for name, _p50, p95, _status in pages if p95 > TARGET_MS]
    if slow:
        print(f"over {TARGET_MS} ms p95: {', '.join(slow)}")


if __name__ == "__main__":
    main()
