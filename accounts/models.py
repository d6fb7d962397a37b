"""Accounts (账号): people, their roles, qualifications, face photos and API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Attachment
from core.tenancy import TenantQuerySet
from core.validators import validate_phone

__all__ = [
    "UserCategory",
    "UserRole",
    "EmergencyRole",
    "User",
    "WorkerQualification",
    "FacePhoto",
    "ApiToken",
    "CATEGORIES_BY_KIND",
    "OPENED_ELSEWHERE",
]


class UserCategory(models.TextChoices):
    """用户分类: what kind of person the account is; it must fit the organisation's kind."""

    MAINTENANCE_WORKER = "maintenance_worker", _("维保人员")
    MAINTENANCE_MANAGER = "maintenance_manager", _("维保单位管理人员")
    USE_UNIT_SAFETY_MANAGER = "use_unit_safety_manager", _("使用单位安全管理员")
    USE_UNIT_STAFF = "use_unit_staff", _("使用单位人员")
    REGULATOR_OFFICER = "regulator_officer", _("监管人员")
    RESCUE_WORKER = "rescue_worker", _("救援人员")
    INSPECTOR = "inspector", _("检验人员")
    MANUFACTURER_STAFF = "manufacturer_staff", _("生产单位人员")
    OPERATOR_STAFF = "operator_staff", _("平台运营人员")


CATEGORIES_BY_KIND = {
    "maintenance_company": [UserCategory.MAINTENANCE_MANAGER, UserCategory.MAINTENANCE_WORKER],
    "use_unit": [UserCategory.USE_UNIT_SAFETY_MANAGER, UserCategory.USE_UNIT_STAFF],
    "regulator": [UserCategory.REGULATOR_OFFICER],
    "rescue_unit": [UserCategory.RESCUE_WORKER],
    "inspection_institute": [UserCategory.INSPECTOR],
    "manufacturer": [UserCategory.MANUFACTURER_STAFF],
    "operator": [UserCategory.OPERATOR_STAFF],
}


class UserRole(models.TextChoices):
    """用户角色: what the account may do inside its organisation."""

    ADMIN = "admin", _("单位管理员")
    STAFF = "staff", _("业务人员")


class EmergencyRole(models.TextChoices):
    """应急角色: the part the person plays when a 96333 case comes in."""

    NONE = "none", _("无")
    RESCUER = "rescuer", _("救援人员")
    DISPATCHER = "dispatcher", _("调度人员")
    COMMANDER = "commander", _("应急负责人")


class UserManager(DjangoUserManager.from_queryset(TenantQuerySet)):
    pass


# accounts opened by someone acting for another unit than the account's own (see User.created_elsewhere)
OPENED_ELSEWHERE = models.Q(created_by__isnull=False) & (
    models.Q(created_by_organization__isnull=True) | ~models.Q(created_by_organization=models.F("organization"))
)


class User(AbstractUser):
    """A person's account; belongs to one organisation (the operator's superusers may have none)."""

    full_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True, validators=[validate_phone])
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    category = models.CharField(
        _("用户分类"), max_length=32, choices=UserCategory.choices, default=UserCategory.OPERATOR_STAFF
    )
    role = models.CharField(_("用户角色"), max_length=16, choices=UserRole.choices, default=UserRole.STAFF)
    emergency_role = models.CharField(
        _("应急角色"), max_length=16, choices=EmergencyRole.choices, default=EmergencyRole.NONE
    )
    must_change_password = models.BooleanField(_("须修改初始密码"), default=True)
    # 单位帐户: the unit's own login, username and initial password its credit code, opened by the unit itself on
    # the public page 获取登录账号 (accounts.services.obtain_unit_account); at most one per unit
    is_unit_account = models.BooleanField(_("单位帐户"), default=False, editable=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # who opened the account, and the unit they acted for then (None for the operator's staff); an account opened
    # from outside its unit (a bureau, a company, the operator) is put before the unit's administrators until one
    # of them acknowledges it (accounts.services.accounts_to_acknowledge)
    created_by = models.ForeignKey(
        "self",
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("创建单位"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    creation_acknowledged_by = models.ForeignKey(
        "self",
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    creation_acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True, editable=False)
    history = HistoricalRecords(
        excluded_fields=[
            "password",
            "last_login",
            "password_changed_at",
            "created_by",
            "created_by_organization",
            "creation_acknowledged_by",
            "creation_acknowledged_at",
        ]
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=models.Q(is_unit_account=True), name="uniq_unit_account"
            )
        ]

    def __str__(self):
        return f"{self.display_name} ({self.username})" if self.full_name else self.username

    def get_absolute_url(self):
        return reverse("accounts:user_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        if not self.full_name and self.is_unit_account:
            return str(_("单位帐户"))
        return self.full_name or self.username

    @property
    def created_elsewhere(self) -> bool:
        """Opened by someone acting for another unit than the account's own (a bureau, a company, the operator)."""
        return self.created_by_id is not None and self.created_by_organization_id != self.organization_id

    @property
    def creator_unit_name(self) -> str:
        if self.created_by_organization_id:
            return self.created_by_organization.name
        return str(_("平台运营方")) if self.created_by_id else ""

    @property
    def opened_elsewhere_by(self) -> str:
        return self.creator_label if self.created_elsewhere else ""

    @property
    def creator_label(self) -> str:
        """The person who opened the account and their unit, for people: "渝北区局 · 张三 (yubei)"."""
        if not self.created_by_id:
            return ""
        return f"{self.creator_unit_name} · {self.created_by}"

    def current_face_photo(self):
        return self.face_photos.order_by("-uploaded_at").first()


class WorkerQualification(models.Model):
    """资质认证 of a maintenance worker: certificate, self-declaration and validity."""

    # a worker's current qualification is the one that ends last: he may work while any is valid (the records'
    # gate, the groups' flags, the regulator export and the certificate warnings all read it so)
    CURRENT_FIRST = ("-valid_until", "-id")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="qualifications")
    certificate_number = models.CharField(_("证书编号"), max_length=60)
    valid_from = models.DateField(_("资质有效期起"))
    valid_until = models.DateField(_("资质有效期至"))
    certificate = models.ForeignKey(Attachment, verbose_name=_("资质证书"), on_delete=models.PROTECT, related_name="+")
    self_declaration = models.ForeignKey(
        Attachment, verbose_name=_("自我声明承诺书"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("人员资质认证")
        verbose_name_plural = _("人员资质认证")
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.user} {self.certificate_number}"

    @property
    def is_expired(self) -> bool:
        return self.valid_until < timezone.localdate()


class FacePhoto(models.Model):
    """维保验证: the worker's current face photo, used for face checks on the phone."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="face_photos")
    image = models.ForeignKey(Attachment, verbose_name=_("人脸照片"), on_delete=models.PROTECT, related_name="+")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    face_encoding = models.JSONField(_("人脸特征"), default=list, blank=True, editable=False)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("维保验证照片")
        verbose_name_plural = _("维保验证照片")
        ordering = ["-uploaded_at"]


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for /api/v1/; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    @classmethod
    def issue(cls, user) -> tuple["ApiToken", str]:
        raw = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, key_hash=hash_token(raw), expires_at=timezone.now() + settings.API_TOKEN_LIFETIME
        )
        return token, raw
