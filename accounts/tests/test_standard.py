"""The standard tests (tests/cases.py) for accounts (账号维护)."""

import itertools

from accounts.models import User
from tests.cases import ActionCases, APICases, CreateCases, DetailCases, EditCases, ListCases
from tests.factories import UserFactory, account_form_data

_serial = itertools.count(1)


class TestUser(ListCases, DetailCases, CreateCases, EditCases, ActionCases, APICases):
    """Company A's administrator keeps its accounts; its worker may not; company B's never sees them."""

    model = User
    list_url, detail_url, create_url, edit_url = (
        "accounts:user_list",
        "accounts:user_detail",
        "accounts:user_create",
        "accounts:user_edit",
    )
    action_url = "accounts:user_reset_password"
    audit_action = "password_reset"
    api_path = "/users"
    without_permission = "worker_a"
    list_denied = "worker_a"
    max_queries = {"list": 6, "detail": 8}  # the list also asks for accounts another unit opened (the notice)

    def make(self, world):
        return UserFactory(
            username=f"std_worker{next(_serial)}",
            organization=world.company_a,
            category="maintenance_worker",
            role="staff",
        )

    def marker(self, obj):
        return obj.username

    def create_data(self, world):
        return account_form_data(world, username=f"std_new{next(_serial)}")

    def created(self, world, data):
        return User.objects.get(username=data["username"])

    def edit_changes(self, world, obj):
        return {"full_name": "改名师傅", "phone": "13900002222"}

    def action_data(self, world, obj):
        return {"reason": "忘记密码"}

    def acted(self, obj):
        return obj.must_change_password

    def api_create_body(self, world):
        return {
            "username": f"std_api{next(_serial)}",
            "full_name": "接口工",
            "phone": "13800000002",
            "organization_id": world.company_a.pk,
            "category": "maintenance_worker",
        }

    def api_patch_body(self, world, obj):
        return {"full_name": "接口改名"}
