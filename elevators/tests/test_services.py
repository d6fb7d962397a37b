"""Ledger rules: creation, parameters by category, parties, status, edits with history, landing doors."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from elevators import services
from elevators.catalogue import COMPONENT_CATALOGUE
from elevators.models import Elevator, ElevatorStatus
from organizations.models import ServiceRelation
from tests.factories import elevator_data, make_elevator

pytestmark = pytest.mark.django_db


def test_new_elevator_waits_for_registration_with_components_and_doors(world):
    elevator = make_elevator(world, actor=world.admin_a)
    assert elevator.status == ElevatorStatus.PENDING_REGISTRATION
    assert elevator.city.code == "500000"
    names = list(elevator.components.values_list("name", flat=True))
    assert names == COMPONENT_CATALOGUE["traction"]
    component = elevator.components.first()
    assert component.lifespan_months == 6
    assert component.expires_on == date(2020, 1, 15) + relativedelta(months=6)
    assert list(elevator.landing_doors.values_list("floor_label", flat=True)) == ["1", "2", "3", "4", "5", "6"]
    assert AuditEvent.objects.filter(action="create", target_id=str(elevator.pk), actor=world.admin_a).exists()


def test_escalators_get_their_own_parameters_and_no_landing_doors(world):
    escalator = make_elevator(world, category="3310", rated_load=1000, floors=3)
    assert escalator.inclination == 30 and escalator.rise == 5.5
    assert escalator.rated_load is None and escalator.floors is None  # parameters that do not fit are dropped
    assert not escalator.landing_doors.exists()
    assert "梯级链" in escalator.components.values_list("name", flat=True)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"rated_load": None}, "rated_load"),
        ({"stops": 8, "floors": 6}, "stops"),
        ({"doors": 3}, "doors"),
        ({"register_code": "12345"}, "register_code"),
        ({"rescue_code": "12a456"}, "rescue_code"),
        ({"category": "3310", "inclination": None}, "inclination"),
    ],
)
def test_bad_data_names_the_field_and_saves_nothing(world, overrides, field):
    category = overrides.pop("category", "3110")
    with pytest.raises(ValidationError) as exc:
        services.create_elevator(actor=world.admin_a, data=elevator_data(world, category=category, **overrides))
    assert field in exc.value.message_dict
    assert not Elevator.objects.exists()


def test_company_registers_only_its_own_elevators_for_units_it_serves(world):
    with pytest.raises(ValidationError) as exc:
        services.create_elevator(actor=world.admin_a, data=elevator_data(world, company=world.company_b))
    assert "maintenance_company" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_elevator(actor=world.admin_a, data=elevator_data(world, use_unit=world.use_unit_b))
    assert "组织架构" in exc.value.message_dict["use_unit"][0]


def test_use_unit_registers_its_own_elevator_and_the_company_starts_serving_it(world):
    elevator = services.create_elevator(
        actor=world.use_admin_b, data=elevator_data(world, use_unit=world.use_unit_b, company=world.company_a)
    )
    assert ServiceRelation.objects.filter(use_unit=world.use_unit_b, maintenance_company=world.company_a).exists()
    assert elevator in Elevator.objects.visible_to(world.admin_a)


def test_rescue_code_is_unique_within_a_city_only(world):
    make_elevator(world, rescue_code="123456")
    with pytest.raises(ValidationError) as exc:
        make_elevator(world, rescue_code="123456", region_code="500107")
    assert "__all__" in exc.value.message_dict or "rescue_code" in exc.value.message_dict
    make_elevator(world, rescue_code="123456", region_code="440305")  # Shenzhen is another city


def test_editing_keeps_history_never_touches_status_and_syncs_doors(world):
    elevator = make_elevator(world)
    door = elevator.landing_doors.get(position=1)
    door.floor_label = "B1"
    door.save()
    services.update_elevator(
        elevator,
        actor=world.admin_a,
        data={"building": "新名字大厦", "stops": 4, "doors": 4, "status": "scrapped"},
        reason="更正",
    )
    elevator.refresh_from_db()
    assert elevator.building == "新名字大厦" and elevator.status == ElevatorStatus.PENDING_REGISTRATION
    assert elevator.history.count() == 2
    assert elevator.history.first().history_change_reason == "更正"
    assert list(elevator.landing_doors.values_list("floor_label", flat=True)) == ["B1", "2", "3", "4"]
    event = AuditEvent.objects.get(action="update", target_id=str(elevator.pk))
    assert event.changes["building"][1] == "新名字大厦" and event.reason == "更正"


def test_status_is_not_a_form_field():
    from elevators.forms import ElevatorForm

    assert "status" not in ElevatorForm.base_fields
    assert Elevator._meta.get_field("status").editable is False


def test_gate_for_elevators(world):
    a = make_elevator(world)
    b = make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    assert set(Elevator.objects.visible_to(world.admin_a)) == {a}
    assert set(Elevator.objects.visible_to(world.use_admin_b)) == {b}
    assert set(Elevator.objects.visible_to(world.yubei_admin)) == {a}
    assert set(Elevator.objects.visible_to(world.city_admin)) == {a, b}
    assert not Elevator.objects.visible_to(world.sz_admin).exists()
    assert not Elevator.objects.changeable_by(world.city_admin).exists()  # bureaus change through applications
    assert set(Elevator.objects.visible_to(world.operator)) == {a, b}


def test_a_bureau_sees_the_company_that_works_in_its_district(world):
    from organizations.models import Organization

    make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500112")
    assert world.company_b in Organization.objects.visible_to(world.yubei_admin)


def test_a_corrected_code_keeps_the_qr_sign_working_and_refuses_a_taken_one(world, client):
    from elevators.services import correct_register_code

    elevator = make_elevator(world)
    other = make_elevator(world)
    with pytest.raises(ValidationError) as taken:
        correct_register_code(
            elevator, actor=world.yubei_admin, register_code=other.register_code, code_scheme="2014", reason="x"
        )
    assert "已登记在平台上" in str(taken.value)
    with pytest.raises(ValidationError):  # an escalator's category on a passenger elevator
        correct_register_code(
            elevator, actor=world.yubei_admin, register_code="33105001122019110042", code_scheme="2014", reason="x"
        )
    path = elevator.public_path
    correct_register_code(
        elevator, actor=world.yubei_admin, register_code="31105001122019110042", code_scheme="2014", reason="写错"
    )
    page = client.get(path)
    assert page.status_code == 200 and "31105001122019110042" in page.content.decode()


def test_an_elevator_with_a_report_cannot_be_deleted(world, client_for):
    from django.urls import reverse

    from elevators.models import ProblemReport

    elevator = make_elevator(world)
    ProblemReport.objects.create(elevator=elevator, category="noise", description="异响")
    client = client_for(world.admin_a)
    page = client.get(reverse("elevators:detail", args=[elevator.pk])).content.decode()
    assert 'data-testid="delete"' not in page
    response = client.post(reverse("elevators:delete", args=[elevator.pk]), {"reason": "x"})
    assert response.status_code == 403 and "待登记" in response.content.decode()
    assert elevator.__class__.objects.filter(pk=elevator.pk).exists()
