"""Sealed records: the per-company hash chain, the save guard, and verify_records finding what got past it."""

import hashlib
import io
import json
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from core.uploads import IMAGE, save_attachment, validate_upload
from maintenance.models import MaintenanceItem
from records.models import MaintenanceRecord, RecordItem, RecordStatus, RecordWorker
from records.seal import (
    GENESIS,
    assert_unsealed,
    canonical,
    compute_seal,
    seal_confirmed,
    seal_record,
    verify_chain,
)
from tests.factories import UserFactory, make_elevator, png_bytes, png_upload

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _attachment(owner, user, purpose, name="a.png"):
    return save_attachment(validate_upload(png_upload(name), kinds=IMAGE), owner, purpose, user)


def make_record(world, *, company=None, elevator=None, status=RecordStatus.CONFIRMED, second_worker=None):
    """A confirmed visit as the services would leave it: two workers, three items, a signature."""
    company = company or world.company_a
    first = world.worker_a if company == world.company_a else world.worker_b
    second = second_worker or UserFactory(organization=company, category="maintenance_worker", role="staff")
    use_unit = world.use_unit_a if company == world.company_a else world.use_unit_b
    if elevator is None:
        region = "500112" if company == world.company_a else "500107"
        elevator = make_elevator(world, company=company, use_unit=use_unit, region_code=region)
    started = datetime(2026, 3, 1, 10, 0, 0, 123456, tzinfo=SHANGHAI)
    record = MaintenanceRecord.objects.create(
        organization=company,
        elevator=elevator,
        cycle="half_month",
        work_type="HM",
        status=status,
        started_at=started,
        finished_at=started + timedelta(minutes=47),
        finish_received_at=started + timedelta(minutes=48),
        duration_minutes=47,
        latitude=Decimal("29.6"),
        longitude=Decimal("106.512345"),
        accuracy_m=8,
        distance_m=12,
        hazard_codes=["S0"],
        flags=[],
        confirmed_at=started + timedelta(hours=2),
        confirmed_by=world.use_admin_a if company == world.company_a else world.use_admin_b,
        confirmed_name="张安全",
        confirmed_on_site=True,
    )
    record.signature = _attachment(record, record.confirmed_by, "signature", "sign.png")
    record.save(update_fields=["signature"])
    for role, user, offset in (("first", first, 0), ("second", second, 3)):
        worker = RecordWorker(
            record=record,
            user=user,
            role=role,
            joined_at=started + timedelta(minutes=offset),
            latitude=Decimal("29.600010"),
            longitude=Decimal("106.512300"),
            distance_m=5 + offset,
            face_distance=0.31 + offset / 100,
            face_matched=True,
        )
        worker.save()
        worker.selfie = _attachment(worker, user, "selfie", f"selfie-{role}.png")
        worker.save(update_fields=["selfie"])
    catalogue = MaintenanceItem.objects.filter(organization__isnull=True, annex="A", cycle="half_month")
    for n, item in enumerate(catalogue.order_by("number")[:3]):
        RecordItem.objects.create(
            record=record,
            item=item,
            code=item.code,
            part=item.part,
            requirement=item.requirement,
            result="normal",
            note="" if n else "润滑良好",
            measured_value=Decimal("12.5") if n == 1 else None,
            answered_at=started + timedelta(minutes=10 + n),
            answered_by=first,
        )
    return record


def verify(company=None, *args) -> tuple[bool, str]:
    """Run manage.py verify_records: (exit status 0, output)."""
    out = io.StringIO()
    args = [*args, "--company", str(company.pk)] if company else list(args)
    try:
        call_command("verify_records", *args, stdout=out)
    except CommandError as exc:
        return False, out.getvalue() + str(exc)
    return True, out.getvalue()


@pytest.fixture
def chain(world):
    """Three sealed records of company A and one of company B."""
    records = [seal_record(make_record(world)) for _ in range(3)]
    other = seal_record(make_record(world, company=world.company_b))
    return records, other


# --- sealing --------------------------------------------------------------------------------------------------


def test_sealing_links_records_into_one_chain_per_company(world, chain):
    (first, second, third), other = chain
    assert [r.chain_index for r in (first, second, third)] == [1, 2, 3]
    assert first.previous_seal == GENESIS
    assert second.previous_seal == first.seal and third.previous_seal == second.seal
    assert other.chain_index == 1 and other.previous_seal == GENESIS
    stored = MaintenanceRecord.objects.get(pk=second.pk)
    assert (stored.chain_index, stored.previous_seal, stored.seal) == (2, first.seal, second.seal)
    assert stored.seal == hashlib.sha256(canonical(stored)).hexdigest()
    assert len({r.seal for r in (first, second, third, other)}) == 4


