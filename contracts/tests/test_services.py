"""维保合同's services: what they refuse (in Chinese, saving nothing), what they audit, who may act."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contracts import services
from contracts.models import MaintenanceContract
from core.models import Attachment
from core.policies import can
from tests.cases import audit_events
from tests.factories import make_elevator

from .builders import make_contract, pdf

pytestmark = pytest.mark.django_db


def data(world, **overrides):
    today = date.today()
    values = {
        "use_unit": world.use_unit_a,
        "number": "WB-2026-001",
        "signed_on": today,
        "starts_on": today,
        "ends_on": today + timedelta(days=364),
        "elevators": [make_elevator(world)],
    }
    return {**values, **overrides}


def refusal(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_create_saves_the_contract_its_elevators_and_file_and_audits(world):
    values = data(world)
    contract = services.create_contract(actor=world.admin_a, data=values, upload=pdf())
    assert contract.maintenance_company == world.company_a and contract.created_by == world.admin_a
    assert list(contract.elevators.all()) == values["elevators"]
    assert contract.contract_file.original_name == "维保合同.pdf" and contract.contract_file.owner == contract
    event = audit_events(contract, "create", world.admin_a).get()
    assert event.changes["number"] == [None, "WB-2026-001"] and event.changes["contract_file"] == [None, "维保合同.pdf"]
    assert contract.history.count() >= 1


def test_every_bad_field_is_named_in_chinese_and_nothing_is_saved(world):
    today = date.today()
    other = make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    errors = refusal(
        lambda: services.create_contract(
            actor=world.admin_a,
            data=data(
                world,
                number="",
                signed_on=today + timedelta(days=1),
                starts_on=today,
                ends_on=today - timedelta(days=1),
                elevators=[other],
            ),
            upload=pdf("合同.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100),
        )
    )
    assert errors["number"] == ["请填写合同编号。"]
    assert errors["signed_on"] == ["签订日期不能晚于今天。"]
    assert errors["ends_on"] == ["服务期限止不能早于服务期限起。"]
    assert errors["elevators"] == ["只能选择该使用单位由本单位维保的电梯。"]
    assert "contract_file" in errors
    assert not MaintenanceContract.objects.exists() and not Attachment.objects.exists()


def test_a_file_is_required_a_pdf_and_at_most_20_mb(world):
    assert refusal(lambda: services.create_contract(actor=world.admin_a, data=data(world)))["contract_file"] == [
        "请上传合同文件（PDF，不超过 20 MB）。"
    ]
    big = pdf(data=b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024))
    message = refusal(lambda: services.create_contract(actor=world.admin_a, data=data(world), upload=big))
    assert "文件太大" in message["contract_file"][0]
    assert not MaintenanceContract.objects.exists()


def test_at_least_one_elevator_and_a_number_unique_within_the_company(world):
    assert refusal(lambda: services.create_contract(actor=world.admin_a, data=data(world, elevators=[]), upload=pdf()))[
        "elevators"
    ] == ["请至少选择一台电梯。"]
    make_contract(world, number="WB-1")
    errors = refusal(
        lambda: services.create_contract(actor=world.admin_a, data=data(world, number="WB-1"), upload=pdf())
    )
    assert errors["number"] == ["本单位已有编号为 WB-1 的维保合同。"]
    make_contract(world, company=world.company_b, number="WB-1")  # another company may use the same number


def test_a_company_cannot_attach_another_companys_elevators_nor_another_use_units(world):
    theirs = make_elevator(world, company=world.company_b, use_unit=world.use_unit_b, region_code="500107")
    errors = refusal(
        lambda: services.create_contract(actor=world.admin_a, data=data(world, elevators=[theirs]), upload=pdf())
    )
    assert errors["elevators"] == ["只能选择该使用单位由本单位维保的电梯。"]
    ours_elsewhere = make_elevator(world, use_unit=world.use_unit_b)
    errors = refusal(
        lambda: services.create_contract(
            actor=world.admin_a, data=data(world, elevators=[ours_elsewhere]), upload=pdf()
        )
    )
    assert errors["elevators"] == ["只能选择该使用单位由本单位维保的电梯。"]
    contract = make_contract(world)
    errors = refusal(
        lambda: services.update_contract(contract, actor=world.admin_a, data={"elevators": [theirs]}, reason="x")
    )
    assert errors["elevators"] and list(contract.elevators.all()) != [theirs]


def test_only_the_companys_administrators_create_edit_and_terminate(world):
    contract = make_contract(world)
    for person in (world.use_admin_a, world.worker_a, world.admin_b, world.yubei_admin):
        assert not can(person, "change", contract) and not can(person, "terminate", contract)
        with pytest.raises(PermissionDenied):
            services.update_contract(contract, actor=person, data={"number": "X"}, reason="x")
        with pytest.raises(PermissionDenied):
            services.terminate_contract(contract, actor=person, terminated_on=date.today(), reason="x")
    for person in (world.use_admin_a, world.worker_a, world.yubei_admin):
        with pytest.raises((PermissionDenied, ValidationError)):
            services.create_contract(actor=person, data=data(world), upload=pdf())
    contract.refresh_from_db()
    assert contract.terminated_on is None and contract.number.startswith("WB-")


def test_edit_replaces_the_file_and_audits_the_changes_with_the_reason(world):
    contract = make_contract(world)
    second = make_elevator(world, use_unit=contract.use_unit)
    new_end = contract.ends_on + timedelta(days=30)
    services.update_contract(
        contract,
        actor=world.admin_a,
        data={"ends_on": new_end, "elevators": [*contract.elevators.all(), second]},
        upload=pdf("补充协议.pdf"),
        reason="补充协议延期",
    )
    contract.refresh_from_db()
    assert contract.ends_on == new_end and contract.elevators.count() == 2
    assert contract.contract_file.original_name == "补充协议.pdf"
    event = audit_events(contract, "update", world.admin_a).get()
    assert event.reason == "补充协议延期" and {"ends_on", "elevators", "contract_file"} <= set(event.changes)


def test_terminate_takes_a_date_within_the_period_and_a_reason_once(world):
    contract = make_contract(world)
    errors = refusal(
        lambda: services.terminate_contract(
            contract, actor=world.admin_a, terminated_on=contract.ends_on + timedelta(days=1), reason=""
        )
    )
    assert errors["terminated_on"][0].startswith("终止日期应在签订日期和服务期限止之间")
    assert errors["reason"] == ["请填写终止原因。"]
    reason = "使用单位更换维保单位"
    services.terminate_contract(contract, actor=world.admin_a, terminated_on=date.today(), reason=reason)
    contract.refresh_from_db()
    assert contract.terminated_on == date.today() and contract.status == "terminated"
    assert audit_events(contract, "terminate", world.admin_a).get().reason == "使用单位更换维保单位"
    with pytest.raises(ValidationError):
        services.terminate_contract(contract, actor=world.admin_a, terminated_on=date.today(), reason="again")
    with pytest.raises(ValidationError):
        services.update_contract(contract, actor=world.admin_a, data={"number": "Y"}, reason="x")


def test_the_database_refuses_a_period_ending_before_it_starts(world):
    from django.db import IntegrityError, transaction

    contract = make_contract(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        MaintenanceContract.objects.filter(pk=contract.pk).update(ends_on=contract.starts_on - timedelta(days=1))


def test_tenancy_company_use_unit_bureaus_and_outsiders(world):
    contract = make_contract(world, use_unit=world.use_unit_a)  # an elevator in 渝北
    visible = {
        name: MaintenanceContract.objects.visible_to(getattr(world, name)).filter(pk=contract.pk).exists()
        for name in ("admin_a", "worker_a", "use_admin_a", "yubei_admin", "city_admin", "operator")
    }
    assert all(visible.values()), visible
    for name in ("admin_b", "use_admin_b", "jlp_admin", "sz_admin"):
        assert not MaintenanceContract.objects.visible_to(getattr(world, name)).filter(pk=contract.pk).exists(), name


def test_renewal_initial_follows_on_from_the_old_contract(world):
    contract = make_contract(world, ends_in=10, length=364)
    initial = services.renewal_initial(contract)
    assert initial["starts_on"] == contract.ends_on + timedelta(days=1)
    assert initial["ends_on"] - initial["starts_on"] == contract.ends_on - contract.starts_on
    assert initial["use_unit"] == contract.use_unit_id and initial["elevators"] == [contract.elevators.get().pk]
