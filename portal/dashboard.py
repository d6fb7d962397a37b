"""首页看板 (issue 17): the figures each role's home page shows, as plain functions of the person.

Every figure is one or two aggregate queries, whatever the number of rows behind it. The bureaus' compliance
table reads a district's or a city's plans and records of 90 days, so its numbers are cached for five minutes per
bureau (the names are looked up per request, in the reader's language). The rules of the credit grade are
`credit_grade`, and the page shows them in words (`portal/_grade_rules.html`).
"""

from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from alerts.services import SILENT_STATUSES, maintenance_warnings, silent_elevators
from core.tenancy import scope_for
from elevators.models import Elevator, ElevatorStatus, ProblemReport, ProblemStatus
from maintenance.models import MaintenancePlan, PlanStatus
from organizations.models import Organization, Region
from records.models import MaintenanceRecord, RecordStatus
from records.services import CONFIRMATION_DUE

__all__ = [
    "GRADE_RULES",
    "LONG_OVERDUE_DAYS",
    "TABLE_ROWS",
    "WINDOW_DAYS",
    "company_figures",
    "compliance",
    "credit_grade",
    "role_of",
    "use_unit_figures",
    "visits_chart",
    "weekly_visits",
    "worker_figures",
]

WINDOW_DAYS = 90  # the on-time rate and the flagged records look this far back
WEEKS = 12  # the chart's weeks
LONG_OVERDUE_DAYS = 7  # an open visit overdue longer than this weighs on the grade
TABLE_ROWS = 50  # the compliance table shows the companies needing attention first, this many at most
CACHE_SECONDS = 300
OPEN_PROBLEMS = (ProblemStatus.NEW, ProblemStatus.ACKNOWLEDGED)
DONE_RECORDS = (RecordStatus.FINISHED, RecordStatus.CONFIRMED)

# the grade's thresholds (percentages), shown on the page as they are applied
GRADES = ("A", "B", "C", "D", "")  # "" : nothing was due, no grade
GRADE_RULES = {"a_rate": 95, "b_rate": 85, "c_rate": 70, "b_long_overdue_per_100": 1, "flagged_share": 5}


def role_of(user) -> str:
    """Which home page: company (its administrators), worker (its other people), use_unit, bureau, or ""."""
    scope = scope_for(user)
    if scope.is_operator or not scope.organization_id:
        return ""
    if scope.kind == "maintenance_company":
        return "company" if scope.is_admin else "worker"
    if scope.kind in ("use_unit", "regulator"):
        return "bureau" if scope.kind == "regulator" else "use_unit"
    return ""


# --- the credit grade ---------------------------------------------------------------------------------------------


def on_time_rate(due: int, on_time: int) -> float | None:
    """Visits done by their due date / visits due, in percent; None when nothing was due."""
    return round(100 * on_time / due, 1) if due else None


def credit_grade(*, due: int, on_time: int, long_overdue: int, elevators: int, visits: int, flagged: int) -> str:
    """A–D from the last 90 days (integers only, so an edge is exact):

    A: on time ≥ 95 % and no open visit overdue more than 7 days;
    B: on time ≥ 85 % and at most 1 open visit overdue more than 7 days per 100 elevators;
    C: on time ≥ 70 %; D: below.
    Then one grade lower (D stays D) when more than 5 % of the visits made carry a credibility flag (存疑).
    "" when no visit was due in the period (nothing to grade)."""
    if due <= 0:
        return ""
    rules = GRADE_RULES
    if on_time * 100 >= rules["a_rate"] * due and long_overdue == 0:
        grade = "A"
    elif on_time * 100 >= rules["b_rate"] * due and long_overdue * 100 <= rules["b_long_overdue_per_100"] * elevators:
        grade = "B"
    elif on_time * 100 >= rules["c_rate"] * due:
        grade = "C"
    else:
        grade = "D"
    if visits and flagged * 100 > rules["flagged_share"] * visits and grade != "D":
        grade = "ABCD"["ABCD".index(grade) + 1]
    return grade


# --- the pieces -----------------------------------------------------------------------------------------------------


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _punctuality_counts(today: date) -> dict:
    """The plan aggregates behind the on-time rate and the overdue visits (use with `_punctual_plans`)."""
    start = today - timedelta(days=WINDOW_DAYS)
    window = Q(due_date__gte=start, due_date__lt=today) & ~Q(status=PlanStatus.CLOSED)
    open_overdue = Q(status=PlanStatus.PLANNED, due_date__lt=today)
    return {
        "due": Count("pk", filter=window),
        "on_time": Count("pk", filter=window & Q(status=PlanStatus.DONE, done_at__date__lte=F("due_date"))),
        "overdue": Count("pk", filter=open_overdue),
        "long_overdue": Count("pk", filter=open_overdue & Q(due_date__lt=today - timedelta(days=LONG_OVERDUE_DAYS))),
    }


