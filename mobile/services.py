"""What the worker's phone needs for a day on site, in one answer it can cache: the visits of his groups
(overdue, today, the coming week; nearest first when the phone gives its position), the item lists those visits
will do (so a visit can start and be filled without signal), and his visits in progress."""

from datetime import date, timedelta

from django.utils import timezone

from maintenance.models import MaintenancePlan, PlanStatus
from maintenance.policies import group_elevator_ids
from maintenance.services import annex_for
from records.models import WORK_TYPE_OF_CYCLE, MaintenanceRecord, RecordStatus
from records.services import GOVERNOR_TEST_ITEMS, calibration_note, distance_m, items_due, work_type_for

__all__ = ["AHEAD", "OVERDUE_SINCE", "MAX_VISITS", "agenda"]

AHEAD = timedelta(days=7)  # upcoming visits shown (and their items cached)
OVERDUE_SINCE = timedelta(days=30)  # overdue visits older than this are the office's problem, not the phone's
MAX_VISITS = 300


def _item(item) -> dict:
    return {
        "item_id": item.pk,
        "code": item.code,
        "part": item.part,
        "requirement": item.requirement,
        "judgement": item.judgement,
        "unit": item.unit,
        "lower_limit": None if item.lower_limit is None else float(item.lower_limit),
        "upper_limit": None if item.upper_limit is None else float(item.upper_limit),
        "needs_photo": item.needs_photo,
    }


def _elevator(elevator) -> dict:
    return {
        "id": elevator.pk,
        "register_code": elevator.register_code,
        "qr_token": elevator.qr_token,
        "building": elevator.building,
        "address": elevator.address,
        "latitude": None if elevator.latitude is None else float(elevator.latitude),
        "longitude": None if elevator.longitude is None else float(elevator.longitude),
        "geofence_m": elevator.geofence_m,
        "use_unit": elevator.use_unit.name if elevator.use_unit_id else "",
        # 已更换 names the ledger's component it replaced (its dates start again)
        "components": [
            {"id": c.pk, "name": c.name, "expires_on": c.expires_on.isoformat()}
            for c in sorted(elevator.components.all(), key=lambda c: (c.name, c.pk))
        ],
    }


def agenda(user, *, today: date | None = None, latitude=None, longitude=None) -> dict:
    """The phone's day: visits of the user's groups due from a month ago to a week ahead, with their items."""
    today = today or timezone.localdate()
    plans = (
        MaintenancePlan.objects.visible_to(user)
        .filter(
            status=PlanStatus.PLANNED,
            elevator_id__in=group_elevator_ids(user.pk),
            due_date__gte=today - OVERDUE_SINCE,
            due_date__lte=today + AHEAD,
        )
        .select_related("elevator__use_unit", "elevator__on_demand")
        .prefetch_related("elevator__components")
        .order_by("due_date", "id")[:MAX_VISITS]
    )
    catalogues: dict[str, list] = {}
    visits = []
    for plan in plans:
        elevator = plan.elevator
        annex = annex_for(elevator.device_category) or "A"
        key = f"{annex}:{plan.cycle}:{elevator.maintenance_company_id}"
        if key not in catalogues:
            catalogues[key] = [_item(i) for i in items_due(elevator, plan.cycle, today)]
        entry = {
            "plan_id": plan.pk,
            "due_date": plan.due_date.isoformat(),
            "cycle": plan.cycle,
            "cycle_label": str(plan.get_cycle_display()),
            "work_type": work_type_for(elevator, plan.cycle),
            "when": "overdue" if plan.due_date < today else "today" if plan.due_date == today else "upcoming",
            "catalogue": key,
            # the age-conditional part of an item, by code (the governor's calibration in annual visits)
            "notes": {
                code: note
                for code in GOVERNOR_TEST_ITEMS
                if code.startswith(annex) and (note := calibration_note(code, elevator, today))
            }
            if plan.cycle == "annual"
            else {},
            "elevator": _elevator(elevator),
            "distance_m": None,
        }
        if latitude is not None and longitude is not None and elevator.has_location:
            entry["distance_m"] = distance_m(latitude, longitude, elevator.latitude, elevator.longitude)
        visits.append(entry)
    order = {"overdue": 0, "today": 1, "upcoming": 2}
    visits.sort(
        key=lambda v: (
            order[v["when"]],
            v["distance_m"] if v["distance_m"] is not None and v["when"] != "upcoming" else float("inf"),
            v["due_date"],
        )
    )
    return {
        "today": today.isoformat(),
        "generated_at": timezone.now().isoformat(),  # the phone trusts "no longer in progress" only after this
        "visits": visits,
        "catalogues": catalogues,
        "in_progress": in_progress(user),
        "default_work_types": {cycle: str(code) for cycle, code in WORK_TYPE_OF_CYCLE.items()},
    }


def in_progress(user) -> list[dict]:
    """The user's visits not yet finished (his own, and corrections he repeats), with their items' state."""
    records = (
        MaintenanceRecord.objects.visible_to(user)
        .filter(status=RecordStatus.IN_PROGRESS, workers__user=user)
        .select_related("elevator__use_unit")
        .prefetch_related("items__item", "workers__user", "elevator__components")
        .order_by("-started_at")[:20]
    )
    return [record_state(r) for r in records]


def record_state(record) -> dict:
    """A record as the phone keeps it: its items (with the catalogue's rules) and what was answered."""
    return {
        "id": record.pk,
        "status": record.status,
        "cycle": record.cycle,
        "work_type": record.work_type,
        "join_code": record.join_code,
        "started_at": record.started_at.isoformat(),
        "corrects": record.corrects_id,
        "elevator": _elevator(record.elevator),
        "workers": [
            {"name": w.user.display_name, "role": w.role, "me": False, "user_id": w.user_id}
            for w in sorted(record.workers.all(), key=lambda w: w.role)
        ],
        "items": [
            {
                **_item(entry.item),
                "requirement": entry.requirement,  # the record's copy, with what this visit adds
                "record_item_id": entry.pk,
                "result": entry.result,
                "note": entry.note,
                "measured_value": None if entry.measured_value is None else float(entry.measured_value),
                "has_photo": entry.photo_id is not None,
            }
            for entry in sorted(record.items.all(), key=lambda e: e.pk)
        ],
    }
