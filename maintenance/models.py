"""维保项目: the TSG T5002-2017 item catalogue (annexes A–D) and the items a company adds on top of it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import StatusField
from core.tenancy import TenantManager

__all__ = [
    "Annex",
    "Cycle",
    "Judgement",
    "Condition",
    "MaintenanceItem",
    "ANNEX_OF_GROUP",
    "CYCLE_RANK",
    "CYCLE_OF_QUARTER",
    "AvoidDays",
    "PlanningSettings",
    "Holiday",
    "OnDemandMaintenance",
    "MaintenanceGroup",
    "GroupAssignment",
    "PlanStatus",
    "MaintenancePlan",
    "PlanJob",
]


class Annex(models.TextChoices):
    TRACTION = "A", _("附件A 曳引与强制驱动电梯")
    HYDRAULIC = "B", _("附件B 液压驱动电梯")
    DUMBWAITER = "C", _("附件C 杂物电梯")
    ESCALATOR = "D", _("附件D 自动扶梯与自动人行道")


class Cycle(models.TextChoices):
    """Cumulative: a deeper cycle's visit does every item of the shallower ones too."""

    HALF_MONTH = "half_month", _("半月")
    QUARTER = "quarter", _("季度")
    HALF_YEAR = "half_year", _("半年")
    ANNUAL = "annual", _("年度")


CYCLE_RANK = {Cycle.HALF_MONTH: 1, Cycle.QUARTER: 2, Cycle.HALF_YEAR: 3, Cycle.ANNUAL: 4}
CYCLE_OF_TABLE = {1: Cycle.HALF_MONTH, 2: Cycle.QUARTER, 3: Cycle.HALF_YEAR, 4: Cycle.ANNUAL}
# the visit that closes the n-th quarter of a plan year is of this cycle (0: an ordinary half-month visit)
CYCLE_OF_QUARTER = {0: Cycle.HALF_MONTH, 1: Cycle.QUARTER, 2: Cycle.HALF_YEAR, 3: Cycle.QUARTER, 4: Cycle.ANNUAL}

# the ledger's parameter group (elevators.catalogue) → the annex of its items; 防爆电梯 and 消防员电梯 keep the
# traction parameters but follow their manufacturer's maintenance list
ANNEX_OF_GROUP = {
    "traction": Annex.TRACTION,
    "hydraulic": Annex.HYDRAULIC,
    "dumbwaiter": Annex.DUMBWAITER,
    "escalator": Annex.ESCALATOR,
}
MANUFACTURER_LIST_CATEGORIES = {"3410", "3420"}


class Judgement(models.TextChoices):
    QUALITATIVE = "qualitative", _("定性判断")
    STANDARD = "standard", _("符合标准值")
    MANUFACTURER = "manufacturer", _("制造单位要求")
    NUMERIC = "numeric", _("数值限值")


class Condition(models.TextChoices):
    NONE = "", _("无")
    BEFORE_RAINY_SEASON = "before_rainy_season", _("雨季到来之前完成")
    BEFORE_WINTER = "before_winter", _("冬季到来之前完成")


class MaintenanceItem(models.Model):
    """One item: the regulation's (organization empty, never edited or removed) or a company's own."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("维保单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="maintenance_items",
        limit_choices_to={"kind": "maintenance_company"},
    )
    annex = models.CharField(_("适用附件"), max_length=1, choices=Annex.choices)
    cycle = models.CharField(_("维保周期"), max_length=12, choices=Cycle.choices)
    cycle_rank = models.PositiveSmallIntegerField(editable=False, default=1)  # 1 半月 … 4 年度, for sorting
    number = models.PositiveSmallIntegerField(_("序号"))
    code = models.CharField(_("项目编号"), max_length=20)
    part = models.CharField(_("项目(内容)"), max_length=100)
    requirement = models.CharField(_("基本要求"), max_length=300)
    judgement = models.CharField(_("判定方式"), max_length=12, choices=Judgement.choices, default=Judgement.QUALITATIVE)
    lower_limit = models.DecimalField(_("下限"), max_digits=10, decimal_places=3, null=True, blank=True)
    upper_limit = models.DecimalField(_("上限"), max_digits=10, decimal_places=3, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    needs_photo = models.BooleanField(_("需拍照留证"), default=False)
    condition = models.CharField(_("时节条件"), max_length=24, choices=Condition.choices, blank=True, default="")
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("维保项目")
        verbose_name_plural = _("维保项目")
        ordering = ["annex", "cycle_rank", "number", "code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["annex", "code"],
                condition=models.Q(organization__isnull=True),
                name="uniq_regulation_item_code",
            ),
            models.UniqueConstraint(fields=["organization", "annex", "code"], name="uniq_company_item_code"),
        ]
        indexes = [models.Index(fields=["organization", "annex", "cycle"], name="item_org_annex_cycle")]

    def __str__(self):
        return f"{self.code} {self.part}"

    def save(self, *args, **kwargs):
        self.cycle_rank = CYCLE_RANK.get(self.cycle, 1)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("maintenance:item_detail", args=[self.pk])

    @property
    def is_regulation(self) -> bool:
        return self.organization_id is None

    @property
    def source_label(self) -> str:
        return str(_("TSG T5002-2017")) if self.organization_id is None else str(_("本单位"))


# --- 维保计划: planning settings, the holiday calendar, on-demand elevators, groups and plans ---------------


class AvoidDays(models.TextChoices):
    NONE = "", _("不避开")
    HOLIDAYS = "holidays", _("避开法定节假日")
    DAYS_OFF = "days_off", _("避开节假日和周末（按调休安排）")


class PlanningSettings(models.Model):
    """A maintenance company's planning preferences (which days its plans avoid)."""

    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.CASCADE, related_name="planning_settings"
    )
    avoid = models.CharField(_("排期避开"), max_length=12, choices=AvoidDays.choices, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("排期设置")
        verbose_name_plural = _("排期设置")

    def __str__(self):
        return str(self.organization)


class Holiday(models.Model):
    """节假日调整: a day the operator declares off (法定节假日) or working (调休上班), over what the `holidays`
    package knows (the State Council announces a year's arrangement late in the year before)."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("调休上班"), default=False)
    name = models.CharField(_("名称"), max_length=40)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date} {self.name}"

    def get_absolute_url(self):
        return reverse("maintenance:holiday_edit", args=[self.pk])


class OnDemandMaintenance(models.Model):
    """按需维保: an elevator whose half-month interval is an approved number of days (the Chongqing pilot)."""

    elevator = models.OneToOneField("elevators.Elevator", on_delete=models.CASCADE, related_name="on_demand")
    interval_days = models.PositiveSmallIntegerField(_("维保间隔（天）"))
    starts_on = models.DateField(_("按需维保开始日期"))
    note = models.CharField(_("批准依据"), max_length=200)
    iot_monitoring = models.BooleanField(_("实施物联网监测"), default=False)
    full_package = models.BooleanField(_("实施“大包维保”、“全包维保”"), default=False)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("按需维保")
        verbose_name_plural = _("按需维保")

    def __str__(self):
        return f"{self.elevator} / {self.interval_days}"


class MaintenanceGroup(models.Model):
    """维保小组: workers of one company with a leader; any member may maintain any of the group's elevators."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("维保单位"),
        on_delete=models.CASCADE,
        related_name="maintenance_groups",
        limit_choices_to={"kind": "maintenance_company"},
    )
    name = models.CharField(_("小组名称"), max_length=40)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("组长"), on_delete=models.PROTECT, related_name="led_groups"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("组员"), related_name="maintenance_groups", blank=True
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("维保小组")
        verbose_name_plural = _("维保小组")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="uniq_group_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("maintenance:group_detail", args=[self.pk])


