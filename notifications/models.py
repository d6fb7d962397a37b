"""通知: a message to a unit (or to one person of it) about an object, with each person's read state.

A notification is addressed to an organisation; `user` narrows it to one person of that unit, `audience` to the
unit's administrators. A notification that asks for something (确认 a record) is marked done once that is done,
by anyone, and stops counting as unread. Read state is per person: a `NotificationRead` row, or the person's
`ReadMark` ("everything created up to this moment is read", set by 全部标为已读), so counting what is unread only
ever looks at the notifications newer than the person's mark.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.tenancy import TenantQuerySet, scope_for

__all__ = ["NotificationKind", "Audience", "Notification", "NotificationRead", "ReadMark", "addressed_to"]

# before every notification: the mark of a person who never marked all as read
BEGINNING = datetime(2000, 1, 1, tzinfo=UTC)


class NotificationKind(models.TextChoices):
    """What a notification is about; an app that notifies adds its kinds here."""

    HAZARD = "hazard", _("严重事故隐患")
    CONFIRM_RECORD = "confirm_record", _("维保纪录待确认")
    UNCONFIRMED_RECORD = "unconfirmed_record", _("维保纪录超时未确认")
    APPLICATION_SUBMITTED = "application_submitted", _("监管申请待审核")
    APPLICATION_DECIDED = "application_decided", _("监管申请审核结果")
    UNIT_ACCOUNT_OPENED = "unit_account_opened", _("单位帐户已开通")
    # 维保逾期 escalated (alerts.escalation): one kind per step, so each recipient is told once per plan and step
    PLAN_OVERDUE_1 = "plan_overdue_1", _("维保逾期 1 天")
    PLAN_OVERDUE_3 = "plan_overdue_3", _("维保逾期 3 天")
    PLAN_OVERDUE_7 = "plan_overdue_7", _("维保逾期 7 天")
    # the other warning kinds (alerts.notices): told at each lead time reached and once overdue
    INSPECTION_DUE = "inspection_due", _("年检预警")
    COMPONENT_EXPIRING = "component_expiring", _("组件寿命预警")
    CONTRACT_ENDING = "contract_ending", _("维保合同到期预警")
    CERTIFICATE_ENDING = "certificate_ending", _("人员证书到期预警")
    QUALIFICATION_ENDING = "qualification_ending", _("单位资质到期预警")
    GOVERNOR_DUE = "governor_due", _("限速器检验预警")
    SELFCHECK_DUE = "selfcheck_due", _("年度自行检查预警")
    DRILL_DUE = "drill_due", _("应急演练预警")


class Audience(models.TextChoices):
    """Who of the unit reads a notification addressed to the unit (not to one person)."""

    ALL = "all", _("本单位全体人员")
    ADMINS = "admins", _("本单位管理员")


def addressed_to(scope) -> Q | None:
    """The notifications a person receives: those of their own unit addressed to them, or to the whole unit (its
    administrators' ones to administrators only). The operator receives those addressed to him by name."""
    if scope.is_operator:
        return Q(user_id=scope.user_id)
    if not scope.organization_id:
        return None
    audiences = [Audience.ALL, Audience.ADMINS] if scope.is_admin else [Audience.ALL]
    return Q(organization_id=scope.organization_id) & (
        Q(user_id=scope.user_id) | Q(user__isnull=True, audience__in=audiences)
    )


class NotificationQuerySet(TenantQuerySet):
    def addressed_to(self, user):
        """What `user` receives (the bell counts these; the operator *sees* every notification but receives none)."""
        scope = scope_for(user)
        condition = addressed_to(scope) if scope.authenticated else None
        return self.none() if condition is None else self.filter(condition)

    def with_read_state(self, user):
        """Annotate `is_read` for `user`: one sub-select for the mark, one indexed EXISTS per row."""
        return self.annotate(is_read=Q(created_at__lte=_mark_of(user)) | Exists(_reads_of(user)))

    def unread_by(self, user):
        """Not read by `user` and still to be dealt with (what the bell counts)."""
        return self.filter(done_at__isnull=True, created_at__gt=_mark_of(user)).exclude(Exists(_reads_of(user)))


def _mark_of(user):
    return Coalesce(Subquery(ReadMark.objects.filter(user_id=user.pk).values("read_until")[:1]), Value(BEGINNING))


def _reads_of(user):
    return NotificationRead.objects.filter(notification_id=OuterRef("pk"), user_id=user.pk)


class Notification(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("接收单位"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("为空时发给接收单位（按接收范围）。"),
    )
    audience = models.CharField(_("接收范围"), max_length=8, choices=Audience.choices, default=Audience.ALL)
    kind = models.CharField(_("类别"), max_length=32, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)  # a path inside the platform
    about_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    # set when the notification may be sent only once (notify(once=True)): unique per unit
    once_key = models.CharField(max_length=120, blank=True, editable=False)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    # what it asked for has been done (the record it asked to confirm is confirmed): no longer counted as unread
    done_at = models.DateTimeField(_("已处理时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at", "-id"], name="notification_org_created"),
            models.Index(fields=["about_type", "about_id"], name="notification_about"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "once_key"], condition=~Q(once_key=""), name="uniq_notification_once"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """Where opening it leads (a POST to `open_url` marks it read first)."""
        return self.url or reverse("notifications:list")

    @property
    def open_url(self) -> str:
        return reverse("notifications:open", args=[self.pk])


class NotificationRead(models.Model):
    """One person has read one notification."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notification", "user"], name="uniq_notification_read")]


class ReadMark(models.Model):
    """全部标为已读: every notification created up to `read_until` counts as read for this person."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+")
    read_until = models.DateTimeField()
