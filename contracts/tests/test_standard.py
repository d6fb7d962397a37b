"""The standard tests (tests/cases.py) for 维保合同 (list, page, form, 提前终止, API) and 维保合同到期预警."""

from datetime import date, timedelta

from contracts.models import MaintenanceContract
from tests.cases import ActionCases, APICases, CreateCases, DetailCases, EditCases, ListCases
from tests.factories import make_elevator

from .builders import make_contract, pdf


class TestMaintenanceContract(ListCases, DetailCases, CreateCases, EditCases, ActionCases, APICases):
    """Company A's administrator records, edits and terminates A's contracts; use unit A reads them only; company B
    never sees them."""

    model = MaintenanceContract
    list_url, detail_url = "contracts:list", "contracts:detail"
    create_url, edit_url, action_url = "contracts:create", "contracts:edit", "contracts:terminate"
    api_path = "/contracts"
    without_permission = "use_admin_a"
    audit_action = "terminate"
    max_queries = {"list": 6, "detail": 12}

    def make(self, world):
        return make_contract(world, use_unit=world.use_unit_a)

    def create_data(self, world):
        today = date.today()
        return {
            "use_unit": str(world.use_unit_a.pk),
            "number": "WB-STD-001",
            "signed_on": today.isoformat(),
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=364)).isoformat(),
            "elevators": [str(make_elevator(world).pk)],
            "contract_file": pdf(),
        }

    def bad_create_data(self, world):
        today = date.today()
        return {
            "use_unit": str(world.use_unit_a.pk),
            "number": "WB-STD-002",
            "signed_on": today.isoformat(),
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=1)).isoformat(),
            "elevators": [str(make_elevator(world).pk)],
            "contract_file": pdf(),
        }

    def edit_changes(self, world, obj):
        return {"number": "WB-STD-EDIT", "ends_on": (obj.ends_on + timedelta(days=31)).isoformat()}

    def action_data(self, world, obj):
        return {"terminated_on": date.today().isoformat(), "reason": "使用单位另选维保单位"}

    def acted(self, obj):
        return obj.terminated_on is not None


class TestContractWarnings(ListCases):
    """维保合同到期预警: company A's lapsed contract is listed and exported to A, never to B."""

    model = MaintenanceContract
    list_url = "alerts:contract"
    max_queries = {"list": 6}

    def make(self, world):
        return make_contract(world, ends_in=-2)
