"""Sealed records (封存): once confirmed, a record is hashed into its company's chain and may no longer change.

TSG T5002-2017 art. 10 wants paperless records that cannot be altered while kept (无纸化记录保存中不得更改). Each
confirmed record gets `seal = sha256(canonical(record))`, where the canonical form includes the previous record's
seal and the record's place in the chain (`chain_index`, 1, 2, … per company). Editing a record, removing one or
reordering them, or swapping a stored file (photo, selfie, signature) is then found by `verify_chain`.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.models import Organization

from .models import MaintenanceRecord, RecordStatus

__all__ = [
    "FORMAT",
    "GENESIS",
    "SEALED_MESSAGE",
    "Problem",
    "canonical",
    "compute_seal",
    "seal_record",
    "seal_confirmed",
    "assert_unsealed",
    "verify_chain",
]

FORMAT = 1  # hashed too: a later change of canonical() can tell which shape a stored seal was taken over
GENESIS = "0" * 64  # previous_seal of a company's first record
SEALED_MESSAGE = gettext_lazy("已确认封存的维保纪录不能修改；请新建更正纪录。")
_CHUNK = 500


# --- canonical form -------------------------------------------------------------------------------------------


def _decimal(instance, name):
    """A decimal as text with exactly the field's places, whatever the backend returned (or the caller set)."""
    value = getattr(instance, name)
    if value is None:
        return None
    places = instance._meta.get_field(name).decimal_places
    if not isinstance(value, Decimal):
        value = Decimal(repr(value) if isinstance(value, float) else str(value))
    value = value.quantize(Decimal(1).scaleb(-places))
    if value.is_zero():
        value = value.copy_abs()  # no "-0.000"
    return format(value, "f")


def _datetime(value: datetime | None):
    """UTC with full microseconds: both backends keep microseconds, and the offset is always +00:00."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _float(value):
    # repr() round-trips a double exactly; as text it cannot be re-rounded by any JSON reader
    return None if value is None else repr(float(value))


def _sha(attachment):
    return attachment.sha256 if attachment is not None else None


def _related(record, name, select):
    """The record's workers or items: the prefetched ones when verify_chain fetched them in bulk."""
    if name in getattr(record, "_prefetched_objects_cache", {}):
        return list(getattr(record, name).all())
    return list(getattr(record, name).select_related(*select))


def _worker(worker) -> dict:
    return {
        "user": worker.user_id,
        "role": worker.role,
        "joined_at": _datetime(worker.joined_at),
        "latitude": _decimal(worker, "latitude"),
        "longitude": _decimal(worker, "longitude"),
        "distance_m": worker.distance_m,
        "face_matched": bool(worker.face_matched),
        "face_distance": _float(worker.face_distance),
        "selfie_sha256": _sha(worker.selfie),
    }


def _item(item) -> dict:
    return {
        "item": item.item_id,
        "code": item.code,
        "part": item.part,
        "requirement": item.requirement,
        "result": item.result,
        "note": item.note,
        "measured_value": _decimal(item, "measured_value"),
        "out_of_limit": bool(item.out_of_limit),
        "photo_sha256": _sha(item.photo),
        "answered_at": _datetime(item.answered_at),
        "answered_by": item.answered_by_id,
    }


