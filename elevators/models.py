"""The elevator ledger (电梯台账): elevators, components (组件), landing doors (层门), problem reports."""

import secrets

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import StatusField
from core.tenancy import TenantManager
from core.validators import validate_phone

from .catalogue import DEFAULT_COMPONENT_LIFESPAN_MONTHS, DeviceCategory, group_of

__all__ = [
    "ElevatorStatus",
    "CodeScheme",
    "DriveType",
    "ControlType",
    "Elevator",
    "Component",
    "LandingDoor",
    "ProblemCategory",
    "ProblemStatus",
    "ProblemReport",
    "InspectionKind",
    "InspectionResult",
    "InspectionReport",
    "new_qr_token",
]

register_code_validator = RegexValidator(
    r"^(\d{20}|\d{13}[0-9A-Z]{5})$",
    _("注册代码应为 20 位数字（旧注册代码），或 18 位设备代码（前 13 位数字、后 5 位数字或字母）。"),
)
rescue_code_validator = RegexValidator(r"^\d{6}$", _("96333 应急救援识别码应为 6 位数字。"))


def new_qr_token() -> str:
    return secrets.token_urlsafe(12)


class ElevatorStatus(models.TextChoices):
    PENDING_REGISTRATION = "pending_registration", _("待登记")
    IN_USE = "in_use", _("正常使用")
    SUSPENDED = "suspended", pgettext_lazy("elevator status", "停用")
    SCRAPPED = "scrapped", _("报废")


class CodeScheme(models.TextChoices):
    """Which catalogue the register code's first four digits follow: the same 3310 means different things."""

    CATALOGUE_2014 = "2014", _("2014 版特种设备目录")
    LEGACY = "legacy", _("2014 年前设备分类代码")


class DriveType(models.TextChoices):
    TRACTION = "traction", _("曳引驱动")
    FORCED = "forced", _("强制驱动")
    HYDRAULIC = "hydraulic", _("液压驱动")
    OTHER = "other", _("其他")


class ControlType(models.TextChoices):
    COLLECTIVE = "collective", _("集选控制")
    PARALLEL = "parallel", _("并联控制")
    GROUP = "group", _("群控")
    BUTTON = "button", _("按钮控制")
    SIGNAL = "signal", _("信号控制")
    OTHER = "other", _("其他")


