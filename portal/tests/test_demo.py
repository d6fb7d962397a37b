import pytest
from django.core.management import call_command

from accounts.models import User
from elevators.models import Elevator
from organizations.models import Organization
from portal.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_demo_data_loads_once_and_its_accounts_log_in(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    counts = (Organization.objects.count(), User.objects.count(), Elevator.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert (Organization.objects.count(), User.objects.count(), Elevator.objects.count()) == counts
    assert counts[2] == 22 and Elevator.objects.filter(device_category="3310").exists()
    assert Elevator.objects.visible_to(User.objects.get(username="mc1_admin")).count() == 12
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert kinds >= {
        "maintenance_company",
        "use_unit",
        "manufacturer",
        "rescue_unit",
        "inspection_institute",
        "regulator",
    }
    assert Organization.objects.filter(kind="regulator", jurisdiction__code="500000").exists()
    assert Organization.objects.filter(kind="regulator", jurisdiction__parent__code="500000").count() == 38
    for username in ["admin", "cq_city", "cq_yubei", "mc1_admin", "mc1_worker1", "uu1_admin", "rescue_admin"]:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD) and not user.must_change_password
    for org in Organization.objects.all():
        org.full_clean()  # valid credit codes, phones and regions


def test_the_demo_has_groups_and_a_year_of_plans():
    from maintenance import schedule
    from maintenance.models import GroupAssignment, MaintenanceGroup, MaintenancePlan

    call_command("load_demo", stdout=open("/dev/null", "w"))
    plans = MaintenancePlan.objects.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert MaintenancePlan.objects.count() == plans and MaintenanceGroup.objects.count() == 2
    assert GroupAssignment.objects.count() == Elevator.objects.count() == 22
    worker = User.objects.get(username="mc1_worker2")
    assert (
        MaintenancePlan.objects.visible_to(worker).count()
        == MaintenancePlan.objects.filter(organization=worker.organization).count()
        > 12 * 5
    )
    for elevator in Elevator.objects.all():
        dates = list(elevator.maintenance_plans.order_by("due_date").values_list("due_date", flat=True))
        last = elevator.maintenance_plans.order_by("due_date").last()
        assert last.cycle == "annual" and max(schedule.gaps(dates)) <= 15


def test_the_demo_follows_who_may_act_on_whom():
    """uu3 is served by both demo companies: each reads it, neither changes it, its people or its elevators' company."""
    from core.policies import can

    call_command("load_demo", stdout=open("/dev/null", "w"))
    people = {u.username: u for u in User.objects.all()}
    uu3 = people["uu3_admin"].organization
    shared = Elevator.objects.filter(use_unit=uu3, maintenance_company=people["mc1_admin"].organization).first()
    for company_admin in ("mc1_admin", "mc2_admin"):
        user = people[company_admin]
        assert can(user, "view", uu3) and not can(user, "change", uu3)
        assert not can(user, "add", User(organization=uu3))
        assert not can(user, "reset_password", people["uu3_admin"])
    assert can(people["uu3_admin"], "change", uu3) and can(people["uu3_admin"], "add", User(organization=uu3))
    assert can(people["rescue_admin"], "view", shared.maintenance_company)  # the rescue centre calls the company
    assert not any(u.created_elsewhere for u in people.values())  # nothing for the demo admins to acknowledge


def test_the_demo_has_records_a_doubtful_one_one_awaiting_and_a_repair(client):
    from records.models import MaintenanceRecord, Repair
    from records.seal import verify_chain

    call_command("load_demo", stdout=open("/dev/null", "w"))
    call_command("load_demo", stdout=open("/dev/null", "w"))
    records = MaintenanceRecord.objects.order_by("started_at")
    assert [r.status for r in records] == ["confirmed", "confirmed", "confirmed", "finished"]
    assert [r.flags for r in records] == [[], [], ["too_short"], []]
    assert Repair.objects.get().record_item.result == "abnormal"
    company = records[0].organization
    assert not verify_chain(company.pk)  # sealed in one chain, nothing to report
    client.force_login(User.objects.get(username="uu1_admin"))
    assert client.get(f"/records/{records[3].pk}/").status_code == 200
