"""电梯维护保养试点申请 (seed 004): a use unit or maintenance company applies for the improved maintenance mode for a
batch of elevators; the bureau the routing rule names (city or district) accepts, reviews and approves it, or returns
it; approval puts the elevators on 按需维保 with the approved modes, interval and start.

The application keeps both units' basic information as the applicant wrote it (prefilled from the ledger, editable),
the conformity declaration and the modes, the information system's description and seven kinds of documents.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Filing
from core.models import StatusField
from core.tenancy import TenantManager

__all__ = ["Identity", "PilotStatus", "Document", "PilotApplication", "PilotElevator"]


class Identity(models.TextChoices):
    """申请单位身份."""

    USE_UNIT = "use_unit", _("使用单位")
    MAINTENANCE_COMPANY = "maintenance_company", _("维保单位")


class PilotStatus(models.TextChoices):
    """任务状态."""

    DRAFT = "draft", _("未提交")
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    REVIEWED = "reviewed", _("已审核")
    APPROVED = "approved", _("已审批")
    RETURNED = "returned", _("退回申请")


EDITABLE = (PilotStatus.DRAFT, PilotStatus.RETURNED)
IN_PROGRESS = (PilotStatus.SUBMITTED, PilotStatus.ACCEPTED, PilotStatus.REVIEWED)


class Document(models.TextChoices):
    """上传附件: the seven documents of the seed's table, in its order."""

    APPLICATION_LETTER = "application_letter", _("试点申请书")
    COMMITMENT = "commitment", _("承诺书")
    MAINTENANCE_PLAN = "maintenance_plan", _("维护保养方案")
    INSURANCE = "insurance", _("电梯保险证明")
    IOT_SECURITY_REPORT = "iot_security_report", _("物联网监测系统安全评价报告")
    IOT_FUNCTIONS = "iot_functions", _("物联网监测系统功能和故障代码说明")
    CONTRACT = "contract", _("维保合同")


class PilotApplication(Filing, models.Model):
    NUMBER_PREFIX = "SD"

    identity = models.CharField(_("申请单位身份"), max_length=20, choices=Identity.choices)
    status = StatusField(_("任务状态"), choices=PilotStatus.choices, default=PilotStatus.DRAFT)
    applicant = models.ForeignKey(
        "organizations.Organization", verbose_name=_("申请单位"), on_delete=models.PROTECT, related_name="+"
    )
    use_unit = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("使用单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    maintenance_company = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("维保单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "organizations.Region",
        verbose_name=_("所在区县"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    city = models.ForeignKey(
        "organizations.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    regulator = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("处理机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    routing_note = models.CharField(_("处理机构确定依据"), max_length=200, blank=True)

    # 申请单位基本信息 (as written on the application; prefilled from the ledger)
    use_unit_name = models.CharField(_("使用单位名称"), max_length=100, blank=True)
    use_unit_address = models.CharField(_("使用单位地址"), max_length=200, blank=True)
    use_unit_credit_code = models.CharField(_("使用单位统一社会信用代码"), max_length=18, blank=True)
    use_unit_legal_representative = models.CharField(_("使用单位法定代表人（负责人）"), max_length=50, blank=True)
    use_unit_legal_phone = models.CharField(_("使用单位法定代表人电话"), max_length=30, blank=True)
    use_unit_contact = models.CharField(_("使用单位联系人"), max_length=50, blank=True)
    use_unit_contact_phone = models.CharField(_("使用单位联系人电话"), max_length=30, blank=True)
    company_name = models.CharField(_("维保单位名称"), max_length=100, blank=True)
    company_address = models.CharField(_("维保单位地址"), max_length=200, blank=True)
    company_credit_code = models.CharField(_("维保单位统一社会信用代码"), max_length=18, blank=True)
    company_legal_representative = models.CharField(_("维保单位法定代表人（负责人）"), max_length=50, blank=True)
    company_legal_phone = models.CharField(_("维保单位法定代表人电话"), max_length=30, blank=True)
    company_contact = models.CharField(_("维保单位联系人"), max_length=50, blank=True)
    company_contact_phone = models.CharField(_("维保单位联系人电话"), max_length=30, blank=True)

    # 申请条件符合性声明
    accident_in_three_years = models.BooleanField(_("近三年是否发生过电梯安全责任事故"), null=True, blank=True)
    information_system = models.BooleanField(_("维保工作是否采取信息化管理系统"), null=True, blank=True)
    information_system_url = models.URLField(_("信息查询网址"), max_length=200, blank=True)
    # 采取试点的电梯维护保养模式
    iot_monitoring = models.BooleanField(_("实施物联网监测"), null=True, blank=True)
    full_package = models.BooleanField(_("实施“大包维保”、“全包维保”"), null=True, blank=True)
    system_description = models.TextField(_("维保工作信息化管理系统介绍"), max_length=5000, blank=True)

    requirements_agreed_at = models.DateTimeField(_("同意试点工作要求时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.TextField(_("退回原因"), max_length=500, blank=True)
    # what the approval grants
    interval_days = models.PositiveSmallIntegerField(_("批准的维保间隔（天）"), null=True, blank=True)
    starts_on = models.DateField(_("按需维保开始日期"), null=True, blank=True)
    elevators = models.ManyToManyField(
        "elevators.Elevator", through="PilotElevator", related_name="pilot_applications", verbose_name=_("试点电梯")
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("电梯维护保养试点申请")
        verbose_name_plural = _("电梯维护保养试点申请")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["applicant", "-id"], name="pilot_applicant"),
            models.Index(fields=["regulator", "status", "-id"], name="pilot_regulator_status"),
            models.Index(fields=["city", "status", "-id"], name="pilot_city_status"),
        ]

    def __str__(self):
        return f"{self.number} {self.use_unit_name or self.company_name}"

    def get_absolute_url(self):
        return reverse("pilot:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE


class PilotElevator(models.Model):
    """维保试点电梯: one elevator of the batch."""

    application = models.ForeignKey(PilotApplication, on_delete=models.CASCADE, related_name="lines")
    elevator = models.ForeignKey("elevators.Elevator", on_delete=models.PROTECT, related_name="pilot_lines")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "elevator"], name="uniq_pilot_elevator")]
        indexes = [models.Index(fields=["elevator", "application"], name="pilotline_elevator")]
