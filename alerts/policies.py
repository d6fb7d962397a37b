"""Who may see and change 预警设置 (the warnings themselves are maintenance plans: their policy applies)."""

from django.utils.translation import gettext_lazy as _

from core.policies import register
from maintenance.policies import CompanySettingsPolicy

__all__ = ["AlertSettingsPolicy"]


@register("alerts.AlertSettings")
class AlertSettingsPolicy(CompanySettingsPolicy):
    """A company's 预警设置: its people read it, its administrators set it (the first save creates the row)."""

    denied = {
        "list": _("预警设置属于维保单位。"),
        "add": _("只有维保单位的管理员可以修改预警设置。"),
        "change": _("只有本单位的管理员可以修改预警设置。"),
    }
