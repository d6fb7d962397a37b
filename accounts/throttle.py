"""Wrong passwords: who is slowed down, who is locked, and how a lock is lifted — without letting anyone lock
somebody else out.

Three counters:
- **a username at one address** (django-axes, `AXES_LOCKOUT_PARAMETERS`): five wrong passwords lock that pair for
  `AXES_COOLOFF_TIME`; the account's owner, at his own address, still logs in;
- **an address, whatever usernames it tries** (cache): past `LOGIN_ADDRESS_LIMIT` failures within
  `LOGIN_ADDRESS_WINDOW` the address is refused (429 with Retry-After) until the window ends — password spraying;
- **a username, from any address** (cache): past `LOGIN_USERNAME_LIMIT` failures within `LOGIN_USERNAME_WINDOW`
  the token endpoint refuses the username (an attacker with many addresses). The web login, behind its captcha,
  keeps working, so the backstop costs the owner the API, never the platform; a successful web login, a unit
  administrator's 解除锁定 or 重置密码 clears it.
"""

from datetime import timedelta

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.utils import timezone

__all__ = ["address_wait", "username_backstopped", "is_locked", "clear", "client_address", "count", "waiting"]


def client_address(request) -> str:
    return get_client_ip_address(request) or "unknown"


def _address_key(address: str) -> str:
    return f"login-fail:addr:{address}"


def _username_key(username: str) -> str:
    return f"login-fail:user:{username.strip().lower()}"


def _count(key: str, window: timedelta) -> int:
    """A fixed window: the first failure starts it, later ones add to it. Returns the count, this one included."""
    seconds = int(window.total_seconds())
    if cache.add(key, {"n": 1, "until": timezone.now() + window}, seconds):
        return 1
    entry = cache.get(key)
    if entry is None:  # expired between the two calls
        cache.add(key, {"n": 1, "until": timezone.now() + window}, seconds)
        return 1
    entry["n"] += 1
    remaining = max(int((entry["until"] - timezone.now()).total_seconds()), 1)
    cache.set(key, entry, remaining)
    return entry["n"]


def count(key: str, window: timedelta) -> int:
    """Count one more event under `key` in a fixed window (other limits than the login's use it too)."""
    return _count(key, window)


def waiting(key: str, limit: int) -> int:
    """Seconds until `key`'s window ends once it has counted `limit` events (0: not yet at the limit)."""
    entry = cache.get(key)
    if not entry or entry["n"] < limit:
        return 0
    return max(int((entry["until"] - timezone.now()).total_seconds()), 1)


@receiver(user_login_failed, dispatch_uid="accounts.throttle.count_failure")
def count_failure(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username") or ""
    if request is not None:
        _count(_address_key(client_address(request)), settings.LOGIN_ADDRESS_WINDOW)
    if username:
        _count(_username_key(username), settings.LOGIN_USERNAME_WINDOW)


@receiver(user_logged_in, dispatch_uid="accounts.throttle.clear_backstop")
def clear_backstop(sender, request, user, **kwargs):
    cache.delete(_username_key(user.get_username()))


def address_wait(request) -> int:
    """Seconds this address must wait before trying a password again (0: it may try now)."""
    return waiting(_address_key(client_address(request)), settings.LOGIN_ADDRESS_LIMIT)


def username_backstopped(username: str) -> bool:
    entry = cache.get(_username_key(username or ""))
    return bool(entry) and entry["n"] >= settings.LOGIN_USERNAME_LIMIT


def is_locked(username: str) -> bool:
    """Locked at some address (five wrong passwords there) or held back at the token endpoint."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    locked_somewhere = AccessAttempt.objects.filter(
        username=username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).exists()
    return locked_somewhere or username_backstopped(username)


def clear(username: str) -> None:
    """解除锁定: every address's lock on the username and its backstop."""
    AccessAttempt.objects.filter(username=username).delete()
    cache.delete(_username_key(username))