def canonical(record: MaintenanceRecord) -> bytes:
    """Everything a confirmed record asserts, as sorted-key compact JSON in UTF-8 (the bytes that are hashed).

    Workers come in role order, items in id order; the chain fields (previous_seal, chain_index) are included,
    the seal itself is not.
    """
    workers = sorted(_related(record, "workers", ("user", "selfie")), key=lambda w: (w.role, w.pk))
    items = sorted(_related(record, "items", ("photo",)), key=lambda i: i.pk)
    data = {
        "format": FORMAT,
        "id": record.pk,
        "organization": record.organization_id,
        # ids, not names or codes: a register code a bureau corrects later must not break the seal
        "elevator": record.elevator_id,
        "plan": record.plan_id,
        "cycle": record.cycle,
        "work_type": record.work_type,
        "status": record.status,
        "started_at": _datetime(record.started_at),
        "received_at": _datetime(record.received_at),
        "finished_at": _datetime(record.finished_at),
        "finish_received_at": _datetime(record.finish_received_at),
        "duration_minutes": record.duration_minutes,
        "latitude": _decimal(record, "latitude"),
        "longitude": _decimal(record, "longitude"),
        "accuracy_m": record.accuracy_m,
        "distance_m": record.distance_m,
        "hazard_codes": list(record.hazard_codes or []),
        "flags": list(record.flags or []),
        "confirmation": {
            "confirmed_at": _datetime(record.confirmed_at),
            "confirmed_by": record.confirmed_by_id,
            "confirmed_name": record.confirmed_name,
            "on_site": bool(record.confirmed_on_site),
            "signature_sha256": _sha(record.signature),
        },
        "correction": {
            "corrects": record.corrects_id,
            "reason": record.correction_reason,
            "approved_by": record.correction_approved_by_id,
            "approved_at": _datetime(record.correction_approved_at),
        },
        "workers": [_worker(w) for w in workers],
        "items": [_item(i) for i in items],
        "chain_index": record.chain_index,
        "previous_seal": record.previous_seal,
    }
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def compute_seal(record: MaintenanceRecord) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


# --- sealing --------------------------------------------------------------------------------------------------


def _chain_head(organization_id) -> tuple[int, str]:
    """(chain_index, seal) of the company's last sealed record: (0, GENESIS) before its first."""
    last = (
        MaintenanceRecord._base_manager.filter(organization_id=organization_id, chain_index__isnull=False)
        .order_by("-chain_index")
        .values("chain_index", "seal")
        .first()
    )
    return (last["chain_index"], last["seal"]) if last else (0, GENESIS)


def seal_record(record: MaintenanceRecord) -> MaintenanceRecord:
    """Append a confirmed record to its company's chain; returns the record with chain_index, previous_seal, seal.

    The hash is taken over the row as stored (re-read under lock), not over unsaved changes of `record`.
    """
    with transaction.atomic():
        # one sealing at a time per company, so two records never get the same chain_index
        Organization._base_manager.select_for_update().get(pk=record.organization_id)
        locked = MaintenanceRecord._base_manager.select_for_update(of=("self",)).select_related("elevator", "signature")
        locked = locked.get(pk=record.pk)
        if locked.seal:
            raise ValidationError(_("这条维保纪录已经封存。"), code="sealed")
        if locked.status != RecordStatus.CONFIRMED:
            raise ValidationError(_("只有已确认的维保纪录可以封存。"), code="not_confirmed")
        index, previous = _chain_head(locked.organization_id)
        locked.chain_index, locked.previous_seal = index + 1, previous
        locked.seal = compute_seal(locked)
        locked.save(update_fields=["chain_index", "previous_seal", "seal"])
    record.chain_index, record.previous_seal, record.seal = locked.chain_index, locked.previous_seal, locked.seal
    return record


def assert_unsealed(record: MaintenanceRecord) -> None:
    """For services, before changing a record: refuse once it is sealed (asks the database, not a stale copy)."""
    sealed = bool(record.seal) or (
        record.pk is not None and MaintenanceRecord._base_manager.filter(pk=record.pk).exclude(seal="").exists()
    )
    if sealed:
        raise ValidationError(SEALED_MESSAGE, code="sealed")


def seal_confirmed(records) -> int:
    """Seal the confirmed, unsealed records of a queryset in the order they were confirmed, as `seal_record` would
    have one by one (records written in bulk, e.g. the demo's history); returns how many."""
    from django.db.models import Prefetch

    from .models import RecordItem, RecordWorker

    pending = (
        records.filter(status=RecordStatus.CONFIRMED, seal="")
        .select_related("signature")
        .prefetch_related(
            Prefetch("workers", RecordWorker.objects.select_related("selfie")),
            Prefetch("items", RecordItem.objects.select_related("photo")),
        )
        .order_by("confirmed_at", "pk")
    )
    with transaction.atomic():
        heads, sealed = {}, []
        for record in pending:
            company = record.organization_id
            if company not in heads:
                Organization._base_manager.select_for_update().get(pk=company)
                heads[company] = _chain_head(company)
            index, previous = heads[company]
            record.chain_index, record.previous_seal = index + 1, previous
            record.seal = compute_seal(record)
            heads[company] = (record.chain_index, record.seal)
            sealed.append(record)
        MaintenanceRecord._base_manager.bulk_update(sealed, ["chain_index", "previous_seal", "seal"], batch_size=200)
    return len(sealed)