def test_records_written_in_bulk_are_sealed_in_the_order_they_were_confirmed(world, chain):
    (*_, third), _other = chain
    later, earlier = make_record(world), make_record(world)
    MaintenanceRecord.objects.filter(pk=later.pk).update(confirmed_at=earlier.confirmed_at + timedelta(hours=1))
    waiting = make_record(world, status=RecordStatus.FINISHED)
    assert seal_confirmed(MaintenanceRecord.objects.all()) == 2  # the sealed and the unconfirmed are left alone
    earlier, later, waiting = (MaintenanceRecord.objects.get(pk=r.pk) for r in (earlier, later, waiting))
    assert (earlier.chain_index, earlier.previous_seal) == (4, third.seal)  # after the chain sealed one by one
    assert (later.chain_index, later.previous_seal) == (5, earlier.seal)
    assert later.seal == compute_seal(later) and not waiting.seal
    assert verify_chain() == []
    assert seal_confirmed(MaintenanceRecord.objects.all()) == 0


def test_only_a_confirmed_unsealed_record_is_sealed(world):
    record = make_record(world, status=RecordStatus.FINISHED)
    with pytest.raises(ValidationError, match="只有已确认"):
        seal_record(record)
    MaintenanceRecord.objects.filter(pk=record.pk).update(status=RecordStatus.CONFIRMED)
    seal_record(record)
    with pytest.raises(ValidationError, match="已经封存"):
        seal_record(MaintenanceRecord.objects.get(pk=record.pk))


def test_the_seal_covers_the_row_as_stored_not_unsaved_changes(world):
    record = make_record(world)
    record.confirmed_name = "未保存的名字"
    seal_record(record)
    stored = MaintenanceRecord.objects.get(pk=record.pk)
    assert stored.confirmed_name == "张安全" and compute_seal(stored) == record.seal


# --- canonical form -------------------------------------------------------------------------------------------


def test_canonical_is_stable_across_a_reload(world):
    record = make_record(world)
    before = canonical(record)  # in memory: Asia/Shanghai datetimes, Decimal("29.6")
    after = canonical(MaintenanceRecord.objects.get(pk=record.pk))
    assert before == after
    data = json.loads(after)
    assert data["started_at"] == "2026-03-01T02:00:00.123456+00:00"
    assert data["latitude"] == "29.600000" and data["longitude"] == "106.512345"
    assert data["elevator"] == record.elevator_id  # an id: a corrected register code keeps the seal
    assert [w["role"] for w in data["workers"]] == ["first", "second"]
    assert data["workers"][0]["face_distance"] == "0.31"
    assert [i["measured_value"] for i in data["items"]] == [None, "12.500", None]
    assert [i["item"] for i in data["items"]] == sorted(i["item"] for i in data["items"])
    assert data["confirmation"]["signature_sha256"] == record.signature.sha256
    assert data["chain_index"] is None and data["previous_seal"] == ""
    # compact, sorted keys: serialising the parsed form again gives the same bytes
    assert json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() == after


def test_canonical_is_stable_after_sealing_and_on_this_backend(world, chain):
    (first, _second, _third), _other = chain
    reloaded = MaintenanceRecord.objects.get(pk=first.pk)
    assert canonical(reloaded) == canonical(MaintenanceRecord.objects.get(pk=first.pk))
    assert compute_seal(reloaded) == first.seal
    # what the backend hands back is normalised, whatever its native types (run under PostgreSQL too)
    data = json.loads(canonical(reloaded))
    assert data["finished_at"] == "2026-03-01T02:47:00.123456+00:00"
    assert data["chain_index"] == 1 and data["previous_seal"] == GENESIS


# --- verify_records -------------------------------------------------------------------------------------------


def test_an_intact_chain_verifies(world, chain):
    ok, output = verify()
    assert ok, output
    assert "4 records in 2 chains verified" in output
    ok, output = verify(world.company_b)
    assert ok and "1 records in 1 chains verified" in output
    assert verify_chain() == []


def test_an_item_result_changed_by_update_is_found(world, chain):
    (_first, second, _third), _other = chain
    item = RecordItem.objects.filter(record=second).order_by("id").first()
    RecordItem.objects.filter(pk=item.pk).update(result="abnormal")
    ok, output = verify()
    assert not ok
    assert f"record {second.pk} (company {world.company_a.pk}): content changed since sealing" in output
    assert [(p.record_id, p.kind) for p in verify_chain()] == [(second.pk, "content_changed")]
    ok, _output = verify(world.company_b)
    assert ok  # the other company's chain is untouched


def test_a_hazard_changed_by_update_is_found(world, chain):
    (first, _second, _third), _other = chain
    MaintenanceRecord.objects.filter(pk=first.pk).update(hazard_codes=["S3"])
    ok, output = verify()
    assert not ok and f"record {first.pk} " in output
    assert [(p.record_id, p.kind) for p in verify_chain(world.company_a.pk)] == [(first.pk, "content_changed")]


def test_a_re_sealed_edit_still_breaks_the_link_to_the_next_record(world, chain):
    (first, second, _third), _other = chain
    MaintenanceRecord.objects.filter(pk=first.pk).update(confirmed_name="李四")
    MaintenanceRecord.objects.filter(pk=first.pk).update(seal=compute_seal(MaintenanceRecord.objects.get(pk=first.pk)))
    assert [(p.record_id, p.kind) for p in verify_chain()] == [(second.pk, "link_broken")]


