"""Per-address rate limits for public forms, counted in the cache (Redis in production)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address; behind a proxy, its first X-Forwarded-For hop when trusted."""
    if getattr(settings, "DAIHOI_TRUST_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def rate_limited(request: HttpRequest, *, scope: str, limit: int, period: int = 3600) -> bool:
    """Count one attempt for the client in `scope`; True when over `limit` in this period."""
    key = f"daihoi:rate:{scope}:{client_address(request)}:{int(time.time() // period)}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return bool(count > limit)
