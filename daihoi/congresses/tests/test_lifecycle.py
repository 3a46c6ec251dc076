from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from daihoi.accounts.authority import SYSTEM
from daihoi.congresses import actions, workflow
from daihoi.congresses.models import Congress, CongressEvent, PlanApproval
from daihoi.congresses.tests.conftest import congress_of, hold
from daihoi.core.models import AuditEvent

pytestmark = pytest.mark.django_db
D = datetime.date


def _ready(cycle, code: str, on: datetime.date) -> Congress:
    congress = congress_of(cycle, code)
    for step in ("prepare", "approve"):
        congress = actions.congress_transition(
            actor=SYSTEM, congress=congress, transition=step, on=on
        )
    return congress


def _refusal(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.message_dict["transition"])


def test_every_state_code_is_reachable_from_planned():
    reached, frontier = {workflow.PLANNED}, [workflow.PLANNED]
    while frontier:
        for t in workflow.transitions_from(frontier.pop()):
            if t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == set(workflow.STATES)


def test_district_cannot_convene_while_child_congresses_are_open(cycle):
    district = _ready(cycle, "D1", D(2025, 6, 5))
    with pytest.raises(ValidationError) as e:
        actions.congress_transition(
            actor=SYSTEM, congress=district, transition="convene", on=D(2025, 6, 10)
        )
    assert "1 of 1 child congresses not concluded" in _refusal(e)
    assert Congress.objects.get(pk=district.pk).state == workflow.APPROVED


def test_district_convenes_once_its_children_concluded(cycle):
    hold(congress_of(cycle, "C1"))
    hold(congress_of(cycle, "G1"), on=D(2025, 4, 10))
    district = _ready(cycle, "D1", D(2025, 6, 5))
    district = actions.congress_transition(
        actor=SYSTEM, congress=district, transition="convene", on=D(2025, 6, 10)
    )
    assert district.state == workflow.IN_SESSION and district.starts_on == D(2025, 6, 10)


def test_exemption_by_the_higher_level_lifts_the_cascade_gate(
    cycle, organizer_d1, organizer_province
):
    district = _ready(cycle, "D1", D(2025, 6, 5))
    with pytest.raises(PermissionDenied):
        actions.congress_exempt_from_cascade(actor=organizer_d1, congress=district, reason="x")
    with pytest.raises(ValidationError):
        actions.congress_exempt_from_cascade(
            actor=organizer_province, congress=district, reason=" "
        )
    actions.congress_exempt_from_cascade(
        actor=organizer_province, congress=district, reason="Merger pending; approved by P."
    )
    district = actions.congress_transition(
        actor=organizer_d1, congress=district, transition="convene", on=D(2025, 6, 10)
    )
    assert district.state == workflow.IN_SESSION


def test_cancelled_children_do_not_hold_up_the_parent(cycle):
    hold(congress_of(cycle, "C1"))
    grassroots = _ready(cycle, "G1", D(2025, 4, 2))
    actions.congress_transition(
        actor=SYSTEM, congress=grassroots, transition="convene", on=D(2025, 4, 3)
    )
    cell = congress_of(cycle, "C2")
    actions.congress_transition(
        actor=SYSTEM, congress=cell, transition="cancel", reason="Cell dissolved"
    )
    g2 = _ready(cycle, "G2", D(2025, 4, 2))
    assert (
        actions.congress_transition(
            actor=SYSTEM, congress=g2, transition="convene", on=D(2025, 4, 3)
        ).state
        == workflow.IN_SESSION
    )


def test_convening_outside_the_window_needs_an_approved_postponement(cycle):
    cell = _ready(cycle, "C1", D(2025, 1, 2))
    with pytest.raises(ValidationError) as e:
        actions.congress_transition(
            actor=SYSTEM, congress=cell, transition="convene", on=D(2025, 4, 15)
        )
    assert "after the window closed on 2025-03-31" in _refusal(e)
    with pytest.raises(ValidationError) as e:
        actions.congress_transition(
            actor=SYSTEM, congress=cell, transition="postpone", on=D(2025, 3, 20)
        )
    assert "reason" in _refusal(e).lower()
    actions.congress_transition(
        actor=SYSTEM,
        congress=cell,
        transition="postpone",
        on=D(2025, 3, 20),
        reason="Flooding",
        new_latest=D(2025, 4, 30),
    )
    cell = actions.congress_transition(
        actor=SYSTEM, congress=congress_of(cycle, "C1"), transition="resume", on=D(2025, 3, 21)
    )
    cell = actions.congress_transition(
        actor=SYSTEM, congress=cell, transition="approve", on=D(2025, 3, 22)
    )
    cell = actions.congress_transition(
        actor=SYSTEM, congress=cell, transition="convene", on=D(2025, 4, 15)
    )
    assert cell.state == workflow.IN_SESSION