class GroupAssignment(models.Model):
    """An elevator's group: at most one, of the company that maintains it."""

    elevator = models.OneToOneField("elevators.Elevator", on_delete=models.CASCADE, related_name="group_assignment")
    group = models.ForeignKey(MaintenanceGroup, on_delete=models.CASCADE, related_name="assignments")
    assigned_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["group", "elevator"], name="assign_group_elevator")]


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("待维保")
    DONE = "done", _("已完成")
    CLOSED = "closed", _("已关闭")


class MaintenancePlan(models.Model):
    """One planned visit (维保计划) of an elevator: its date, its cycle and its place in the plan year."""

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("维保单位"), on_delete=models.CASCADE, related_name="+"
    )
    elevator = models.ForeignKey(
        "elevators.Elevator", verbose_name=_("电梯"), on_delete=models.CASCADE, related_name="maintenance_plans"
    )
    year_start = models.DateField(_("计划起始日期"))
    position = models.PositiveSmallIntegerField(_("年内序号"))
    quarter = models.PositiveSmallIntegerField(default=0)  # 1–4: the visit closes that quarter of the year
    cycle = models.CharField(_("维保类型"), max_length=12, choices=Cycle.choices)
    due_date = models.DateField(_("计划日期"))
    original_date = models.DateField(_("原计划日期"))
    status = StatusField(_("状态"), choices=PlanStatus.choices, default=PlanStatus.PLANNED, db_index=False)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    closed_reason = models.CharField(_("关闭原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("维保计划")
        verbose_name_plural = _("维保计划")
        ordering = ["due_date", "id"]
        constraints = [
            # generating again never duplicates a visit: one open plan per elevator and day
            models.UniqueConstraint(
                fields=["elevator", "due_date"],
                condition=models.Q(status="planned"),
                name="uniq_open_plan_per_day",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "due_date", "id"], name="plan_org_due"),
            models.Index(fields=["elevator", "due_date"], name="plan_elevator_due"),
            # a company's open plans in due order (维保预警 pages through them by (due_date, id), bench/README.md)
            models.Index(fields=["organization", "status", "due_date", "id"], name="plan_org_status_due_id"),
            # 维保预警 of a bureau or use unit: the open plans in due order, the area's picked as they come
            models.Index(fields=["due_date", "id"], condition=models.Q(status="planned"), name="plan_open_due"),
        ]

    def __str__(self):
        return f"{self.elevator} {self.due_date} {self.get_cycle_display()}"

    def get_absolute_url(self):
        return reverse("maintenance:plan_detail", args=[self.pk])


class PlanJob(models.Model):
    """新增维保计划 for a filtered selection, run in the background with its progress shown."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    start_date = models.DateField(_("计划起始日期"))
    elevator_ids = models.JSONField(default=list)
    description = models.CharField(_("选择条件"), max_length=300, blank=True)
    status = StatusField(_("状态"), choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("电梯数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    created_plans = models.PositiveIntegerField(_("生成计划数"), default=0)
    skipped = models.JSONField(default=list)  # [[elevator id, register code, reason], …]
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("维保计划生成任务")
        verbose_name_plural = _("维保计划生成任务")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.start_date} × {self.total}"

    def get_absolute_url(self):
        return reverse("maintenance:plan_job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.is_finished else int(100 * self.processed / self.total) if self.total else 0
