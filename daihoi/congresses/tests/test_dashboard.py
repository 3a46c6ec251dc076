from __future__ import annotations

import datetime
from collections import Counter

import pytest

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.congresses import actions, queries, workflow
from daihoi.congresses.models import Congress
from daihoi.congresses.tests.conftest import congress_of, hold

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def busy_cycle(cycle, province):
    for g in ("g1", "g2"):
        for i in range(3):
            testing.make_unit(parent=province[g], code=f"{g.upper()}C{i}", level="cell")
    actions.cycle_generate_plan(actor=SYSTEM, cycle=cycle)
    hold(congress_of(cycle, "C1"))
    hold(congress_of(cycle, "G1C0"))
    hold(congress_of(cycle, "G2C1"))
    actions.congress_transition(
        actor=SYSTEM, congress=congress_of(cycle, "G2C2"), transition="prepare"
    )
    return cycle


def test_progress_equals_a_direct_count(busy_cycle, province):
    for unit in (province["province"], province["d1"], province["g2"]):
        direct = Counter(
            (c.unit.level, c.state)
            for c in Congress.objects.filter(cycle=busy_cycle).select_related("unit")
            if c.unit.path.startswith(unit.path)
        )
        got = queries.progress(busy_cycle, unit)
        assert {(lv, st): n for lv, by in got.items() for st, n in by.items()} == dict(direct)


def test_dashboard_figures_equal_direct_counts(busy_cycle, province):
    on = D(2025, 4, 15)
    board = queries.dashboard(busy_cycle, province["province"], on=on)
    everything = list(Congress.objects.filter(cycle=busy_cycle).select_related("unit"))
    assert board.total == len(everything)
    open_ = [c for c in everything if c.state not in (*workflow.DONE, workflow.CANCELLED)]
    assert board.overdue_count == sum(1 for c in open_ if c.effective_latest < on)
    assert board.upcoming_count == sum(
        1 for c in open_ if on <= c.effective_latest <= on + datetime.timedelta(days=30)
    )
    g2 = next(b for b in board.blocked if b.congress.unit.code == "G2")
    assert (g2.open, g2.total) == (3, 4)
    d1_row = next(r for r in board.children if r["unit"].code == "D1")
    assert d1_row["total"] == sum(
        1 for c in everything if c.unit.path.startswith(province["d1"].path)
    )
    assert d1_row["done"] == 2


def test_dashboard_takes_a_fixed_number_of_queries(
    busy_cycle, province, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        queries.dashboard(busy_cycle, province["province"], on=D(2025, 4, 15))


def test_cycles_and_congresses_are_scoped(busy_cycle, province, organizer_d1):
    assert list(queries.cycles_visible(organizer_d1)) == [busy_cycle]
    assert queries.default_unit(organizer_d1, busy_cycle) == province["d1"]
    codes = {c.unit.code for c in queries.congresses_visible(organizer_d1).select_related("unit")}
    assert codes == {"D1", "G1", "C1", "G1C0", "G1C1", "G1C2"}
    stranger = testing.make_user(username="nobody")
    assert list(queries.cycles_visible(stranger)) == []
    with pytest.raises(Exception) as e:
        queries.access_congress_by_id(organizer_d1, congress_of(busy_cycle, "D2").pk)
    assert e.typename == "Http404"
