"""维保合同: the contract under which a maintenance company maintains elevators of a use unit.

A contract names its two parties, its number (unique per company), when it was signed, its service period
(starts_on–ends_on) and the elevators it covers (all of that use unit, maintained by that company), with the
signed contract as a PDF. It may be terminated early (提前终止, with the date and the reason). Its status is not
stored: it follows from the dates (`rules.status_on`), so it never goes stale.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.tenancy import TenantManager

__all__ = ["ContractStatus", "MaintenanceContract"]


class ContractStatus(models.TextChoices):
    """What a contract is on a day (computed from its dates, never stored)."""

    ACTIVE = "active", _("生效中")
    PENDING = "pending", _("未开始")
    EXPIRED = "expired", _("已到期")
    TERMINATED = "terminated", _("已终止")


class MaintenanceContract(models.Model):
    maintenance_company = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("维保单位"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "maintenance_company"},
    )
    use_unit = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("使用单位"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "use_unit"},
    )
    number = models.CharField(_("合同编号"), max_length=60)
    signed_on = models.DateField(_("签订日期"))
    starts_on = models.DateField(_("服务期限起"))
    ends_on = models.DateField(_("服务期限止"))
    elevators = models.ManyToManyField(
        "elevators.Elevator", verbose_name=_("电梯"), related_name="maintenance_contracts"
    )
    contract_file = models.ForeignKey(
        "core.Attachment", verbose_name=_("合同文件"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True)
    termination_reason = models.TextField(_("终止原因"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("维保合同")
        verbose_name_plural = _("维保合同")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["maintenance_company", "number"], name="contract_company_number"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="contract_period"),
        ]
        indexes = [
            models.Index(fields=["ends_on", "id"], name="contract_ends"),
            models.Index(fields=["maintenance_company", "ends_on", "id"], name="contract_company_ends"),
            models.Index(fields=["use_unit", "ends_on", "id"], name="contract_use_unit_ends"),
        ]

    def __str__(self):
        return f"{self.number}"

    def get_absolute_url(self):
        return reverse("contracts:detail", args=[self.pk])

    @property
    def elevator_codes(self) -> str:
        """The register codes (prefetch `elevators` for lists)."""
        return "、".join(elevator.register_code for elevator in self.elevators.all())

    def status_on(self, day):
        from .rules import status_on

        return status_on(self.starts_on, self.ends_on, self.terminated_on, day)

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        return ContractStatus(self.status).label
