"""维保合同's pages beyond the standard tests: the contract page, the file, the elevator's panel, the filters."""

from datetime import date, timedelta

import pytest

from contracts import services
from contracts.tests.builders import make_contract

pytestmark = pytest.mark.django_db


def test_the_page_shows_elevators_file_and_history_and_buttons_to_the_company_admin_only(world, client_for):
    contract = make_contract(world, use_unit=world.use_unit_a)
    elevator = contract.elevators.get()
    page = client_for(world.admin_a).get(contract.get_absolute_url()).content.decode()
    assert 'data-testid="contract-number">' + contract.number in page and "生效中" in page
    assert elevator.register_code in page and f"/attachments/{contract.contract_file_id}/" in page
    assert 'data-testid="contract-history"' in page and 'data-testid="audit-trail"' in page
    assert 'data-testid="contract-edit"' in page and 'data-testid="terminate"' in page and 'data-testid="renew"' in page
    use_unit = client_for(world.use_admin_a).get(contract.get_absolute_url()).content.decode()
    assert contract.number in use_unit and 'data-testid="contract-edit"' not in use_unit and "renew" not in use_unit


def test_the_file_downloads_for_readers_only(world, client_for):
    contract = make_contract(world, use_unit=world.use_unit_a)
    url = f"/attachments/{contract.contract_file_id}/"
    for person in (world.admin_a, world.use_admin_a, world.yubei_admin):
        response = client_for(person).get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    for person in (world.admin_b, world.use_admin_b, world.jlp_admin):
        assert client_for(person).get(url).status_code == 404


def test_the_elevator_page_lists_its_contracts(world, client_for):
    contract = make_contract(world, use_unit=world.use_unit_a)
    elevator = contract.elevators.get()
    page = client_for(world.admin_a).get(elevator.get_absolute_url()).content.decode()
    assert 'data-testid="elevator-contracts"' in page and contract.number in page
    assert f"/contracts/new/?elevator={elevator.pk}" in page
    form = client_for(world.admin_a).get(f"/contracts/new/?elevator={elevator.pk}").context["form"]
    assert form.initial["elevators"] == [elevator.pk] and form.initial["use_unit"] == world.use_unit_a.pk
    use_unit = client_for(world.use_admin_a).get(elevator.get_absolute_url()).content.decode()
    assert contract.number in use_unit and "/contracts/new/" not in use_unit


def test_the_list_filters_by_status_use_unit_and_end(world, client_for):
    active = make_contract(world, ends_in=100)
    lapsed = make_contract(world, ends_in=-10)
    pending = make_contract(world, ends_in=800, length=365)
    terminated = make_contract(world, ends_in=200)
    services.terminate_contract(terminated, actor=world.admin_a, terminated_on=date.today(), reason="解约")
    client = client_for(world.admin_a)

    def listed(**params):
        return {c.pk for c in client.get("/contracts/", params).context["object_list"]}

    assert listed(status="active") == {active.pk}
    assert listed(status="expired") == {lapsed.pk}
    assert listed(status="pending") == {pending.pk}
    assert listed(status="terminated") == {terminated.pk}
    assert listed(use_unit_name=active.use_unit.name) == {active.pk}
    assert listed(use_unit=lapsed.use_unit_id) == {lapsed.pk}
    soon = (date.today() + timedelta(days=150)).isoformat()
    assert listed(ends_before=soon) == {active.pk, lapsed.pk}
    export = client.get("/contracts/", {"export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "已终止" in text and "解约" in text


def test_the_api_filters_by_use_unit_and_status(world, api):
    active = make_contract(world, ends_in=100)
    lapsed = make_contract(world, ends_in=-10)
    call = api(world.admin_a)
    body = call("GET", f"/contracts?use_unit={active.use_unit_id}").json()
    assert [row["id"] for row in body["items"]] == [active.pk]
    row = call("GET", "/contracts?status=expired").json()["items"][0]
    assert row["id"] == lapsed.pk and row["status"] == "expired" and row["status_label"] == "已到期"
    assert row["elevators"][0]["register_code"] == lapsed.elevators.get().register_code
    assert row["contract_file"] == f"/attachments/{lapsed.contract_file_id}/"
    assert call("GET", "/contracts?status=nonsense").status_code == 422
    assert api(world.worker_a)("GET", f"/contracts/{active.pk}").status_code == 200
    assert api(world.admin_b)("GET", f"/contracts/{active.pk}").status_code == 404
