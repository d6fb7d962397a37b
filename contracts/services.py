"""维保合同: create, edit and terminate, each checked whole before anything is saved, and audited.

The rules (messages for people, in Chinese):
- the company is the actor's (the operator names it); the use unit is a use unit;
- 合同编号 is required and unique within the company;
- 签订日期 is not later than today; 服务期限止 is not earlier than 服务期限起 (a check constraint holds it too);
- the elevators (at least one) are all of that use unit and maintained by that company;
- the contract is a PDF of at most 20 MB, through the platform's upload checks (required on creation, replaced on
  edit when a new one is given);
- 提前终止 takes a date between the signature and the end of the service period and a reason, once.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.policies import require
from core.tenancy import scope_for
from core.uploads import PDF, save_attachment, validate_upload
from elevators.models import Elevator
from organizations.models import Organization

from .models import MaintenanceContract

__all__ = [
    "CONTRACT_MAX_BYTES",
    "FIELDS",
    "create_contract",
    "renewal_initial",
    "terminate_contract",
    "update_contract",
]

CONTRACT_MAX_BYTES = 20 * 1024 * 1024  # what Chongqing's platform takes
FIELDS = ("maintenance_company", "use_unit", "number", "signed_on", "starts_on", "ends_on")
NUMBER_MAX = 60
PURPOSE = "contract"


def _as_date(value, field, errors):
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            errors[field] = [_("请按“年-月-日”填写日期，例如 2026-05-31。")]
            return None
    return value


def _ids(elevators) -> list[int]:
    return list(dict.fromkeys(getattr(e, "pk", e) for e in elevators or ()))


def _clean(contract: MaintenanceContract, data: dict, upload, *, creating: bool) -> tuple[list, object]:
    """Apply `data` to the (unsaved or locked) contract and check everything; one ValidationError names every bad
    field. Returns the elevators and the checked file (or None)."""
    errors = {}
    if "use_unit" in data:
        use_unit = data["use_unit"]
        contract.use_unit_id = getattr(use_unit, "pk", use_unit)
    if not contract.use_unit_id:
        errors["use_unit"] = [_("请选择使用单位。")]
    elif not Organization.objects.filter(pk=contract.use_unit_id, kind="use_unit").exists():
        errors["use_unit"] = [_("所选单位不是使用单位。")]
    if "number" in data:
        contract.number = (data["number"] or "").strip()
    if not contract.number:
        errors["number"] = [_("请填写合同编号。")]
    elif len(contract.number) > NUMBER_MAX:
        errors["number"] = [_("合同编号最多 %(n)s 个字符。") % {"n": NUMBER_MAX}]
    elif (
        MaintenanceContract.objects.filter(maintenance_company_id=contract.maintenance_company_id)
        .filter(number=contract.number)
        .exclude(pk=contract.pk)
        .exists()
    ):
        errors["number"] = [_("本单位已有编号为 %(number)s 的维保合同。") % {"number": contract.number}]
    for name in ("signed_on", "starts_on", "ends_on"):
        if name in data:
            setattr(contract, name, _as_date(data[name], name, errors))
    labels = {
        "signed_on": _("请填写签订日期。"),
        "starts_on": _("请填写服务期限起。"),
        "ends_on": _("请填写服务期限止。"),
    }
    for name, message in labels.items():
        if getattr(contract, name) is None:
            errors.setdefault(name, [message])
    if contract.signed_on and contract.signed_on > timezone.localdate():
        errors.setdefault("signed_on", [_("签订日期不能晚于今天。")])
    if contract.starts_on and contract.ends_on and contract.ends_on < contract.starts_on:
        errors.setdefault("ends_on", [_("服务期限止不能早于服务期限起。")])
    elevators = None
    if "elevators" in data or creating:
        ids = _ids(data.get("elevators"))
        if not ids:
            errors["elevators"] = [_("请至少选择一台电梯。")]
        elif contract.use_unit_id and "use_unit" not in errors:
            found = list(
                Elevator.objects.filter(
                    pk__in=ids, use_unit_id=contract.use_unit_id, maintenance_company_id=contract.maintenance_company_id
                ).order_by("register_code")
            )
            if len(found) != len(ids):
                errors["elevators"] = [_("只能选择该使用单位由本单位维保的电梯。")]
            elevators = found
    checked = None
    if upload is not None:
        try:
            checked = validate_upload(upload, kinds=PDF, max_bytes=CONTRACT_MAX_BYTES)
        except ValidationError as exc:
            errors["contract_file"] = exc.messages
    elif creating:
        errors["contract_file"] = [_("请上传合同文件（PDF，不超过 20 MB）。")]
    if errors:
        raise ValidationError(errors)
    return elevators, checked


def _snapshot(contract, elevators=None) -> dict:
    values = audit.snapshot(contract, FIELDS)
    if elevators is not None:
        values["elevators"] = "、".join(e.register_code for e in elevators)
    return values


def _company_of(actor, data):
    """The actor's company; the operator names one (`maintenance_company`)."""
    scope = scope_for(actor)
    if scope.is_operator:
        company = data.get("maintenance_company")
        company_id = getattr(company, "pk", company)
        if not company_id or not Organization.objects.filter(pk=company_id, kind="maintenance_company").exists():
            raise ValidationError({"maintenance_company": [_("请选择维保单位。")]})
        return company_id
    if scope.kind != "maintenance_company":
        raise ValidationError(_("只有维保单位可以录入维保合同。"))
    return scope.organization_id


