"""An elevator's maintenance company is set when it is recorded; only the 维保单位变更 application (to come) and,
until then, the operator change it: never the edit form, a PATCH or an import."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEvent
from elevators import services
from elevators.models import Elevator
from imports.models import ImportStatus
from organizations.models import ServiceRelation
from tests.factories import elevator_form_data, make_elevator
from tests.importing import HEADER, errors_of, good, run_import, template_row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(world):
    """Use unit A, served by both companies, with an elevator of company A."""
    ServiceRelation.objects.create(use_unit=world.use_unit_a, maintenance_company=world.company_b)
    return make_elevator(world, company=world.company_a, use_unit=world.use_unit_a)


def test_the_service_refuses_a_new_company_for_anyone_but_the_operator(world, shared):
    for actor in (world.use_admin_a, world.admin_a):
        with pytest.raises(ValidationError) as refused:
            services.update_elevator(shared, actor=actor, data={"maintenance_company": world.company_b})
        assert "维保单位变更" in refused.value.message_dict["maintenance_company"][0]
        shared.refresh_from_db()
        assert shared.maintenance_company == world.company_a
    # the same company again is no change
    services.update_elevator(shared, actor=world.use_admin_a, data={"maintenance_company": world.company_a})
    services.update_elevator(shared, actor=world.operator, data={"maintenance_company": world.company_b}, reason="合同")
    shared.refresh_from_db()
    assert shared.maintenance_company == world.company_b
    event = AuditEvent.objects.filter(action="update", target_id=str(shared.pk)).latest("at")
    assert event.changes["maintenance_company"] == ["甲维保公司", "乙维保公司"] and event.reason == "合同"


@pytest.mark.parametrize("who", ["admin_a", "use_admin_a"])
def test_the_edit_form_shows_the_company_read_only_and_says_why(world, shared, client_for, who):
    client = client_for(getattr(world, who))
    url = reverse("elevators:edit", args=[shared.pk])
    form = client.get(url).context["form"]
    field = form.fields["maintenance_company"]
    assert field.disabled and "维保单位变更" in str(field.help_text)
    assert list(field.queryset) == [world.company_a]
    data = elevator_form_data(
        world,
        register_code=shared.register_code,
        rescue_code=shared.rescue_code,
        maintenance_company=world.company_b.pk,  # a hand-made post: ignored, the field is read-only
        building="新楼",
    )
    response = client.post(url, {**data, "step": "3", "action": "submit"})
    assert response.status_code == 302, response.context and response.context["form"].errors
    shared.refresh_from_db()
    assert shared.maintenance_company == world.company_a and shared.building == "新楼"


def test_the_operator_may_change_the_company_in_the_form_and_others_create_with_it(world, shared, client_for):
    form = client_for(world.operator).get(reverse("elevators:edit", args=[shared.pk])).context["form"]
    assert not form.fields["maintenance_company"].disabled
    form = client_for(world.use_admin_a).get(reverse("elevators:create")).context["form"]
    assert not form.fields["maintenance_company"].disabled  # chosen when the elevator is recorded


def test_the_api_patch_by_a_company_names_the_field(api, world, shared):
    response = api(world.admin_a)("PATCH", f"/elevators/{shared.pk}", {"maintenance_company_id": world.company_b.pk})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "maintenance_company_id"
    operator = api(world.operator)("PATCH", f"/elevators/{shared.pk}", {"maintenance_company_id": world.company_b.pk})
    assert operator.status_code == 200 and operator.json()["maintenance_company_id"] == world.company_b.pk


def test_an_import_never_moves_an_existing_elevator_to_another_company(world, shared):
    row = good(world, 1, 注册代码=shared.register_code, 维保单位=world.company_b.name, 使用单位=None)
    job = run_import(world.use_admin_a, xlsx(HEADER, [template_row(**row)]))
    assert job.status == ImportStatus.DONE and job.accepted_rows == 0
    assert any("已有注册代码" in error for error in errors_of(job, 2))
    assert Elevator.objects.get(pk=shared.pk).maintenance_company == world.company_a
