"""维保纪录 rules: who may start, where, with whose face; the second worker; items; finishing."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.services import set_face_photo
from maintenance.models import GroupAssignment, MaintenanceGroup, MaintenanceItem, MaintenancePlan, PlanStatus
from maintenance.services.plans import generate_year
from records import services
from records.models import Flag, ItemResult, MaintenanceRecord, RecordStatus
from records.services import Position
from tests.factories import UserFactory, make_elevator, make_world, png_upload, qualify

pytestmark = pytest.mark.django_db

FACES = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "faces"
SITE = (29.5951, 106.5382)
HERE = Position(29.5952, 106.5383, 12)  # about 14 m away
NOW = timezone.make_aware(datetime(2026, 11, 25, 9, 0))


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def faces_match(monkeypatch):
    """The face check answers as told (the real check is tested once, below)."""
    answer = {"match": True}
    monkeypatch.setattr(services, "verify_face", lambda user, data: (answer["match"], 0.3))
    return answer


@pytest.fixture
def team(world):
    """Two qualified workers of company A in one group holding a located elevator with a year of plans."""
    second = UserFactory(
        username="worker_a2", organization=world.company_a, category="maintenance_worker", role="staff"
    )
    for worker in (world.worker_a, second):
        qualify(worker)
    elevator = make_elevator(world, latitude=Decimal(str(SITE[0])), longitude=Decimal(str(SITE[1])))
    group = MaintenanceGroup.objects.create(organization=world.company_a, name="一组", leader=world.worker_a)
    group.members.add(world.worker_a, second)
    GroupAssignment.objects.create(elevator=elevator, group=group)
    generate_year(elevator, date(2026, 11, 20), actor=world.admin_a, avoid=frozenset(), today=date(2026, 11, 20))
    world.second = second
    world.elevator = elevator
    return world


def selfie():
    return png_upload("selfie.png")


def start(world, **kwargs):
    options = {"worker": world.worker_a, "elevator": world.elevator, "position": HERE, "selfie": selfie(), "at": NOW}
    return services.start_visit(**{**options, **kwargs})


def answer_all(record, worker, photo=None):
    for entry in record.items.select_related("item"):
        value = "8" if entry.item.judgement == "numeric" else None
        services.answer_item(
            record, entry.pk, worker=worker, result=ItemResult.NORMAL, measured_value=value, photo=photo
        )


def a_photo(record, worker):
    from core.uploads import IMAGE, save_attachment, validate_upload

    return save_attachment(validate_upload(png_upload("test.png"), kinds=IMAGE), record, "item_photo", worker)


def test_a_visit_starts_on_site_with_the_plan_due(team, faces_match):
    record = start(team)
    assert record.status == RecordStatus.IN_PROGRESS and record.distance_m < 30 and not record.flags
    assert record.plan.due_date == date(2026, 11, 20) and record.cycle == "half_month" and record.work_type == "HM"
    assert (
        record.items.count()
        == MaintenanceItem.objects.filter(organization__isnull=True, annex="A", cycle="half_month")
        .exclude(condition__in=["before_rainy_season"])
        .count()
    )
    assert len(record.join_code) == 6 and record.workers.get().selfie_id


def test_outside_the_geofence_is_refused_with_the_distance(team, faces_match):
    with pytest.raises(ValidationError) as refused:
        start(team, position=Position(29.6000, 106.5382, 10))
    assert "超出 200 米的电子围栏" in str(refused.value) and "545" in str(refused.value)
    type(team.elevator).objects.filter(pk=team.elevator.pk).update(geofence_m=600)
    team.elevator.refresh_from_db()
    assert start(team, position=Position(29.6000, 106.5382, 10)).distance_m == 545


def test_an_elevator_without_coordinates_records_the_position_and_flags(team, faces_match):
    type(team.elevator).objects.filter(pk=team.elevator.pk).update(latitude=None, longitude=None)
    record = start(team)
    assert record.flags == [Flag.NO_ELEVATOR_POSITION] and record.latitude == Decimal("29.595200")


def test_only_the_groups_qualified_workers_of_the_company(team, faces_match):
    outsider = UserFactory(organization=team.company_a, category="maintenance_worker", role="staff")
    qualify(outsider)
    with pytest.raises(ValidationError, match="维保小组"):
        start(team, worker=outsider)
    with pytest.raises(ValidationError, match="不由您的单位维保"):
        start(team, worker=team.worker_b)
    expired = UserFactory(organization=team.company_a, category="maintenance_worker", role="staff")
    qualify(expired, valid_until=date(2026, 1, 31))
    team.elevator.group_assignment.group.members.add(expired)
    with pytest.raises(ValidationError, match="资质已过期"):
        start(team, worker=expired)
    type(team.elevator).objects.filter(pk=team.elevator.pk).update(status="suspended")
    team.elevator.refresh_from_db()
    with pytest.raises(ValidationError, match="停用"):
        start(team)
    assert not MaintenanceRecord.objects.exists()


def test_a_selfie_that_is_not_the_worker_is_refused(team, faces_match):
    faces_match["match"] = False
    with pytest.raises(ValidationError, match="不是同一人"):
        start(team)
    assert not MaintenanceRecord.objects.exists()


def test_the_real_face_check(team):
    faces = {name: (FACES / name).read_bytes() for name in ("obama.jpg", "obama2.jpg", "biden.jpg")}
    set_face_photo(
        team.worker_a,
        actor=team.admin_a,
        image_file=SimpleUploadedFile("face.jpg", faces["obama.jpg"], content_type="image/jpeg"),
    )
    with pytest.raises(ValidationError, match="不是同一人"):
        start(team, selfie=SimpleUploadedFile("s.jpg", faces["biden.jpg"], content_type="image/jpeg"))
    record = start(team, selfie=SimpleUploadedFile("s.jpg", faces["obama2.jpg"], content_type="image/jpeg"))
    assert record.workers.get().face_matched


def test_the_second_worker_joins_with_the_code_and_must_be_another_person(team, faces_match):
    record = start(team)
    with pytest.raises(ValidationError, match="两名不同"):
        services.join_visit(worker=team.worker_a, code=record.join_code, position=HERE, selfie=selfie())
    with pytest.raises(ValidationError, match="加入码无效"):
        services.join_visit(worker=team.second, code="000000x", position=HERE, selfie=selfie())
    services.join_visit(worker=team.second, code=record.join_code, position=HERE, selfie=selfie())
    assert sorted(record.workers.values_list("role", flat=True)) == ["first", "second"]
    with pytest.raises(ValidationError, match="进行中的维保"):
        start(team, worker=team.second)


def test_items_need_their_reasons_values_and_photos(team, faces_match):
    record = start(team)
    entries = {e.code: e for e in record.items.select_related("item")}
    first = next(iter(entries.values()))
    with pytest.raises(ValidationError, match="情况说明"):
        services.answer_item(record, first.pk, worker=team.worker_a, result=ItemResult.ABNORMAL)
    with pytest.raises(ValidationError, match="原因"):
        services.answer_item(record, first.pk, worker=team.worker_a, result=ItemResult.NOT_APPLICABLE)
    with pytest.raises(ValidationError):
        services.answer_item(record, first.pk, worker=team.worker_a, result="all_normal")
    with pytest.raises(ValidationError, match="只有这次维保的维保人员"):
        services.answer_item(record, first.pk, worker=team.second, result=ItemResult.NORMAL)
    door_lock = entries["A-1-29"]  # landing door lock engagement ≥ 7 mm
    with pytest.raises(ValidationError, match="测量值"):
        services.answer_item(record, door_lock.pk, worker=team.worker_a, result=ItemResult.NORMAL)
    flagged = services.answer_item(
        record, door_lock.pk, worker=team.worker_a, result=ItemResult.NORMAL, measured_value="6.5"
    )
    assert flagged.out_of_limit and flagged.measured_value == Decimal("6.5")
    fine = services.answer_item(
        record, door_lock.pk, worker=team.worker_a, result=ItemResult.ADJUSTED, measured_value="7"
    )
    assert not fine.out_of_limit


def test_finishing_checks_everything_then_completes_the_plan(team, faces_match):
    record = start(team)
    with pytest.raises(ValidationError, match="未填写"):
        services.finish_visit(record, worker=team.worker_a, hazard_codes=["S0"], at=NOW + timedelta(minutes=40))
    answer_all(record, team.worker_a, photo=a_photo(record, team.worker_a))
    with pytest.raises(ValidationError, match="两名维保人员"):
        services.finish_visit(record, worker=team.worker_a, hazard_codes=["S0"], at=NOW + timedelta(minutes=40))
    services.join_visit(worker=team.second, code=record.join_code, position=HERE, selfie=selfie())
    for codes in ([], ["S0", "S3"], ["S9"]):
        with pytest.raises(ValidationError, match="S0"):
            services.finish_visit(record, worker=team.worker_a, hazard_codes=codes, at=NOW + timedelta(minutes=40))
    with pytest.raises(ValidationError, match="FM"):
        services.finish_visit(
            record, worker=team.worker_a, hazard_codes=["S0"], work_type="FM", at=NOW + timedelta(minutes=40)
        )
    done = services.finish_visit(record, worker=team.second, hazard_codes=["S0"], at=NOW + timedelta(minutes=40))
    assert done.status == RecordStatus.FINISHED and done.duration_minutes == 40 and done.flags == []
    assert not done.join_code
    plan = MaintenancePlan.objects.get(pk=record.plan_id)
    assert plan.status == PlanStatus.DONE and plan.done_at == NOW + timedelta(minutes=40)
    with pytest.raises(ValidationError, match="已结束"):
        services.answer_item(record, record.items.first().pk, worker=team.worker_a, result=ItemResult.NORMAL)


def test_test_items_need_a_photo_and_short_visits_are_flagged(team, faces_match):
    record = start(team)
    services.join_visit(worker=team.second, code=record.join_code, position=HERE, selfie=selfie())
    answer_all(record, team.worker_a)
    if record.items.filter(item__needs_photo=True).exists():
        with pytest.raises(ValidationError, match="拍照"):
            services.finish_visit(record, worker=team.worker_a, hazard_codes=["S0"], at=NOW + timedelta(minutes=5))
        photo = a_photo(record, team.worker_a)
        for entry in record.items.filter(item__needs_photo=True):
            services.answer_item(
                record,
                entry.pk,
                worker=team.worker_a,
                result=ItemResult.NORMAL,
                photo=photo,
                measured_value="8" if entry.item.judgement == "numeric" else None,
            )
    done = services.finish_visit(record, worker=team.worker_a, hazard_codes=["S3", "S5"], at=NOW + timedelta(minutes=5))
    assert Flag.TOO_SHORT in done.flags and done.hazard_codes == ["S3", "S5"]


def test_a_worker_in_two_places_at_once_is_flagged(team, faces_match):
    other = make_elevator(team, latitude=Decimal(str(SITE[0])), longitude=Decimal(str(SITE[1])))
    GroupAssignment.objects.create(elevator=other, group=team.elevator.group_assignment.group)
    first = start(team)
    second = start(team, elevator=other, at=NOW + timedelta(minutes=10))
    services.join_visit(worker=team.second, code=first.join_code, position=HERE, selfie=selfie())
    answer_all(first, team.worker_a, photo=a_photo(first, team.worker_a))
    done = services.finish_visit(first, worker=team.worker_a, hazard_codes=["S0"], at=NOW + timedelta(minutes=45))
    assert Flag.OVERLAP in done.flags and second.status == RecordStatus.IN_PROGRESS


def finished(team):
    record = start(team)
    services.join_visit(worker=team.second, code=record.join_code, position=HERE, selfie=selfie())
    answer_all(record, team.worker_a, photo=a_photo(record, team.worker_a))
    return services.finish_visit(record, worker=team.worker_a, hazard_codes=["S0"], at=NOW + timedelta(minutes=45))


def test_the_use_unit_confirms_on_site_or_later_and_the_record_is_sealed(team, faces_match):
    from django.core.management import call_command

    record = finished(team)
    with pytest.raises(ValidationError, match="姓名"):
        services.confirm_record(record, actor=team.worker_a, signature=png_upload("sign.png"))
    with pytest.raises(ValidationError, match="使用单位的人员"):
        services.confirm_record(record, actor=team.admin_b, signature=png_upload("sign.png"))
    done = services.confirm_record(record, actor=team.worker_a, signature=png_upload("sign.png"), signer_name="王经理")
    assert done.status == RecordStatus.CONFIRMED and done.confirmed_on_site and done.seal and done.chain_index == 1
    assert Flag.SELF_CONFIRMED not in done.flags
    later = finished_again(team)
    sealed = services.confirm_record(later, actor=team.use_admin_a, signature=png_upload("sign.png"))
    assert sealed.confirmed_by == team.use_admin_a and sealed.chain_index == 2
    assert sealed.previous_seal == done.seal
    with pytest.raises(ValidationError, match="待确认"):
        services.confirm_record(sealed, actor=team.use_admin_a, signature=png_upload("sign.png"))
    call_command("verify_records", stdout=open("/dev/null", "w"))  # exits 0: the chain is intact


def finished_again(team):
    other = make_elevator(team, latitude=Decimal(str(SITE[0])), longitude=Decimal(str(SITE[1])))
    GroupAssignment.objects.create(elevator=other, group=team.elevator.group_assignment.group)
    record = start(team, elevator=other, at=NOW + timedelta(hours=2))
    services.join_visit(worker=team.second, code=record.join_code, position=HERE, selfie=selfie())
    answer_all(record, team.worker_a, photo=a_photo(record, team.worker_a))
    return services.finish_visit(
        record, worker=team.worker_a, hazard_codes=["S0"], at=NOW + timedelta(hours=2, minutes=45)
    )


def test_a_worker_signing_for_the_use_unit_is_flagged(team, faces_match):
    record = finished(team)
    done = services.confirm_record(
        record, actor=team.worker_a, signature=png_upload("sign.png"), signer_name=team.second.display_name
    )
    assert Flag.SELF_CONFIRMED in done.flags


def test_records_waiting_over_a_day_are_listed(team, faces_match, client_for):
    record = finished(team)
    assert not services.awaiting_confirmation(MaintenanceRecord.objects.all(), now=NOW + timedelta(hours=20))
    assert list(services.awaiting_confirmation(MaintenanceRecord.objects.all(), now=NOW + timedelta(hours=25))) == [
        record
    ]
    page = client_for(team.admin_a).get("/records/?awaiting=on")
    assert page.status_code == 200


def test_replacing_a_part_restarts_its_life_in_the_ledger(team, faces_match):
    record = start(team)
    component = team.elevator.components.first()
    entry = record.items.exclude(item__judgement="numeric").first()
    services.answer_item(
        record, entry.pk, worker=team.worker_a, result=ItemResult.REPLACED, component_id=component.pk, at=NOW
    )
    component.refresh_from_db()
    assert component.installed_on == date(2026, 11, 25) and component.expires_on > date(2027, 1, 1)
    other = make_elevator(team).components.first()
    with pytest.raises(ValidationError, match="没有这个组件"):
        services.answer_item(record, entry.pk, worker=team.worker_a, result=ItemResult.REPLACED, component_id=other.pk)


def test_a_confirmed_record_speaks_the_regulators_v15_format(team, faces_match, client_for):
    from records.regulator import v15_payload, v15_problems

    record = finished(team)
    assert "纪录尚未经使用单位确认。" in v15_problems(record)
    team.worker_a.phone, team.second.phone, team.use_admin_a.phone = "13800001111", "13800002222", "13800003333"
    for person in (team.worker_a, team.second, team.use_admin_a):
        person.save()
    record = services.confirm_record(record, actor=team.use_admin_a, signature=png_upload("sign.png"))
    payload = v15_payload(record)
    assert payload["elevatorCode"] == team.elevator.register_code and payload["workType"] == "HM"
    assert payload["problemCode"] == ["S0"] and payload["startTime"] == "2026-11-25 09:00:00"
    assert payload["workMan1Id"].startswith("Q-") and payload["originalRecordId"] == str(record.pk)
    assert payload["nextMaintenanceDate"] > "2026-11-25"
    problems = v15_problems(record, payload)
    assert not any("各不相同" in p for p in problems), problems
    team.second.phone = team.worker_a.phone
    team.second.save()
    assert any("各不相同" in p for p in v15_problems(record))
    answer = client_for(team.yubei_admin).get(f"/api/v1/maintenance/records/{record.pk}/regulator")
    assert answer.status_code == 200 and answer.json()["payload"]["elevatorCode"] == team.elevator.register_code
    assert client_for(team.jlp_admin).get(f"/api/v1/maintenance/records/{record.pk}/regulator").status_code == 404
    page = client_for(team.yubei_admin).get(record.get_absolute_url()).content.decode()
    assert 'data-testid="record-v15"' in page


def test_a_sealed_record_is_corrected_by_a_new_approved_confirmed_record(team, faces_match):
    from django.core.management import call_command

    original = services.confirm_record(finished(team), actor=team.use_admin_a, signature=png_upload("sign.png"))
    with pytest.raises(ValidationError, match="原因"):
        services.start_correction(original, actor=team.worker_a, reason=" ")
    with pytest.raises(ValidationError, match="维保人员或本单位管理员"):
        services.start_correction(original, actor=team.use_admin_a, reason="写错了")
    copy = services.start_correction(original, actor=team.worker_a, reason="A-1-29 测量值录错")
    with pytest.raises(ValidationError, match="未完成的更正"):
        services.start_correction(original, actor=team.admin_a, reason="再来一次")
    entry = copy.items.get(code="A-1-29")
    services.answer_item(copy, entry.pk, worker=team.worker_a, result=ItemResult.ADJUSTED, measured_value="7.5")
    finished_copy = services.finish_visit(copy, worker=team.worker_a, hazard_codes=["S0"], at=NOW + timedelta(days=2))
    assert finished_copy.finished_at == original.finished_at and Flag.OVERLAP not in finished_copy.flags
    with pytest.raises(ValidationError, match="批准"):
        services.confirm_record(finished_copy, actor=team.use_admin_a, signature=png_upload("sign.png"))
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.approve_correction(finished_copy, actor=team.worker_a)
    services.approve_correction(finished_copy, actor=team.admin_a)
    sealed = services.confirm_record(finished_copy, actor=team.use_admin_a, signature=png_upload("sign.png"))
    assert sealed.seal and sealed.corrects == original and sealed.chain_index == original.chain_index + 1
    original.refresh_from_db()
    assert original.items.get(code="A-1-29").measured_value == Decimal("8")  # the original is untouched
    call_command("verify_records", stdout=open("/dev/null", "w"))


def test_an_annual_visit_says_whether_it_calibrates_the_governor(team, faces_match):
    from elevators.models import Component

    plan = services.plan_for_visit(team.elevator, NOW.date())
    MaintenancePlan.objects.filter(pk=plan.pk).update(cycle="annual")
    Component.objects.filter(elevator=team.elevator, name="限速器").update(installed_on=date(2024, 11, 1))
    record = start(team)
    assert record.cycle == "annual"
    governor_test = record.items.get(code="A-4-6")
    assert "本次须进行限速器动作速度校验（限速器已使用 2 年" in governor_test.requirement
    assert record.items.get(code="A-1-1").requirement == "清洁，门窗完好，照明正常"


def test_an_on_demand_elevator_s_half_month_visits_are_fm_from_its_start(world):
    from maintenance.models import OnDemandMaintenance

    elevator = make_elevator(world)
    assert services.work_type_for(elevator, "half_month") == "HM"
    start = timezone.localdate() + timedelta(days=10)
    OnDemandMaintenance.objects.create(elevator=elevator, interval_days=30, starts_on=start)
    elevator.refresh_from_db()
    assert services.work_type_for(elevator, "half_month") == "HM"  # today: not started yet
    assert services.work_type_for(elevator, "half_month", start - timedelta(days=1)) == "HM"
    assert services.work_type_for(elevator, "half_month", start) == "FM"
    assert services.work_type_for(elevator, "quarter", start) == "TM"
