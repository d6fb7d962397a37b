"""Sending notifications and keeping each person's read state.

    notify(unit, NotificationKind.HAZARD, title, body, url, about=record)          # every person of the unit
    notify(unit, kind, title, body, url, about=record, audience=Audience.ADMINS)   # its administrators
    notify(unit, kind, title, body, url, user=person)                              # one person of it
    notify(..., once=True)   # at most one notification of this kind about this object to this unit (or person)

`url` is a path inside the platform ("/records/12/"); anything else is refused, so opening a notification never
leads off the platform. The unread count behind the bell is one indexed query, cached per person until a
notification reaches their unit or they read one. `resolve(about)` marks what a notification asked for as done
(the record is confirmed): it no longer counts as unread for anyone.
"""

import uuid
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from core.tenancy import scope_for

from .models import Audience, Notification, NotificationKind, NotificationRead, ReadMark

__all__ = ["notify", "once_key", "mark_read", "mark_all_read", "resolve", "unread_count", "safe_path", "UNREAD_CAP"]

UNREAD_CAP = 100  # the bell says "99+" beyond: counting stops there
COUNT_TTL = 300
GENERATION_TTL = 24 * 3600
_COUNT_KEY = "notifications:unread:{}"
_GENERATION_KEY = "notifications:generation:{}"


def safe_path(url) -> str | None:
    """`url` when it is a path on this platform ("/records/1/?tab=x"), else None (another site, "//host",
    "javascript:", a backslash trick, control characters)."""
    if not isinstance(url, str) or not url.startswith("/") or url.startswith(("//", "/\\")):
        return None
    if len(url) > 500 or any(ord(c) < 32 or ord(c) == 127 or c == "\\" for c in url):
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=None) else None


def notify(
    organization,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    about=None,
    user=None,
    *,
    audience: str = Audience.ALL,
    once: bool = False,
    once_tag: str = "",
) -> Notification | None:
    """Send a notification to `organization` (to `user` of it when given). With `once`, a second call for the
    same kind, object and recipient sends nothing and returns None; `once_tag` narrows "once" to one occasion of
    the object (a due date and a lead time: the next year's inspection is told again)."""
    if organization is None:
        raise ValueError("a notification needs a recipient organization")
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    if audience not in Audience.values:
        raise ValueError(f"unknown audience {audience!r}")
    if url and safe_path(url) is None:
        raise ValueError(f"a notification links to a path inside the platform, not {url!r}")
    if user is not None and user.organization_id != organization.pk:
        raise ValueError("a notification to a person goes to that person's own unit")
    about_type = ContentType.objects.get_for_model(about) if about is not None else None
    notification = Notification(
        organization=organization,
        user=user,
        audience=audience,
        kind=kind,
        title=title[:200],
        body=body,
        url=url,
        about_type=about_type,
        about_id=about.pk if about is not None else None,
    )
    if once:
        if about is None:
            raise ValueError("notify(once=True) needs the object the notification is about")
        notification.once_key = once_key(kind, about_type.pk, about.pk, user.pk if user else None, once_tag)
        if Notification.objects.filter(organization=organization, once_key=notification.once_key).exists():
            return None
        try:
            with transaction.atomic():  # another process sent it meanwhile: the unique index says so
                notification.save()
        except IntegrityError:
            return None
    else:
        notification.save()
    _changed(organization.pk)
    return notification


def once_key(kind: str, about_type_id: int, about_id: int, user_id=None, tag: str = "") -> str:
    """The key that makes `notify(once=True)` send once per kind, object, recipient (and occasion, `tag`)."""
    key = f"{kind}:{about_type_id}:{about_id}:{user_id or ''}"
    return f"{key}:{tag}"[:120] if tag else key


def _changed(organization_id) -> None:
    """The unit's unread counts are stale: now (for this transaction's own reads) and again once it commits."""

    def bump():
        cache.set(_GENERATION_KEY.format(organization_id), uuid.uuid4().hex, GENERATION_TTL)

    bump()
    transaction.on_commit(bump)


def mark_read(notification, user) -> None:
    """`user` has read `notification` (reading it again changes nothing)."""
    NotificationRead.objects.bulk_create(
        [NotificationRead(notification=notification, user=user)], ignore_conflicts=True
    )
    cache.delete(_COUNT_KEY.format(user.pk))


def resolve(about, kinds=None) -> int:
    """What the notifications about `about` (of `kinds`, or all) asked for is done: they stop counting as unread
    for everyone. Returns how many were open."""
    notifications = Notification.objects.filter(
        about_type=ContentType.objects.get_for_model(about), about_id=about.pk, done_at__isnull=True
    )
    if kinds is not None:
        notifications = notifications.filter(kind__in=list(kinds))
    units = set(notifications.values_list("organization_id", flat=True))
    done = notifications.update(done_at=timezone.now()) if units else 0
    for unit in units:
        _changed(unit)
    return done


def mark_all_read(user) -> None:
    """全部标为已读: everything received up to now counts as read; the single reads it replaces are dropped."""
    now = timezone.now()
    ReadMark.objects.update_or_create(user=user, defaults={"read_until": now})
    NotificationRead.objects.filter(user=user, notification__created_at__lte=now).delete()
    cache.delete(_COUNT_KEY.format(user.pk))


def count_unread(user) -> int:
    """One query: what `user` receives and has not read, counted up to UNREAD_CAP."""
    queryset = Notification.objects.addressed_to(user).unread_by(user).order_by()
    return queryset[:UNREAD_CAP].count()


def unread_count(user, *, fresh: bool = False) -> int:
    """The bell's number: cached per person until a notification reaches their unit or they read one (then one
    indexed query); `fresh` always counts."""
    scope = scope_for(user)
    if not scope.authenticated:
        return 0
    count_key, generation_key = _COUNT_KEY.format(user.pk), _GENERATION_KEY.format(scope.organization_id)
    cached = cache.get_many([count_key, generation_key])
    generation = cached.get(generation_key)
    entry = cached.get(count_key)
    if not fresh and isinstance(entry, tuple) and entry[0] == generation:
        return entry[1]
    count = count_unread(user)
    cache.set(count_key, (generation, count), COUNT_TTL)
    return count