def _punctual_plans(user, today: date):
    """The plans the on-time rate and the overdue count read: due in the window, or open and overdue."""
    start = today - timedelta(days=WINDOW_DAYS)
    return (
        MaintenancePlan.objects.visible_to(user)
        .filter(Q(due_date__gte=start, due_date__lt=today) | Q(status=PlanStatus.PLANNED, due_date__lt=start))
        .exclude(elevator_id__in=silent_elevators(user))
    )


def weekly_visits(user, today: date | None = None) -> list[dict]:
    """The visits made (records finished or confirmed, corrections not counted again) per week, Monday to Sunday,
    for the last 12 weeks including this one: one query grouped by day (at most 84 rows)."""
    today = today or timezone.localdate()
    first = today - timedelta(days=today.weekday(), weeks=WEEKS - 1)
    rows = (
        MaintenanceRecord.objects.visible_to(user)
        .filter(started_at__gte=_start_of(first), status__in=DONE_RECORDS, corrects__isnull=True)
        .annotate(day=TruncDate("started_at"))
        .order_by()
        .values("day")
        .annotate(n=Count("pk"))
    )
    counts = [0] * WEEKS
    for row in rows:
        index = (row["day"] - first).days // 7
        if 0 <= index < WEEKS:
            counts[index] += row["n"]
    return [{"week": first + timedelta(weeks=i), "count": n} for i, n in enumerate(counts)]


def _n(value: float) -> str:
    """An SVG coordinate as text (never a localised decimal comma)."""
    return f"{round(value, 1):g}"


def visits_chart(weeks: list[dict]) -> dict:
    """An SVG bar chart drawn on the server (no script, no inline style): a 360 × 180 view box that scales to the
    screen's width; each bar carries its number above and a <title>; every other week is labelled below."""
    width, height, top, bottom, left = 360, 180, 18, 22, 4
    slot = (width - left) / len(weeks)
    peak = max((w["count"] for w in weeks), default=0) or 1
    plot = height - top - bottom
    bars = []
    for i, week in enumerate(weeks):
        h = plot * week["count"] / peak
        x = left + i * slot + slot * 0.15
        bars.append(
            {
                "x": _n(x),
                "y": _n(top + plot - h),
                "width": _n(slot * 0.7),
                "height": _n(h),
                "count": week["count"],
                "week": week["week"],
                "label": f"{week['week'].month}/{week['week'].day}" if i % 2 == 0 else "",
                "cx": _n(x + slot * 0.35),
                "value_y": _n(top + plot - h - 4),
            }
        )
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "baseline": height - bottom,
        "label_y": height - bottom + 14,
        "total": sum(w["count"] for w in weeks),
    }


# --- per role -------------------------------------------------------------------------------------------------------


def company_figures(user, today: date | None = None) -> dict:
    """A maintenance company's administrators: warnings by level, visits due today and this week (to Sunday),
    records waiting for the use unit's confirmation, open problem reports, on-time rate and the weekly chart."""
    today = today or timezone.localdate()
    week_end = today + timedelta(days=6 - today.weekday())
    warnings = maintenance_warnings(user, today=today).aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)), near=Count("pk", filter=Q(due_date__gte=today))
    )
    due = (
        MaintenancePlan.objects.visible_to(user)
        .filter(status=PlanStatus.PLANNED, due_date__gte=today, due_date__lte=week_end)
        .aggregate(today=Count("pk", filter=Q(due_date=today)), week=Count("pk"))
    )
    records = (
        MaintenanceRecord.objects.visible_to(user)
        .filter(status=RecordStatus.FINISHED)
        .aggregate(waiting=Count("pk"), late=Count("pk", filter=Q(finished_at__lt=timezone.now() - CONFIRMATION_DUE)))
    )
    problems = (
        ProblemReport.objects.visible_to(user)
        .filter(status__in=OPEN_PROBLEMS)
        .aggregate(new=Count("pk", filter=Q(status=ProblemStatus.NEW)), open=Count("pk"))
    )
    punctual, weeks = _company_history(user, today)
    plans_url = reverse("maintenance:plan_list")
    warnings_url = reverse("alerts:maintenance")
    return {
        "warnings_overdue": warnings["overdue"],
        "warnings_near": warnings["near"],
        "warnings_overdue_url": f"{warnings_url}?level=overdue",
        "warnings_near_url": f"{warnings_url}?level=near",
        "due_today": due["today"],
        "due_week": due["week"],
        "due_today_url": f"{plans_url}?status=planned&due_after={today}&due_before={today}",
        "due_week_url": f"{plans_url}?status=planned&due_after={today}&due_before={week_end}",
        "week_end": week_end,
        "records_waiting": records["waiting"],
        "records_late": records["late"],
        "records_url": reverse("records:list") + f"?status={RecordStatus.FINISHED}",
        "problems_open": problems["open"],
        "problems_new": problems["new"],
        "problems_url": reverse("elevators:problem_list") + f"?status={ProblemStatus.NEW}",
        "on_time_rate": on_time_rate(punctual["due"], punctual["on_time"]),
        "visits_due": punctual["due"],
        "visits_on_time": punctual["on_time"],
        "weeks": weeks,
        "chart": visits_chart(weeks),
    }


