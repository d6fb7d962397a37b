from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import MenuItem, Section
from core.policies import can
from core.tenancy import scope_for

ALERTS = Section("alerts", _("电梯维保预警"), 35)  # the seed's 二十、电梯维保预警


def _reads_plans(user) -> bool:
    scope = scope_for(user)
    return scope.is_operator or scope.kind in ("maintenance_company", "use_unit", "regulator")


def _reads_elevators(user) -> bool:
    scope = scope_for(user)
    return scope.is_operator or scope.kind in ("maintenance_company", "use_unit", "regulator", "inspection_institute")


def _reads_certificates(user) -> bool:
    """人员证书到期预警: the administrators of a company or a bureau (the page lists accounts) and the operator."""
    scope = scope_for(user)
    return scope.is_operator or (scope.is_admin and scope.kind in ("maintenance_company", "regulator"))


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("电梯维保预警")
    api_routers = {"/warnings": "alerts.api.router"}
    menu_items = [
        MenuItem(ALERTS, _("维保预警查询"), "alerts:maintenance", visible=_reads_plans, order=10),
        MenuItem(ALERTS, _("年检预警"), "alerts:inspection", visible=_reads_elevators, order=20),
        MenuItem(ALERTS, _("组件寿命预警"), "alerts:component", visible=_reads_plans, order=40),
        # 人员证书到期预警 and 维保记录待确认预警
        MenuItem(ALERTS, _("人员证书到期预警"), "alerts:certificate", visible=_reads_certificates, order=60),
        MenuItem(ALERTS, _("维保记录待确认预警"), "alerts:confirmation", visible=_reads_plans, order=70),
        MenuItem(
            ALERTS,
            _("维保合同到期预警"),
            "alerts:contract",
            visible=lambda user: can(user, "list", "contracts.MaintenanceContract"),
            order=50,
        ),
        MenuItem(ALERTS, _("限速器检验预警"), "alerts:governor", visible=_reads_elevators, order=30),
        # --- 应急演练预警 and 年度自行检查预警 ---
        MenuItem(ALERTS, _("应急演练预警"), "alerts:drill", visible=_reads_plans, order=42),
        MenuItem(ALERTS, _("年度自行检查预警"), "alerts:selfcheck", visible=_reads_plans, order=25),
        MenuItem(
            ALERTS,
            _("预警设置"),
            "alerts:settings",
            visible=lambda user: can(user, "list", "alerts.AlertSettings") and not scope_for(user).is_operator,
            order=90,
        ),
    ]
