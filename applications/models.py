"""监管申请: what a maintenance company or use unit asks of the bureau about its elevators, and the answer.

Five kinds (seed 000 §十四–十八): 使用登记, 维保单位变更, 停用登记, 停用后启用登记, 报废登记. An application is
drafted by the applicant, submitted to the bureau responsible for the elevators' district (`regulator`, fixed at
each submission), and approved, returned (退回: the applicant edits and submits again) or rejected. Approval is what
moves an elevator's status (`applications.services.approve`). The elevators of one application share their use
unit and district, so one bureau decides it; the parties are kept on the row (use unit, maintenance company at
filing, new company) so that each side's list is one indexed filter.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import StatusField
from core.tenancy import TenantManager

__all__ = ["ApplicationKind", "ApplicationStatus", "Purpose", "Filing", "Application", "ApplicationElevator"]


class ApplicationKind(models.TextChoices):
    REGISTRATION = "registration", _("使用登记申请")
    MAINTAINER_CHANGE = "maintainer_change", _("维保单位变更申请")
    SUSPENSION = "suspension", _("停用登记申请")
    REACTIVATION = "reactivation", _("停用后启用登记申请")
    SCRAPPING = "scrapping", _("报废登记申请")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("不予通过")


OPEN_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED)
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class Purpose(models.TextChoices):
    """What an attached document is (the Attachment's `purpose`)."""

    REGISTRATION_FORM = "registration_form", _("使用登记申请资料")
    NOTICE = "notice", _("告知文件")
    EXPIRING_CONTRACT = "expiring_contract", _("到期的维保合同")
    NEW_CONTRACT = "new_contract", _("新维保合同")
    INSPECTION_REPORT = "inspection_report", _("定期检验报告")
    OTHER = "other", _("其他材料")


class Filing:
    """What every application to a bureau shares (the pilot's too): a number for people, and the city of its
    district kept on the row so that a city bureau's list is one indexed equality."""

    NUMBER_PREFIX = "SQ"

    def save(self, *args, **kwargs):
        region = self.region if self.region_id else None
        self.city_id = (region.parent_id if region.level == "district" else region.pk) if region else None
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        """申请编号: a prefix, the filing day and the row's id, e.g. SQ20261206-000042."""
        day = timezone.localtime(self.created_at).strftime("%Y%m%d") if self.created_at else "00000000"
        return f"{self.NUMBER_PREFIX}{day}-{self.pk or 0:06d}"


class Application(Filing, models.Model):
    kind = models.CharField(_("申请类别"), max_length=20, choices=ApplicationKind.choices)
    status = StatusField(_("办理状态"), choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT)
    applicant = models.ForeignKey(
        "organizations.Organization", verbose_name=_("申请单位"), on_delete=models.PROTECT, related_name="+"
    )
    use_unit = models.ForeignKey(
        "organizations.Organization", verbose_name=_("使用单位"), on_delete=models.PROTECT, related_name="+"
    )
    maintenance_company = models.ForeignKey(
        "organizations.Organization", verbose_name=_("维保单位"), on_delete=models.PROTECT, related_name="+"
    )
    new_company = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("变更后的维保单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "organizations.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.ForeignKey("organizations.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    regulator = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("受理监管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_date = models.DateField(_("日期"), null=True, blank=True)
    reason = models.TextField(_("申请事由"), max_length=500, blank=True)
    certificate_number = models.CharField(_("使用登记证编号"), max_length=40, blank=True)
    registered_on = models.DateField(_("登记日期"), null=True, blank=True)
    decision_reason = models.TextField(_("审核意见"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    elevators = models.ManyToManyField(
        "elevators.Elevator", through="ApplicationElevator", related_name="applications", verbose_name=_("电梯")
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("监管申请")
        verbose_name_plural = _("监管申请")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["applicant", "-id"], name="app_applicant"),
            models.Index(fields=["use_unit", "-id"], name="app_use_unit"),
            models.Index(fields=["maintenance_company", "-id"], name="app_company"),
            models.Index(fields=["new_company", "-id"], name="app_new_company"),
            models.Index(fields=["region", "status", "-id"], name="app_region_status"),
            models.Index(fields=["city", "status", "-id"], name="app_city_status"),
            models.Index(fields=["regulator", "status", "-id"], name="app_regulator_status"),
        ]

    def __str__(self):
        return f"{self.number} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("applications:detail", args=[self.pk])

    @property
    def elevator_codes(self) -> str:
        """The register codes (prefetch `lines__elevator` for lists)."""
        return "、".join(line.elevator.register_code for line in self.lines.all())

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ApplicationElevator(models.Model):
    """An elevator of an application (按台: a registration names one, the other kinds one or more)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="lines")
    elevator = models.ForeignKey("elevators.Elevator", on_delete=models.PROTECT, related_name="application_lines")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "elevator"], name="uniq_application_elevator")]
        indexes = [models.Index(fields=["elevator", "application"], name="appline_elevator")]