def worker_figures(user, today: date | None = None, *, listed: int = 10) -> dict:
    """A company's worker: the open visits of his groups overdue, due today and in the next 7 days (one aggregate),
    and the first of today's and the overdue ones (one query, at most `listed`)."""
    today = today or timezone.localdate()
    plans = MaintenancePlan.objects.visible_to(user).filter(status=PlanStatus.PLANNED)
    counts = plans.filter(due_date__lte=today + timedelta(days=7)).aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        today=Count("pk", filter=Q(due_date=today)),
        ahead=Count("pk", filter=Q(due_date__gt=today)),
    )
    visits = list(plans.filter(due_date__lte=today).select_related("elevator").order_by("-due_date", "id")[:listed])
    for plan in visits:
        plan.days_overdue = (today - plan.due_date).days
    return {
        **counts,
        "visits": visits,
        "more": max(0, counts["overdue"] + counts["today"] - len(visits)),
        "certificate": own_certificate_warning(user, today),
    }


def own_certificate_warning(user, today: date) -> dict | None:
    """人员证书到期预警 for the worker himself (one query): his current certificate (the one that ends last) when it
    ends within 60 days or has ended, or "missing" when he has none; None otherwise or for anyone but a maintenance
    worker."""
    from accounts.models import UserCategory, WorkerQualification
    from alerts import rules

    if getattr(user, "category", "") != UserCategory.MAINTENANCE_WORKER:
        return None
    current = (
        WorkerQualification.objects.filter(user_id=user.pk)
        .order_by(*WorkerQualification.CURRENT_FIRST)
        .values("certificate_number", "valid_until")
        .first()
    )
    until = current["valid_until"] if current else None
    level = rules.certificate_level(until, today)
    if level is None:
        return None
    return {
        "level": level,
        "missing": current is None,
        "number": current["certificate_number"] if current else "",
        "valid_until": until,
        "days": None if until is None else rules.days_left(until, today),
    }


def use_unit_figures(user, today: date | None = None) -> dict:
    """A use unit: its elevators by status, the records waiting for its signature, its elevators' warnings."""
    today = today or timezone.localdate()
    by_status = {
        row["status"]: row["n"]
        for row in Elevator.objects.visible_to(user).order_by().values("status").annotate(n=Count("pk"))
    }
    statuses = [
        {"status": value, "label": label, "count": by_status.get(value, 0)} for value, label in ElevatorStatus.choices
    ]
    to_sign = MaintenanceRecord.objects.visible_to(user).filter(status=RecordStatus.FINISHED).count()
    warnings = maintenance_warnings(user, today=today).aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)), near=Count("pk", filter=Q(due_date__gte=today))
    )
    elevators_url = reverse("elevators:list")
    for row in statuses:
        row["url"] = f"{elevators_url}?status={row['status']}"
    return {
        "statuses": statuses,
        "to_sign": to_sign,
        "to_sign_url": reverse("records:list") + f"?status={RecordStatus.FINISHED}",
        "warnings_overdue": warnings["overdue"],
        "warnings_near": warnings["near"],
        "warnings_url": reverse("alerts:maintenance"),
    }


# --- the bureaus' compliance table ---------------------------------------------------------------------------------


