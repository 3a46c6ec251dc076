from __future__ import annotations

import pytest

from daihoi import testing
from daihoi.congresses import workflow
from daihoi.congresses.models import Congress
from daihoi.demo import cycle as demo_cycle

pytestmark = pytest.mark.django_db


def test_demo_cycle_is_in_progress_with_a_merger_and_is_idempotent(province):
    for g in ("g1", "g2"):
        for i in range(3):
            testing.make_unit(parent=province[g], code=f"{g}c{i}", level="cell")
    cycle = demo_cycle.build(province["province"])
    assert demo_cycle.build(province["province"]) == cycle
    states = dict(Congress.objects.filter(cycle=cycle).values_list("unit__code", "state"))
    assert states["C1"] == workflow.CONCLUDED  # the pilot grassroots' cell
    assert states["G1"] == workflow.CONCLUDED
    assert {states["D1"], states["D2"]} == {workflow.CANCELLED}
    merged = Congress.objects.get(cycle=cycle, unit__code="D1D2")
    assert merged.merged and merged.bodies == "appointed"
    assert Congress.objects.filter(cycle=cycle, pilot=True, state=workflow.CONCLUDED).count() == 5
