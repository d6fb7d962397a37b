"""Organisations of every kind (组织架构) and the region tree they live in."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Attachment, StatusField
from core.tenancy import TenantManager
from core.validators import validate_credit_code, validate_phone

__all__ = [
    "RegionLevel",
    "Region",
    "OrganizationKind",
    "Organization",
    "ServiceRelation",
    "QualificationStatus",
    "OrganizationQualification",
]


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    DISTRICT = "district", _("区县")


class Region(models.Model):
    """A node of the administrative tree (GB/T 2260 codes); path makes "inside" one indexed prefix test."""

    code = models.CharField(_("行政区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=60, blank=True)
    level = models.CharField(_("级别"), max_length=12, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=120, db_index=True, editable=False)
    in_pilot = models.BooleanField(
        _("改进维保模式试点区县"),
        default=False,
        help_text=_("当前改进电梯维护保养模式试点的区县。试点名单以监管部门公布为准，由平台运营方维护。"),
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("行政区域")
        verbose_name_plural = _("行政区域")
        ordering = ["code"]

    def __str__(self):
        if self.name_en and get_language() == "en":
            return self.name_en
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent_id else "/") + f"{self.code}/"
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.parent} {self}" if self.parent_id and self.level == RegionLevel.DISTRICT else str(self)


class OrganizationKind(models.TextChoices):
    MAINTENANCE_COMPANY = "maintenance_company", _("维保单位")
    USE_UNIT = "use_unit", _("使用单位")
    MANUFACTURER = "manufacturer", _("生产单位")
    RESCUE_UNIT = "rescue_unit", _("救援单位")
    INSPECTION_INSTITUTE = "inspection_institute", _("检验单位")
    REGULATOR = "regulator", _("监管单位")
    OPERATOR = "operator", _("平台运营单位")


class Organization(models.Model):
    """A unit of any kind; a regulator also has a jurisdiction (city or district)."""

    kind = models.CharField(_("单位类别"), max_length=24, choices=OrganizationKind.choices, db_index=True)
    name = models.CharField(_("单位名称"), max_length=120)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code])
    region = models.ForeignKey(
        Region, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="organizations"
    )
    address = models.CharField(_("单位地址"), max_length=200)
    legal_representative = models.CharField(_("法定代表人（负责人）"), max_length=60)
    legal_representative_phone = models.CharField(_("法定代表人电话"), max_length=20, validators=[validate_phone])
    contact_name = models.CharField(_("联系人"), max_length=60)
    contact_phone = models.CharField(_("联系人电话"), max_length=20, validators=[validate_phone])
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    jurisdiction = models.ForeignKey(
        Region,
        verbose_name=_("管辖区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="regulators",
        help_text=_("监管单位管辖的市或区县。"),
    )
    maintenance_companies = models.ManyToManyField(
        "self",
        through="ServiceRelation",
        symmetrical=False,
        related_name="served_use_units",
        through_fields=("use_unit", "maintenance_company"),
        blank=True,
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "created_by"])

    objects = TenantManager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["kind", "region"]), models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:detail", args=[self.pk])

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class ServiceRelation(models.Model):
    """A maintenance company serves a use unit (维保服务关系)."""

    use_unit = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="service_relations")
    maintenance_company = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    since = models.DateField(_("开始日期"), default=timezone.localdate)

    class Meta:
        verbose_name = _("维保服务关系")
        verbose_name_plural = _("维保服务关系")
        constraints = [models.UniqueConstraint(fields=["use_unit", "maintenance_company"], name="uniq_service")]
        indexes = [models.Index(fields=["maintenance_company", "use_unit"])]


class QualificationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("已退回")


class OrganizationQualification(models.Model):
    """资质认证 of a unit: business licence, qualification certificate, validity, self-declaration."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="qualifications")
    certificate_number = models.CharField(_("资质证书编号"), max_length=60)
    valid_from = models.DateField(_("资质有效期起"))
    valid_until = models.DateField(_("资质有效期至"))
    business_licence = models.ForeignKey(
        Attachment, verbose_name=_("营业执照"), on_delete=models.PROTECT, related_name="+"
    )
    qualification_certificate = models.ForeignKey(
        Attachment, verbose_name=_("资质证书"), on_delete=models.PROTECT, related_name="+"
    )
    self_declaration = models.ForeignKey(
        Attachment, verbose_name=_("自我声明承诺书"), on_delete=models.PROTECT, related_name="+"
    )
    status = StatusField(_("审核状态"), choices=QualificationStatus.choices, default=QualificationStatus.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("单位资质认证")
        verbose_name_plural = _("单位资质认证")
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.organization} {self.certificate_number}"

    @property
    def is_expired(self) -> bool:
        return self.valid_until < timezone.localdate()
