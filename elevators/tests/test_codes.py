"""注册代码 / 设备代码, rescue codes and installation dates: one check behind the form, the API and the import."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from elevators.codes import register_code_problems
from elevators.models import Elevator
from elevators.services import create_elevator
from tests.factories import elevator_api_payload, elevator_data, elevator_form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "code, category, scheme, fragment",
    [
        ("31105001122020050001", "3110", "2014", None),
        ("33105001122020050001", "3310", "2014", None),
        ("3110500112202005001", "3110", "2014", "20 位数字"),  # 19 characters
        ("3110500112202005000A", "3110", "2014", "20 位数字"),  # a letter in an old code
        ("33105001122020050001", "3110", "2014", "与设备品种"),  # an escalator's code on a passenger elevator
        ("39995001122020050001", "3110", "2014", "不是 2014 版"),
        ("31109999992020050001", "3110", "2014", "行政区划"),
        ("31105001122020130001", "3110", "2014", "注册年月"),
        ("31105001129999010001", "3110", "2014", "注册年月"),
        ("31105001122020050000", "3110", "2014", "顺序号"),
        ("35005002232009030007", "3310", "legacy", None),  # 3500 自动扶梯 registered in the former 潼南县
        ("33105001122009030007", "3210", "legacy", None),  # 3310 液压客梯 before 2014
        ("33105001122009030007", "3310", "legacy", "液压客梯"),
        ("31001500112020000AB", "3110", "2014", "18 位设备代码"),  # 19 characters again
        ("311012001201800001", "3110", "2014", None),  # 设备代码: 3110 + 12001 + 2018 + 00001
        ("3110120012018A0B1C", "3110", "2014", None),  # letters past 99999
        ("311012001299900001", "3110", "2014", "制造年份"),
        ("331012001201800001", "3110", "2014", "与设备品种"),
    ],
)
def test_register_code_problems(code, category, scheme, fragment):
    problems = register_code_problems(code, category, scheme)
    if fragment is None:
        assert problems == []
    else:
        assert problems and fragment in " ".join(problems), problems


def test_the_service_refuses_a_future_installation_date_and_a_mismatched_code(world):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = elevator_data(world, installation_date=tomorrow, register_code="33105001122020050001")
    with pytest.raises(ValidationError) as raised:
        create_elevator(actor=world.admin_a, data=data)
    assert set(raised.value.message_dict) == {"installation_date", "register_code"}
    assert not Elevator.objects.exists()


def test_the_form_names_the_part_of_the_code_that_is_wrong(world, client_for):
    data = {**elevator_form_data(world, register_code="33105001122020050001"), "step": "3", "action": "submit"}
    response = client_for(world.admin_a).post(reverse("elevators:create"), data)
    assert response.status_code == 200 and response.context["step"] == 1
    assert "前 4 位“3310”与设备品种“3110 曳引驱动乘客电梯”不符" in response.content.decode()
    assert not Elevator.objects.exists()


def test_the_api_refuses_19_characters_with_the_field_named(api, world):
    response = api(world.admin_a)("POST", "/elevators", elevator_api_payload(world, register_code="3" * 19))
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "register_code"
    assert not Elevator.objects.exists()
