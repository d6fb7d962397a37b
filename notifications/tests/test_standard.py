"""The standard tests (tests/cases.py) for 通知: the list, its export and the API."""

import itertools

from notifications.models import Notification
from notifications.services import notify
from tests.cases import APICases, ListCases

_serial = itertools.count(1)


class TestNotification(ListCases, APICases):
    model = Notification
    list_url = "notifications:list"
    api_path = "/notifications"
    max_queries = {"list": 5}

    def make(self, world):
        n = next(_serial)
        return notify(world.company_a, "hazard", f"标准测试通知{n:04d}", f"通知正文{n}", "/records/")

    def marker(self, obj):
        return obj.title
