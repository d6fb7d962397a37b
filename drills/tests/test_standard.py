"""The standard tests (tests/cases.py) for 应急演练: list, page, 登记, 编辑 and 删除."""

from datetime import date, timedelta

from drills.models import EmergencyDrill
from tests.cases import ActionCases, CreateCases, DetailCases, EditCases, ListCases, audit_events
from tests.factories import make_elevator

from .helpers import jpeg_upload, make_drill


class TestEmergencyDrill(ListCases, DetailCases, CreateCases, EditCases):
    model = EmergencyDrill
    list_url, detail_url, create_url, edit_url = "drills:list", "drills:detail", "drills:create", "drills:edit"
    without_permission = "worker_a"  # reads the company's drills, is no administrator
    max_queries = {"list": 6, "detail": 10}

    def make(self, world):
        return make_drill(world)

    def marker(self, obj):
        return obj.subject

    def create_data(self, world):
        elevator = make_elevator(world)
        return {
            "held_on": (date.today() - timedelta(days=3)).isoformat(),
            "subject": "困人救援",
            "location": "甲物业 1 号楼",
            "elevators": [elevator.pk],
            "participants": [world.admin_a.pk, world.worker_a.pk],
            "other_participants": "物业经理 李强",
            "summary": "演练顺利。",
            "photos": jpeg_upload(),
        }

    def edit_changes(self, world, obj):
        return {"subject": "火灾时电梯迫降演练", "location": "甲物业 2 号楼"}


class TestDeleteEmergencyDrill(ActionCases):
    model = EmergencyDrill
    action_url = "drills:delete"
    audit_action = "delete"
    without_permission = "worker_a"

    def make(self, world):
        return make_drill(world)

    def action_data(self, world, obj):
        return {"reason": "误登记"}

    def acted(self, obj):
        return not EmergencyDrill.objects.filter(pk=obj.pk).exists()

    def test_action_asks_then_acts_and_audits(self, world, client_for):
        obj = self.make(world)
        photo = obj.photos().get()
        client = client_for(world.admin_a)
        assert client.get(self.url(self.action_url, obj)).status_code == 200
        response = client.post(self.url(self.action_url, obj), self.action_data(world, obj))
        assert response.status_code == 302 and response["Location"] == "/drills/"
        assert self.acted(obj)
        event = audit_events(obj, "delete", world.admin_a).get()
        assert event.reason == "误登记" and event.changes["subject"][0] == obj.subject
        from core.models import Attachment

        assert not Attachment.objects.filter(pk=photo.pk).exists()
