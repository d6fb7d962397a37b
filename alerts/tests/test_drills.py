"""应急演练预警 (kind drill) and 年度自行检查预警 (kind selfcheck): the rules at their edges, who sees which rows,
the pages and the API."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from alerts import rules, services
from drills.tests.helpers import make_drill
from elevators.models import Elevator
from records.models import MaintenanceRecord
from tests.factories import make_elevator

pytestmark = pytest.mark.django_db

TODAY = date.today()


# --- rules ------------------------------------------------------------------------------------------------------


def test_a_drill_is_due_six_calendar_months_later():
    assert rules.drill_due(date(2026, 6, 6), date(2020, 1, 1)) == date(2026, 12, 6)
    assert rules.drill_due(date(2026, 8, 31), date(2020, 1, 1)) == date(2027, 2, 28)
    assert rules.drill_due(date(2027, 8, 31), date(2020, 1, 1)) == date(2028, 2, 29)
    assert rules.drill_due(None, date(2026, 3, 10)) == date(2026, 9, 10)  # never drilled: from the ledger


def test_the_drill_level_at_its_edges():
    due = rules.drill_due(date(2026, 6, 6), date(2020, 1, 1))
    assert rules.drill_level(due, date(2026, 12, 6)) == rules.NEAR  # exactly six months: the last day
    assert rules.drill_level(due, date(2026, 12, 7)) == rules.OVERDUE  # the day after
    assert rules.drill_level(due, due - timedelta(days=30)) == rules.NEAR  # the window's first day
    assert rules.drill_level(due, due - timedelta(days=31)) is None


# --- 应急演练预警 ----------------------------------------------------------------------------------------------------


def entered(elevator, days_ago):
    Elevator.objects.filter(pk=elevator.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    elevator.refresh_from_db()
    return elevator


def rows_of(user, **kwargs):
    return {(row.organization_id, row.category): row for row in services.drill_warnings(user, **kwargs)}


def test_each_category_of_a_company_is_one_row(world):
    traction = entered(make_elevator(world), 400)
    entered(make_elevator(world), 400)
    escalator = entered(make_elevator(world, category="3310"), 210)  # never drilled, 7 months in the ledger
    entered(make_elevator(world, category="3430"), 10)  # a new dumbwaiter: not due for six months
    held = TODAY - timedelta(days=170)
    drill = make_drill(world, elevators=[traction], held_on=held)
    rows = rows_of(world.admin_a)
    assert set(rows) == {(world.company_a.pk, "traction"), (world.company_a.pk, "escalator")}
    near = rows[(world.company_a.pk, "traction")]
    assert (near.level, near.last_drill, near.elevator_count) == (rules.NEAR, held, 2)
    assert near.due_date == rules.add_months(held, 6) and near.category_label == "曳引与强制驱动电梯"
    late = rows[(world.company_a.pk, "escalator")]
    assert late.level == rules.OVERDUE and late.last_drill is None
    assert late.due_date == rules.add_months(timezone.localdate(escalator.created_at), 6)
    assert services.attach_last_drill_ids([near])[0].last_drill_id == drill.pk
    every = rows_of(world.admin_a, every=True)
    assert every[(world.company_a.pk, "dumbwaiter")].level is None
    assert set(rows_of(world.admin_a, level=rules.OVERDUE)) == {(world.company_a.pk, "escalator")}
    assert set(rows_of(world.admin_a, category="traction")) == {(world.company_a.pk, "traction")}


def test_a_drill_clears_the_warning_and_suspended_elevators_do_not_count(world):
    escalator = entered(make_elevator(world, category="3310"), 300)
    walk = entered(make_elevator(world, category="3320"), 300)
    assert (world.company_a.pk, "escalator") in rows_of(world.admin_a)
    make_drill(world, elevators=[walk], held_on=TODAY - timedelta(days=1))
    assert rows_of(world.admin_a) == {}  # a moving walk's drill covers the escalator category
    hydraulic = entered(make_elevator(world, category="3210"), 300)
    Elevator.objects.filter(pk=hydraulic.pk).update(status="suspended")
    assert rows_of(world.admin_a) == {}
    assert escalator.pk


def test_a_future_or_other_companys_drill_does_not_count(world):
    theirs = entered(
        make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107"), 300
    )
    mine = entered(make_elevator(world), 300)
    make_drill(world, company=world.company_b, elevators=[theirs], held_on=TODAY)
    assert rows_of(world.admin_a)[(world.company_a.pk, "traction")].level == rules.OVERDUE
    assert rows_of(world.admin_b) == {}
    assert mine.pk


def test_who_sees_which_rows(world):
    entered(make_elevator(world), 300)
    entered(make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107"), 300)
    a, b = (world.company_a.pk, "traction"), (world.company_b.pk, "traction")
    assert set(rows_of(world.admin_a)) == set(rows_of(world.worker_a)) == {a}
    assert set(rows_of(world.admin_b)) == {b}
    assert set(rows_of(world.use_admin_a)) == {a} and set(rows_of(world.use_admin_b)) == {b}
    assert set(rows_of(world.yubei_admin)) == {a} and set(rows_of(world.jlp_admin)) == {b}
    assert set(rows_of(world.city_admin)) == set(rows_of(world.operator)) == {a, b}
    assert rows_of(world.sz_admin) == {}


def test_the_drill_page_shows_the_rows_and_the_button_to_record(world, client_for):
    entered(make_elevator(world, category="3310"), 300)
    page = client_for(world.admin_a).get("/alerts/drill/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "自动扶梯与自动人行道" in html and "未演练" in html and 'data-level="overdue"' in html
    assert 'href="/drills/new/?category=escalator"' in html
    assert "/drills/new/" not in client_for(world.worker_a).get("/alerts/drill/").content.decode()
    assert "/drills/new/" not in client_for(world.yubei_admin).get("/alerts/drill/").content.decode()
    export = client_for(world.admin_a).get("/alerts/drill/", {"export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "甲维保公司,自动扶梯与自动人行道,1," in text
    filtered = client_for(world.admin_a).get("/alerts/drill/", {"level": "near"}).context["object_list"]
    assert filtered == []


def test_the_drill_page_pages_its_rows(world, client_for, monkeypatch):
    from alerts.views import DrillWarningListView

    monkeypatch.setattr(DrillWarningListView, "page_size", 1)
    entered(make_elevator(world), 300)
    entered(make_elevator(world, category="3310"), 300)
    client = client_for(world.admin_a)
    first = client.get("/alerts/drill/")
    assert len(first.context["object_list"]) == 1 and first.context["page"].next_cursor == "1"
    second = client.get("/alerts/drill/", {"cursor": "1"})
    assert second.context["object_list"][0].pk != first.context["object_list"][0].pk
    assert client.get("/alerts/drill/", {"cursor": "99"}).context["object_list"] == first.context["object_list"]


def test_the_api_gives_drill_rows(world, api):
    traction = entered(make_elevator(world), 400)
    drill = make_drill(world, elevators=[traction], held_on=TODAY - timedelta(days=200))
    rows = api(world.admin_a)("GET", "/warnings?kind=drill").json()["items"]
    assert rows == [
        {
            **rows[0],
            "id": f"{world.company_a.pk}-traction",
            "kind": "drill",
            "organization": world.company_a.pk,
            "category": "traction",
            "elevator_count": 1,
            "last_drill": drill.held_on.isoformat(),
            "last_drill_id": drill.pk,
            "due_date": rules.add_months(drill.held_on, 6).isoformat(),
            "level": "overdue",
            "elevator": None,
        }
    ]
    assert api(world.admin_b)("GET", "/warnings?kind=drill").json()["items"] == []
    assert api(world.admin_a)("GET", "/warnings?kind=drill&level=near").json()["items"] == []
    later = (TODAY + timedelta(days=1)).isoformat()
    assert api(world.admin_a)("GET", f"/warnings?kind=drill&due_after={later}").json()["items"] == []


# --- 年度自行检查预警 -------------------------------------------------------------------------------------------


def periodic_elevator(world, offset: int, *, periodic=True, company=None, status=None):
    """An elevator whose next inspection (the ledger's) is `offset` days away and falls in a periodic year (7th
    after installation) or, `periodic=False`, in a self-inspection year (2nd)."""
    company = company or world.company_a
    elevator = make_elevator(
        world,
        company=company,
        use_unit=world.use_unit_a if company == world.company_a else world.use_unit_b,
        region_code="500112" if company == world.company_a else "500107",
    )
    due = TODAY + timedelta(days=offset)
    installed = date(due.year - (7 if periodic else 2), due.month, 1)
    Elevator.objects.filter(pk=elevator.pk).update(
        next_inspection_date=due, installation_date=installed, **({"status": status} if status else {})
    )
    elevator.refresh_from_db()
    return elevator


def annual_record(elevator, day: date, status="finished", cycle="annual"):
    return MaintenanceRecord.objects.create(
        organization_id=elevator.maintenance_company_id,
        elevator=elevator,
        cycle=cycle,
        work_type="OY",
        status=status,
        started_at=timezone.make_aware(datetime.combine(day, time(9, 0))),
        hazard_codes=["S0"],
    )


def selfcheck_ids(user, **kwargs):
    return set(services.selfcheck_warnings(user, **kwargs).values_list("pk", flat=True))


def test_selfcheck_lists_periodic_inspections_within_60_days_without_an_annual_record(world):
    near = periodic_elevator(world, 60)
    overdue = periodic_elevator(world, -5)
    periodic_elevator(world, 61)  # outside the window
    periodic_elevator(world, 20, periodic=False)  # a self-inspection year: 年检预警 only
    periodic_elevator(world, 20, status="suspended")
    assert selfcheck_ids(world.admin_a) == {near.pk, overdue.pk}
    assert selfcheck_ids(world.admin_a, level=rules.OVERDUE) == {overdue.pk}
    assert selfcheck_ids(world.admin_b) == set()


def test_an_annual_record_within_12_months_before_the_inspection_clears_it(world):
    done = periodic_elevator(world, 30)
    annual_record(done, rules.add_months(done.next_inspection_date, -12))  # exactly 12 months before: counts
    old = periodic_elevator(world, 30)
    annual_record(old, rules.add_months(old.next_inspection_date, -12) - timedelta(days=1))
    unfinished = periodic_elevator(world, 30)
    annual_record(unfinished, TODAY, status="in_progress")
    quarterly = periodic_elevator(world, 30)
    annual_record(quarterly, TODAY, cycle="quarter")
    confirmed = periodic_elevator(world, 30)
    annual_record(confirmed, TODAY - timedelta(days=3), status="confirmed")
    found = services.selfcheck_warnings(world.admin_a)
    assert {e.pk for e in found} == {old.pk, unfinished.pk, quarterly.pk}
    last = {e.pk: e.last_annual for e in found}
    assert timezone.localdate(last[old.pk]) == rules.add_months(old.next_inspection_date, -12) - timedelta(days=1)


def test_the_selfcheck_page_and_api(world, client_for, api):
    elevator = periodic_elevator(world, 10)
    page = client_for(world.admin_a).get("/alerts/selfcheck/")
    assert page.status_code == 200 and elevator.register_code in page.content.decode()
    assert "定期检验" in page.content.decode()
    rows = api(world.admin_a)("GET", "/warnings?kind=selfcheck").json()["items"]
    assert [(r["id"], r["level"], r["days"], r["inspection_kind"], r["last_annual"]) for r in rows] == [
        (elevator.pk, "near", 10, "periodic", None)
    ]
    assert api(world.admin_b)("GET", "/warnings?kind=selfcheck").json()["items"] == []
    assert elevator.register_code not in client_for(world.admin_b).get("/alerts/selfcheck/").content.decode()
