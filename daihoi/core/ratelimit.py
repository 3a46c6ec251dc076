"""Rate limits shared by every app: who the client is, and a counter every worker shares.

The counter lives in the cache, which is Redis in production (`REDIS_URL`), so all workers
and machines count together; `incr` is atomic there. The client's address is REMOTE_ADDR,
unless the operator declares `DAIHOI_TRUSTED_PROXIES` = n proxies in front of the app: then it
is the address the outermost trusted proxy wrote into X-Forwarded-For (the n-th from the
right). Anything a client writes there itself sits further left and is ignored.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", "") or "unknown")
    proxies = int(getattr(settings, "DAIHOI_TRUSTED_PROXIES", 0) or 0)
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    hops = [h for h in hops if h]
    if len(hops) < proxies:
        return remote  # not through all our proxies: the peer itself is the client
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def api_client(request: HttpRequest) -> str:
    """Who calls the API: the token sent (by its hash; never the key), else the user."""
    header = str(request.META.get("HTTP_AUTHORIZATION", ""))
    key = header[7:].strip() if header.lower().startswith("bearer ") else ""
    key = key or str(request.META.get("HTTP_X_API_TOKEN", ""))
    if key:
        return "t" + hashlib.sha256(key.encode()).hexdigest()[:24]
    user = getattr(request, "user", None)
    return f"u{user.pk}" if user is not None and user.is_authenticated else client_address(request)


def hit(scope: str, who: str, *, limit: int, window: int = 3600) -> bool:
    """Count one attempt of `who` in `scope`; True when it is over `limit` in this window."""
    bucket = int(time.time() // window)
    key = f"daihoi:rate:{scope}:{who}:{bucket}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return bool(count > limit)
