"""Test support of the congress cycle: a planned cycle as congress tests and journeys start
from (kept beside the app: `daihoi.testing` stays below the congresses layer)."""

from __future__ import annotations

import datetime

from daihoi.accounts.authority import SYSTEM
from daihoi.congresses import actions
from daihoi.congresses.models import Cycle, PlanApproval
from daihoi.organizations.models import Unit


def make_planned_cycle(root: Unit, *, rulebook_id: str = "vn-cpv-2025") -> Cycle:
    """The 2025–2030 cycle of `root` with every unit's congress planned and the plan approved
    by the root's level, as the congress tests and journeys start from."""
    cycle = actions.cycle_create(
        actor=SYSTEM,
        name="Nhiệm kỳ 2025–2030",
        term_start=2025,
        term_end=2030,
        rulebook_id=rulebook_id,
        root=root,
    )
    actions.cycle_generate_plan(actor=SYSTEM, cycle=cycle)
    PlanApproval.objects.create(
        cycle=cycle, unit=root, approved_at=datetime.datetime.now(datetime.UTC)
    )
    return cycle
