from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.policies import can
from core.tables import Col, LinkCol, ObjectTable
from elevators import inspection
from elevators.models import Component, Elevator, InspectionKind
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
        left = rules.days_left(self.get(record), self.today)
        level = rules.OVERDUE if left < 0 else rules.NEAR
        return level, left

    def words(self, record, left) -> str:
        return days_text(left)

    def text(self, record):
        level, left = self.parts(record)
        return f"{level_label(level)} {self.words(record, left)}"

    def html(self, record):
        level, left = self.parts(record)
        return format_html(
            '<span class="badge text-bg-{}" data-level="{}">{}</span> <span class="small">{}</span>',
            LEVEL_COLOURS[level],
            level,
            level_label(level),
            self.words(record, left),
        )


def tier_text(days: int) -> str:
    """ "60 天内", "30 天内", "7 天内"."""
    return _("%(n)s 天内") % {"n": days}


class TierLevelCol(LevelCol):
    """年检预警's level: the badge, then the lead time reached (60/30/7 天内) and the days."""

    def words(self, record, left):
        reached = rules.tier(self.get(record), self.today)
        return days_text(left) if reached is None else f"{tier_text(reached)} · {days_text(left)}"


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


class InspectionKindCol(Col):
    """定期检验 or 自行检测: the kind of the date's calendar year (TSG T7001), from the elevator's base date."""

    def prepare(self, name, model):
        super().prepare(name, model)
        self.names = dict(InspectionKind.choices)

    def text(self, record):
        day = record.next_inspection_date
        if day is None:
            return ""
        return str(self.names.get(inspection.kind_on(record.inspection_base_date, day), ""))


class ActionLinkCol(Col):
    """A link to act on the row (录入检验结果, 更换), shown when the person may take that action on the model."""

    def __init__(self, url_name, label, action, target, *args, pk_from="pk", **kwargs):
        kwargs.setdefault("exclude_from_export", True)
        kwargs.setdefault("accessor", pk_from)
        kwargs.setdefault("verbose_name", "")
        super().__init__(*args, **kwargs)
        self.url_name, self.label, self.action, self.target = url_name, label, action, target

    def prepare(self, name, model):
        super().prepare(name, model)
        self.url_parts = reverse(self.url_name, args=[987654321]).split("987654321")
        self._allowed = None  # asked once per table, on the first row (the table is set after prepare)

    def allowed(self):
        if self._allowed is None:
            request = getattr(self.table, "request", None)
            self._allowed = bool(request and can(request.user, self.action, self.target))
        return self._allowed

    def html(self, record):
        if not self.allowed():
            return ""
        return format_html(
            '<a class="btn btn-sm btn-outline-primary text-nowrap" href="{}{}{}">{}</a>',
            self.url_parts[0],
            self.get(record),
            self.url_parts[1],
            self.label,
        )


class InspectionWarningTable(ObjectTable):
    register_code = LinkCol("elevators:detail", verbose_name=gettext_lazy("注册代码"), css="text-nowrap")
    building = Col(verbose_name=gettext_lazy("小区/大厦"))
    use_unit = Col(accessor="use_unit_name", verbose_name=gettext_lazy("使用单位"))
    kind = InspectionKindCol(accessor="next_inspection_date", verbose_name=gettext_lazy("检验类别"), css="text-nowrap")
    next_inspection_date = Col(verbose_name=gettext_lazy("下次检验日期"), css="text-nowrap")
    level = TierLevelCol(accessor="next_inspection_date", verbose_name=gettext_lazy("预警级别"), css="text-nowrap")
    record = ActionLinkCol(
        "elevators:inspection_create", gettext_lazy("录入检验结果"), "add", "elevators.InspectionReport"
    )

    class Meta(ObjectTable.Meta):
        model = Elevator
        attrs = {**ObjectTable.Meta.attrs, "id": "warning-table"}


