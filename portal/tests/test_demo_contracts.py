"""The demo's 维保合同: one per company and use unit, with a real PDF; a yellow and a red warning, one renewal."""

import pytest
from django.core.management import call_command

from accounts.models import User
from alerts import rules
from alerts.services import contract_warnings
from contracts.models import MaintenanceContract

pytestmark = pytest.mark.django_db


def test_the_demo_has_contracts_and_a_near_and_a_lapsed_one():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    count = MaintenanceContract.objects.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert MaintenanceContract.objects.count() == count == 5
    pairs = set(MaintenanceContract.objects.values_list("maintenance_company__name", "use_unit__name"))
    assert len(pairs) == 4
    for contract in MaintenanceContract.objects.all():
        assert contract.contract_file.file.read(5) == b"%PDF-" and contract.elevators.exists()
    city = User.objects.get(username="cq_city")
    warned = list(contract_warnings(city).order_by("ends_on"))
    from django.utils import timezone

    today = timezone.localdate()
    assert [rules.contract_level(c.ends_on, today) for c in warned] == [rules.OVERDUE, rules.NEAR]
    assert rules.contract_tier(warned[1].ends_on, today) == 60
    assert contract_warnings(User.objects.get(username="mc1_admin")).count() == 1  # its renewed one stays silent
