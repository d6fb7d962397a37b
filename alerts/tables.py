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


# --- 维保合同到期预警 ------------------------------------------------------------------------------------------

from contracts.models import MaintenanceContract  # noqa: E402


class ContractLevelCol(TierLevelCol):
    """The contract's level: the badge, the lead time reached (90/60/30 天内) and the days."""

    def words(self, record, left):
        reached = rules.contract_tier(self.get(record), self.today)
        return days_text(left) if reached is None else f"{tier_text(reached)} · {days_text(left)}"


class RenewCol(ActionLinkCol):
    """续签: a new contract prefilled from this one, for whoever may add contracts (the company's administrators)."""

    def __init__(self, *args, **kwargs):
        super().__init__("contracts:create", gettext_lazy("续签"), "add", "contracts.MaintenanceContract", **kwargs)

    def prepare(self, name, model):
        Col.prepare(self, name, model)  # not ActionLinkCol's: the link is a query on the create page, not a pk URL
        self.url_parts = [f"{reverse('contracts:create')}?renew=", ""]
        self._allowed = None

    def html(self, record):
        if not self.allowed():
            return ""
        return format_html(
            '<a class="btn btn-sm btn-outline-success text-nowrap" href="{}{}" data-testid="renew">{}</a>',
            self.url_parts[0],
            self.get(record),
            self.label,
        )


class ContractWarningTable(ObjectTable):
    number = LinkCol("contracts:detail", verbose_name=gettext_lazy("合同编号"), css="text-nowrap")
    maintenance_company = Col(accessor="maintenance_company__name", verbose_name=gettext_lazy("维保单位"))
    use_unit = Col(accessor="use_unit__name", verbose_name=gettext_lazy("使用单位"))
    elevator_codes = Col(accessor="elevator_codes", verbose_name=gettext_lazy("电梯"), css="small")
    starts_on = Col(verbose_name=gettext_lazy("服务期限起"), css="text-nowrap")
    ends_on = Col(verbose_name=gettext_lazy("服务期限止"), css="text-nowrap")
    level = ContractLevelCol(accessor="ends_on", verbose_name=gettext_lazy("预警级别"), css="text-nowrap")
    renew = RenewCol()

    class Meta(ObjectTable.Meta):
        model = MaintenanceContract
        attrs = {**ObjectTable.Meta.attrs, "id": "warning-table"}


# --- 人员证书到期预警 -----------------------------------------------------------------------------------------------

from accounts.models import User  # noqa: E402 - this block is appended on its own
from core.tenancy import scope_for  # noqa: E402
from organizations.models import OrganizationQualification  # noqa: E402
from records.models import MaintenanceRecord  # noqa: E402


class CertificateLevelCol(LevelCol):
    """A certificate's level: yellow 临期 with the days left, red 已过期 with the days since, red 无资质 without one."""

    def parts(self, record):
        valid_until = self.get(record)
        if valid_until is None:
            return rules.OVERDUE, None
        return super().parts(record)

    def words(self, record, left) -> str:
        if left is None:
            return ""
        if left < 0:
            return _("已过期 %(n)s 天") % {"n": -left}
        return days_text(left)

    def label(self, level, left) -> str:
        if left is None:
            return _("无资质")
        return _("已过期") if level == rules.OVERDUE else level_label(level)

    def text(self, record):
        level, left = self.parts(record)
        return f"{self.label(level, left)} {self.words(record, left)}".strip()

    def html(self, record):
        level, left = self.parts(record)
        return format_html(
            '<span class="badge text-bg-{}" data-level="{}">{}</span> <span class="small">{}</span>',
            LEVEL_COLOURS[level],
            level,
            self.label(level, left),
            self.words(record, left),
        )


class CertificateWarningTable(ObjectTable):
    name = LinkCol("accounts:user_detail", accessor="full_name", verbose_name=gettext_lazy("姓名"))
    username = Col(verbose_name=gettext_lazy("用户名"))
    company = Col(accessor="organization__name", verbose_name=gettext_lazy("所属单位"))
    certificate_number = Col(verbose_name=gettext_lazy("证书编号"), css="text-nowrap")
    certificate_until = Col(verbose_name=gettext_lazy("资质有效期至"), css="text-nowrap")
    level = CertificateLevelCol(accessor="certificate_until", verbose_name=gettext_lazy("预警级别"), css="text-nowrap")
    renew = ActionLinkCol("accounts:user_qualification", gettext_lazy("更新资质"), "change", "accounts.User")

    class Meta(ObjectTable.Meta):
        model = User
        attrs = {**ObjectTable.Meta.attrs, "id": "warning-table"}


class OwnUnitLinkCol(ActionLinkCol):
    """更新资质 of a unit: for its own administrators and the operator, who submit its qualification (a bureau
    reviews the qualifications, it does not renew them)."""

    def html(self, record):
        request = getattr(self.table, "request", None)
        scope = scope_for(request.user) if request else None
        if scope is None or not (scope.is_operator or (scope.is_admin and scope.organization_id == self.get(record))):
            return ""
        return super().html(record)


