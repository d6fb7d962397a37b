"""维保纪录: a visit as it happened — who (two workers, their selfies and positions), when (the phone's times and
the server's receipt), what (each item's result, measured value and photo), the hazards found, the use unit's
confirmation, and the seal that makes it tamper-evident once confirmed."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import StatusField
from core.tenancy import TenantManager
from maintenance.models import Cycle

__all__ = [
    "RecordStatus",
    "WorkType",
    "WORK_TYPE_OF_CYCLE",
    "Hazard",
    "ItemResult",
    "Flag",
    "MaintenanceRecord",
    "RecordWorker",
    "RecordItem",
    "RepairStatus",
    "Repair",
]


class RecordStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("维保中")
    FINISHED = "finished", _("待确认")
    CONFIRMED = "confirmed", _("已确认")


class WorkType(models.TextChoices):
    """The Chongqing platform's work types (V1.5 `workType`)."""

    HALF_MONTH = "HM", _("半月维保")
    QUARTER = "TM", _("季度维保")
    HALF_YEAR = "SM", _("半年维保")
    ANNUAL = "OY", _("年度维保")
    ON_DEMAND = "FM", _("按需维保")


WORK_TYPE_OF_CYCLE = {
    "half_month": WorkType.HALF_MONTH,
    "quarter": WorkType.QUARTER,
    "half_year": WorkType.HALF_YEAR,
    "annual": WorkType.ANNUAL,
}


class Hazard(models.TextChoices):
    """严重事故隐患 codes (V1.5 `problemCode`): S0 alone, or one or more of S1–S7."""

    NONE = "S0", _("S0 未发现严重事故隐患")
    ILLEGAL = "S1", _("S1 使用非法生产的电梯")
    OVERLOAD = "S2", _("S2 超过额定参数、使用范围使用")
    SAFETY_DEVICES = "S3", _("S3 安全附件、安全保护装置缺失或者失灵")
    SCRAP = "S4", _("S4 应当报废或者检验不合格仍在使用")
    FAULTS = "S5", _("S5 存在明显故障，或者整改指令未落实")
    ACCIDENT = "S6", _("S6 发生事故未报告")
    OTHER = "S7", _("S7 其他严重事故隐患")


class ItemResult(models.TextChoices):
    NORMAL = "normal", _("正常")
    ADJUSTED = "adjusted", _("已调整")
    REPLACED = "replaced", _("已更换")
    ABNORMAL = "abnormal", _("异常")
    NOT_APPLICABLE = "not_applicable", _("不涉及")


class Flag(models.TextChoices):
    """可信度标记: what makes a record doubtful (the record keeps them; lists filter by them)."""

    TOO_SHORT = "too_short", _("用时过短")
    OUTSIDE_GEOFENCE = "outside_geofence", _("开始位置在电子围栏外")
    NO_ELEVATOR_POSITION = "no_elevator_position", _("电梯无坐标，位置未核验")
    FACE_MISMATCH = "face_mismatch", _("人脸未通过")
    OVERLAP = "overlap", _("同一人同时段在两处维保")
    MISSING_PHOTO = "missing_photo", _("缺少试验照片")
    SELF_CONFIRMED = "self_confirmed", _("由维保人员本人确认")


