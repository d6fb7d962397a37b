"""The client's address, read as the deployment tells: behind the documented nginx every request comes from
127.0.0.1, and only the proxy's X-Forwarded-For (or X-Real-IP) names the person.

Headers are trusted only when PROXY_COUNT (settings, from the environment: TRUSTED_PROXY=1 sets it to 1) says how
many proxies of ours stand in front: anyone can send an X-Forwarded-For, so the address is the one the outermost
of our proxies appended, counted from the right, never one the client wrote.
"""

import ipaddress

from django.conf import settings

__all__ = ["client_ip"]


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address of the person making the request (None when there is none to tell)."""
    remote = _valid(request.META.get("REMOTE_ADDR") or "")
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) >= proxies:
        return _valid(forwarded[-proxies]) or remote
    if proxies == 1:
        return _valid(request.META.get("HTTP_X_REAL_IP", "")) or remote
    return remote
