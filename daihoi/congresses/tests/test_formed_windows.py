"""Units formed mid-cycle are planned into the future: the rulebook's window for units formed
then, never one that closes before the unit exists."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daihoi.accounts.authority import SYSTEM
from daihoi.congresses import planning, queries
from daihoi.congresses.tests.conftest import congress_of
from daihoi.organizations import actions as org_actions
from daihoi.rulebooks.loader import load_rulebook

D = datetime.date
BOOKS = ("vn-cpv-2024", "vn-cpv-2025")
LEVELS = ("national", "province", "above_grassroots", "grassroots", "cell")


@pytest.mark.parametrize("book_id", BOOKS)
@pytest.mark.parametrize("level", LEVELS)
def test_a_unit_formed_in_july_2025_gets_a_window_after_its_formation_at_every_level(
    book_id, level
):
    window = planning.window_for(load_rulebook(book_id), level, formed_on=D(2025, 7, 1))
    assert D(2025, 7, 1) <= window.earliest <= window.latest
    assert window.rule.startswith(f"schedule.{level}")


@pytest.mark.parametrize("level", LEVELS)
def test_a_unit_formed_before_its_window_opens_keeps_the_level_window(level):
    book = load_rulebook("vn-cpv-2025")
    schedule = book.schedule_for(level)
    window = planning.window_for(book, level, formed_on=schedule.earliest.value)
    assert (window.earliest, window.latest) == schedule.window
    assert window.rule == f"schedule.{level}"


@pytest.mark.parametrize(
    ("level", "formed_on", "latest"),
    [
        # Directive 45: new communes and wards hold their congress by 31 August 2025.
        ("above_grassroots", D(2025, 7, 1), D(2025, 8, 31)),
        ("grassroots", D(2025, 7, 1), D(2025, 8, 31)),
        ("cell", D(2025, 7, 1), D(2025, 8, 31)),
        ("province", D(2025, 9, 15), D(2025, 10, 31)),
        ("national", D(2026, 1, 10), D(2026, 4, 10)),
        ("above_grassroots", D(2025, 10, 1), D(2026, 1, 1)),
    ],
)
def test_the_2025_rulebook_gives_units_formed_mid_cycle_their_own_deadline(
    level, formed_on, latest
):
    window = planning.window_for(load_rulebook("vn-cpv-2025"), level, formed_on=formed_on)
    assert (window.earliest, window.latest) == (formed_on, latest)
    assert ".formed_mid_cycle[" in window.rule


@settings(deadline=None)
@given(
    book_id=st.sampled_from(BOOKS),
    level=st.sampled_from(LEVELS),
    formed_on=st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31)),
)
def test_no_window_ever_closes_before_the_unit_exists(book_id, level, formed_on):
    book = load_rulebook(book_id)
    window = planning.window_for(book, level, formed_on=formed_on)
    assert window.earliest <= window.latest
    assert window.latest >= formed_on
    assert window.earliest >= min(formed_on, book.schedule_for(level).earliest.value)
    terms = planning.terms_for(book, level, merged=True, formed_on=formed_on)
    assert (terms.earliest, terms.latest) == (window.earliest, window.latest)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sources", "new_code"), [(("d1", "d2"), "D12"), (("g1", "g2"), "G12"), (("c1", "c2"), "C12")]
)
def test_merging_mid_cycle_plans_the_successor_after_its_formation(
    cycle, province, sources, new_code
):
    org_actions.units_merge(
        actor=SYSTEM,
        sources=[province[s] for s in sources],
        effective_date=D(2025, 7, 1),
        new_code=new_code,
        new_name="Đơn vị mới",
    )
    merged = congress_of(cycle, new_code)
    assert merged.formed_on == D(2025, 7, 1)
    assert D(2025, 7, 1) <= merged.earliest <= merged.latest == D(2025, 8, 31)


@pytest.mark.django_db
def test_a_split_mid_cycle_plans_both_parts_after_their_formation(cycle, province):
    org_actions.unit_split(
        actor=SYSTEM,
        unit=province["g1"],
        parts=[
            org_actions.SplitPart("G1A", "Phần A", ("C1",)),
            org_actions.SplitPart("G1B", "Phần B"),
        ],
        effective_date=D(2025, 7, 15),
    )
    for code in ("G1A", "G1B"):
        congress = congress_of(cycle, code)
        assert (congress.earliest, congress.latest) == (D(2025, 7, 15), D(2025, 8, 31))


@pytest.mark.django_db
def test_a_rulebook_migration_keeps_the_window_of_a_unit_formed_mid_cycle(cycle, province):
    org_actions.units_merge(
        actor=SYSTEM,
        sources=[province["g1"], province["g2"]],
        effective_date=D(2025, 7, 1),
        new_code="G12",
        new_name="Đơn vị mới",
    )
    changed = {c.unit_code for c in queries.cycle_migration_preview(cycle, "vn-cpv-2025").changes}
    assert "G12" not in changed
