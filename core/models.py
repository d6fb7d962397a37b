"""Shared records every app reuses: the audit trail and uploaded attachments."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["AuditEvent", "Attachment", "StatusField"]


class StatusField(models.CharField):
    """A status column that forms never edit: only service functions move it (see core.workflow)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("db_index", True)
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs


class AuditEvent(models.Model):
    """Who did what to which object, when, and why (审计记录)."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=40, db_index=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(_("对象"), max_length=255, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-at"])]

    ACTION_LABELS = {
        "create": _("新增"),
        "update": _("修改"),
        "transition": _("状态变更"),
        "password_change": _("修改密码"),
        "password_reset": _("重置密码"),
        "unlock": _("解除锁定"),
        "qualification": _("资质认证"),
        "face_photo": _("维保验证"),
        "components": _("组件"),
        "landing_doors": _("层门"),
        "problem_report": _("问题上报"),
        "correct_code": _("更正注册代码"),
        "delete": _("删除"),
        "acknowledge": _("确认外单位开设的账号"),
        "plan": _("生成维保计划"),
        "complete": _("完成维保"),
        "move": _("调整维保计划"),
        "close_plans": _("关闭维保计划"),
        "assign": _("分配电梯"),
        "start_visit": _("开始维保"),
        "join_visit": _("加入维保"),
        "finish_visit": _("结束维保"),
        "confirm": _("确认维保纪录"),
        "correct": _("发起更正"),
        "approve_correction": _("批准更正"),
        "unassign": _("移出电梯"),
        "hand_over_plans": _("移交维保计划"),
        "submit": _("提交"),
        "approve": _("审核通过"),
        "return": _("退回"),
        "reject": _("不予通过"),
        "attach": _("上传附件"),
        "detach": _("移除附件"),
        "accept": _("受理"),
        "review": _("审核"),
        "add_elevators": _("添加试点电梯"),
        "remove_elevators": _("移除试点电梯"),
        "unit_account": _("开通单位帐户"),
        "terminate": _("提前终止"),
    }

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_repr}"

    @property
    def action_label(self):
        return self.ACTION_LABELS.get(self.action, self.action)

    def change_rows(self):
        """(field label, old, new) with verbose names and choice labels of the target's model."""
        model = self.target_type.model_class() if self.target_type_id else None
        rows = []
        for name, values in (self.changes or {}).items():
            old, new = values if isinstance(values, list) and len(values) == 2 else (None, values)
            label = name
            if model is not None:
                try:
                    field = model._meta.get_field(name)
                except Exception:
                    field = None
                if field is not None:
                    label = field.verbose_name
                    choices = dict(field.choices or [])
                    old, new = choices.get(old, old), choices.get(new, new)
            rows.append((label, old, new))
        return rows


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is random: the person's file name is kept in original_name only.
    suffix = Path(filename).suffix.lower()
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """An uploaded file, checked for type, size and name, owned by a tenant-scoped object.

    Downloads go through core.views.download_attachment, which asks the owner's
    queryset whether the user may see it: files are never served publicly.
    """

    owner_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    owner_id = models.CharField(max_length=64)
    owner = GenericForeignKey("owner_type", "owner_id")
    purpose = models.CharField(_("用途"), max_length=40)
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("文件名"), max_length=120)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        indexes = [models.Index(fields=["owner_type", "owner_id", "purpose"])]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
