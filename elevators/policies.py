"""Who may see and change the ledger (电梯台账) and handle problem reports."""

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.policies import Policy, register
from core.tenancy import CHANGE, VIEW, in_area, scope_for

__all__ = ["ElevatorPolicy", "ComponentPolicy", "ProblemReportPolicy", "InspectionReportPolicy", "elevator_rows"]


def elevator_rows(scope, action):
    """Companies and use units reach their own elevators; bureaus, rescue and inspection units their area."""
    if scope.kind == "maintenance_company":
        return Q(maintenance_company_id=scope.organization_id)
    if scope.kind == "use_unit":
        return Q(use_unit_id=scope.organization_id)
    if action != VIEW:
        return None  # regulators change the ledger through applications, never by hand
    if scope.kind in ("regulator", "rescue_unit", "inspection_institute"):
        return in_area(scope)
    if scope.kind == "manufacturer":
        return Q(manufacturer_id=scope.organization_id)
    return None


def _records_elevators(user) -> bool:
    """维保单位 and 使用单位 administrators record elevators (the operator passes every check)."""
    scope = scope_for(user)
    return scope.is_admin and scope.kind in ("maintenance_company", "use_unit")


@register("elevators.Elevator")
class ElevatorPolicy(Policy):
    denied = {
        "add": _("您不能新增电梯。"),
        "change": _("您不能修改这台电梯的信息。"),
        "correct_code": _("注册代码只能由平台运营方或电梯所在地的监管部门更正。"),
        "delete": _("只有录入这台电梯的单位可以删除它，且仅限待登记、没有任何记录的电梯。"),
    }

    def rows(self, scope, action):
        return elevator_rows(scope, action)

    def can_add(self, user, obj=None):
        return _records_elevators(user)

    def can_change(self, user, obj=None):
        return _records_elevators(user) and (obj is None or self.in_rows(user, obj, CHANGE))

    can_import = can_add

    def can_correct_code(self, user, obj=None):
        """注册代码更正: the operator, or a bureau whose area holds the elevator (it registers elevators)."""
        scope = scope_for(user)
        if scope.is_operator:
            return True
        return scope.kind == "regulator" and scope.is_admin and (obj is None or self.in_rows(user, obj, VIEW))

    def can_delete(self, user, obj=None):
        """An elevator recorded by mistake: the unit that recorded it (or the operator) deletes it while it is
        still 待登记 and nothing has been recorded about it — never the other party to the elevator."""
        scope = scope_for(user)
        if scope.is_operator:
            return obj is None or is_deletable(obj)
        if not self.can_change(user, obj):
            return False
        if obj is None:
            return True
        recorder = getattr(obj.created_by, "organization_id", None) if obj.created_by_id else None
        return recorder == scope.organization_id and is_deletable(obj)


@register("elevators.Component")
class ComponentPolicy(Policy):
    """组件: read with the elevator; 更换 (from 组件寿命预警) by the administrators of the company that maintains it,
    whose replacement becomes a 维修纪录 (the operator may reset the dates too)."""

    denied = {"replace": _("只有电梯的维保单位管理员可以更换组件。")}

    def rows(self, scope, action):
        condition = elevator_rows(scope, action)
        if condition is None:
            return None
        Elevator = apps.get_model("elevators", "Elevator")
        return Q(elevator_id__in=Elevator.objects.filter(condition).values("id"))

    def can_replace(self, user, obj=None):
        scope = scope_for(user)
        return (
            scope.is_admin and scope.kind == "maintenance_company" and (obj is None or self.in_rows(user, obj, CHANGE))
        )


def is_deletable(elevator) -> bool:
    return elevator.status == "pending_registration" and not elevator.problem_reports.exists()


@register("elevators.ProblemReport")
class ProblemReportPolicy(Policy):
    """Reports from the public QR page reach the maintenance company; whoever sees the elevator sees them."""

    denied = {"handle": _("只有维保单位可以处理问题上报。")}

    def rows(self, scope, action):
        if action != VIEW:
            if scope.kind != "maintenance_company":
                return None
            return Q(elevator__maintenance_company_id=scope.organization_id)
        elevator = elevator_rows(scope, VIEW)
        if elevator is None:
            return None
        Elevator = apps.get_model("elevators", "Elevator")
        return Q(elevator_id__in=Elevator.objects.filter(elevator).values("pk"))

    def can_list(self, user, obj=None):
        return scope_for(user).kind in ("maintenance_company", "use_unit")

    def can_handle(self, user, obj=None):
        if scope_for(user).kind != "maintenance_company":
            return False
        return obj is None or self.in_rows(user, obj, CHANGE)


def _records_inspections(scope) -> bool:
    """Who records inspection reports at all: the administrators of maintenance companies and use units, and the
    people of inspection institutes (the operator passes every check)."""
    if scope.kind == "inspection_institute":
        return True
    return scope.is_admin and scope.kind in ("maintenance_company", "use_unit")


@register("elevators.InspectionReport")
class InspectionReportPolicy(Policy):
    """电梯检验报告: whoever reads the elevator reads them; its company's and its use unit's administrators, and the
    inspection institutes of its area, record them. Reports are never edited (a new report supersedes one)."""

    denied = {"add": _("只有电梯的维保单位、使用单位管理员或所在地的检验机构可以录入检验结果。")}

    def rows(self, scope, action):
        elevator = elevator_rows(scope, VIEW)
        if elevator is None:
            return None
        if action != VIEW:
            if not _records_inspections(scope):
                return None
        Elevator = apps.get_model("elevators", "Elevator")
        return Q(elevator_id__in=Elevator.objects.filter(elevator).values("pk"))

    def can_add(self, user, obj=None):
        """obj: an unsaved report naming its elevator (InspectionReport(elevator=…))."""
        scope = scope_for(user)
        if scope.is_operator:
            return True
        if not _records_inspections(scope):
            return False
        if obj is None:
            return True
        Elevator = apps.get_model("elevators", "Elevator")
        rows = elevator_rows(scope, VIEW)
        return rows is not None and Elevator.objects.filter(rows, pk=obj.elevator_id).exists()
