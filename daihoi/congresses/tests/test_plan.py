from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.congresses import actions
from daihoi.congresses.models import Congress, PlanApproval
from daihoi.congresses.tests.conftest import congress_of
from daihoi.organizations.models import Unit

pytestmark = pytest.mark.django_db


def test_plan_has_exactly_one_congress_per_active_unit_with_its_levels_terms(cycle, province):
    units = Unit.objects.filter(path__startswith=province["province"].path)
    assert Congress.objects.filter(cycle=cycle).count() == units.count() == 7
    cell = congress_of(cycle, "C1")
    assert (cell.congress_type, cell.contents, cell.bodies) == ("full", [1, 2, 3, 4], "elected")
    assert (cell.earliest, cell.latest) == (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    assert cell.max_duration_days == Decimal("0.5")
    district = congress_of(cycle, "D1")
    assert district.latest == datetime.date(2025, 8, 31)
    assert district.max_duration_days == 2


def test_generating_the_plan_again_plans_only_new_units(cycle, province):
    testing.make_unit(parent=province["g1"], code="C9", level="cell")
    assert actions.cycle_generate_plan(actor=SYSTEM, cycle=cycle) == 1
    assert actions.cycle_generate_plan(actor=SYSTEM, cycle=cycle) == 0


def test_closed_units_get_no_congress(province):
    Unit.objects.filter(code="C2").update(active_until=datetime.date(2024, 12, 31))
    cycle = actions.cycle_create(
        actor=SYSTEM,
        name="2025–2030",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=province["province"],
    )
    actions.cycle_generate_plan(actor=SYSTEM, cycle=cycle, pilots=["C1"])
    assert not Congress.objects.filter(cycle=cycle, unit__code="C2").exists()
    assert congress_of(cycle, "C1").pilot


def test_unknown_rulebook_and_unknown_pilot_are_refused(province):
    with pytest.raises(ValidationError) as e:
        actions.cycle_create(
            actor=SYSTEM,
            name="x",
            term_start=2025,
            term_end=2030,
            rulebook_id="nope",
            root=province["province"],
        )
    assert "rulebook_id" in e.value.message_dict
    cycle = actions.cycle_create(
        actor=SYSTEM,
        name="x",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=province["province"],
    )
    with pytest.raises(ValidationError) as e:
        actions.cycle_generate_plan(actor=SYSTEM, cycle=cycle, pilots=["NOPE"])
    assert "NOPE" in str(e.value)
    assert not Congress.objects.filter(cycle=cycle).exists()


def test_plan_approval_needs_a_second_organizer_of_the_higher_level(province, organizer_d1):
    cycle = actions.cycle_create(
        actor=SYSTEM,
        name="x",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=province["province"],
    )
    org_p = testing.make_user(username="org_p1", role=testing.ORGANIZER, unit=province["province"])
    org_p2 = testing.make_user(username="org_p2", role=testing.ORGANIZER, unit=province["province"])
    actions.plan_submit(actor=org_p, cycle=cycle, unit=province["d1"])
    with pytest.raises(PermissionDenied):
        actions.plan_approve(actor=organizer_d1, cycle=cycle, unit=province["d1"])
    with pytest.raises(ValidationError) as e:
        actions.plan_approve(actor=org_p, cycle=cycle, unit=province["d1"])
    assert "approved_by" in e.value.message_dict
    approval = actions.plan_approve(actor=org_p2, cycle=cycle, unit=province["d1"])
    assert approval.approved_by == org_p2
    assert PlanApproval.objects.get(pk=approval.pk).approved_at is not None
