"""Edits of one elevator at the same time: different fields all survive, a stale form is refused."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from elevators import services
from elevators.models import Elevator
from tests.factories import elevator_form_data, make_elevator

CHANGES = {
    "building": "并发大厦",
    "address": "重庆市渝北区并发路8号",
    "product_model": "CONC-8",
    "factory_number": "F-CONC-8",
    "internal_number": "8号梯",
    "use_registration_number": "梯11渝A00008(20)",
    "rated_load": 1350,
    "latitude": 29.612345,
}


@pytest.mark.django_db(transaction=True)
def test_parallel_changes_of_different_fields_all_survive(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises its writers: the race needs PostgreSQL (CI runs the suite on both)")
    elevator = make_elevator(world)
    barrier = threading.Barrier(len(CHANGES))
    errors = []

    def change(field, value):
        try:
            stale = Elevator.objects.get(pk=elevator.pk)  # read outside the transaction, as the API does
            barrier.wait(timeout=10)
            services.update_elevator(stale, actor=world.admin_a, data={field: value}, reason=f"并发 {field}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=change, args=item) for item in CHANGES.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    elevator.refresh_from_db()
    for field, value in CHANGES.items():
        assert str(getattr(elevator, field)) == str(value), field
    # every history row is a state that was really stored: its values build up to the last one
    last = elevator.history.order_by("history_date", "history_id").last()
    assert all(str(getattr(last, f)) == str(v) for f, v in CHANGES.items())
    assert elevator.history.count() == 1 + len(CHANGES)


@pytest.mark.django_db
def test_a_form_opened_before_someone_elses_change_is_refused(world, client_for):
    elevator = make_elevator(world)
    client = client_for(world.admin_a)
    page = client.get(reverse("elevators:edit", args=[elevator.pk]))
    version = page.context["version"]
    assert f'name="version" value="{version}"' in page.content.decode()
    services.update_elevator(elevator, actor=world.admin_a, data={"building": "别人改的楼名"}, reason="更正")
    data = elevator_form_data(
        world,
        register_code=elevator.register_code,
        rescue_code=elevator.rescue_code,
        building="我的旧表单",
        version=version,
        step="3",
        action="submit",
    )
    response = client.post(reverse("elevators:edit", args=[elevator.pk]), data)
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    elevator.refresh_from_db()
    assert elevator.building == "别人改的楼名"


@pytest.mark.django_db
def test_saving_nothing_new_writes_no_history(world):
    elevator = make_elevator(world)
    services.update_elevator(elevator, actor=world.admin_a, data={"building": elevator.building})
    assert elevator.history.count() == 1