def test_convening_needs_the_higher_levels_approval(cycle, organizer_d1):
    grassroots = congress_of(cycle, "G1")
    actions.congress_transition(
        actor=organizer_d1, congress=grassroots, transition="prepare", on=D(2025, 3, 1)
    )
    with pytest.raises(ValidationError) as e:
        actions.congress_transition(
            actor=organizer_d1, congress=grassroots, transition="convene", on=D(2025, 4, 2)
        )
    assert "cannot be convene" in _refusal(e)
    # D1's organizer is the higher level of G1, but not of D1 itself.
    actions.congress_transition(
        actor=organizer_d1, congress=grassroots, transition="approve", on=D(2025, 3, 2)
    )
    with pytest.raises(PermissionDenied):
        actions.congress_transition(
            actor=organizer_d1, congress=congress_of(cycle, "D1"), transition="cancel", reason="x"
        )


def test_preparing_needs_an_approved_plan(cycle):
    PlanApproval.objects.all().delete()
    with pytest.raises(ValidationError) as e:
        actions.congress_transition(
            actor=SYSTEM, congress=congress_of(cycle, "C1"), transition="prepare"
        )
    assert "plan" in _refusal(e)


def test_a_congress_may_not_last_longer_than_the_rulebook_allows(cycle):
    hold(congress_of(cycle, "C1"))
    grassroots = _ready(cycle, "G1", D(2025, 4, 1))
    grassroots = actions.congress_transition(
        actor=SYSTEM, congress=grassroots, transition="convene", on=D(2025, 4, 2)
    )
    with pytest.raises(ValidationError) as e:
        actions.congress_transition(
            actor=SYSTEM, congress=grassroots, transition="conclude", on=D(2025, 4, 4)
        )
    assert "3 days" in _refusal(e)
    assert actions.congress_transition(
        actor=SYSTEM, congress=grassroots, transition="conclude", on=D(2025, 4, 3)
    ).concluded_on == D(2025, 4, 3)


def test_pilots_go_first_among_siblings(cycle, province):
    from daihoi import testing

    testing.make_unit(parent=province["g1"], code="C7", level="cell")
    actions.cycle_generate_plan(actor=SYSTEM, cycle=cycle)
    actions.congress_set_pilot(actor=SYSTEM, congress=congress_of(cycle, "C7"), pilot=True)
    cell = _ready(cycle, "C1", D(2025, 1, 2))
    with pytest.raises(ValidationError) as e:
        actions.congress_transition(
            actor=SYSTEM, congress=cell, transition="convene", on=D(2025, 1, 3)
        )
    assert "pilot" in _refusal(e)
    hold(congress_of(cycle, "C7"))
    assert (
        actions.congress_transition(
            actor=SYSTEM, congress=cell, transition="convene", on=D(2025, 1, 3)
        ).state
        == workflow.IN_SESSION
    )


def test_each_transition_is_recorded_and_audited_once(cycle):
    before = AuditEvent.objects.count()
    hold(congress_of(cycle, "C1"))
    events = CongressEvent.objects.filter(congress__unit__code="C1")
    assert [e.transition for e in events] == ["prepare", "approve", "convene", "conclude"]
    actions_logged = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))[
        before:
    ]
    assert actions_logged == [
        "congress_prepare",
        "congress_approve",
        "congress_convene",
        "congress_conclude",
    ]


def test_future_dates_and_unknown_transitions_are_refused(cycle):
    with pytest.raises(ValidationError) as e:
        actions.congress_transition(
            actor=SYSTEM, congress=congress_of(cycle, "C1"), transition="fly"
        )
    assert "transition" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        actions.congress_transition(
            actor=SYSTEM, congress=congress_of(cycle, "C1"), transition="prepare", on=D(2999, 1, 1)
        )
    assert "on" in e.value.message_dict
