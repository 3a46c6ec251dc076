from __future__ import annotations

import datetime
from dataclasses import asdict

import pytest
from django.core.exceptions import ValidationError

from daihoi.accounts.authority import SYSTEM
from daihoi.congresses import actions, queries, workflow
from daihoi.congresses.actions.reorganization import reorganization_preview
from daihoi.congresses.models import Congress, Cycle
from daihoi.congresses.tests.conftest import approve_plan, congress_of, hold
from daihoi.core.models import AuditEvent
from daihoi.organizations import actions as org_actions
from daihoi.organizations.models import Unit

pytestmark = pytest.mark.django_db
D = datetime.date


def _merge(province):
    return lambda: org_actions.units_merge(
        actor=SYSTEM,
        sources=[province["d1"], province["d2"]],
        effective_date=D(2025, 7, 1),
        new_code="D12",
        new_name="Thành phố Hải Dương mới",
    )


def test_merged_unit_gets_the_merged_type_and_old_congresses_are_cancelled_with_a_link(
    cycle, province
):
    _merge(province)()
    merged = congress_of(cycle, "D12")
    assert (merged.congress_type, merged.contents, merged.bodies, merged.merged) == (
        "merged",
        [1, 2],
        "appointed",
        True,
    )
    assert merged.latest == D(2025, 8, 31)
    for code in ("D1", "D2"):
        old = congress_of(cycle, code)
        assert old.state == workflow.CANCELLED and old.successor == merged


def test_held_congresses_of_merged_units_stay_held(cycle, province):
    hold(congress_of(cycle, "C1"))
    _merge(province)()
    assert congress_of(cycle, "C1").state == workflow.CONCLUDED
    # C1 moved under G1 which moved under D12: the cascade follows the new tree.
    assert queries.children_of_congress(congress_of(cycle, "D12")).total == 2


def test_reorganization_preview_equals_what_applying_does(cycle, province):
    preview = reorganization_preview(_merge(province))
    assert not Unit.objects.filter(code="D12").exists()
    assert congress_of(cycle, "D1").state == workflow.PLANNED
    _merge(province)()
    applied = AuditEvent.objects.filter(action="cycle_replan").latest("id").changes["steps"]
    assert [asdict(s) for s in preview] == applied
    assert {(s.unit_code, s.step) for s in preview} == {
        ("D12", "create"),
        ("D1", "cancel"),
        ("D2", "cancel"),
    }


def test_split_creates_newly_formed_congresses(cycle, province):
    org_actions.unit_split(
        actor=SYSTEM,
        unit=province["d1"],
        parts=[
            org_actions.SplitPart("D1A", "Phần A", ("G1",)),
            org_actions.SplitPart("D1B", "Phần B"),
        ],
        effective_date=D(2025, 7, 1),
    )
    assert {congress_of(cycle, c).congress_type for c in ("D1A", "D1B")} == {"merged"}
    assert congress_of(cycle, "D1").state == workflow.CANCELLED


def test_abolishing_a_level_cancels_its_congresses_with_a_link_to_the_parents(cycle, province):
    org_actions.level_abolish(
        actor=SYSTEM,
        root=province["province"],
        level="above_grassroots",
        effective_date=D(2025, 7, 1),
    )
    province_congress = congress_of(cycle, "P")
    for code in ("D1", "D2"):
        old = congress_of(cycle, code)
        assert old.state == workflow.CANCELLED and old.successor == province_congress
    assert province_congress.congress_type == "full"
    assert queries.children_of_congress(province_congress).total == 2  # G1, G2 moved up


def test_migration_to_a_new_rulebook_applies_exactly_its_preview(province):
    cycle = actions.cycle_create(
        actor=SYSTEM,
        name="x",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2024",
        root=province["province"],
    )
    actions.cycle_generate_plan(actor=SYSTEM, cycle=cycle)
    approve_plan(cycle)
    hold(congress_of(cycle, "C1"))
    preview = queries.cycle_migration_preview(cycle, "vn-cpv-2025")
    changed = {c.unit_code: c for c in preview.changes}
    # District windows open on 1 June under Directive 45 instead of 1 July; C1 is already held.
    assert changed["D1"].new_terms()["earliest"] == D(2025, 6, 1)
    assert "C1" not in changed and preview.held == 1
    assert any(r.path.startswith("age.reelection") for r in preview.rule_changes)
    actions.cycle_migrate_rulebook(
        actor=SYSTEM, cycle=cycle, rulebook_id="vn-cpv-2025", fingerprint=preview.fingerprint
    )
    assert Cycle.objects.get(pk=cycle.pk).rulebook_id == "vn-cpv-2025"
    for change in preview.changes:
        congress = Congress.objects.get(pk=change.congress_id)
        for name, value in change.new_terms().items():
            got = getattr(congress, name)
            assert (tuple(got) if name == "contents" else got) == value
    assert queries.cycle_migration_preview(cycle, "vn-cpv-2025").changes == []


def test_migration_refuses_when_the_plan_changed_since_the_preview(province):
    cycle = actions.cycle_create(
        actor=SYSTEM,
        name="x",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2024",
        root=province["province"],
    )
    actions.cycle_generate_plan(actor=SYSTEM, cycle=cycle)
    preview = queries.cycle_migration_preview(cycle, "vn-cpv-2025")
    Congress.objects.filter(cycle=cycle, unit__code="D1").update(latest=D(2025, 12, 1))
    with pytest.raises(ValidationError) as e:
        actions.cycle_migrate_rulebook(
            actor=SYSTEM, cycle=cycle, rulebook_id="vn-cpv-2025", fingerprint=preview.fingerprint
        )
    assert "fingerprint" in e.value.message_dict
    assert Cycle.objects.get(pk=cycle.pk).rulebook_id == "vn-cpv-2024"