class ComponentWarningTable(ObjectTable):
    register_code = Col(accessor="elevator__register_code", verbose_name=gettext_lazy("注册代码"), css="text-nowrap")
    building = Col(accessor="elevator__building", verbose_name=gettext_lazy("小区/大厦"))
    name = Col(verbose_name=gettext_lazy("组件名称"))
    installed_on = Col(verbose_name=gettext_lazy("安装日期"), css="text-nowrap")
    lifespan_months = Col(verbose_name=gettext_lazy("寿命（月）"), css="text-nowrap")
    expires_on = Col(verbose_name=gettext_lazy("寿命到期日"), css="text-nowrap")
    level = LevelCol(accessor="expires_on", verbose_name=gettext_lazy("预警级别"), css="text-nowrap")
    replace = ActionLinkCol("alerts:component_replace", gettext_lazy("更换"), "replace", "elevators.Component")

    class Meta(ObjectTable.Meta):
        model = Component
        attrs = {**ObjectTable.Meta.attrs, "id": "warning-table"}


# --- 应急演练预警 and 年度自行检查预警 ------------------------------------------------------------------------------


class DrillLastCol(Col):
    """The category's last drill, linked to its page (— when never drilled)."""

    def prepare(self, name, model):
        super().prepare(name, model)
        self.url_parts = reverse("drills:detail", args=[987654321]).split("987654321")

    def html(self, record):
        if record.last_drill is None:
            return format_html('<span class="text-muted">{}</span>', _("未演练"))
        if record.last_drill_id is None:
            return str(record.last_drill)
        return format_html(
            '<a href="{}{}{}" data-testid="last-drill">{}</a>',
            self.url_parts[0],
            record.last_drill_id,
            self.url_parts[1],
            record.last_drill,
        )


class DrillRecordCol(Col):
    """登记演练 for the company's administrators, with the category's elevators chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("exclude_from_export", True)
        kwargs.setdefault("accessor", "category")
        kwargs.setdefault("verbose_name", "")
        super().__init__(*args, **kwargs)

    def prepare(self, name, model):
        super().prepare(name, model)
        self.url = reverse("drills:create")
        self._own = None

    def own(self):
        if self._own is None:
            from core.tenancy import scope_for

            request = getattr(self.table, "request", None)
            user = request.user if request else None
            allowed = bool(user and can(user, "add", "drills.EmergencyDrill"))
            self._own = scope_for(user).organization_id if allowed else 0
        return self._own

    def html(self, record):
        if not self.own() or record.organization_id != self.own():
            return ""
        return format_html(
            '<a class="btn btn-sm btn-outline-success text-nowrap" href="{}?category={}" '
            'data-testid="drill-record">{}</a>',
            self.url,
            record.category,
            _("登记演练"),
        )


class DrillWarningTable(ObjectTable):
    organization = Col(accessor="organization_name", verbose_name=gettext_lazy("维保单位"))
    category = Col(accessor="category_label", verbose_name=gettext_lazy("电梯类别"), css="text-nowrap")
    elevator_count = Col(verbose_name=gettext_lazy("电梯台数"), css="text-nowrap")
    last_drill = DrillLastCol(verbose_name=gettext_lazy("最近演练日期"), css="text-nowrap")
    due_date = Col(verbose_name=gettext_lazy("应演练日期"), css="text-nowrap")
    level = LevelCol(accessor="due_date", verbose_name=gettext_lazy("预警级别"), css="text-nowrap")
    record = DrillRecordCol()

    class Meta(ObjectTable.Meta):
        attrs = {**ObjectTable.Meta.attrs, "id": "warning-table"}


class SelfcheckWarningTable(ObjectTable):
    register_code = LinkCol("elevators:detail", verbose_name=gettext_lazy("注册代码"), css="text-nowrap")
    building = Col(verbose_name=gettext_lazy("小区/大厦"))
    use_unit = Col(accessor="use_unit_name", verbose_name=gettext_lazy("使用单位"))
    kind = InspectionKindCol(accessor="next_inspection_date", verbose_name=gettext_lazy("检验类别"), css="text-nowrap")
    next_inspection_date = Col(verbose_name=gettext_lazy("下次检验日期"), css="text-nowrap")
    level = LevelCol(accessor="next_inspection_date", verbose_name=gettext_lazy("预警级别"), css="text-nowrap")
    last_annual = Col(verbose_name=gettext_lazy("最近年度维保"), css="text-nowrap")

    class Meta(ObjectTable.Meta):
        model = Elevator
        attrs = {**ObjectTable.Meta.attrs, "id": "warning-table"}