class Elevator(models.Model):
    """One elevator, escalator or moving walk of the ledger."""

    register_code = models.CharField(
        _("注册代码"),
        max_length=20,
        unique=True,
        validators=[register_code_validator],
        error_messages={"unique": _("这个注册代码已登记在平台上，请核对是否重复录入。")},
    )
    code_scheme = models.CharField(
        _("注册代码分类体系"), max_length=8, choices=CodeScheme.choices, default=CodeScheme.CATALOGUE_2014
    )
    rescue_code = models.CharField(_("96333 应急救援识别码"), max_length=6, validators=[rescue_code_validator])
    device_category = models.CharField(_("设备品种"), max_length=4, choices=DeviceCategory.choices)
    use_unit = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("使用单位"),
        on_delete=models.PROTECT,
        related_name="used_elevators",
        limit_choices_to={"kind": "use_unit"},
    )
    maintenance_company = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("维保单位"),
        on_delete=models.PROTECT,
        related_name="maintained_elevators",
        limit_choices_to={"kind": "maintenance_company"},
    )
    manufacturer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("生产单位"),
        on_delete=models.PROTECT,
        related_name="manufactured_elevators",
        limit_choices_to={"kind": "manufacturer"},
    )
    product_model = models.CharField(_("型号"), max_length=60)
    factory_number = models.CharField(_("出厂编号"), max_length=60)
    installation_date = models.DateField(_("安装日期"))
    # the inspection calendar's base (TSG T7001-2023 4.1): the last 安装 or 改造 supervision inspection passed;
    # blank: the installation date stands in for it (elevators.inspection)
    supervision_inspection_date = models.DateField(
        _("监督检验日期"),
        null=True,
        blank=True,
        help_text=_("安装（或改造）监督检验合格日期，年检日历以此为基准；不填时按安装日期计算。"),
    )
    building = models.CharField(_("小区/大厦"), max_length=100)
    internal_number = models.CharField(_("单位内编号"), max_length=40, blank=True)
    use_registration_number = models.CharField(_("使用登记证编号"), max_length=40, blank=True)
    region = models.ForeignKey(
        "organizations.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="elevators"
    )
    city = models.ForeignKey("organizations.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    address = models.CharField(_("安装地址"), max_length=200)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)

    # parameters (TSG T5002 art. 8)
    drive_type = models.CharField(_("驱动方式"), max_length=12, choices=DriveType.choices, blank=True)
    control_type = models.CharField(_("控制方式"), max_length=12, choices=ControlType.choices, blank=True)
    rated_load = models.PositiveIntegerField(
        _("额定载重量（kg）"), null=True, blank=True, validators=[MinValueValidator(50), MaxValueValidator(50000)]
    )
    rated_speed = models.DecimalField(
        _("额定速度（m/s）"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.1), MaxValueValidator(20)],
    )
    floors = models.PositiveSmallIntegerField(
        _("层数"), null=True, blank=True, validators=[MinValueValidator(2), MaxValueValidator(200)]
    )
    stops = models.PositiveSmallIntegerField(
        _("站数"), null=True, blank=True, validators=[MinValueValidator(2), MaxValueValidator(200)]
    )
    doors = models.PositiveSmallIntegerField(
        _("门数"), null=True, blank=True, validators=[MinValueValidator(2), MaxValueValidator(400)]
    )
    cylinder_count = models.PositiveSmallIntegerField(_("油缸数量"), null=True, blank=True)
    jacking_type = models.CharField(_("顶升形式"), max_length=20, blank=True)
    inclination = models.DecimalField(
        _("倾斜角（°）"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(35)],
    )
    step_width = models.PositiveSmallIntegerField(
        _("名义宽度（mm）"), null=True, blank=True, validators=[MinValueValidator(400), MaxValueValidator(1600)]
    )
    rise = models.DecimalField(
        _("提升高度（m）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.5), MaxValueValidator(100)],
    )
    motor_power = models.DecimalField(_("电机功率（kW）"), max_digits=5, decimal_places=1, null=True, blank=True)
    usable_length = models.DecimalField(_("使用区段长度（m）"), max_digits=6, decimal_places=2, null=True, blank=True)

    next_inspection_date = models.DateField(_("下次检验日期"), null=True, blank=True)
    # 限速器动作速度校验 (elevators.governor): the governor's own start of use (a replacement restarts its age), its
    # last calibration and the next one due, kept by the services; escalators and moving walks have none
    governor_since = models.DateField(
        _("限速器启用日期"),
        null=True,
        blank=True,
        help_text=_("限速器开始使用的日期（更换限速器后为更换日期）；不填时按安装日期。"),
    )
    governor_calibrated_on = models.DateField(_("上次限速器校验日期"), null=True, blank=True)
    next_governor_calibration = models.DateField(_("下次限速器校验日期"), null=True, blank=True, editable=False)
    # how far from the elevator's coordinates a visit may start (basements and tall buildings drift)
    geofence_m = models.PositiveSmallIntegerField(_("电子围栏半径（米）"), default=200)
    status = StatusField(_("使用状态"), choices=ElevatorStatus.choices, default=ElevatorStatus.PENDING_REGISTRATION)
    qr_token = models.CharField(max_length=32, unique=True, default=new_qr_token, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at", "created_at", "created_by", "qr_token", "city"])

    objects = TenantManager()

    class Meta:
        verbose_name = _("电梯")
        verbose_name_plural = _("电梯")
        ordering = ["register_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "rescue_code"],
                name="uniq_rescue_code_per_city",
                violation_error_message=_("这个 96333 救援识别码在本市已被另一台电梯使用。"),
            )
        ]
        indexes = [
            models.Index(fields=["maintenance_company", "register_code"], name="elev_company_code"),
            models.Index(fields=["use_unit", "register_code"], name="elev_useunit_code"),
            models.Index(fields=["region", "register_code"], name="elev_region_code"),
            models.Index(fields=["status", "register_code"], name="elev_status_code"),
            models.Index(fields=["building", "id"], name="elev_building"),
            models.Index(fields=["maintenance_company", "building", "id"], name="elev_company_building"),
            # 年检预警: the elevators due by a date, for a company and for an area
            models.Index(fields=["maintenance_company", "next_inspection_date", "id"], name="elev_company_next_insp"),
            models.Index(fields=["next_inspection_date", "id"], name="elev_next_inspection"),
            # 限速器检验预警: the same two, by the next governor calibration
            models.Index(
                fields=["maintenance_company", "next_governor_calibration", "id"], name="elev_company_next_governor"
            ),
            models.Index(fields=["next_governor_calibration", "id"], name="elev_next_governor"),
            models.Index(fields=["-updated_at", "-id"], name="elev_updated"),
            # a company's 最近更新 list, whatever district it filters by
            models.Index(fields=["maintenance_company", "-updated_at", "-id"], name="elev_company_updated"),
            # the suspended and scrapped elevators (no warnings) of a company, a district or a city, read from the
            # index alone: alerts.services.silent_elevators excludes them (bench/README.md, 2026-12-06)
            models.Index(
                fields=["id"],
                include=["city", "region", "maintenance_company", "use_unit"],
                condition=models.Q(status__in=["suspended", "scrapped"]),
                name="elev_silent",
            ),
        ]

    def __str__(self):
        return f"{self.register_code} {self.building}"

    def save(self, *args, **kwargs):
        if self.region_id:
            region = self.region
            self.city_id = region.parent_id if region.level == "district" else region.pk
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("elevators:detail", args=[self.pk])

    @property
    def parameter_group(self) -> str:
        return group_of(self.device_category)

    @property
    def is_escalator(self) -> bool:
        return self.parameter_group == "escalator"

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def public_path(self) -> str:
        return f"/e/{self.qr_token}"

    @property
    def inspection_base_date(self):
        """The inspection calendar's base: the supervision inspection date, else the installation date."""
        return self.supervision_inspection_date or self.installation_date


class Component(models.Model):
    """组件: a part of an elevator with its install date and lifespan (default six months, as the seed says)."""

    elevator = models.ForeignKey(Elevator, on_delete=models.CASCADE, related_name="components")
    name = models.CharField(_("组件名称"), max_length=40)
    brand = models.CharField(_("品牌/型号"), max_length=60, blank=True)
    serial_number = models.CharField(_("编号"), max_length=60, blank=True)
    installed_on = models.DateField(_("安装日期"))
    lifespan_months = models.PositiveSmallIntegerField(
        _("寿命（月）"),
        default=DEFAULT_COMPONENT_LIFESPAN_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    expires_on = models.DateField(_("寿命到期日"), editable=False)
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("组件")
        verbose_name_plural = _("组件")
        ordering = ["elevator", "id"]
        indexes = [
            # 组件寿命预警: the parts near their end of life, with their elevator in the index, so that a company's
            # or a district's are found by hashing its elevators against one range of this index (no heap reads)
            # rather than by probing each of its 20,000 elevators' components (bench/README.md, 2026-12-06)
            models.Index(fields=["expires_on", "elevator"], name="component_expires_elevator"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.expires_on = self.installed_on + relativedelta(months=self.lifespan_months)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("elevators:components", args=[self.elevator_id])


class LandingDoor(models.Model):
    """层门: one row per landing door, generated from the stops and editable."""

    class DoorType(models.TextChoices):
        CENTER = "center", _("中分")
        SIDE = "side", _("旁开")
        VERTICAL = "vertical", _("垂直滑动")

    elevator = models.ForeignKey(Elevator, on_delete=models.CASCADE, related_name="landing_doors")
    position = models.PositiveSmallIntegerField(_("序号"))
    floor_label = models.CharField(_("楼层"), max_length=10)
    door_type = models.CharField(_("开门方式"), max_length=10, choices=DoorType.choices, default=DoorType.CENTER)
    width_mm = models.PositiveSmallIntegerField(
        _("门宽（mm）"), null=True, blank=True, validators=[MinValueValidator(300), MaxValueValidator(5000)]
    )
    height_mm = models.PositiveSmallIntegerField(
        _("门高（mm）"), null=True, blank=True, validators=[MinValueValidator(500), MaxValueValidator(5000)]
    )
    lock_model = models.CharField(_("门锁型号"), max_length=60, blank=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("层门")
        verbose_name_plural = _("层门")
        ordering = ["elevator", "position"]
        constraints = [models.UniqueConstraint(fields=["elevator", "position"], name="uniq_door_position")]

    def __str__(self):
        return self.floor_label


class ProblemCategory(models.TextChoices):
    TRAPPED = "trapped", _("有人被困")
    STOPPED = "stopped", _("电梯停运")
    DOOR = "door", _("门开关异常")
    NOISE = "noise", _("异响或抖动")
    OTHER = "other", _("其他问题")


class ProblemStatus(models.TextChoices):
    NEW = "new", _("待处理")
    ACKNOWLEDGED = "acknowledged", _("处理中")
    CLOSED = "closed", _("已处理")


class ProblemReport(models.Model):
    """A passenger's report from the public QR page; it reaches the elevator's maintenance company."""

    elevator = models.ForeignKey(Elevator, on_delete=models.CASCADE, related_name="problem_reports")
    category = models.CharField(_("问题类型"), max_length=12, choices=ProblemCategory.choices)
    description = models.TextField(_("问题描述"), max_length=500)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    reporter_ip = models.GenericIPAddressField(null=True, blank=True)
    status = StatusField(_("处理状态"), choices=ProblemStatus.choices, default=ProblemStatus.NEW)
    created_at = models.DateTimeField(_("上报时间"), default=timezone.now, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handling_note = models.TextField(_("处理说明"), blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("问题上报")
        verbose_name_plural = _("问题上报")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.elevator.register_code} {self.get_category_display()}"

    def get_absolute_url(self):
        return reverse("elevators:problem_detail", args=[self.pk])


class InspectionKind(models.TextChoices):
    PERIODIC = "periodic", _("定期检验")
    SELF = "self", _("自行检测")
    GOVERNOR = "governor", _("限速器校验")


class InspectionResult(models.TextChoices):
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")
    PASSED_ON_RECHECK = "rechecked", _("复检合格")


class InspectionReport(models.Model):
    """电梯检验报告: a periodic inspection, a self-inspection or a governor calibration, with its report file."""

    elevator = models.ForeignKey(Elevator, on_delete=models.CASCADE, related_name="inspection_reports")
    kind = models.CharField(_("检验类别"), max_length=10, choices=InspectionKind.choices)
    date = models.DateField(_("检验日期"))
    result = models.CharField(_("检验结论"), max_length=10, choices=InspectionResult.choices)
    number = models.CharField(_("报告编号"), max_length=60)
    next_date = models.DateField(_("报告所载下次检验日期"), null=True, blank=True)
    report_file = models.ForeignKey(
        "core.Attachment", verbose_name=_("检验报告文件"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("录入人")
    )
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("电梯检验报告")
        verbose_name_plural = _("电梯检验报告")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["elevator", "-date", "-id"], name="inspection_elevator_date")]

    def __str__(self):
        return f"{self.elevator.register_code} {self.get_kind_display()} {self.number}"

    def get_absolute_url(self):
        return reverse("elevators:detail", args=[self.elevator_id]) + "#inspections"