@transaction.atomic
def create_contract(*, actor, data: dict, upload=None, request=None) -> MaintenanceContract:
    """录入 a contract of the actor's company with its elevators and its PDF; nothing is saved when anything is
    wrong."""
    contract = MaintenanceContract(maintenance_company_id=_company_of(actor, data))
    require(actor, "add", contract)
    elevators, checked = _clean(contract, data, upload, creating=True)
    contract.created_by = actor if getattr(actor, "is_authenticated", False) else None
    contract.save()
    contract.elevators.set(elevators)
    contract.contract_file = save_attachment(checked, contract, PURPOSE, actor)
    contract.save(update_fields=["contract_file", "updated_at"])
    changes = audit.created({**_snapshot(contract, elevators), "contract_file": checked.name})
    audit.record(actor, "create", contract, changes=changes, request=request)
    return contract


@transaction.atomic
def update_contract(contract, *, actor, data: dict, upload=None, reason: str = "", request=None):
    """Change the fields in `data` (and the elevators, and the file when a new one is given); audited with the
    reason. A terminated contract is not edited."""
    require(actor, "change", contract)
    locked = MaintenanceContract.objects.select_for_update().get(pk=contract.pk)
    if locked.terminated_on is not None:
        raise ValidationError(_("已终止的维保合同不能修改。"))
    current = list(locked.elevators.order_by("register_code"))
    before = {**_snapshot(locked, current), "contract_file": getattr(locked.contract_file, "original_name", None)}
    elevators, checked = _clean(locked, data, upload, creating=False)
    locked._change_reason = reason
    locked.save()
    if elevators is not None and {e.pk for e in elevators} != {e.pk for e in current}:
        locked.elevators.set(elevators)
    else:
        elevators = current
    if checked is not None:
        locked.contract_file = save_attachment(checked, locked, PURPOSE, actor)
        locked.save(update_fields=["contract_file", "updated_at"])
    after = {**_snapshot(locked, elevators), "contract_file": getattr(locked.contract_file, "original_name", None)}
    audit.record_changes(actor, locked, before, after, reason=reason, request=request)
    return locked


@transaction.atomic
def terminate_contract(contract, *, actor, terminated_on, reason: str, request=None):
    """提前终止: the date (from the signature to the end of the service period: a contract not started yet may be
    cancelled) and the reason; once."""
    require(actor, "change", contract)
    locked = MaintenanceContract.objects.select_for_update().get(pk=contract.pk)
    errors = {}
    if locked.terminated_on is not None:
        raise ValidationError(_("这份维保合同已于 %(date)s 终止。") % {"date": locked.terminated_on})
    terminated_on = _as_date(terminated_on, "terminated_on", errors)
    reason = (reason or "").strip()
    if terminated_on is None:
        errors.setdefault("terminated_on", [_("请填写终止日期。")])
    elif terminated_on < locked.signed_on or terminated_on > locked.ends_on:
        errors["terminated_on"] = [
            _("终止日期应在签订日期和服务期限止之间（%(start)s 至 %(end)s）。")
            % {"start": locked.signed_on, "end": locked.ends_on}
        ]
    if not reason:
        errors["reason"] = [_("请填写终止原因。")]
    if errors:
        raise ValidationError(errors)
    locked.terminated_on = terminated_on
    locked.termination_reason = reason[:500]
    locked._change_reason = reason[:100]
    locked.save()
    audit.record(
        actor,
        "terminate",
        locked,
        changes={"terminated_on": [None, str(terminated_on)]},
        reason=reason,
        request=request,
    )
    return locked


def renewal_initial(previous: MaintenanceContract) -> dict:
    """续签: the new contract's form prefilled from the old one (same parties and elevators, the period following
    on, as long as the old one)."""
    from datetime import timedelta

    length = previous.ends_on - previous.starts_on
    starts = previous.ends_on + timedelta(days=1)
    return {
        "use_unit": previous.use_unit_id,
        "signed_on": timezone.localdate(),
        "starts_on": starts,
        "ends_on": starts + length,
        "elevators": list(previous.elevators.values_list("pk", flat=True)),
    }
