#!/usr/bin/env python
"""City-scale benchmark of the elevator ledger pages against hand-written SQL on the same data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/elevator_bench \\
        .venv/bin/python bench/run_bench.py --sizes 10000,100000,300000

For each size: (re)create the database once (drop + create through the `postgres` database, `migrate`), grow the
city with `generate_city` up to that size (incrementally from the previous size), VACUUM ANALYZE, then time the
pages with Django's test client (server time: the time spent inside `Client.get`) as the city bureau and as the
administrator of the biggest maintenance company, and the same page's SQL written by hand with a plain cursor.
Results go to stdout and to bench/results/<timestamp>.md (git-ignored). See bench/README.md.
"""

import argparse
import base64
import html
import json
import os
import platform
import random
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/elevator_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"

HOST = "127.0.0.1"
CITY = "500000"
DISTRICT = "500112"  # 渝北区, the biggest district of the generated city
PAGE = 25
TARGET_MS = 150


# --- the database ---------------------------------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    """Drop and create the benchmark database through a connection to the `postgres` database."""
    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: the benchmark database name must contain 'bench'")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    print(f"database {name} recreated", flush=True)


def grow_to(size: int, seed: int) -> tuple[float, int]:
    """Grow the city to `size` elevators; returns (seconds, elevators in the city)."""
    from django.core.management import call_command

    from elevators.models import Elevator
    from organizations.models import Region

    city = Region.objects.get(code=CITY)
    have = Elevator.objects.filter(city=city).count()
    if have >= size:
        print(f"city already holds {have:,} elevators (>= {size:,})", flush=True)
        return 0.0, have
    started = time.perf_counter()
    call_command("generate_city", elevators=size - have, city=CITY, seed=seed)
    return time.perf_counter() - started, Elevator.objects.filter(city=city).count()


def vacuum_analyze() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in (
            "elevators_elevator",
            "elevators_component",
            "elevators_landingdoor",
            "organizations_organization",
            "organizations_servicerelation",
            "organizations_region",
        ):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


# --- who asks -------------------------------------------------------------------------------------------------------


def bench_users():
    """The city bureau (a regulator whose jurisdiction is the city) and the admin of the biggest company."""
    from django.db.models import Count
    from django.utils import timezone

    from accounts.models import User
    from core.validators import credit_code_check_char
    from elevators.models import Elevator
    from organizations.models import Organization, Region

    city = Region.objects.get(code=CITY)
    bureau = Organization.objects.filter(kind="regulator", jurisdiction=city).order_by("pk").first()
    if bureau is None:
        first17 = f"11{CITY}BENCH0001"
        bureau = Organization.objects.create(
            kind="regulator",
            name="重庆市市场监督管理局",
            credit_code=first17 + credit_code_check_char(first17),
            region=city,
            jurisdiction=city,
            address="重庆市渝北区青竹东路6号",
            legal_representative="基准测试",
            legal_representative_phone="023-63890000",
            contact_name="基准测试",
            contact_phone="023-63890000",
        )
    biggest = (
        Elevator.objects.filter(city=city).values("maintenance_company").annotate(n=Count("id")).order_by("-n").first()
    )
    company = Organization.objects.get(pk=biggest["maintenance_company"])

    def user(username, org, category):
        account, _created = User.objects.update_or_create(
            username=username,
            defaults=dict(
                organization=org,
                role="admin",
                category=category,
                full_name=username,
                must_change_password=False,
                password_changed_at=timezone.now(),
                is_active=True,
            ),
        )
        return account

    return [
        ("city bureau", user("bench_city", bureau, "regulator_officer"), {"city_id": city.pk}, None),
        (
            f"company admin ({biggest['n']:,} elevators)",
            user("bench_company", company, "maintenance_manager"),
            {"maintenance_company_id": company.pk},
            company,
        ),
    ]


# --- measurements ---------------------------------------------------------------------------------------------------


