"""Who reads and acts on maintenance records (维保纪录)."""

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.policies import Policy, register
from core.tenancy import VIEW, in_area, scope_for

__all__ = ["MaintenanceRecordPolicy", "RepairPolicy"]


@register("records.MaintenanceRecord")
class MaintenanceRecordPolicy(Policy):
    """A company reads its records (a worker those he worked on or of his groups' elevators); the use unit reads
    and confirms its elevators'; a bureau, rescue or inspection unit reads its area's."""

    denied = {
        "confirm": _("只有电梯使用单位的人员可以确认维保纪录。"),
        "approve_correction": _("只有维保单位的管理员可以批准更正。"),
        "correct": _("只有本次维保的维保人员或本单位管理员可以发起更正。"),
        "edit_correction": _("只有这次维保的维保人员可以填写更正。"),
        "list_flagged": _("存疑纪录只对维保单位和监管部门开放。"),
    }

    def rows(self, scope, action):
        Elevator = apps.get_model("elevators", "Elevator")
        if scope.kind == "maintenance_company":
            if scope.is_admin:
                return Q(organization_id=scope.organization_id)
            RecordWorker = apps.get_model("records", "RecordWorker")
            from maintenance.policies import group_elevator_ids

            own = Q(pk__in=RecordWorker.objects.filter(user_id=scope.user_id).values("record_id"))
            groups = Q(elevator_id__in=group_elevator_ids(scope.user_id))
            return Q(organization_id=scope.organization_id) & (own | groups)
        if scope.kind == "use_unit":
            return Q(elevator_id__in=Elevator.objects.filter(use_unit_id=scope.organization_id).values("id"))
        if action == VIEW and scope.kind in ("regulator", "rescue_unit", "inspection_institute"):
            return Q(elevator_id__in=Elevator.objects.filter(in_area(scope)).values("id"))
        return None

    def can_confirm(self, user, obj=None):
        scope = scope_for(user)
        return scope.kind == "use_unit" and (obj is None or self.in_rows(user, obj, VIEW))

    def can_approve_correction(self, user, obj=None):
        scope = scope_for(user)
        return scope.is_admin and scope.kind == "maintenance_company" and (obj is None or self.in_rows(user, obj))

    def can_correct(self, user, obj=None):
        """更正 (records.services.start_correction's rule): the company's administrators, or a worker of the visit."""
        scope = scope_for(user)
        if scope.kind != "maintenance_company":
            return False
        if obj is None:
            return True
        if obj.organization_id != scope.organization_id:
            return False
        return scope.is_admin or _worked_on(user, obj)

    def can_edit_correction(self, user, obj=None):
        """A correction's items and its finish are the visit's workers' (records.services.answer_item's rule)."""
        scope = scope_for(user)
        if scope.kind != "maintenance_company":
            return False
        if obj is None:
            return True
        return obj.corrects_id is not None and obj.organization_id == scope.organization_id and _worked_on(user, obj)

    def can_list_flagged(self, user, obj=None):
        """存疑纪录: the companies (their own records) and the regulators (their area's)."""
        return scope_for(user).kind in ("maintenance_company", "regulator")


def _worked_on(user, record) -> bool:
    RecordWorker = apps.get_model("records", "RecordWorker")
    return RecordWorker.objects.filter(record_id=record.pk, user_id=user.pk).exists()


@register("records.Repair")
class RepairPolicy(Policy):
    """维修纪录: the company keeps its repairs (its people open and update them); the use unit and the bureaus of
    the area read them."""

    denied = {
        "add": _("只有维保单位的人员可以新增维修纪录。"),
        "change": _("只有本单位的人员可以修改维修纪录。"),
    }

    def rows(self, scope, action):
        Elevator = apps.get_model("elevators", "Elevator")
        if scope.kind == "maintenance_company":
            return Q(organization_id=scope.organization_id)
        if action != VIEW:
            return None
        if scope.kind == "use_unit":
            return Q(elevator_id__in=Elevator.objects.filter(use_unit_id=scope.organization_id).values("id"))
        if scope.kind in ("regulator", "rescue_unit", "inspection_institute"):
            return Q(elevator_id__in=Elevator.objects.filter(in_area(scope)).values("id"))
        return None

    def can_add(self, user, obj=None):
        return scope_for(user).kind == "maintenance_company"

    def can_change(self, user, obj=None):
        scope = scope_for(user)
        return scope.kind == "maintenance_company" and (obj is None or obj.organization_id == scope.organization_id)
