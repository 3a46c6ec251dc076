"""Cases are opened by the elections' upward flow and by reorganizations, end to end."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.core.models import AuditEvent
from daihoi.elections import actions as election_actions
from daihoi.elections import queries as election_queries
from daihoi.elections.tests.conftest import Hall, token
from daihoi.organizations import actions as org_actions
from daihoi.transitions.models import TransitionCase
from daihoi.transitions.tests.conftest import seat

pytestmark = pytest.mark.django_db


def _elect(hall: Hall, keep: list[int]) -> None:
    election = election_actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3)
    )
    slate = election_queries.slate_ids(election)
    for voter in hall.voters:
        election_actions.ballot_cast(
            actor=voter, election=election, form_token=token(), kept=[slate[i] for i in keep]
        )
    election_actions.election_close(actor=hall.counters[0], election=election)
    counted = election_actions.election_count(
        actor=hall.counters[0], election=election, counting_keys=hall.counting_keys
    )
    election_actions.result_confirm(actor=hall.counters[0], election=counted)
    election_actions.result_confirm(actor=hall.counters[1], election=counted)


def test_released_election_opens_a_case_for_every_incumbent_not_reelected(hall: Hall) -> None:
    unit = hall.congress.unit
    old = [testing.make_person(unit=unit) for _ in range(2)]
    for person in old:
        seat(unit, person)
    _elect(hall, [0, 1])
    cases = TransitionCase.objects.filter(congress=hall.congress)
    assert {c.person_id for c in cases} == {p.pk for p in old}
    assert {c.reason for c in cases} == {"not_reelected"}
    assert {c.body for c in cases} == {"executive"}
    assert AuditEvent.objects.filter(action="transition_cases_open").count() == 1


def test_a_re_elected_incumbent_gets_no_case(hall: Hall) -> None:
    unit = hall.congress.unit
    kept, dropped = testing.make_person(unit=unit), testing.make_person(unit=unit)
    seat(unit, kept)
    seat(unit, dropped)
    election = hall.election(seats=2, candidates=2)
    election_actions.candidate_add(actor=hall.organizer, election=election, person=kept)
    election = election_actions.election_open(actor=hall.organizer, election=election)
    mine = str(election.candidates.get(person=kept).pk)
    other = next(c for c in election_queries.slate_ids(election) if c != mine)
    for voter in hall.voters:
        election_actions.ballot_cast(
            actor=voter, election=election, form_token=token(), kept=[mine, other]
        )
    election_actions.election_close(actor=hall.counters[0], election=election)
    counted = election_actions.election_count(
        actor=hall.counters[0], election=election, counting_keys=hall.counting_keys
    )
    election_actions.result_confirm(actor=hall.counters[0], election=counted)
    election_actions.result_confirm(actor=hall.counters[1], election=counted)
    assert list(TransitionCase.objects.values_list("person_id", flat=True)) == [dropped.pk]


def test_opening_again_keeps_the_existing_cases(hall: Hall) -> None:
    from daihoi.transitions import actions

    unit = hall.congress.unit
    seat(unit, testing.make_person(unit=unit))
    _elect(hall, [0, 1])
    again = actions.cases_open_not_reelected(actor=SYSTEM, congress=hall.congress, body="executive")
    assert again == []
    assert TransitionCase.objects.count() == 1


def test_a_merger_makes_the_sitting_committees_of_the_merged_units_surplus(
    province: dict[str, Any],
) -> None:
    g1, g2 = province["g1"], province["g2"]
    leaders = [testing.make_person(unit=g1), testing.make_person(unit=g2)]
    seat(g1, leaders[0], body="standing")
    seat(g1, leaders[0], body="executive")
    seat(g2, leaders[1])
    organizer = testing.make_user(role=testing.ORGANIZER, unit=province["province"])
    reorg, _target = org_actions.units_merge(
        actor=organizer,
        sources=[g1, g2],
        effective_date=datetime.date(2025, 7, 1),
        new_code="G12",
        new_name="Đảng bộ xã mới",
        parent=province["d1"],
    )
    cases = TransitionCase.objects.filter(reorganization=reorg).order_by("person_id")
    assert [c.person_id for c in cases] == [p.pk for p in leaders]  # one case per person
    assert {c.reason for c in cases} == {"surplus"}
    assert {c.left_on for c in cases} == {datetime.date(2025, 7, 1)}
    assert {c.unit.code for c in cases} == {"G1", "G2"}


def test_a_rename_makes_nobody_surplus(province: dict[str, Any]) -> None:
    seat(province["g1"], testing.make_person(unit=province["g1"]))
    organizer = testing.make_user(role=testing.ORGANIZER, unit=province["province"])
    org_actions.unit_rename(
        actor=organizer,
        unit=province["g1"],
        name="Tên mới",
        effective_date=datetime.date(2025, 7, 1),
    )
    assert not TransitionCase.objects.exists()