@dataclass
class Case:
    user: str
    name: str
    urls: list[str]  # one per request (cycled)
    raw: list[tuple[str, list]]  # the hand-written SQL of the same page, one per request (cycled)
    server_ms: list[float] = field(default_factory=list)
    raw_ms: list[float] = field(default_factory=list)
    query_counts: list[int] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)  # all SQL of the request
    main_sql_ms: list[float] = field(default_factory=list)  # the slowest query of the request
    slowest: tuple[float, str] = (0.0, "")
    statuses: set = field(default_factory=set)
    html_kb: list[float] = field(default_factory=list)
    ledger_sql_ms: list[float] = field(default_factory=list)  # the page's own query on the elevator table
    ledger: tuple[float, str] = (0.0, "")


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


LIST_COLUMNS = """e.id, e.register_code, e.rescue_code, e.device_category, e.building, e.installation_date, e.status,
       r.name AS region_name, uu.name AS use_unit_name, mc.name AS company_name"""
LIST_JOINS = """FROM elevators_elevator e
  JOIN organizations_region r ON r.id = e.region_id
  JOIN organizations_organization uu ON uu.id = e.use_unit_id
  JOIN organizations_organization mc ON mc.id = e.maintenance_company_id"""


def raw_list(scope: dict, where: list[str], params: list, order: str) -> tuple[str, list]:
    scope_sql = " AND ".join(f"e.{column} = %s" for column in scope)
    conditions = " AND ".join([scope_sql, *where])
    return (
        f"SELECT {LIST_COLUMNS}\n{LIST_JOINS}\nWHERE {conditions}\nORDER BY {order}\nLIMIT {PAGE + 1}",
        [*scope.values(), *params],
    )


def decode_cursor(cursor: str) -> list:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


def next_cursor(content: bytes) -> str | None:
    match = re.search(r"[?&;]cursor=([A-Za-z0-9_\-]+)", html.unescape(content.decode()))
    return match.group(1) if match else None


def build_cases(label, user, scope, company, rng, requests, depth):
    from django.test import Client

    from elevators.models import Elevator
    from organizations.models import Region

    district = Region.objects.get(code=DISTRICT)
    visible = Elevator.objects.filter(**scope)
    sample = list(visible.order_by("?").values_list("pk", "register_code", "building")[:requests])
    cases = []

    url = "/elevators/?" + urlencode({"status": "in_use", "sort": "building"})
    cases.append(
        Case(
            label,
            "list status=in_use sort=building",
            [url],
            [raw_list(scope, ["e.status = %s"], ["in_use"], "e.building, e.id")],
        )
    )

    url = "/elevators/?" + urlencode({"region": district.pk, "sort": "-updated_at"})
    cases.append(
        Case(
            label,
            f"list region={district.name} sort=-updated_at",
            [url],
            [raw_list(scope, ["e.region_id = %s"], [district.pk], "e.updated_at DESC, e.id DESC")],
        )
    )

    urls, raws = [], []
    for index, (_pk, code, _building) in enumerate(sample):
        # the page searches a register code by its start or its end (each an index probe)
        fragment = code[:12] if index % 2 else code[-8:]
        urls.append("/elevators/?" + urlencode({"q": fragment}))
        if index % 2:  # the start: a range on the code (the page first checks that one exists)
            where, params = ["e.register_code >= %s", "e.register_code < %s"], [fragment, str(int(fragment) + 1)]
        else:  # the end: the index on the reversed code
            where, params = ["reverse(e.register_code) LIKE %s"], [f"{fragment[::-1]}%"]
        raws.append(raw_list(scope, where, params, "e.register_code, e.id"))
    cases.append(Case(label, "search q=<start (12) or end (8) of a register code>", urls, raws))

    urls, raws = [], []
    for _pk, _code, building in sample:
        urls.append("/elevators/?" + urlencode({"q": building}))
        raws.append(
            raw_list(
                scope,
                ["e.building LIKE %s"],
                [f"%{building}%"],
                "e.register_code, e.id",
            )
        )
    cases.append(Case(label, "search q=<building name>", urls, raws))

    urls, raws = [], []
    scope_sql = " AND ".join(f"e.{column} = %s" for column in scope)
    for pk, _code, _building in sample:
        urls.append(f"/elevators/{pk}/")
        raws.append(
            (
                f"""SELECT e.*, r.name AS region_name, uu.name AS use_unit_name, mc.name AS company_name
{LIST_JOINS}
WHERE e.id = %s AND {scope_sql}""",
                [pk, *scope.values()],
            )
        )
    cases.append(Case(label, "detail /elevators/<id>/", urls, raws))

    # deep page: follow the next link `depth` pages into the first list, then time that page
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    base = "/elevators/?" + urlencode({"status": "in_use", "sort": "building"})
    url = base
    for _ in range(depth - 1):
        response = client.get(url)
        cursor = next_cursor(response.content)
        if cursor is None:
            break
        url = f"{base}&cursor={cursor}"
    else:
        building, pk = decode_cursor(cursor)
        cases.append(
            Case(
                label,
                f"list status=in_use sort=building, page {depth} (cursor)",
                [url],
                [
                    raw_list(
                        scope,
                        ["e.status = %s", "(e.building, e.id) > (%s, %s)"],
                        ["in_use", building, pk],
                        "e.building, e.id",
                    )
                ],
            )
        )
    return cases


