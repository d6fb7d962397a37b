"""The email digest of new red warnings (红色预警邮件): overdue visits, and the other kinds once overdue.

After the daily escalation, each unit that received notifications in this run has them emailed, in one message
per person, to its active administrators with an email address on their account (`User.email`); a unit without
such a person gets no email (the notifications are in its bell all the same). Only the notifications of this run
are listed, so a warning is emailed once. The mail goes through Django's EMAIL_* settings (SMTP in production,
the console in the embedded mode), in the platform's language; the links are absolute with PUBLIC_BASE_URL.
"""

import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import UserRole

__all__ = ["send_digest"]

logger = logging.getLogger(__name__)


def _link(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path if path else ""


def _message(person, notifications) -> EmailMessage:
    subject = _("%(platform)s：%(count)s 条新的红色预警") % {
        "platform": settings.PLATFORM_NAME,
        "count": len(notifications),
    }
    lines = [_("以下预警已逾期（红色预警），详情请登录平台查看："), ""]
    for notification in notifications:
        lines.append(f"- {notification.title}")
        lines.append(f"  {notification.body}")
        if notification.url:
            lines.append(f"  {_link(notification.url)}")
        lines.append("")
    lines.append(_("本邮件由平台每日自动发送，请勿回复。"))
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [person.email])


def send_digest(notifications) -> int:
    """Email `notifications` (those one run created) to their units' administrators; returns the emails sent."""
    by_unit = defaultdict(list)
    for notification in notifications:
        if notification.user_id is None:  # addressed to the unit (none of the escalation's names a person)
            by_unit[notification.organization_id].append(notification)
    if not by_unit:
        return 0
    people = (
        get_user_model()
        .objects.filter(organization_id__in=list(by_unit), is_active=True, role=UserRole.ADMIN)
        .exclude(email="")
        .order_by("organization_id", "pk")
    )
    with translation.override(settings.LANGUAGE_CODE):
        messages = [_message(person, by_unit[person.organization_id]) for person in people]
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # the notifications are sent; a mail server down costs the digest only
        logger.exception("could not send the digest of red warnings (%s emails)", len(messages))
        return 0
