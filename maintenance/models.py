"""维保项目: the TSG T5002-2017 item catalogue (annexes A–D) and the items a company adds on top of it."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.tenancy import TenantManager

__all__ = ["Annex", "Cycle", "Judgement", "Condition", "MaintenanceItem", "ANNEX_OF_GROUP", "CYCLE_RANK"]


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
