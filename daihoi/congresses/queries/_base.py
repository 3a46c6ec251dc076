"""Shared by the congress queries: the day the cycle is looked at, tree paths."""

from __future__ import annotations

import datetime

from daihoi.congresses import workflow
from daihoi.core import clock
from daihoi.organizations.models import Unit

STEP = Unit.steplen
NOT_COUNTED = (workflow.CANCELLED,)
OPEN_STATES = tuple(sorted(set(workflow.STATES) - workflow.DONE - {workflow.CANCELLED}))


def today() -> datetime.date:
    """The date the cycle is looked at; `DAIHOI_TODAY` pins it for demonstrations."""
    return clock.today()


def ancestor_paths(path: str) -> list[str]:
    return [path[: i * STEP] for i in range(1, len(path) // STEP)]
