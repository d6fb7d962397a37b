"""预警设置: a maintenance company's warning thresholds."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.tenancy import TenantManager

from .rules import NEAR_DAYS_DEFAULT, NEAR_DAYS_MAX, NEAR_DAYS_MIN


class AlertSettings(models.Model):
    """A maintenance company's 预警设置; a company without a row uses the defaults."""

    organization = models.OneToOneField(
        "organizations.Organization",
        verbose_name=_("维保单位"),
        on_delete=models.CASCADE,
        related_name="alert_settings",
        limit_choices_to={"kind": "maintenance_company"},
    )
    maintenance_near_days = models.PositiveSmallIntegerField(
        _("维保临期提前天数"),
        default=NEAR_DAYS_DEFAULT,
        validators=[MinValueValidator(NEAR_DAYS_MIN), MaxValueValidator(NEAR_DAYS_MAX)],
        help_text=_("计划日期前多少天起显示为临期（黄色），计划日期当天也算临期；过了计划日期显示为逾期（红色）。"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("预警设置")
        verbose_name_plural = _("预警设置")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(maintenance_near_days__gte=NEAR_DAYS_MIN, maintenance_near_days__lte=NEAR_DAYS_MAX),
                name="alert_near_days_range",
            )
        ]

    def __str__(self):
        return str(self.organization)

    def get_absolute_url(self):
        return reverse("alerts:settings_edit", args=[self.pk])