def test_a_deleted_record_in_the_middle_is_found(world, chain):
    (_first, second, third), _other = chain
    with connection.cursor() as cursor:
        for table, column in (("records_recorditem", "record_id"), ("records_recordworker", "record_id")):
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [second.pk])
        cursor.execute("DELETE FROM records_maintenancerecord WHERE id = %s", [second.pk])
    ok, output = verify()
    assert not ok and f"record {third.pk} " in output
    assert {(p.record_id, p.kind) for p in verify_chain()} == {(third.pk, "index_gap"), (third.pk, "link_broken")}


def test_a_swapped_signature_file_is_found(world, chain):
    (first, _second, _third), _other = chain
    path = Path(MaintenanceRecord.objects.get(pk=first.pk).signature.file.path)
    path.write_bytes(png_bytes((301, 301)))
    ok, output = verify()
    assert not ok and f"record {first.pk} " in output and "signature" in output
    assert [(p.record_id, p.kind) for p in verify_chain()] == [(first.pk, "file_changed")]
    assert verify(None, "--skip-files")[0]


def test_a_missing_selfie_file_is_found(world, chain):
    (_first, _second, third), _other = chain
    selfie = RecordWorker.objects.get(record=third, role="second").selfie
    Path(selfie.file.path).unlink()
    assert [(p.record_id, p.kind) for p in verify_chain()] == [(third.pk, "file_missing")]


def test_a_confirmed_record_left_unsealed_is_found(world, chain):
    record = make_record(world)
    problems = verify_chain()
    assert [(p.record_id, p.kind) for p in problems] == [(record.pk, "unsealed")]
    assert not verify()[0]


def test_an_unknown_company_is_refused(world):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("verify_records", "--company", "999999", stdout=io.StringIO())


# --- the save guard -------------------------------------------------------------------------------------------


def test_saving_a_changed_sealed_record_is_refused(world, chain):
    (first, _second, _third), _other = chain
    record = MaintenanceRecord.objects.get(pk=first.pk)
    record.save()  # unchanged: allowed
    record.hazard_codes = ["S3"]
    with pytest.raises(ValidationError) as caught:
        record.save()
    assert caught.value.messages == ["已确认封存的维保纪录不能修改；请新建更正纪录。"]
    record.hazard_codes = ["S0"]
    record.latitude = Decimal("29.600000000")  # the same value written differently is not a change
    record.save()
    with pytest.raises(ValidationError):
        assert_unsealed(MaintenanceRecord.objects.get(pk=first.pk))


def test_saving_a_changed_item_or_worker_of_a_sealed_record_is_refused(world, chain):
    (first, _second, _third), _other = chain
    item = RecordItem.objects.filter(record=first).first()
    item.result = "abnormal"
    with pytest.raises(ValidationError, match="已确认封存"):
        item.save()
    worker = RecordWorker.objects.get(record=first, role="first")
    worker.face_matched = False
    with pytest.raises(ValidationError, match="已确认封存"):
        worker.save(update_fields=["face_matched"])
    extra = MaintenanceItem.objects.filter(organization__isnull=True, annex="A", cycle="half_month").last()
    with pytest.raises(ValidationError, match="已确认封存"):
        RecordItem.objects.create(record=first, item=extra, code=extra.code, part=extra.part, requirement="x")
    # Django deletes inside atomic(savepoint=False): a refused delete spoils the caller's transaction
    with pytest.raises(ValidationError, match="不能删除"), transaction.atomic():
        RecordItem.objects.filter(record=first).delete()
    with pytest.raises(ValidationError, match="不能删除"), transaction.atomic():
        MaintenanceRecord.objects.get(pk=first.pk).delete()
    assert verify_chain() == []


def test_an_unsealed_record_is_edited_freely(world):
    record = make_record(world, status=RecordStatus.FINISHED)
    assert_unsealed(record)
    record.hazard_codes = ["S3"]
    record.save()
    item = RecordItem.objects.filter(record=record).first()
    item.result = "abnormal"
    item.save()
    item.delete()
    record.status = RecordStatus.CONFIRMED
    record.save()
    seal_record(record)
    assert verify_chain() == []


# --- concurrency (PostgreSQL: SQLite has one writer at a time anyway) -------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_sealing_of_one_company_never_shares_a_chain_index():
    import threading

    from django.db import connections

    from tests.factories import make_world

    if connection.vendor != "postgresql":
        pytest.skip("row locks are what this tests; run with DATABASE_URL=postgres://…")
    world = make_world()
    records = [make_record(world) for _ in range(6)]
    errors, barrier = [], threading.Barrier(len(records))

    def seal(record):
        try:
            barrier.wait()
            seal_record(record)
        except Exception as exc:  # collected for the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=seal, args=(r,)) for r in records]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    indexes = MaintenanceRecord.objects.filter(organization=world.company_a).values_list("chain_index", flat=True)
    assert sorted(indexes) == [1, 2, 3, 4, 5, 6]
    assert verify_chain() == []


def test_a_corrected_register_code_keeps_the_seal(world, chain):
    (first, _second, _third), _other = chain
    type(first.elevator).objects.filter(pk=first.elevator_id).update(register_code="31105001122020029999")
    ok, output = verify()
    assert ok, output