def _compliance_numbers(user, today: date) -> dict:
    """{(company_id, district_id): counts} over the bureau's area: five grouped queries."""
    cells: dict[tuple, dict] = {}

    def cell(company, district):
        return cells.setdefault(
            (company, district),
            {
                "elevators": 0,
                "due": 0,
                "on_time": 0,
                "overdue": 0,
                "long_overdue": 0,
                "visits": 0,
                "flagged": 0,
                "problems": 0,
            },
        )

    elevators = (
        Elevator.objects.visible_to(user)
        .exclude(status__in=SILENT_STATUSES)
        .filter(maintenance_company__isnull=False)
        .order_by()
        .values("maintenance_company_id", "region_id")
        .annotate(n=Count("pk"))
    )
    for row in elevators:
        cell(row["maintenance_company_id"], row["region_id"])["elevators"] = row["n"]
    plans = (
        _punctual_plans(user, today)
        .order_by()
        .values("organization_id", "elevator__region_id")
        .annotate(**_punctuality_counts(today))
    )
    for row in plans:
        target = cell(row["organization_id"], row["elevator__region_id"])
        for key in ("due", "on_time", "overdue", "long_overdue"):
            target[key] = row[key]
    records = (
        MaintenanceRecord.objects.visible_to(user)
        .filter(
            started_at__gte=_start_of(today - timedelta(days=WINDOW_DAYS)),
            status__in=DONE_RECORDS,
            corrects__isnull=True,
        )
        .order_by()
        .values("organization_id", "elevator__region_id")
        .annotate(visits=Count("pk"), flagged=Count("pk", filter=~Q(flags=[])))
    )
    for row in records:
        target = cell(row["organization_id"], row["elevator__region_id"])
        target["visits"], target["flagged"] = row["visits"], row["flagged"]
    problems = (
        ProblemReport.objects.visible_to(user)
        .filter(status__in=OPEN_PROBLEMS, elevator__maintenance_company__isnull=False)
        .order_by()
        .values("elevator__maintenance_company_id", "elevator__region_id")
        .annotate(n=Count("pk"))
    )
    for row in problems:
        cell(row["elevator__maintenance_company_id"], row["elevator__region_id"])["problems"] = row["n"]
    return cells


def _row(numbers: dict) -> dict:
    row = dict(numbers)
    row["rate"] = on_time_rate(row["due"], row["on_time"])
    row["grade"] = credit_grade(
        due=row["due"],
        on_time=row["on_time"],
        long_overdue=row["long_overdue"],
        elevators=row["elevators"],
        visits=row["visits"],
        flagged=row["flagged"],
    )
    return row


def _add(into: dict, numbers: dict) -> None:
    for key, value in numbers.items():
        into[key] = into.get(key, 0) + value


def _attention(row) -> tuple:
    """Worst first: D before A, no grade last; then the lower rate, then the larger company."""
    grade = row["grade"] or "Z"
    return ("DCBAZ".index(grade), row["rate"] if row["rate"] is not None else 101, -row["elevators"])


def compliance(user, today: date | None = None, *, refresh: bool = False) -> dict:
    """The compliance table of the companies working in a bureau's area (elevators, on-time rate over 90 days,
    overdue open visits, flagged records, open problem reports, grade), worst first and at most TABLE_ROWS of them;
    for a city bureau also the totals per district. Numbers cached five minutes per bureau (`refresh`: computed
    again and cached, as `refresh_bureau_figures` does ahead of the readers)."""
    today = today or timezone.localdate()
    scope = scope_for(user)
    key = f"home:compliance:{scope.organization_id}:{today.isoformat()}"
    cells = None if refresh else cache.get(key)
    if cells is None:
        cells = _compliance_numbers(user, today)
        cache.set(key, cells, CACHE_SECONDS)
    per_company: dict[int, dict] = {}
    per_district: dict[int, dict] = {}
    for (company, district), numbers in cells.items():
        _add(per_company.setdefault(company, {}), numbers)
        _add(per_district.setdefault(district, {}), numbers)
    rows = []
    for company, numbers in per_company.items():
        row = _row(numbers)
        row["company_id"] = company
        rows.append(row)
    rows.sort(key=_attention)
    shown = rows[:TABLE_ROWS]
    names = dict(Organization.objects.filter(pk__in=[r["company_id"] for r in shown]).values_list("pk", "name"))
    for row in shown:
        row["name"] = names.get(row["company_id"], "")
        row["url"] = reverse("organizations:detail", args=[row["company_id"]]) if row["company_id"] in names else ""
    districts = []
    if scope.area_is_city and per_district:
        regions = Region.objects.in_bulk([d for d in per_district if d is not None])
        for district_id, numbers in per_district.items():
            row = _row(numbers)
            region = regions.get(district_id)
            row["name"] = str(region) if region else ""
            row["code"] = region.code if region else ""
            districts.append(row)
        districts.sort(key=lambda r: r["code"])
    totals = (
        _row(
            {
                k: sum(r[k] for r in rows)
                for k in ("elevators", "due", "on_time", "overdue", "long_overdue", "visits", "flagged", "problems")
            }
        )
        if rows
        else None
    )
    grades = {grade: 0 for grade in GRADES}
    for row in rows:
        grades[row["grade"] or ""] += 1
    return {
        "rows": shown,
        "count": len(rows),
        "districts": districts,
        "totals": totals,
        "window": WINDOW_DAYS,
        "grades": grades,
        "charts": bureau_charts(grades, districts),
    }


