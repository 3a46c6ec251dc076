from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import translation

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.congresses import actions
from daihoi.congresses.models import Congress, Cycle, PlanApproval
from daihoi.congresses.testing import make_planned_cycle

D = datetime.date


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Tests read the English messages; the catalogs are checked by tests/test_translations."""
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(province: dict[str, Any]) -> Cycle:
    cycle = make_planned_cycle(province["province"])
    return cycle


def approve_plan(cycle: Cycle) -> None:
    PlanApproval.objects.create(
        cycle=cycle, unit=cycle.root, approved_at=datetime.datetime.now(datetime.UTC)
    )


def congress_of(cycle: Cycle, code: str) -> Congress:
    return Congress.objects.select_related("unit", "cycle").get(cycle=cycle, unit__code=code)


def hold(congress: Congress, *, on: datetime.date | None = None) -> Congress:
    """Take a congress from planned to concluded on one day of its window."""
    day = on or congress.earliest or D(2025, 1, 1)
    for step in ("prepare", "approve", "convene", "conclude"):
        congress = actions.congress_transition(
            actor=SYSTEM, congress=congress, transition=step, on=day
        )
    return congress


@pytest.fixture
def superuser(db: Any) -> Any:
    return testing.make_user(username="root", superuser=True)
