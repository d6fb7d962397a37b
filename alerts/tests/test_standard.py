"""The standard tests (tests/cases.py) for 预警设置, 维保预警查询, 年检预警 and 组件寿命预警 (with 更换)."""

from datetime import date

from alerts import services
from alerts.models import AlertSettings
from elevators.models import Component, Elevator
from maintenance.models import MaintenancePlan
from tests.cases import ActionCases, CreateCases, EditCases, ListCases, audit_events

from .helpers import component_due, inspection_due, plan_due


class TestAlertSettings(CreateCases, EditCases):
    """预警设置: the company's administrators set their own (the first save creates the row); its workers only
    read it; other units have none."""

    model = AlertSettings
    create_url, edit_url = "alerts:settings", "alerts:settings_edit"
    without_permission = "worker_a"
    create_denied = "use_admin_a"

    def make(self, world):
        return services.save_alert_settings(world.company_a, maintenance_near_days=5, actor=world.admin_a)

    def create_data(self, world):
        return {"maintenance_near_days": "7"}

    def bad_create_data(self, world):
        return {"maintenance_near_days": "15"}

    def created(self, world, data):
        return AlertSettings.objects.get(organization=world.company_a)

    def edit_changes(self, world, obj):
        return {"maintenance_near_days": "10"}

    def stored(self, obj, field):
        return str(getattr(obj, field))


class TestMaintenanceWarnings(ListCases):
    """维保预警查询: company A's overdue visit is listed and exported to A, never to B."""

    model = MaintenancePlan
    list_url = "alerts:maintenance"
    max_queries = {"list": 9}

    def make(self, world):
        return plan_due(world, -2)

    def marker(self, obj):
        return obj.elevator.register_code


class TestInspectionWarnings(ListCases):
    """年检预警: company A's overdue inspection is listed and exported to A, never to B."""

    model = Elevator
    list_url = "alerts:inspection"
    max_queries = {"list": 8}

    def make(self, world):
        return inspection_due(world, -2)

    def marker(self, obj):
        return obj.register_code


class TestComponentWarnings(ListCases, ActionCases):
    """组件寿命预警 and its 更换: A's administrator replaces A's component; A's worker may not; B never sees it."""

    model = Component
    list_url, action_url = "alerts:component", "alerts:component_replace"
    without_permission = "worker_a"
    max_queries = {"list": 8}

    def make(self, world):
        return component_due(world, -2)

    def marker(self, obj):
        return obj.elevator.register_code

    def action_data(self, world, obj):
        return {"replaced_on": date.today().isoformat(), "note": "更换"}

    def acted(self, obj):
        return obj.installed_on == date.today()

    def test_action_asks_then_acts_and_audits(self, world, client_for):
        """The replacement is audited on the elevator, as the ledger audits its components."""
        obj = self.make(world)
        client = client_for(world.admin_a)
        assert client.get(self.url(self.action_url, obj)).status_code == 200
        assert client.post(self.url(self.action_url, obj), self.action_data(world, obj)).status_code == 302
        obj.refresh_from_db()
        assert self.acted(obj)
        assert audit_events(obj.elevator, "components", world.admin_a).exists()


# --- 人员证书到期预警 and 维保记录待确认预警 ------------------------------------------------------------------------

from datetime import timedelta  # noqa: E402 - this block is appended on its own

from accounts.models import User  # noqa: E402
from records.models import MaintenanceRecord  # noqa: E402
from records.tests.builders import simple_record  # noqa: E402
from tests.factories import UserFactory, qualify  # noqa: E402


class TestCertificateWarnings(ListCases):
    """人员证书到期预警: company A's worker whose certificate ends in 10 days is listed and exported to A's
    administrators, never to B; A's workers (no administrators) get 403, as on the account list."""

    model = User

    list_url = "alerts:certificate"
    list_denied = "worker_a"
    max_queries = {"list": 9}

    def make(self, world):
        person = UserFactory(organization=world.company_a, category="maintenance_worker", role="staff")
        qualify(person, date.today() + timedelta(days=10))
        return person

    def marker(self, obj):
        return obj.username


class TestConfirmationWarnings(ListCases):
    """维保记录待确认预警: company A's finished record is listed and exported to A, never to B."""

    model = MaintenanceRecord

    list_url = "alerts:confirmation"
    list_denied = None
    max_queries = {"list": 8}

    def make(self, world):
        return simple_record(world)

    def marker(self, obj):
        return obj.elevator.register_code


# --- 限速器检验预警 ------------------------------------------------------------------------------------------------


class TestGovernorWarnings(ListCases):
    """限速器检验预警: company A's overdue calibration is listed and exported to A, never to B."""

    model = Elevator
    list_url = "alerts:governor"
    max_queries = {"list": 8}

    def make(self, world):
        from .helpers import governor_due

        return governor_due(world, -2)

    def marker(self, obj):
        return obj.register_code


# --- 应急演练预警 and 年度自行检查预警 ------------------------------------------------------------------------------


from drills.models import EmergencyDrill  # noqa: E402


class TestDrillWarnings(ListCases):
    """应急演练预警: company A's never-drilled category is listed and exported to A, never to B."""

    model = EmergencyDrill
    list_url = "alerts:drill"
    max_queries = {"list": 6}

    def make(self, world):
        from datetime import timedelta

        from django.utils import timezone

        from tests.factories import make_elevator

        elevator = make_elevator(world, category="3310")
        Elevator.objects.filter(pk=elevator.pk).update(created_at=timezone.now() - timedelta(days=300))
        return next(row for row in services.drill_warnings(world.admin_a) if row.category == "escalator")

    def marker(self, obj):
        return obj.organization_name


class TestSelfcheckWarnings(ListCases):
    """年度自行检查预警: company A's periodic inspection without an annual record is listed to A, never to B."""

    model = Elevator
    list_url = "alerts:selfcheck"
    max_queries = {"list": 9}

    def make(self, world):
        from .test_drills import periodic_elevator

        return periodic_elevator(world, 15)

    def marker(self, obj):
        return obj.register_code