FIRST_FROM = re.compile(r'\bFROM "(\w+)"')


def baseline_case() -> Case:
    """A bare Django view rendering 50 rows (bench/baseline_urls.py): the machine's speed in this run."""
    from django.conf import settings

    from bench.baseline_urls import BARE_SQL, BARE_URL

    settings.ROOT_URLCONF = "bench.baseline_urls"
    return Case("baseline", "bare Django view, 50 rows, no app logic", [BARE_URL], [(BARE_SQL, [])])


def run_case(case: Case, user, warmup: int, requests: int, capture_runs: int, before=None) -> None:
    """Time the case's pages as `user`; `before()`, when given, runs before every request, outside the timing
    (clearing the cache, to time a cold page). A case without hand-written SQL (`raw` empty) times none."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    n_urls = len(case.urls)
    before = before or (lambda: None)
    for i in range(warmup):
        before()
        client.get(case.urls[i % n_urls])
    for i in range(requests):
        before()
        started = time.perf_counter()
        response = client.get(case.urls[i % n_urls])
        case.server_ms.append((time.perf_counter() - started) * 1000)
        case.statuses.add(response.status_code)
    for i in range(capture_runs):
        timings = []

        def timed(execute, sql, params, many, context, timings=timings):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timings.append(((time.perf_counter() - started) * 1000, sql, params))

        before()
        with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timed):
            response = client.get(case.urls[i % n_urls])
        case.query_counts.append(len(ctx.captured_queries))
        case.html_kb.append(len(response.content) / 1024)
        case.sql_ms.append(sum(t for t, _sql, _params in timings))
        top = max(timings, default=(0.0, "", None), key=lambda t: t[0])
        case.main_sql_ms.append(top[0])
        if top[0] > case.slowest[0]:
            case.slowest = (top[0], connection.ops.compose_sql(top[1], top[2]) if top[1] else "")
        # the ledger query: the slowest statement whose main table is the elevator table
        ledger = [t for t in timings if (m := FIRST_FROM.search(t[1])) and m.group(1) == "elevators_elevator"]
        top = max(ledger, default=(0.0, "", None), key=lambda t: t[0])
        case.ledger_sql_ms.append(top[0])
        if top[0] > case.ledger[0]:
            case.ledger = (top[0], connection.ops.compose_sql(top[1], top[2]) if top[1] else "")
    if not case.raw:
        return
    with connection.cursor() as cursor:
        for i in range(warmup):
            cursor.execute(*case.raw[i % len(case.raw)])
            cursor.fetchall()
        for i in range(requests):
            started = time.perf_counter()
            cursor.execute(*case.raw[i % len(case.raw)])
            cursor.fetchall()
            case.raw_ms.append((time.perf_counter() - started) * 1000)


def explain_case(size: int, label: str, case: Case) -> list[str]:
    out = []
    for title, (ms, sql) in (("ledger query", case.ledger), ("slowest query", case.slowest)):
        if not sql or (title == "slowest query" and sql == case.ledger[1]):
            continue
        out += [
            f"### {size:,} — {label} — {case.name}: {title} ({ms:.1f} ms)",
            "",
            "```sql",
            sql,
            "```",
            "",
            "```",
            explain(sql),
            "```",
            "",
        ]
    return out


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


# --- report ---------------------------------------------------------------------------------------------------------

HEADER = (
    "| size | user | page | server p50 | server p95 | raw SQL p50 | raw SQL p95 | ledger query p95 | ledger/raw "
    "| page/raw | queries | SQL total p50 | slowest query p95 | HTML KB |"
)
RULE = "|" + "|".join(["---"] * (HEADER.count("|") - 1)) + "|"


def row(size: int, case: Case) -> str:
    server95, raw95, ledger95 = pct(case.server_ms, 95), pct(case.raw_ms, 95), pct(case.ledger_sql_ms, 95)
    flag = " ⚠" if server95 > TARGET_MS else ""
    status = "" if case.statuses == {200} else f" (HTTP {sorted(case.statuses)})"
    queries = "/".join(map(str, sorted(set(case.query_counts))))
    return (
        f"| {size:,} | {case.user} | {case.name}{status} | {pct(case.server_ms, 50):.1f} | {server95:.1f}{flag} "
        f"| {pct(case.raw_ms, 50):.2f} | {raw95:.2f} | {ledger95:.2f} | {ledger95 / raw95:.1f}× "
        f"| {server95 / raw95:.0f}× | {queries} | {pct(case.sql_ms, 50):.1f} | {pct(case.main_sql_ms, 95):.2f} "
        f"| {pct(case.html_kb, 50):.0f} |"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,300000")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--capture", type=int, default=10, help="requests per page run again to count SQL queries")
    parser.add_argument("--depth", type=int, default=20, help="page reached through the next links")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep the existing database and only grow it")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query of each page")
    args = parser.parse_args()
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(","))
    url = os.environ["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("the benchmark needs PostgreSQL: DATABASE_URL=postgres://…/elevator_bench")
    if not args.reuse:
        recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]

    started_at = datetime.now()
    lines = [
        f"# Elevator ledger benchmark — {started_at:%Y-%m-%d %H:%M}",
        "",
        f"PostgreSQL {pg_version}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{args.requests} requests per page after {args.warmup} warm-ups; times in ms. "
        "server = time inside Django's test client (middleware, ORM, template); raw SQL = the page's hand-written "
        "query (same filters, ORDER BY, LIMIT 26, joins for the shown columns) with cursor.execute + fetchall; "
        "ledger query = Django's own query of the page on the elevator table, timed with an execute wrapper; "
        "slowest query = the slowest SQL statement of the page, whichever table; "
        "queries = SQL statements per page (CaptureQueriesContext); "
        f"⚠ = p95 over {TARGET_MS} ms.",
        "",
    ]
    generation = []
    explains = []
    table = [HEADER, RULE]
    print("\n".join(lines), flush=True)
    for size in sizes:
        seconds, size = grow_to(size, args.seed)
        vacuum = vacuum_analyze()
        generation.append(f"- {size:,}: generate_city {seconds:.0f} s, VACUUM ANALYZE {vacuum:.0f} s")
        print(generation[-1], flush=True)
        rng = random.Random(f"bench:{size}:{args.seed}")
        users = bench_users()
        baseline = baseline_case()
        run_case(baseline, users[0][1], args.warmup, args.requests, args.capture)
        table.append(row(size, baseline))
        print(table[-1], flush=True)
        for label, user, scope, _company in users:
            for case in build_cases(label, user, scope, _company, rng, args.requests, args.depth):
                run_case(case, user, args.warmup, args.requests, args.capture)
                table.append(row(size, case))
                print(table[-1], flush=True)
                if args.explain:
                    explains += explain_case(size, label, case)

    report = "\n".join([*lines, "Generation (incremental):", "", *generation, "", *table, "", *explains])
    print()
    print("\n".join(table))
    out = ROOT / "bench" / "results" / f"{started_at:%Y%m%d-%H%M%S}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report + "\n", encoding="utf-8")
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
