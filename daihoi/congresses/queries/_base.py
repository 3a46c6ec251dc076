"""Shared by the congress queries: the day the cycle is looked at, tree paths."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from daihoi.congresses import workflow
from daihoi.organizations.models import Unit

STEP = Unit.steplen
NOT_COUNTED = (workflow.CANCELLED,)
OPEN_STATES = tuple(sorted(set(workflow.STATES) - workflow.DONE - {workflow.CANCELLED}))


def today() -> datetime.date:
    """The date the cycle is looked at; `DAIHOI_TODAY` pins it for demonstrations."""
    pinned = getattr(settings, "DAIHOI_TODAY", "")
    if pinned:
        return datetime.date.fromisoformat(pinned)
    return timezone.localdate()


def ancestor_paths(path: str) -> list[str]:
    return [path[: i * STEP] for i in range(1, len(path) // STEP)]