# --- verification ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    record_id: int
    company_id: int
    kind: str  # content_changed, link_broken, index_gap, unsealed, outside_chain, file_changed, file_missing
    detail: str

    def __str__(self):
        return f"record {self.record_id} (company {self.company_id}): {self.detail}"


def _file_sha256(attachment) -> str:
    digest = hashlib.sha256()
    with attachment.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _attachments(record):
    if record.signature is not None:
        yield "signature", record.signature
    for worker in sorted(record.workers.all(), key=lambda w: (w.role, w.pk)):
        if worker.selfie is not None:
            yield f"selfie of the {worker.role} worker", worker.selfie
    for item in sorted(record.items.all(), key=lambda i: i.pk):
        if item.photo is not None:
            yield f"photo of item {item.code}", item.photo


def _check_files(record) -> list[Problem]:
    problems = []
    for what, attachment in _attachments(record):
        try:
            actual = _file_sha256(attachment)
        except (OSError, ValueError):  # ValueError: the FileField has no file name
            kind, detail = "file_missing", "is missing"
        else:
            if actual == attachment.sha256:
                continue
            kind, detail = "file_changed", "no longer matches its checksum"
        detail = f"{what} (attachment {attachment.pk}) {detail}"
        problems.append(Problem(record.pk, record.organization_id, kind, detail))
    return problems


def _chain(organization_id):
    return (
        MaintenanceRecord._base_manager.filter(organization_id=organization_id, chain_index__isnull=False)
        .select_related("elevator", "signature")
        .prefetch_related("workers__user", "workers__selfie", "items__photo")
        .order_by("chain_index")
        .iterator(chunk_size=_CHUNK)
    )


def _chain_problems(record, expected_index, previous_seal, previous_id) -> list[tuple[str, str]]:
    """What is wrong with one record of a chain, given what the record before it left: [(kind, detail)]."""
    found = []
    if record.chain_index != expected_index:
        if expected_index == 1:
            found.append(("index_gap", f"chain starts at {record.chain_index} instead of 1"))
        else:
            found.append(("index_gap", f"chain index {record.chain_index} follows {expected_index - 1}"))
    if record.previous_seal != previous_seal:
        after = f"record {previous_id}" if previous_id else "the start of the chain"
        found.append(("link_broken", f"previous seal does not match {after}: a record was removed or reordered"))
    if not record.seal:
        found.append(("content_changed", "seal removed"))
    elif compute_seal(record) != record.seal:
        found.append(("content_changed", "content changed since sealing"))
    return found


def _verify_one_chain(organization_id, check_files) -> list[Problem]:
    problems = []
    expected_index, previous_seal, previous_id = 1, GENESIS, None
    for record in _chain(organization_id):
        for kind, detail in _chain_problems(record, expected_index, previous_seal, previous_id):
            problems.append(Problem(record.pk, organization_id, kind, detail))
        if check_files:
            problems.extend(_check_files(record))
        expected_index, previous_seal, previous_id = record.chain_index + 1, record.seal, record.pk
    return problems


def verify_chain(organization_id=None, *, check_files=True) -> list[Problem]:
    """Walk each company's chain (or one company's) and list what is wrong; an empty list means all is intact.

    `QuerySet.update()`, raw SQL and file swaps pass the save guard (records.signals); this is what finds them.
    """
    records = MaintenanceRecord._base_manager.all()
    if organization_id is not None:
        records = records.filter(organization_id=organization_id)
    problems = []
    outside = records.filter(chain_index__isnull=True).filter(Q(status=RecordStatus.CONFIRMED) | ~Q(seal=""))
    for pk, company, seal in outside.order_by("organization_id", "pk").values_list("pk", "organization_id", "seal"):
        if seal:
            problems.append(Problem(pk, company, "outside_chain", "sealed record has no place in the chain"))
        else:
            problems.append(Problem(pk, company, "unsealed", "confirmed record without seal"))
    chained = records.filter(chain_index__isnull=False)
    for company in chained.order_by("organization_id").values_list("organization_id", flat=True).distinct():
        problems.extend(_verify_one_chain(company, check_files))
    return problems
