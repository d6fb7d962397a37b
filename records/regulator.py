"""The Chongqing regulator platform's record (《电梯维保记录上报接口规范 V1.5》, `elevator/maintenanceRecord`): what a
confirmed record says in the platform's twenty fields, and what would make the platform (or the written rule)
refuse it. Sending it is a later issue; the record page and the API show it now.

Five people stand behind a record: the use unit's head (unitPrincipal), its safety manager (elevatorAdminister),
the company's maintenance manager (workMenegerName, sic), and the two workers. Their phones must all differ.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import WorkerQualification
from maintenance.models import MaintenancePlan, PlanStatus

from .models import RecordStatus

__all__ = ["v15_payload", "v15_problems", "TIME_FORMAT"]

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
PHONE_FIELDS = (
    "unitPrincipalPhone",
    "elevatorAdministerPhone",
    "workMenegerPhone",
    "workMan1Phone",
    "workMan2Phone",
)


def _time(value) -> str:
    return timezone.localtime(value).strftime(TIME_FORMAT) if value else ""


def _certificate(user) -> str:
    """A worker as the platform knows him: by his 特种设备作业人员证 number (its `queryWorkList` id is looked up
    by this number when records are sent)."""
    latest = WorkerQualification.objects.filter(user=user).order_by(*WorkerQualification.CURRENT_FIRST).first()
    return latest.certificate_number if latest else ""


def v15_payload(record) -> dict:
    """The record in the platform's fields (strings, as its form body takes them; problemCode a list)."""
    elevator = record.elevator
    use_unit, company = elevator.use_unit, record.organization
    workers = list(record.workers.select_related("user").order_by("role"))
    first = workers[0].user if workers else None
    second = workers[1].user if len(workers) > 1 else None
    manager = record.confirmed_by
    next_plan = (
        MaintenancePlan.objects.filter(elevator=elevator, status=PlanStatus.PLANNED, due_date__gt=timezone.localdate())
        .order_by("due_date")
        .values_list("due_date", flat=True)
        .first()
    )
    return {
        "elevatorCode": elevator.register_code,
        "deviceCode": elevator.register_code,
        "unitPrincipal": use_unit.legal_representative,
        "unitPrincipalPhone": use_unit.legal_representative_phone,
        "elevatorAdminister": manager.display_name if manager else record.confirmed_name,
        "elevatorAdministerPhone": (manager.phone if manager else "") or use_unit.contact_phone,
        "emergencyPhone": company.contact_phone,
        "insideNumber": elevator.internal_number,
        "workMenegerName": company.contact_name,
        "workMenegerPhone": company.contact_phone,
        "workMan1Id": _certificate(first) if first else "",
        "workMan1Phone": first.phone if first else "",
        "workMan2Id": _certificate(second) if second else "",
        "workMan2Phone": second.phone if second else "",
        "startTime": _time(record.started_at),
        "endTime": _time(record.finished_at),
        "workType": record.work_type,
        "recorder": first.display_name if first else "",
        "recorderPhone": first.phone if first else "",
        "originalRecordId": str(record.pk),
        "problemCode": list(record.hazard_codes),
        "nextMaintenanceDate": next_plan.isoformat() if next_plan else "",
    }


def v15_problems(record, payload: dict | None = None) -> list[str]:
    """Why the platform (or its written rule) would refuse the record: not confirmed, a field empty, two of the
    five people sharing a phone."""
    payload = payload or v15_payload(record)
    problems = []
    if record.status != RecordStatus.CONFIRMED:
        problems.append(_("纪录尚未经使用单位确认。"))
    optional = {"insideNumber", "nextMaintenanceDate"}
    empty = [name for name, value in payload.items() if name not in optional and value in ("", [], None)]
    if empty:
        problems.append(_("以下字段为空：%(fields)s。") % {"fields": ", ".join(empty)})
    phones = [payload.get(field) for field in PHONE_FIELDS if payload.get(field)]
    if len(phones) != len(set(phones)):
        problems.append(_("使用单位负责人、安全管理员、维保负责人和两名维保人员的电话必须各不相同。"))
    return problems
