import pytest
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from accounts.models import User
from elevators.models import Elevator
from organizations.models import Organization
from portal.demo import DEMO_PASSWORD, load_demo

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
    assert [r.status for r in records] == ["confirmed", "confirmed", "confirmed", "finished", "finished"]
    assert [r.flags for r in records] == [[], [], ["too_short"], [], []]
    assert Repair.objects.get().record_item.result == "abnormal"
    company = records[0].organization
    assert not verify_chain(company.pk)  # sealed in one chain, nothing to report
    client.force_login(User.objects.get(username="uu1_admin"))
    assert client.get(f"/records/{records[3].pk}/").status_code == 200


def _snapshot():
    from applications.models import Application
    from core.models import Attachment, AuditEvent
    from maintenance.models import MaintenancePlan
    from notifications.models import Notification

    return (
        sorted(Application.objects.values_list("id", "kind", "status", "regulator_id", "certificate_number")),
        sorted(Elevator.objects.values_list("register_code", "status", "use_registration_number")),
        Attachment.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
        MaintenancePlan.objects.count(),
        User.objects.count(),
    )


def test_the_demo_elevators_went_through_the_applications(client):
    """Registrations approved by the bureau each was routed to, a few pending (a draft, one waiting, one returned),
    suspensions, a scrapping; something waits for 渝北 and 渝中; 永越渝北一组's visited elevators stay in use."""
    import re
    from collections import Counter

    import pypdfium2

    from applications.models import Application, ApplicationStatus
    from applications.services import attachments_of
    from maintenance.models import MaintenancePlan, PlanStatus
    from records.models import MaintenanceRecord

    call_command("load_demo", stdout=open("/dev/null", "w"))
    before = _snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert _snapshot() == before  # the second load adds and changes nothing

    statuses = Counter(Elevator.objects.values_list("status", flat=True))
    assert statuses["in_use"] > Elevator.objects.count() / 2
    assert statuses["pending_registration"] >= 2 and statuses["suspended"] >= 1 and statuses["scrapped"] == 1
    assert Elevator.objects.get(status="scrapped").device_category in ("3310", "3320")
    for elevator in Elevator.objects.exclude(status="pending_registration"):
        registration = Application.objects.get(lines__elevator=elevator, kind="registration", status="approved")
        assert re.fullmatch(r"梯(11|31|32)渝A\d{5}\(\d\d\)", registration.certificate_number)
        assert elevator.use_registration_number == registration.certificate_number
    for application in Application.objects.exclude(decided_by=None).select_related("decided_by"):
        assert application.decided_by.organization_id == application.regulator_id  # the routed bureau decided
    for elevator in Elevator.objects.filter(status__in=["suspended", "scrapped"]):
        assert not MaintenancePlan.objects.filter(elevator=elevator, status=PlanStatus.PLANNED).exists()

    visited = Elevator.objects.filter(pk__in=MaintenanceRecord.objects.values("elevator_id"))
    assert visited.count() == 5 and set(visited.values_list("status", flat=True)) == {"in_use"}
    assert set(Elevator.objects.filter(building__regex=r"^龙湖·星悦荟\d栋$").values_list("status", flat=True)) == {
        "in_use"
    }

    people = {u.username: u for u in User.objects.filter(username__in=["cq_yubei", "cq_yuzhong", "mc2_admin"])}
    for username in ("cq_yubei", "cq_yuzhong"):
        bureau = people[username].organization
        assert Application.objects.filter(regulator=bureau, status=ApplicationStatus.SUBMITTED).exists()
        client.force_login(people[username])
        assert re.search(r'data-count="applications_to_review">[1-9]', client.get("/").content.decode())
    returned = Application.objects.get(status=ApplicationStatus.RETURNED)
    assert returned.applicant == people["mc2_admin"].organization and returned.decision_reason
    assert Application.objects.filter(status=ApplicationStatus.DRAFT).count() == 1

    registration = Application.objects.filter(kind="registration", status="approved").first()
    documents = {d.original_name: d for d in attachments_of(registration)}
    assert {"使用登记表.pdf", "安装告知书.pdf"} <= set(documents) and any(n.startswith("维保合同") for n in documents)
    with documents["使用登记表.pdf"].file.open("rb") as stored:
        text = pypdfium2.PdfDocument(stored.read())[0].get_textpage().get_text_range()
    assert "特种设备使用登记表" in text and registration.elevators.get().register_code in text


