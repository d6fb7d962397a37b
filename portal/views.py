"""The home page (平台首页): who you are and what you may see, counted; and the public pages: 区县局 (the district
bureaus' phones and addresses) and 办事指南 (the pilot application's guide)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import accounts_to_acknowledge
from alerts.summary import warning_summary
from applications.models import Application, ApplicationStatus
from applications.policies import FILING_KINDS
from core.policies import can
from core.tenancy import scope_for
from elevators.models import Elevator
from organizations.models import Organization, OrganizationKind, Region, RegionLevel
from pilot.models import IN_PROGRESS as PILOT_IN_PROGRESS
from pilot.models import PilotApplication
from portal import dashboard


@login_required
def home(request):
    user = request.user
    counts = _cached_organization_counts(user)
    cards = [
        {"label": label, "count": counts.get(kind, 0), "kind": kind}
        for kind, label in OrganizationKind.choices
        if kind != OrganizationKind.OPERATOR
    ]
    show_users = can(user, "list", "accounts.User")
    context = {
        "elevator_count": _cached_elevator_count(user),
        "scope": scope_for(user),
        "organization": user.organization,
        "org_cards": cards,
        "show_users": show_users,
        "user_count": User.objects.visible_to(user).count(),
        # accounts of the user's unit that another unit opened, until an administrator acknowledges them
        "to_acknowledge": accounts_to_acknowledge(user) if show_users else [],
        "application_cards": _application_cards(user),
    }
    context.update(_dashboard(user))
    return render(request, "portal/home.html", context)


def _dashboard(user) -> dict:
    """首页看板: the figures of the person's role (`portal/dashboard.py`)."""
    role = dashboard.role_of(user)
    context = {"role": role, "warning_summary": [] if role == "worker" else warning_summary(user)}
    if role == "company":
        context["company"] = dashboard.company_figures(user)
        context["window_days"] = dashboard.WINDOW_DAYS
    elif role == "worker":
        context["worker"] = dashboard.worker_figures(user)
    elif role == "use_unit":
        context["use_unit"] = dashboard.use_unit_figures(user)
    elif role == "bureau":
        context["compliance"] = dashboard.compliance(user)
        context["grade_rules"] = dashboard.GRADE_RULES
        context["long_overdue_days"] = dashboard.LONG_OVERDUE_DAYS
        context["table_rows"] = dashboard.TABLE_ROWS
    return context


def _cached_elevator_count(user) -> int:
    """Counting a city's 300,000 elevators on every home page is waste: five minutes of cache per tenant."""
    scope = scope_for(user)
    key = f"home:elevators:{'operator' if scope.is_operator else scope.organization_id}"
    count = cache.get(key)
    if count is None:
        count = Elevator.objects.visible_to(user).count()
        cache.set(key, count, 300)
    return count


def _cached_organization_counts(user) -> dict:
    """The units a person may see, by kind: for a district bureau the units working in its district are found
    through its 57,000 elevators (150 ms at 300,000 elevators, bench/README.md); cached five minutes per tenant, as
    the elevator count is."""
    scope = scope_for(user)
    key = f"home:organizations:{'operator' if scope.is_operator else scope.organization_id}"
    counts = cache.get(key)
    if counts is None:
        counts = {row["kind"]: row["n"] for row in _count_by_kind(Organization.objects.visible_to(user))}
        cache.set(key, counts, 300)
    return counts


def _application_cards(user) -> list[dict]:
    """监管申请 that wait for this person: a bureau's to review (routed to it, 待审核); a company's or use unit's
    administrators' own applications returned to them (已退回) or under review (审核中). One query per person."""
    scope = scope_for(user)
    if scope.is_operator or not scope.organization_id:
        return []
    if scope.kind == "regulator" and can(user, "decide", Application):
        # the rows a bureau decides: routed to it (`regulator`), never a draft
        waiting = Application.objects.restrict(user, "decide").filter(status=ApplicationStatus.SUBMITTED).count()
        url = reverse("applications:review_queue")
        # the pilot applications routed to it and not finished (待受理, 已受理, 已审核)
        pilots = PilotApplication.objects.restrict(user, "change").filter(status__in=PILOT_IN_PROGRESS).count()
        return [
            {
                "key": "applications_to_review",
                "label": _("待审核申请"),
                "count": waiting,
                "url": url,
                "attention": waiting > 0,
            },
            {
                "key": "pilots_to_handle",
                "label": _("待办理的试点申请"),
                "count": pilots,
                "url": reverse("pilot:queue"),
                "attention": pilots > 0,
            },
        ]
    if scope.kind in FILING_KINDS and can(user, "add", Application):
        returned, submitted = ApplicationStatus.RETURNED, ApplicationStatus.SUBMITTED
        # the applicant's rows (its own applications), both counts in one aggregate
        counts = (
            Application.objects.changeable_by(user)
            .filter(status__in=(returned, submitted))
            .aggregate(
                returned=Count("pk", filter=Q(status=returned)), submitted=Count("pk", filter=Q(status=submitted))
            )
        )
        url = reverse("applications:list")
        return [
            {
                "key": "applications_returned",
                "label": _("已退回的申请"),
                "count": counts["returned"],
                "url": f"{url}?status={returned}",
                "attention": counts["returned"] > 0,
            },
            {
                "key": "applications_submitted",
                "label": _("审核中的申请"),
                "count": counts["submitted"],
                "url": f"{url}?status={submitted}",
            },
        ]
    return []


def _count_by_kind(queryset):
    return queryset.order_by().values("kind").annotate(n=Count("pk"))


def bureaus(request):
    """区县局 (public): each district bureau of the platform with its phone and address, grouped by city, the city
    bureau first; then the platform operator (技术支持). The seed sends units that cannot log in here."""
    regulators = (
        Organization.objects.filter(
            kind=OrganizationKind.REGULATOR,
            is_active=True,
            jurisdiction__level__in=[RegionLevel.CITY, RegionLevel.DISTRICT],
        )
        .select_related("jurisdiction__parent")
        .order_by("jurisdiction__code", "name")
    )
    cities = {}
    for bureau in regulators:
        area = bureau.jurisdiction
        city = area if area.level == RegionLevel.CITY else area.parent
        if city is None:
            continue
        group = cities.setdefault(city.code, {"city": city, "city_bureaus": [], "district_bureaus": []})
        group["city_bureaus" if area.level == RegionLevel.CITY else "district_bureaus"].append(bureau)
    groups = [group for _code, group in sorted(cities.items()) if group["district_bureaus"] or group["city_bureaus"]]
    operators = Organization.objects.filter(kind=OrganizationKind.OPERATOR, is_active=True).order_by("name")
    return render(request, "portal/bureaus.html", {"groups": groups, "operators": operators})


def pilot_guide(request):
    """办事指南 (public): how to apply for the improved-maintenance pilot on the platform, and the pilot's
    requirements (the same include the application form shows)."""
    pilot_districts = Region.objects.filter(level=RegionLevel.DISTRICT, in_pilot=True).select_related("parent")
    context = {
        "pilot_districts": pilot_districts.order_by("code"),
        "upload_max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "portal/pilot_guide.html", context)