class MaintenanceRecord(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("维保单位"), on_delete=models.PROTECT, related_name="+"
    )
    elevator = models.ForeignKey(
        "elevators.Elevator", verbose_name=_("电梯"), on_delete=models.PROTECT, related_name="maintenance_records"
    )
    plan = models.ForeignKey(
        "maintenance.MaintenancePlan",
        verbose_name=_("维保计划"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
    )
    cycle = models.CharField(_("维保类型"), max_length=12, choices=Cycle.choices)
    work_type = models.CharField(_("作业类型"), max_length=2, choices=WorkType.choices)
    status = StatusField(_("状态"), choices=RecordStatus.choices, default=RecordStatus.IN_PROGRESS)
    started_at = models.DateTimeField(_("开始时间"))  # the phone's clock, kept as it was (offline visits)
    received_at = models.DateTimeField(_("服务器接收时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    finish_received_at = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("用时（分钟）"), null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(_("定位精度（米）"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("距电梯（米）"), null=True, blank=True)
    hazard_codes = models.JSONField(_("严重事故隐患"), default=list, blank=True)
    flags = models.JSONField(_("可信度标记"), default=list, blank=True)
    join_code = models.CharField(max_length=12, blank=True, editable=False)  # shown to the second worker
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_name = models.CharField(_("确认人"), max_length=60, blank=True)
    confirmed_on_site = models.BooleanField(_("现场签字"), default=False)
    signature = models.ForeignKey(
        "core.Attachment", verbose_name=_("签字"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的纪录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    correction_reason = models.CharField(_("更正原因"), max_length=200, blank=True)
    correction_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    correction_approved_at = models.DateTimeField(null=True, blank=True)
    chain_index = models.PositiveIntegerField(null=True, blank=True, editable=False)
    previous_seal = models.CharField(max_length=64, blank=True, editable=False)
    seal = models.CharField(_("封存校验值"), max_length=64, blank=True, editable=False)

    objects = TenantManager()

    class Meta:
        verbose_name = _("维保纪录")
        verbose_name_plural = _("维保纪录")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "chain_index"],
                condition=models.Q(chain_index__isnull=False),
                name="uniq_record_chain_index",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "-started_at", "-id"], name="record_org_started"),
            models.Index(fields=["elevator", "-started_at"], name="record_elevator_started"),
            models.Index(fields=["organization", "status", "-started_at"], name="record_org_status"),
            # 存疑纪录: the flagged few, newest first, for a company or a bureau over millions of records
            models.Index(fields=["-started_at", "-id"], condition=~models.Q(flags=[]), name="record_flagged_started"),
        ]

    def __str__(self):
        return f"{self.elevator} {self.started_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("records:detail", args=[self.pk])

    @property
    def is_sealed(self) -> bool:
        return bool(self.seal)


class RecordWorker(models.Model):
    """One of the (two) workers of a visit, as he checked in: when, where, and whether his selfie matched."""

    class Role(models.TextChoices):
        FIRST = "first", _("第一维保人")
        SECOND = "second", _("第二维保人")

    record = models.ForeignKey(MaintenanceRecord, on_delete=models.CASCADE, related_name="workers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("维保人员"), on_delete=models.PROTECT)
    role = models.CharField(_("角色"), max_length=8, choices=Role.choices)
    joined_at = models.DateTimeField(_("签到时间"))
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    distance_m = models.PositiveIntegerField(null=True, blank=True)
    selfie = models.ForeignKey("core.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    face_distance = models.FloatField(null=True, blank=True)
    face_matched = models.BooleanField(default=False)

    class Meta:
        ordering = ["record", "role"]
        constraints = [
            models.UniqueConstraint(fields=["record", "user"], name="uniq_record_worker"),
            models.UniqueConstraint(fields=["record", "role"], name="uniq_record_role"),
        ]


class RecordItem(models.Model):
    """One item's result, with the item's words as they were (the catalogue may change later)."""

    record = models.ForeignKey(MaintenanceRecord, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey("maintenance.MaintenanceItem", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("项目编号"), max_length=20)
    part = models.CharField(_("项目(内容)"), max_length=100)
    requirement = models.CharField(_("基本要求"), max_length=300)
    result = models.CharField(_("结果"), max_length=16, choices=ItemResult.choices, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    measured_value = models.DecimalField(_("测量值"), max_digits=10, decimal_places=3, null=True, blank=True)
    out_of_limit = models.BooleanField(_("超出限值"), default=False)
    photo = models.ForeignKey("core.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["record", "id"]
        constraints = [models.UniqueConstraint(fields=["record", "item"], name="uniq_record_item")]


class RepairStatus(models.TextChoices):
    OPEN = "open", _("维修中")
    RESTORED = "restored", _("已修复")


class Repair(models.Model):
    """维修纪录: a fault and its repair — what failed, why, what was replaced, who, and the times from the report to
    the restored service. Opened from a problem report of the public QR page, from a record's abnormal item, or
    by hand."""

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("维保单位"), on_delete=models.PROTECT, related_name="+"
    )
    elevator = models.ForeignKey(
        "elevators.Elevator", verbose_name=_("电梯"), on_delete=models.PROTECT, related_name="repairs"
    )
    problem_report = models.ForeignKey(
        "elevators.ProblemReport",
        verbose_name=_("问题上报"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repairs",
    )
    record_item = models.ForeignKey(
        RecordItem, verbose_name=_("维保异常项"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fault = models.CharField(_("故障现象"), max_length=300)
    cause = models.CharField(_("故障原因"), max_length=300, blank=True)
    work_done = models.CharField(_("维修内容"), max_length=500, blank=True)
    parts_replaced = models.CharField(_("更换部件"), max_length=300, blank=True)
    reported_at = models.DateTimeField(_("报修时间"))
    arrived_at = models.DateTimeField(_("到达时间"), null=True, blank=True)
    restored_at = models.DateTimeField(_("修复时间"), null=True, blank=True)
    workers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("维修人员"), related_name="repairs")
    status = StatusField(_("状态"), choices=RepairStatus.choices, default=RepairStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("维修纪录")
        verbose_name_plural = _("维修纪录")
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["organization", "-reported_at", "-id"], name="repair_org_reported")]

    def __str__(self):
        return f"{self.elevator} {self.fault[:20]}"

    def get_absolute_url(self):
        return reverse("records:repair_detail", args=[self.pk])

    @property
    def minutes_to_restore(self) -> int | None:
        if not self.restored_at:
            return None
        return int((self.restored_at - self.reported_at).total_seconds() // 60)
