"""维保合同到期预警: which contracts warn (window, terminated, silent elevators, renewals), the page and the API."""

from datetime import date, timedelta

import pytest

from alerts import services
from contracts import services as contract_services
from contracts.tests.builders import make_contract
from elevators.models import Elevator, ElevatorStatus

pytestmark = pytest.mark.django_db


def warned(user, **kwargs) -> set[int]:
    return set(services.contract_warnings(user, **kwargs).values_list("pk", flat=True))


def test_the_window_is_90_days_and_past(world):
    due = {n: make_contract(world, ends_in=n) for n in (-30, -1, 0, 30, 60, 90, 91)}
    assert warned(world.admin_a) == {due[n].pk for n in (-30, -1, 0, 30, 60, 90)}
    assert warned(world.admin_a, level="overdue") == {due[-30].pk, due[-1].pk}
    assert warned(world.admin_a, level="near") == {due[n].pk for n in (0, 30, 60, 90)}


def test_terminated_and_silent_contracts_do_not_warn(world):
    terminated = make_contract(world, ends_in=10)
    contract_services.terminate_contract(terminated, actor=world.admin_a, terminated_on=date.today(), reason="解约")
    silent = make_contract(world, ends_in=10)
    Elevator.objects.filter(maintenance_contracts=silent).update(status=ElevatorStatus.SUSPENDED)
    half = make_contract(world, ends_in=10)
    from tests.factories import make_elevator

    scrapped = make_elevator(world)
    Elevator.objects.filter(pk=scrapped.pk).update(status=ElevatorStatus.SCRAPPED)
    half.elevators.add(scrapped)  # one live elevator is enough to warn
    assert warned(world.admin_a) == {half.pk}


def test_a_renewal_silences_the_old_contract(world):
    old = make_contract(world, ends_in=20)
    elevators = list(old.elevators.all())
    make_contract(world, ends_in=20 + 366, length=365, elevators=elevators)  # starts the day after
    assert old.pk not in warned(world.admin_a)
    gap = make_contract(world, ends_in=-5)
    make_contract(world, ends_in=-5 + 367, length=365, elevators=list(gap.elevators.all()))  # a day's gap
    assert gap.pk in warned(world.admin_a)
    other_unit = make_contract(world, ends_in=15)
    from tests.factories import make_elevator

    elsewhere = make_elevator(world, use_unit=world.use_unit_b)
    make_contract(world, ends_in=400, use_unit=world.use_unit_b, elevators=[elsewhere])  # another use unit
    assert other_unit.pk in warned(world.admin_a)


def test_a_terminated_renewal_does_not_count(world):
    old = make_contract(world, ends_in=20)
    new = make_contract(world, ends_in=400, length=390, elevators=list(old.elevators.all()))
    assert old.pk not in warned(world.admin_a)
    contract_services.terminate_contract(new, actor=world.admin_a, terminated_on=date.today(), reason="解约")
    assert old.pk in warned(world.admin_a)


def test_each_reader_sees_its_own_warnings(world):
    ours = make_contract(world, ends_in=10, use_unit=world.use_unit_a)
    theirs = make_contract(world, ends_in=10, company=world.company_b, use_unit=world.use_unit_b)
    assert ours.pk in warned(world.use_admin_a) and ours.pk in warned(world.yubei_admin)
    assert theirs.pk not in warned(world.admin_a) | warned(world.use_admin_a) | warned(world.yubei_admin)
    assert theirs.pk in warned(world.jlp_admin) and theirs.pk in warned(world.city_admin)
    assert not warned(world.sz_admin)


def test_the_page_shows_tier_and_renew_for_the_company_admin(world, client_for):
    contract = make_contract(world, ends_in=45)
    lapsed = make_contract(world, ends_in=-3)
    page = client_for(world.admin_a).get("/alerts/contract/").content.decode()
    assert contract.number in page and lapsed.number in page
    assert "60 天内 · 还有 45 天" in page and "逾期 3 天" in page
    assert f"/contracts/new/?renew={contract.pk}" in page
    bureau = client_for(world.yubei_admin).get("/alerts/contract/").content.decode()
    assert contract.number in bureau and "?renew=" not in bureau
    assert client_for(world.admin_a).get("/alerts/contract/", {"level": "overdue"}).context["object_list"] == [lapsed]
    assert contract.number in client_for(world.operator).get("/alerts/contract/").content.decode()


def test_the_renew_link_prefills_the_new_contract(world, client_for):
    old = make_contract(world, ends_in=30, length=364)
    response = client_for(world.admin_a).get(f"/contracts/new/?renew={old.pk}")
    form = response.context["form"]
    assert response.status_code == 200 and "续签维保合同" in response.content.decode()
    assert form.initial["starts_on"] == old.ends_on + timedelta(days=1)
    assert form.initial["elevators"] == [old.elevators.get().pk] and form.initial["use_unit"] == old.use_unit_id
    assert client_for(world.admin_b).get(f"/contracts/new/?renew={old.pk}").status_code == 404


def test_the_api_gives_contract_rows(world, api):
    contract = make_contract(world, ends_in=30)
    make_contract(world, ends_in=200)
    response = api(world.admin_a)("GET", "/warnings?kind=contract")
    assert response.status_code == 200, response.content
    rows = response.json()["items"]
    assert [row["id"] for row in rows] == [contract.pk]
    elevator = contract.elevators.get()
    assert rows[0] == {
        **rows[0],
        "kind": "contract",
        "contract_number": contract.number,
        "use_unit": contract.use_unit_id,
        "elevators": [elevator.pk],
        "register_code": elevator.register_code,
        "due_date": contract.ends_on.isoformat(),
        "level": "near",
        "days": 30,
        "tier": 30,
        "escalation_step": None,
    }
    assert api(world.admin_b)("GET", "/warnings?kind=contract").json()["items"] == []
    overdue = api(world.admin_a)("GET", "/warnings?kind=contract&level=overdue").json()["items"]
    assert overdue == []