class CompanyQualificationWarningTable(ObjectTable):
    """The maintenance companies' own qualification near or past its end (a second table on the same page)."""

    company = LinkCol("organizations:detail", accessor="organization__name", verbose_name=gettext_lazy("维保单位"))
    certificate_number = Col(verbose_name=gettext_lazy("资质证书编号"), css="text-nowrap")
    status = Col(verbose_name=gettext_lazy("审核状态"), css="text-nowrap")
    valid_until = Col(verbose_name=gettext_lazy("资质有效期至"), css="text-nowrap")
    level = CertificateLevelCol(accessor="valid_until", verbose_name=gettext_lazy("预警级别"), css="text-nowrap")
    renew = OwnUnitLinkCol(
        "organizations:qualification",
        gettext_lazy("更新资质"),
        "submit_qualification",
        "organizations.Organization",
        pk_from="organization_id",
    )

    class Meta(ObjectTable.Meta):
        model = OrganizationQualification
        attrs = {**ObjectTable.Meta.attrs, "id": "company-warning-table"}


# --- 维保记录待确认预警 -------------------------------------------------------------------------------------------


def hours_text(minutes: int) -> str:
    """ "已等待 5 小时 12 分"."""
    return _("已等待 %(h)s 小时 %(m)s 分") % {"h": minutes // 60, "m": minutes % 60}


class ConfirmationLevelCol(Col):
    """待确认's level from the submission time: yellow 待确认 up to 24 hours, red 超时未确认 beyond, with the wait."""

    def prepare(self, name, model):
        super().prepare(name, model)
        self.now = timezone.now()

    def parts(self, record):
        submitted = self.get(record)
        return rules.confirmation_level(submitted, self.now), rules.waiting_minutes(submitted, self.now)

    @staticmethod
    def label(level) -> str:
        return _("超时未确认") if level == rules.OVERDUE else _("待确认")

    def text(self, record):
        level, minutes = self.parts(record)
        return f"{self.label(level)} {hours_text(minutes)}"

    def html(self, record):
        level, minutes = self.parts(record)
        return format_html(
            '<span class="badge text-bg-{}" data-level="{}">{}</span> <span class="small">{}</span>',
            LEVEL_COLOURS[level],
            level,
            self.label(level),
            hours_text(minutes),
        )


class HoursCol(Col):
    """The whole hours a record has waited (the export's number)."""

    def prepare(self, name, model):
        super().prepare(name, model)
        self.now = timezone.now()

    def text(self, record):
        return rules.waiting_minutes(self.get(record), self.now) // 60


class UseUnitActionLinkCol(ActionLinkCol):
    """确认 for the use unit's people only (the operator reads the warnings; it does not sign for a use unit)."""

    def allowed(self):
        if self._allowed is None:
            request = getattr(self.table, "request", None)
            self._allowed = bool(request and scope_for(request.user).kind == "use_unit" and super().allowed())
        return self._allowed


class ConfirmationWarningTable(ObjectTable):
    number = LinkCol("records:detail", accessor="pk", verbose_name=gettext_lazy("纪录编号"), css="text-nowrap")
    register_code = Col(accessor="elevator__register_code", verbose_name=gettext_lazy("注册代码"), css="text-nowrap")
    building = Col(accessor="elevator__building", verbose_name=gettext_lazy("小区/大厦"))
    use_unit = Col(accessor="use_unit_name", verbose_name=gettext_lazy("使用单位"))
    company = Col(accessor="company_name", verbose_name=gettext_lazy("维保单位"))
    submitted_at = Col(verbose_name=gettext_lazy("提交时间"), css="text-nowrap")
    hours = HoursCol(accessor="submitted_at", verbose_name=gettext_lazy("等待小时数"), css="text-nowrap")
    level = ConfirmationLevelCol(accessor="submitted_at", verbose_name=gettext_lazy("预警级别"), css="text-nowrap")
    confirm = UseUnitActionLinkCol("records:confirm", gettext_lazy("确认"), "confirm", "records.MaintenanceRecord")

    class Meta(ObjectTable.Meta):
        model = MaintenanceRecord
        attrs = {**ObjectTable.Meta.attrs, "id": "warning-table"}


# --- 限速器检验预警 ------------------------------------------------------------------------------------------------

from django.utils.http import urlencode  # noqa: E402  (kept with its kind's block)


class GovernorReportCol(ActionLinkCol):
    """录入校验报告: the inspection-report page with the kind preset to 限速器校验, back to the warning once saved."""

    def prepare(self, name, model):
        super().prepare(name, model)
        query = urlencode({"kind": InspectionKind.GOVERNOR, "next": reverse("alerts:governor")})
        self.url_parts[1] = f"{self.url_parts[1]}?{query}"


class GovernorWarningTable(ObjectTable):
    register_code = LinkCol("elevators:detail", verbose_name=gettext_lazy("注册代码"), css="text-nowrap")
    building = Col(verbose_name=gettext_lazy("小区/大厦"))
    use_unit = Col(accessor="use_unit_name", verbose_name=gettext_lazy("使用单位"))
    drive_type = Col(verbose_name=gettext_lazy("驱动方式"), css="text-nowrap")
    governor_since = Col(verbose_name=gettext_lazy("限速器启用日期"), css="text-nowrap")
    governor_calibrated_on = Col(verbose_name=gettext_lazy("上次校验日期"), css="text-nowrap")
    next_governor_calibration = Col(verbose_name=gettext_lazy("下次校验日期"), css="text-nowrap")
    level = LevelCol(accessor="next_governor_calibration", verbose_name=gettext_lazy("预警级别"), css="text-nowrap")
    record = GovernorReportCol(
        "elevators:inspection_create", gettext_lazy("录入校验报告"), "add", "elevators.InspectionReport"
    )

    class Meta(ObjectTable.Meta):
        model = Elevator
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