# --- the bureaus' charts ------------------------------------------------------------------------------------------


def hbar_chart(bars: list[dict], peak: float, *, width: int = 360, label_width: int = 92) -> dict:
    """A horizontal bar chart drawn on the server, like `visits_chart`: one 22-unit row per bar with its label on
    the left and its text after the bar, in a view box (360 wide by default) that scales to the screen (a phone
    included); a chart for a narrow column takes a narrower box, so that its text is not scaled down.
    bars: [{label, value, text, tone, key}]; `tone` names the bar's colour class (chart-bar-<tone>)."""
    row, text_width = 22, 56
    plot = width - label_width - text_width
    peak = peak or 1
    out = []
    for i, bar in enumerate(bars):
        length = plot * min(bar["value"], peak) / peak
        out.append(
            {
                **bar,
                "y": _n(i * row + 4),
                "height": _n(row - 8),
                "x": label_width,
                "width": _n(length),
                "label_y": _n(i * row + row / 2 + 4),
                "text_x": _n(label_width + length + 4),
            }
        )
    return {"width": width, "height": max(len(bars), 1) * row, "bars": out, "label_x": label_width - 6}


GRADE_TONES = {"A": "a", "B": "b", "C": "c", "D": "d", "": "none"}


def bureau_charts(grades: dict, districts: list[dict]) -> dict:
    """信用等级分布 (companies per grade) and, for a city, 各区县按时维保率 (each district's on-time rate)."""
    grade_bars = [
        {
            "key": grade or "none",
            "label": grade or "—",
            "value": count,
            "text": str(count),
            "tone": GRADE_TONES[grade],
        }
        for grade, count in grades.items()
    ]
    # one letter per label, in a third of the page: a narrow box keeps its text as large as the districts'
    charts = {"grades": hbar_chart(grade_bars, max(grades.values(), default=0), width=240, label_width=28)}
    if districts:
        district_bars = [
            {
                "key": row["code"],
                "label": row["name"],
                "value": row["rate"] or 0,
                "text": "—" if row["rate"] is None else f"{row['rate']:.1f}%",
                "tone": GRADE_TONES[row["grade"] or ""],
            }
            for row in districts
        ]
        charts["districts"] = hbar_chart(district_bars, 100)
    return charts


# --- City scale (issue 17's performance requirement, bench/warning_bench.py) ------------------------------------


def _company_history(user, today: date) -> tuple[dict, list[dict]]:
    """A company's on-time figures over 90 days and its visits of the last 12 weeks: for 20,000 elevators that is
    130,000 plans and 110,000 records to read (0.3 s each on PostgreSQL), and they move by a day's visits, so they
    are cached five minutes per company, as the bureaus' table is (only a company's administrators, who read the
    whole company's plans, see them)."""
    key = f"home:company:{scope_for(user).organization_id}:{today.isoformat()}"
    cached = cache.get(key)
    if cached is None:
        cached = (_punctual_plans(user, today).aggregate(**_punctuality_counts(today)), weekly_visits(user, today))
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def refresh_bureau_figures(today: date | None = None) -> int:
    """Compute every active bureau's compliance numbers and warning counts into the cache, ahead of its readers: a
    city's table reads millions of plans and records (seconds at 300,000 elevators, bench/README.md), which no
    reader should wait for. Celery beat runs it every four minutes, inside the five minutes the numbers are cached
    (`manage.py refresh_dashboards` from cron in the embedded mode). Each bureau is read as one of its active
    administrators, so the numbers are exactly those its people are shown. Returns the bureaus refreshed."""
    from accounts.models import User, UserRole
    from alerts.summary import warning_summary
    from organizations.models import OrganizationKind

    today = today or timezone.localdate()
    firsts = {}  # the first active administrator of each active bureau (a few dozen bureaus)
    for person in User.objects.filter(
        is_active=True,
        role=UserRole.ADMIN,
        organization__kind=OrganizationKind.REGULATOR,
        organization__is_active=True,
    ).order_by("organization_id", "pk"):
        firsts.setdefault(person.organization_id, person)
    readers = list(firsts.values())
    done = 0
    for person in readers:
        compliance(person, today, refresh=True)
        warning_summary(person, today, refresh=True)
        done += 1
    return done
