"""应急演练: a maintenance company's emergency drills (TSG T5002 art. 5(3): every half year for each category of
elevator it maintains), with the elevators they covered, the people who took part and their photos."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.tenancy import TenantManager

__all__ = ["EmergencyDrill", "PHOTO_PURPOSE"]

PHOTO_PURPOSE = "drill_photo"


class EmergencyDrill(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("维保单位"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "maintenance_company"},
    )
    held_on = models.DateField(_("演练日期"))
    subject = models.CharField(_("演练内容"), max_length=100)
    location = models.CharField(_("演练地点"), max_length=200)
    elevators = models.ManyToManyField(
        "elevators.Elevator", verbose_name=_("演练电梯"), related_name="emergency_drills"
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("本单位参演人员"), related_name="emergency_drills", blank=True
    )
    other_participants = models.CharField(
        _("其他参演人员"), max_length=300, blank=True, help_text=_("如使用单位安全管理人员、物业人员等")
    )
    summary = models.TextField(_("演练总结"), max_length=2000)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "created_by"])

    objects = TenantManager()

    class Meta:
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organization", "-held_on", "-id"], name="drill_org_held")]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.subject}"

    def get_absolute_url(self):
        return reverse("drills:detail", args=[self.pk])

    def photos(self):
        from core.models import Attachment

        return Attachment.objects.filter(
            owner_type=ContentType.objects.get_for_model(self), owner_id=str(self.pk), purpose=PHOTO_PURPOSE
        ).order_by("id")
