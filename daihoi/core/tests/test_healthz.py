"""/healthz: public, reports the database, the cache and the task queue's age."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client, override_settings
from django.utils import timezone

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthz_is_public_and_healthy() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "tasks"}
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@override_settings(TASKS=DB_TASKS, DAIHOI_HEALTH_MAX_QUEUE_AGE=60)
def test_an_old_waiting_task_makes_it_fail() -> None:
    from django_tasks_db.models import DBTaskResult

    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="daihoi.nothing",
        backend_name="default",
        run_after=long_ago,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=long_ago)
    response = Client().get("/healthz")
    assert response.status_code == 503
    tasks = response.json()["checks"]["tasks"]
    assert tasks["ok"] is False and tasks["oldest_waiting_seconds"] >= 600


def test_a_failing_cache_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    from daihoi.core import views

    def broken() -> dict[str, object]:
        raise ConnectionError("redis down")

    monkeypatch.setitem(views.CHECKS, "cache", broken)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}
