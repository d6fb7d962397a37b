"""The standard tests (tests/cases.py) for 预警设置 and 维保预警查询."""

from alerts import services
from alerts.models import AlertSettings
from maintenance.models import MaintenancePlan
from tests.cases import CreateCases, EditCases, ListCases

from .helpers import plan_due


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
