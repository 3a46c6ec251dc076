"""`/healthz`: whether this process can serve — database, cache (Redis in production) and the
task queue. Public on purpose (load balancers and monitors ask it without an account); it
says which check failed, never why in detail."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from daihoi.core.access import public


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _cache() -> dict[str, Any]:
    key = f"daihoi:healthz:{time.monotonic_ns()}"
    cache.set(key, 1, timeout=10)
    ok = cache.get(key) == 1
    cache.delete(key)
    return {"ok": ok, "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _tasks() -> dict[str, Any]:
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db"):
        return {"ok": True, "backend": backend.rsplit(".", 1)[-1]}
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    waiting = DBTaskResult.objects.filter(status="READY", run_after__lte=now)
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = 0.0 if oldest is None else max(0.0, (now - oldest).total_seconds())
    limit = float(getattr(settings, "DAIHOI_HEALTH_MAX_QUEUE_AGE", 300))
    return {"ok": age <= limit, "oldest_waiting_seconds": round(age, 1), "limit": limit}


CHECKS = {"database": _database, "cache": _cache, "tasks": _tasks}


@public
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    results: dict[str, Any] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # a health check reports every failure, never raises
            results[name] = {"ok": False, "error": type(exc).__name__}
    healthy = all(r["ok"] for r in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": results},
        status=200 if healthy else 503,
    )
