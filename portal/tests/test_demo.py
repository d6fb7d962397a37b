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
        ahead = elevator.maintenance_plans.filter(due_date__gte=timezone.localdate()).order_by("due_date")
        dates = list(ahead.values_list("due_date", flat=True))
        assert ahead.last().cycle == "annual" and max(schedule.gaps(dates)) <= 15


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

    loaded = timezone.now()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    call_command("load_demo", stdout=open("/dev/null", "w"))
    # the visits made through the records services (the history is written in bulk, received as it was finished)
    records = MaintenanceRecord.objects.filter(finish_received_at__gte=loaded).order_by("started_at")
    assert [r.status for r in records] == ["confirmed", "confirmed", "confirmed", "finished", "finished"]
    assert all(r.plan.status == "done" and r.plan.done_at == r.finished_at for r in records)
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

    # visits only while in use: none after a suspension or scrapping, none before the date a registration names
    for application in Application.objects.filter(kind__in=["suspension", "scrapping"], status="approved"):
        elevator = application.elevators.get()
        if elevator.status in ("suspended", "scrapped"):
            last = MaintenanceRecord.objects.filter(elevator=elevator).order_by("started_at").last()
            assert last is None or timezone.localdate(last.started_at) < application.effective_date
    for application in Application.objects.filter(kind="registration").exclude(status="approved"):
        visits = MaintenanceRecord.objects.filter(elevator=application.elevators.get())
        assert all(timezone.localdate(r.started_at) >= application.effective_date for r in visits)
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


def test_the_demo_has_fourteen_weeks_of_visits_behind_an_a_and_a_c_company():
    """重庆渝安 keeps to its plans (A); 重庆山城 is late now and then and missed 隆鑫·盛世普天3栋's last visits (C, red,
    escalated to the use unit and 九龙坡区局). Every past visit is a done plan with its confirmed, sealed record."""
    from datetime import timedelta

    from alerts.services import maintenance_warnings
    from maintenance.models import MaintenancePlan, PlanStatus
    from notifications.models import Notification
    from portal import dashboard
    from records.models import MaintenanceRecord
    from records.seal import verify_chain

    call_command("load_demo", stdout=open("/dev/null", "w"))
    today = timezone.localdate()
    people = {u.username: u for u in User.objects.all()}
    grades = {row["name"]: (row["grade"], row["rate"]) for row in dashboard.compliance(people["cq_city"])["rows"]}
    mc1, mc2 = people["mc1_admin"].organization, people["mc2_admin"].organization
    assert grades[mc1.name] == ("A", 100.0)
    assert grades[mc2.name][0] == "C" and 70 <= grades[mc2.name][1] < 95
    weeks = dashboard.weekly_visits(people["mc1_admin"])
    # every whole week has visits (this week may have begun today)
    assert len(weeks) == 12 and all(week["count"] >= 3 for week in weeks[:-1])

    done = MaintenancePlan.objects.filter(status=PlanStatus.DONE)
    assert done.count() > 100 and not done.filter(done_at=None).exists()
    assert MaintenanceRecord.objects.filter(plan__in=done).count() == done.count()
    assert not MaintenanceRecord.objects.filter(started_at__date__lt=today - timedelta(days=99)).exists()
    assert MaintenanceRecord.objects.exclude(status__in=["confirmed", "finished"]).count() == 0
    assert verify_chain() == []  # all sealed in confirmation order, nothing to report
    first, second = MaintenanceRecord.objects.filter(organization=mc2).order_by("chain_index")[:2]
    assert (first.chain_index, second.previous_seal) == (1, first.seal)
    crew = MaintenanceRecord.objects.filter(organization=mc2).values_list("workers__user__username", flat=True)
    assert set(crew) == {"mc2_worker1", "mc2_worker2"}

    overdue = list(maintenance_warnings(people["mc2_admin"], level="overdue"))
    assert {plan.elevator.building for plan in overdue} == {"隆鑫·盛世普天3栋"}
    assert max((today - plan.due_date).days for plan in overdue) >= 8
    assert not list(maintenance_warnings(people["mc1_admin"], level="overdue"))
    steps = Notification.objects.filter(kind__startswith="plan_overdue_")
    told = set(steps.values_list("organization__name", flat=True))
    jlp = "重庆市九龙坡区市场监督管理局"
    assert told == {mc2.name, people["uu2_admin"].organization.name, jlp}
