from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.tables import Col, LinkCol, ObjectTable
from maintenance.models import MaintenancePlan

from . import rules

LEVEL_COLOURS = {rules.NEAR: "warning", rules.OVERDUE: "danger"}  # the seed: near is yellow, past is red


def level_label(level: str) -> str:
    return _("临期") if level == rules.NEAR else _("逾期")


def days_text(left: int) -> str:
    """ "还有 2 天", "今天到期", "逾期 3 天"."""
    if left > 0:
        return _("还有 %(n)s 天") % {"n": left}
    if left == 0:
        return _("今天到期")
    return _("逾期 %(n)s 天") % {"n": -left}


class LevelCol(Col):
    """预警级别 from the due date: a yellow 临期 or red 逾期 badge with the days (the window is the query's)."""

    def prepare(self, name, model):
        super().prepare(name, model)
        self.today = timezone.localdate()

    def parts(self, record):
        left = rules.days_left(record.due_date, self.today)
        level = rules.OVERDUE if left < 0 else rules.NEAR
        return level, left

    def text(self, record):
        level, left = self.parts(record)
        return f"{level_label(level)} {days_text(left)}"

    def html(self, record):
        level, left = self.parts(record)
        return format_html(
            '<span class="badge text-bg-{}" data-level="{}">{}</span> <span class="small">{}</span>',
            LEVEL_COLOURS[level],
            level,
            level_label(level),
            days_text(left),
        )


class MaintenanceWarningTable(ObjectTable):
    register_code = Col(accessor="elevator__register_code", verbose_name=gettext_lazy("注册代码"), css="text-nowrap")
    building = Col(accessor="elevator__building", verbose_name=gettext_lazy("小区/大厦"))
    use_unit = Col(accessor="use_unit_name", verbose_name=gettext_lazy("使用单位"))
    cycle = Col(verbose_name=gettext_lazy("维保类型"), css="text-nowrap")
    due_date = LinkCol("maintenance:plan_detail", verbose_name=gettext_lazy("计划日期"), css="text-nowrap")
    level = LevelCol(accessor="due_date", verbose_name=gettext_lazy("预警级别"), css="text-nowrap")
    group = Col(accessor="group_name", verbose_name=gettext_lazy("维保小组"))

    class Meta(ObjectTable.Meta):
        model = MaintenancePlan
        attrs = {**ObjectTable.Meta.attrs, "id": "warning-table"}
