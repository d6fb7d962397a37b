"""Import jobs (导入): one uploaded file, run in the background, with a report of every rejected row."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Attachment, StatusField
from core.tenancy import TenantManager

__all__ = ["ImportKind", "ImportMode", "ImportStatus", "ImportJob", "ColumnMapping"]


class ImportKind(models.TextChoices):
    """What a job imports; each kind has its row logic registered in imports.registry."""

    ELEVATORS = "elevators", _("电梯台账")


class ImportMode(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("更新已有记录")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("待确认")  # uploaded; the column mapping awaits the importer's confirmation
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    REVIEW = "review", _("待确认更改")  # an update's changes are computed and shown; nothing is written yet
    DONE = "done", _("已完成")
    FAILED = "failed", _("导入失败")


class ImportJob(models.Model):
    """One import of one file by one person for one unit; rows land one by one, each whole or not at all."""

    kind = models.CharField(_("导入类型"), max_length=40, choices=ImportKind.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("导入单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        help_text=_("导入人所在单位；平台运营方导入时为空。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    status = StatusField(_("状态"), choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    file = models.ForeignKey(
        Attachment, verbose_name=_("导入文件"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    accepted_rows = models.PositiveIntegerField(_("导入成功行数"), default=0)
    rejected_rows = models.PositiveIntegerField(_("未导入行数"), default=0)
    # [{"row": 5, "register_code": "…", "errors": ["注册代码：…", …]}, …] in row order
    report = models.JSONField(_("未导入行及原因"), default=list, blank=True)
    # notes about the file as a whole (ignored columns, …)
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    # the header row of the file as it came, so the rejected rows can be handed back with their columns
    columns = models.JSONField(_("原始列名"), default=list, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    language = models.CharField(_("语言"), max_length=10, blank=True)
    # confirmed on the mapping step: the header row's index among the sheet's rows and {column index: field};
    # empty: the runner finds the header itself by the columns' synonyms
    header_row = models.PositiveIntegerField(_("表头行"), null=True, blank=True)
    mapping = models.JSONField(_("列对应关系"), default=dict, blank=True)
    mode = models.CharField(_("导入方式"), max_length=10, choices=ImportMode.choices, default=ImportMode.CREATE)
    # an update: its changes are first computed (review), then applied once confirmed (confirmed_at)
    confirmed_at = models.DateTimeField(_("确认更改时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("更改计算完成时间"), null=True, blank=True)
    unchanged_rows = models.PositiveIntegerField(_("无变化行数"), default=0)
    changed_total = models.PositiveIntegerField(_("更改项数"), default=0)
    # the first changes: [{"row", "register_code", "url", "changes": [{"label", "old", "new"}], "refused": [...]}]
    changes = models.JSONField(_("更改"), default=list, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="import_org_created")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self):
        return reverse("imports:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.REVIEW)

    @property
    def is_update(self) -> bool:
        return self.mode == ImportMode.UPDATE

    @property
    def computes_changes_only(self) -> bool:
        """An update whose changes are to be shown before anything is written."""
        return self.is_update and self.confirmed_at is None

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))

    def save_progress(self) -> None:
        """Write the counters and the report so far (one UPDATE; the progress page polls them)."""
        self.updated_at = timezone.now()
        fields = [
            "total_rows",
            "processed_rows",
            "accepted_rows",
            "rejected_rows",
            "report",
            "warnings",
            "columns",
            "unchanged_rows",
            "changed_total",
            "changes",
            "updated_at",
        ]
        type(self).objects.filter(pk=self.pk).update(**{name: getattr(self, name) for name in fields})

    def add_rejected(self, row: int, register_code: str, errors: list, values: list | None = None) -> None:
        """Note a rejected row: its number in the file, its key, every reason, and its original values."""
        self.rejected_rows += 1
        entry = {"row": row, "register_code": register_code, "errors": [str(e) for e in errors]}
        if values is not None:
            entry["values"] = values
        self.report.append(entry)


class ColumnMapping(models.Model):
    """A unit's answer to "which of our columns is this header of yours?", suggested the next time it comes.

    header is normalised (imports.columns.normalise_header); field is blank for a column chosen "不导入".
    """

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("为空：平台运营方的对应关系。"),
    )
    kind = models.CharField(_("导入类型"), max_length=40, choices=ImportKind.choices)
    header = models.CharField(_("对方列名"), max_length=200)
    field = models.CharField(_("导入为"), max_length=60, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("导入列对应关系")
        verbose_name_plural = _("导入列对应关系")
        ordering = ["kind", "header"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "header"],
                name="import_mapping_unique",
            )
        ]

    def __str__(self):
        return f"{self.header} → {self.field or '—'}"
