"""维保项目: the items a visit of a cycle does on an elevator, and a company's own items."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.tenancy import scope_for
from elevators.catalogue import group_of

from ..models import ANNEX_OF_GROUP, CYCLE_RANK, MANUFACTURER_LIST_CATEGORIES, MaintenanceItem

__all__ = ["items_for", "annex_for", "create_item", "update_item", "ITEM_FIELDS"]

ITEM_FIELDS = [
    "annex",
    "cycle",
    "part",
    "requirement",
    "judgement",
    "lower_limit",
    "upper_limit",
    "unit",
    "needs_photo",
    "condition",
    "is_active",
]


def annex_for(device_category: str):
    """The annex of a 设备品种: its parameter group's (elevators.catalogue), except 防爆 and 消防员电梯, which
    follow their manufacturer's list (None)."""
    if device_category in MANUFACTURER_LIST_CATEGORIES:
        return None
    return ANNEX_OF_GROUP[group_of(device_category)]


def items_for(annex: str, cycle: str, organization_id=None):
    """The items a visit of `cycle` does under `annex`: the regulation's tables up to that cycle (cumulative),
    with the company's own active items of those cycles."""
    queryset = MaintenanceItem.objects.filter(annex=annex, cycle_rank__lte=CYCLE_RANK[cycle], is_active=True)
    if organization_id is None:
        return queryset.filter(organization__isnull=True)
    return queryset.filter(organization__isnull=True) | queryset.filter(organization_id=organization_id)


def _check_limits(item: MaintenanceItem) -> None:
    errors = {}
    if item.judgement == "numeric" and item.lower_limit is None and item.upper_limit is None:
        errors["lower_limit"] = _("数值限值的项目至少要填写下限或上限。")
    if item.lower_limit is not None and item.upper_limit is not None and item.lower_limit > item.upper_limit:
        errors["upper_limit"] = _("上限不能小于下限。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_item(*, actor, data: dict, request=None) -> MaintenanceItem:
    """新增 a company's own item, numbered after its other items of that annex and cycle (e.g. A-1-Q3)."""
    scope = scope_for(actor)
    if scope.kind != "maintenance_company":
        raise ValidationError(_("只有维保单位可以新增本单位的维保项目。"))
    item = MaintenanceItem(organization_id=scope.organization_id, **{k: data.get(k) for k in ITEM_FIELDS if k in data})
    item.is_active = data.get("is_active", True)
    table = CYCLE_RANK.get(item.cycle, 0)
    taken = MaintenanceItem.objects.filter(
        organization_id=scope.organization_id, annex=item.annex, cycle=item.cycle
    ).count()
    item.number = taken + 1
    item.code = f"{item.annex}-{table}-Q{item.number}"
    _check_limits(item)
    item.full_clean()
    item.save()
    audit.record(actor, "create", item, changes=audit.created(audit.snapshot(item, ITEM_FIELDS)), request=request)
    return item


@transaction.atomic
def update_item(item: MaintenanceItem, *, actor, data: dict, reason: str = "", request=None) -> MaintenanceItem:
    if item.organization_id is None:
        raise ValidationError(_("TSG T5002 规定的项目不能修改。"))
    locked = MaintenanceItem.objects.select_for_update().get(pk=item.pk)
    before = audit.snapshot(locked, ITEM_FIELDS)
    for field in ITEM_FIELDS:
        if field in data and field not in ("annex", "cycle"):
            setattr(locked, field, data[field])
    _check_limits(locked)
    locked.full_clean()
    locked.save()
    audit.record_changes(actor, locked, before, audit.snapshot(locked, ITEM_FIELDS), reason=reason, request=request)
    return locked