def test_the_demo_has_an_approved_pilot_and_one_waiting_for_yubei():
    from maintenance.models import OnDemandMaintenance
    from pilot.models import PilotApplication, PilotStatus

    load_demo()
    approved = PilotApplication.objects.get(status=PilotStatus.APPROVED)
    assert approved.regulator.jurisdiction.code == "500103" and approved.lines.count() == 4
    assert OnDemandMaintenance.objects.filter(elevator__in=approved.elevators.all(), interval_days=30).count() == 4
    assert all(o.iot_monitoring for o in OnDemandMaintenance.objects.all())
    waiting = PilotApplication.objects.get(status=PilotStatus.SUBMITTED)
    assert waiting.regulator.jurisdiction.code == "500112" and waiting.identity == "use_unit"
    assert User.objects.get(username="cq_yubei").organization_id == waiting.regulator_id
    load_demo()
    assert PilotApplication.objects.count() == 2


def test_the_demo_components_warn_a_few_not_all():
    """Realistic lifespans and replacement dates: 组件寿命预警 lists a few parts, none installed before its elevator."""
    from alerts.services import component_warnings
    from elevators.models import Component

    call_command("load_demo", stdout=open("/dev/null", "w"))
    warned = list(component_warnings(User.objects.get(username="admin")))
    assert 1 <= len(warned) <= 5 < Component.objects.count()
    for component in Component.objects.select_related("elevator"):
        assert component.installed_on >= component.elevator.installation_date, component


def test_the_demo_raises_certificate_and_confirmation_warnings(client):
    """人员证书到期预警: mc1_worker2's certificate ends in 45 days; 维保记录待确认预警: 龙湖·星悦荟's use unit has one
    record waiting for more than 24 hours (red) and one for about three hours (yellow)."""
    from alerts import rules
    from alerts.services import certificate_warnings, confirmation_warnings

    call_command("load_demo", stdout=open("/dev/null", "w"))
    workers = certificate_warnings(User.objects.get(username="mc1_admin"))
    assert [(w.username, w.certificate_until is not None) for w in workers] == [("mc1_worker2", True)]
    use_unit = User.objects.get(username="uu1_admin")
    assert sorted(
        rules.confirmation_level(r.submitted_at, timezone.now()) for r in confirmation_warnings(use_unit)
    ) == ["near", "overdue"]
    client.force_login(use_unit)
    page = client.get("/alerts/confirmation/").content.decode()
    assert 'data-level="overdue"' in page and 'data-level="near"' in page and "/confirm/" in page


def test_the_demo_shows_a_governor_warning_or_two_not_every_elevator():
    from alerts.services import governor_warnings

    call_command("load_demo", stdout=open("/dev/null", "w"))
    people = {u.username: u for u in User.objects.all()}
    levels = {e.building: e.next_governor_calibration for e in governor_warnings(people["admin"])}
    assert len(levels) == 2 and len(list(governor_warnings(people["mc1_admin"]))) == 1
    assert not Elevator.objects.filter(device_category__in=("3310", "3320"), next_governor_calibration__isnull=False)
    assert Elevator.objects.filter(governor_since__gt=models.F("installation_date")).count() == 1  # one replaced


def test_the_demo_has_drills_one_category_near_one_overdue_and_a_selfcheck_warning():
    from alerts.rules import NEAR, OVERDUE
    from alerts.services import drill_warnings, selfcheck_warnings
    from drills.models import EmergencyDrill

    call_command("load_demo", stdout=open("/dev/null", "w"))
    drills = EmergencyDrill.objects.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert EmergencyDrill.objects.count() == drills >= 4
    assert all(drill.photos().count() == 2 for drill in EmergencyDrill.objects.all())
    levels = {
        (row.organization_name, row.category): row.level for row in drill_warnings(User.objects.get(username="admin"))
    }
    company = Organization.objects.get(pk=User.objects.get(username="mc1_admin").organization_id).name
    assert levels == {(company, "traction"): NEAR, (company, "escalator"): OVERDUE}
    assert selfcheck_warnings(User.objects.get(username="mc2_admin")).count() == 1


def test_the_demo_bells_carry_the_warnings_the_daily_job_would_have_told():
    from notifications.models import Notification
    from notifications.services import unread_count

    call_command("load_demo", stdout=open("/dev/null", "w"))
    told = Notification.objects.count()
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {"inspection_due", "governor_due", "contract_ending", "drill_due", "certificate_ending"} <= kinds
    assert unread_count(User.objects.get(username="mc1_admin")) > 0
    assert 0 < unread_count(User.objects.get(username="uu1_admin")) < 30  # a few, not a flood
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert Notification.objects.count() == told
