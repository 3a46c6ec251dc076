"""The slate comes from personnel: the approved plan becomes the prepared slate, and no path
puts a person failing a hard standard on it (prepared slate, floor nomination, appointment)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.congresses.models import Congress
from daihoi.elections import actions
from daihoi.elections.models import Election
from daihoi.personnel import actions as personnel
from daihoi.personnel.tests.conftest import Desk, make_desk

TOO_OLD = datetime.date(1968, 4, 10)  # 59 months left at 06/2025; a first-timer needs 60


def codes(error: ValidationError) -> set[str | None]:
    return {e.code for errs in error.error_dict.values() for e in errs}


@pytest.fixture
def desk(province: dict[str, Any]) -> Desk:
    return make_desk(province)


def _approve(desk: Desk) -> list[Any]:
    cands = [desk.reelection(), desk.first_time()]
    for c in cands:
        desk.pass_steps(c)
    personnel.plan_submit(actor=desk.preparer, plan=desk.plan)
    personnel.plan_approve(actor=desk.higher, plan=desk.plan)
    return [c.person for c in cands]


def _election(desk: Desk, body: str = "executive") -> Election:
    return actions.election_create(
        actor=desk.preparer, congress=desk.congress, body=body, seats=2, mode="paper"
    )


def test_the_approved_plan_becomes_the_slate(desk: Desk) -> None:
    people = _approve(desk)
    election = _election(desk)
    assert {c.person_id for c in election.candidates.all()} == {p.pk for p in people}
    assert set(election.candidates.values_list("source", flat=True)) == {"slate"}


def test_a_person_off_the_approved_plan_cannot_be_typed_onto_the_slate(desk: Desk) -> None:
    _approve(desk)
    election = _election(desk)
    with pytest.raises(ValidationError) as error:
        actions.candidate_add(actor=desk.preparer, election=election, person=desk.person())
    assert codes(error.value) == {"not_on_approved_plan"}


def test_while_the_plan_is_not_approved_the_slate_stays_empty(desk: Desk) -> None:
    desk.reelection()
    election = _election(desk)
    assert not election.candidates.exists()
    with pytest.raises(ValidationError) as error:
        actions.candidate_add(actor=desk.preparer, election=election, person=desk.person())
    assert codes(error.value) == {"plan_not_approved"}
    with pytest.raises(ValidationError):
        actions.election_slate_from_plan(actor=desk.preparer, election=election)
    desk.pass_steps(desk.plan.candidates.get())
    personnel.plan_submit(actor=desk.preparer, plan=desk.plan)
    personnel.plan_approve(actor=desk.higher, plan=desk.plan)
    assert len(actions.election_slate_from_plan(actor=desk.preparer, election=election)) == 1


def test_without_a_plan_a_hand_typed_candidate_is_still_held_to_the_standards(desk: Desk) -> None:
    election = _election(desk, body="inspection")
    with pytest.raises(ValidationError) as error:
        actions.candidate_add(
            actor=desk.preparer, election=election, person=desk.person(born=TOO_OLD)
        )
    assert codes(error.value) == {"hard_standard_failed"}
    actions.candidate_add(actor=desk.preparer, election=election, person=desk.person())


def test_a_floor_nominee_failing_a_hard_standard_is_not_admitted(desk: Desk) -> None:
    _approve(desk)
    election = _election(desk)
    with pytest.raises(ValidationError) as error:
        actions.nomination_vote_record(
            actor=desk.preparer,
            election=election,
            person=desk.person(born=TOO_OLD),
            source="floor",
            agreeing=0,
        )
    assert codes(error.value) == {"hard_standard_failed"}
    assert not election.nominations.exists()


def test_the_system_cannot_put_a_failing_person_on_a_slate_either(desk: Desk) -> None:
    election = _election(desk, body="inspection")
    with pytest.raises(ValidationError):
        actions.candidate_add(actor=SYSTEM, election=election, person=desk.person(born=TOO_OLD))


def test_delegate_elections_are_not_governed_by_the_committee_standards(desk: Desk) -> None:
    election = _election(desk, body="delegates")
    actions.candidate_add(actor=desk.preparer, election=election, person=desk.person(born=TOO_OLD))


def test_an_appointed_committee_is_held_to_the_same_standards(desk: Desk) -> None:
    merged = Congress.objects.create(
        cycle=desk.cycle,
        unit=desk.province["d2"],
        congress_type="merged",
        bodies=Congress.Bodies.APPOINTED,
        merged=True,
    )
    with pytest.raises(ValidationError) as error:
        actions.committee_appoint(
            actor=desk.higher,
            congress=merged,
            body="executive",
            persons=[testing.make_person(unit=desk.province["g2"], birth_date=TOO_OLD)],
            decision_ref="QĐ 1",
            decided_on=datetime.date(2025, 6, 1),
        )
    assert "persons" in error.value.message_dict


def test_the_slate_page_shows_the_structure_gauges_of_the_slate(desk: Desk, client: Any) -> None:
    _approve(desk)
    election = _election(desk)
    client.force_login(desk.preparer)
    html = client.get(f"/elections/{election.pk}/").content.decode()
    assert 'data-gauge="women"' in html and 'data-gauge="renewal"' in html
    assert "gauge-below" in html  # both candidates are men: women below target, a warning
