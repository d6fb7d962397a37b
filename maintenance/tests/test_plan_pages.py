"""维保计划 pages and API: 新增 with its preview, the background job, the calendar, the elevator's panel."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maintenance import schedule
from maintenance.models import GroupAssignment, MaintenanceGroup, MaintenancePlan, PlanJob
from maintenance.services import plans
from maintenance.views import plans as plan_views
from tests.factories import make_elevator, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def start_nine_months_back():
    return schedule.add_months(timezone.localdate(), -9)


def test_new_plan_previews_the_year_then_generates_one_elevator(world, client_for):
    elevator = make_elevator(world)
    client = client_for(world.admin_a)
    page = client.get(reverse("maintenance:plan_create") + f"?register_code={elevator.register_code}")
    assert page.status_code == 200 and elevator.register_code in page.content.decode()
    data = {"start_date": start_nine_months_back().isoformat(), "register_code": elevator.register_code}
    preview = client.post(reverse("maintenance:plan_create"), {**data, "preview": "1"})
    assert preview.status_code == 200 and preview.context["matched"] == 1
    visits = preview.context["visits"]
    assert visits[-1][0].cycle == "annual" and preview.context["future_count"] == sum(f for _v, f in visits)
    assert not MaintenancePlan.objects.exists()
    done = client.post(reverse("maintenance:plan_create"), {**data, "confirm": "1"})
    assert done.status_code == 302 and "calendar" in done.url
    assert MaintenancePlan.objects.filter(elevator=elevator).count() == preview.context["future_count"]


def test_new_plan_says_what_is_wrong(world, client_for):
    client = client_for(world.admin_a)
    response = client.post(reverse("maintenance:plan_create"), {"start_date": "2020-01-01", "confirm": "1"})
    assert response.status_code == 200 and "一年" in response.content.decode()
    response = client.post(reverse("maintenance:plan_create"), {"start_date": "明天", "confirm": "1"})
    assert response.status_code == 200 and response.context["form"].errors["start_date"]
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("maintenance:plan_create"), {"start_date": today, "register_code": "不存在", "confirm": "1"}
    )
    assert response.status_code == 200 and "没有符合条件" in response.content.decode()
    assert not MaintenancePlan.objects.exists()


def test_a_filtered_selection_runs_as_a_job_with_its_progress(world, client_for):
    mine = [make_elevator(world, building="幸福里") for _ in range(3)]
    make_elevator(world, building="别处花园")
    suspended = make_elevator(world, building="幸福里")
    type(suspended).objects.filter(pk=suspended.pk).update(status="suspended")
    make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107", building="幸福里")
    client = client_for(world.admin_a)
    data = {"start_date": start_nine_months_back().isoformat(), "building": "幸福里", "confirm": "1"}
    response = client.post(reverse("maintenance:plan_create"), data)
    job = PlanJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert sorted(job.elevator_ids) == sorted(e.pk for e in mine)  # not the suspended one, not company B's
    plans.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.processed == 3 and job.percent == 100
    assert job.created_plans == MaintenancePlan.objects.count() > 3
    page = client.get(job.get_absolute_url())
    assert "plan-job-done" in page.content.decode()
    partial = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert partial.status_code == 200 and 'id="plan-job-progress"' in partial.content.decode()


def test_a_job_lists_elevators_that_left_the_company_meanwhile(world):
    elevators = [make_elevator(world) for _ in range(2)]
    job = PlanJob.objects.create(
        organization=world.company_a,
        created_by=world.admin_a,
        start_date=timezone.localdate(),
        elevator_ids=[e.pk for e in elevators],
        total=2,
    )
    type(elevators[0]).objects.filter(pk=elevators[0].pk).update(maintenance_company=world.company_b)
    plans.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and [row[1] for row in job.skipped] == [elevators[0].register_code]
    assert not MaintenancePlan.objects.filter(elevator=elevators[0]).exists()


def test_the_calendar_shows_a_month_per_elevator_group_or_worker(world, client_for, monkeypatch):
    elevator = make_elevator(world)
    group = MaintenanceGroup.objects.create(organization=world.company_a, name="一组", leader=world.admin_a)
    group.members.add(world.worker_a)
    GroupAssignment.objects.create(elevator=elevator, group=group)
    plans.generate_year(elevator, timezone.localdate(), actor=world.admin_a, avoid=frozenset())
    month = timezone.localdate().strftime("%Y-%m")
    url = reverse("maintenance:plan_calendar")
    for client, query in (
        (client_for(world.admin_a), f"?month={month}&elevator={elevator.register_code}"),
        (client_for(world.admin_a), f"?month={month}&group={group.pk}"),
        (client_for(world.worker_a), f"?month={month}"),
        (client_for(world.use_admin_a), f"?month={month}"),
    ):
        page = client.get(url + query)
        assert page.status_code == 200
        assert 'data-testid="calendar-plan"' in page.content.decode(), query
    assert 'data-testid="calendar-plan"' not in client_for(world.admin_b).get(url).content.decode()
    monkeypatch.setattr(plan_views, "CALENDAR_DETAIL_LIMIT", 0)
    page = client_for(world.admin_a).get(url + f"?month={month}")
    assert 'data-testid="calendar-count"' in page.content.decode()


def test_the_calendar_reads_a_bad_month_as_this_month(world, client_for):
    page = client_for(world.admin_a).get(reverse("maintenance:plan_calendar") + "?month=2026-13")
    assert page.status_code == 200 and page.context["month"] == timezone.localdate().replace(day=1)


def test_calendar_queries_are_bounded(world, client_for, django_assert_max_num_queries):
    for _ in range(3):
        plans.generate_year(make_elevator(world), timezone.localdate(), actor=world.admin_a, avoid=frozenset())
    client = client_for(world.admin_a)
    client.get(reverse("maintenance:plan_calendar"))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("maintenance:plan_calendar")).status_code == 200


def test_the_elevator_page_shows_its_next_visits(world, client_for):
    elevator = make_elevator(world)
    plans.generate_year(elevator, timezone.localdate(), actor=world.admin_a, avoid=frozenset())
    page = client_for(world.admin_a).get(elevator.get_absolute_url()).content.decode()
    assert 'data-testid="elevator-plans"' in page and 'data-testid="plan-this-elevator"' in page
    page = client_for(world.use_admin_a).get(elevator.get_absolute_url()).content.decode()
    assert 'data-testid="elevator-plans"' in page and 'data-testid="plan-this-elevator"' not in page


def test_the_list_defaults_to_the_visits_to_come(world, client_for):
    elevator = make_elevator(world)
    plans.generate_year(elevator, timezone.localdate() - timedelta(days=40), actor=world.admin_a, avoid=frozenset())
    MaintenancePlan.objects.create(
        organization=world.company_a,
        elevator=elevator,
        year_start=date(2025, 1, 1),
        position=1,
        cycle="half_month",
        due_date=timezone.localdate() - timedelta(days=3),
        original_date=timezone.localdate() - timedelta(days=3),
    )
    client = client_for(world.admin_a)
    upcoming = client.get(reverse("maintenance:plan_list"))
    assert all(p.due_date >= timezone.localdate() for p in upcoming.context["object_list"])
    overdue = client.get(reverse("maintenance:plan_list") + "?when=overdue")
    assert [p.due_date for p in overdue.context["object_list"]] == [timezone.localdate() - timedelta(days=3)]


# --- API -----------------------------------------------------------------------------------------------------


def test_api_generates_at_once_or_as_a_job(world, api, monkeypatch):
    elevators = [make_elevator(world) for _ in range(2)]
    client = api(world.admin_a)
    body = {"elevator_ids": [e.pk for e in elevators], "start_date": timezone.localdate().isoformat()}
    response = client("POST", "/maintenance/plans", body)
    assert response.status_code == 201, response.content
    assert response.json()["created"] == MaintenancePlan.objects.count() > 40
    monkeypatch.setattr("maintenance.api.SYNC_LIMIT", 1)
    response = client("POST", "/maintenance/plans", body)
    assert response.status_code == 202 and response.json()["job"]["total"] == 2
    job_id = response.json()["job"]["id"]
    assert client("GET", f"/maintenance/plans/jobs/{job_id}").json()["status"] == "queued"
    assert api(world.admin_b)("GET", f"/maintenance/plans/jobs/{job_id}").status_code == 404


def test_api_refuses_another_companys_elevator_and_bad_dates(world, api):
    other = make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    client = api(world.admin_a)
    body = {"elevator_ids": [other.pk], "start_date": timezone.localdate().isoformat()}
    assert client("POST", "/maintenance/plans", body).status_code == 404
    mine = make_elevator(world)
    response = client("POST", "/maintenance/plans", {"elevator_ids": [mine.pk], "start_date": "2019-01-01"})
    assert response.status_code == 422 and "一年" in str(response.json())
    assert api(world.worker_a)("POST", "/maintenance/plans", body).status_code == 403
    assert not MaintenancePlan.objects.exists()


def test_api_filters_and_moves(world, api):
    elevator = make_elevator(world)
    plans.generate_year(elevator, timezone.localdate(), actor=world.admin_a, avoid=frozenset())
    client = api(world.admin_a)
    listed = client("GET", f"/maintenance/plans?elevator={elevator.pk}&cycle=annual").json()
    assert [row["cycle"] for row in listed["items"]] == ["annual"]
    soon = (timezone.localdate() + timedelta(days=20)).isoformat()
    early = client("GET", f"/maintenance/plans?due_before={soon}").json()["items"]
    assert early and all(row["due_date"] <= soon for row in early)
    rows = list(MaintenancePlan.objects.filter(elevator=elevator).order_by("due_date"))
    far = (rows[1].due_date + timedelta(days=30)).isoformat()
    refused = client("POST", f"/maintenance/plans/{rows[2].pk}/move", {"due_date": far, "reason": "x"})
    assert refused.status_code == 422
    assert client("POST", f"/maintenance/plans/{rows[2].pk}/move", {"reason": "x"}).status_code == 422
    assert api(world.worker_a)("POST", f"/maintenance/plans/{rows[2].pk}/move", {"reason": "x"}).status_code == 404
