"""Counting from recorded ballots, four eyes on paper entries and on the release, upward flow."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from daihoi import testing
from daihoi.conduct.models import Delegate
from daihoi.elections import actions, queries
from daihoi.elections.models import Election, LiveEvent
from daihoi.elections.tests.conftest import make_hall, token
from daihoi.organizations.models import CommitteeSeat

pytestmark = pytest.mark.django_db


def _vote(hall: Any, election: Election, kept_by_voter: list[list[int]]) -> None:
    slate = queries.slate_ids(election)
    for voter, kept in zip(hall.voters, kept_by_voter, strict=False):
        actions.ballot_cast(
            actor=voter, election=election, form_token=token(), kept=[slate[i] for i in kept]
        )


def _close_and_count(hall: Any, election: Election) -> Election:
    actions.election_close(actor=hall.counters[0], election=election)
    return actions.election_count(
        actor=hall.counters[0], election=election, counting_keys=hall.counting_keys
    )


def test_the_count_uses_the_entitled_snapshot_taken_at_close(province: dict[str, Any]) -> None:
    hall = make_hall(province, voters=5, absent=1)  # 6 entitled: 4 votes are needed
    election = actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3)
    )
    _vote(hall, election, [[0, 1], [0, 1], [0, 2], [0, 2], [1]])
    counted = _close_and_count(hall, election)
    result = counted.result
    assert result["entitled"] == 6 and result["threshold"] == 4
    assert result["entitled_derivation"][0] == ["convened", 6]
    slate = queries.slate_ids(election)
    assert result["elected"] == [slate[0]]  # 3 votes for the second: exactly half, not elected
    assert result["unfilled_seats"] == 1


def test_entitled_excludes_unreplaced_absentees_and_members_no_longer_in_good_standing(
    province: dict[str, Any],
) -> None:
    hall = make_hall(province, voters=6)
    hall.lines[0].status = Delegate.Status.ABSENT  # an official absent, no alternate left
    hall.lines[0].save(update_fields=["status"])
    suspended = hall.lines[1].person
    suspended.status = "suspended"  # suspended after being summoned
    suspended.save(update_fields=["status"])
    entitled = queries.entitled_now(hall.congress)
    assert entitled.derivation == (
        ("convened", 6),
        ("absent_no_alternate", -1),
        ("not_in_good_standing", -1),
    )
    assert entitled.count == 4


def test_a_tie_at_the_last_seat_leads_to_a_runoff_among_the_tied(hall: Any) -> None:
    election = actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3)
    )
    # 5 entitled, 3 needed: A 4, B 3, C 3 — B and C tie for the last seat.
    _vote(hall, election, [[0, 1], [0, 2], [0, 1], [0, 2], [1, 2]])
    counted = _close_and_count(hall, election)
    slate = queries.slate_ids(election)
    assert counted.result["elected"] == [slate[0]]
    assert sorted(counted.result["runoff"]["candidates"]) == sorted([slate[1], slate[2]])
    runoff = actions.election_runoff_create(actor=hall.organizer, election=counted)
    assert runoff.round_kind == "runoff" and runoff.seats == 1 and runoff.parent == counted
    assert sorted(c.person_id for c in queries.candidates(runoff)) == sorted(
        c.person_id for c in queries.candidates(election) if str(c.pk) in slate[1:]
    )


def test_a_ballot_keeping_more_names_than_seats_is_invalid(hall: Any) -> None:
    election = actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3)
    )
    _vote(hall, election, [[0, 1, 2], [0], [0], [0], [0]])
    counted = _close_and_count(hall, election)
    assert counted.result["invalid_by_reason"]["too_many_names_left"] == 1
    assert counted.result["valid"] == 4


def test_release_needs_two_different_counting_board_members(hall: Any) -> None:
    election = actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3)
    )
    _vote(hall, election, [[0, 1]] * 5)
    counted = _close_and_count(hall, election)
    with pytest.raises(PermissionDenied):
        actions.result_confirm(actor=hall.organizer, election=counted)
    first = actions.result_confirm(actor=hall.counters[0], election=counted)
    assert not first.released
    with pytest.raises(ValidationError, match="second member"):
        actions.result_confirm(actor=hall.counters[0], election=counted)
    second = actions.result_confirm(actor=hall.counters[1], election=counted)
    assert second.released
    counted.refresh_from_db()
    assert counted.state == Election.State.RELEASED
    assert LiveEvent.objects.filter(election=counted, kind="released").exists()


def test_released_committee_takes_office_and_the_old_term_ends(hall: Any) -> None:
    unit = hall.congress.unit
    old = [testing.make_person(unit=unit) for _ in range(2)]
    for person in old:
        CommitteeSeat.objects.create(
            unit=unit,
            person=person,
            body="executive",
            term_start=2020,
            term_end=2025,
            source="imported",
        )
    election = actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3)
    )
    _vote(hall, election, [[0, 1]] * 5)
    counted = _close_and_count(hall, election)
    actions.result_confirm(actor=hall.counters[0], election=counted)
    actions.result_confirm(actor=hall.counters[1], election=counted)
    new = CommitteeSeat.objects.filter(unit=unit, term_start=2025, source="elected")
    assert new.count() == 2
    assert not CommitteeSeat.objects.filter(term_start=2020, ended_on__isnull=True).exists()
    assert {i.person.pk for i in queries.incumbents_not_reelected(hall.congress)} == {
        p.pk for p in old
    }


def test_elected_delegates_and_ordered_alternates_join_the_higher_roster(hall: Any) -> None:
    election = hall.election(seats=2, candidates=4, body=Election.Body.DELEGATES, alternate_seats=1)
    election = actions.election_open(actor=hall.organizer, election=election)
    _vote(hall, election, [[0, 1, 2], [0, 1, 2], [0, 1, 2], [0, 1, 3], [0, 3]])
    counted = _close_and_count(hall, election)
    slate = queries.slate_ids(election)
    assert counted.result["delegates"] == [slate[0], slate[1]]
    assert counted.result["alternates"] == [slate[2]]
    actions.result_confirm(actor=hall.counters[0], election=counted)
    actions.result_confirm(actor=hall.counters[1], election=counted)
    lines = Delegate.objects.filter(congress=hall.higher, elected_by=hall.congress)
    officials = set(lines.filter(kind="elected").values_list("person_id", flat=True))
    alternates = list(lines.filter(kind="alternate").values_list("person_id", "alternate_rank"))
    persons = {str(c.pk): c.person_id for c in queries.candidates(election)}
    assert officials == {persons[slate[0]], persons[slate[1]]}
    assert alternates == [(persons[slate[2]], 1)]


# Paper ---------------------------------------------------------------------------------------


def _paper(hall: Any, *, seats: int = 2, candidates: int = 3) -> Election:
    election = hall.election(seats=seats, candidates=candidates, mode="paper")
    actions.election_open(actor=hall.organizer, election=election)
    return actions.election_close(actor=hall.counters[0], election=election)


def test_paper_figures_that_do_not_reconcile_are_refused_with_the_field(hall: Any) -> None:
    election = _paper(hall)
    with pytest.raises(ValidationError) as err:
        actions.paper_tally_enter(
            actor=hall.counters[0],
            election=election,
            **testing.paper_figures(method="per_ballot", returned=4, valid=3),
        )
    assert set(err.value.message_dict) == {"issued", "returned"}


def test_paper_entries_need_a_second_member_before_the_count(hall: Any) -> None:
    election = _paper(hall)
    a, b = hall.counters
    slate = queries.slate_ids(election)
    actions.paper_tally_enter(
        actor=a,
        election=election,
        **testing.paper_figures(
            method="per_ballot", valid=4, invalid=1, invalid_by_reason={"all_names_struck": 1}
        ),
    )
    entries = [
        actions.paper_ballot_enter(actor=a, election=election, number=n, struck=struck)
        for n, struck in enumerate([[slate[2]], [slate[2]], [slate[1]], [slate[2]], slate], start=1)
    ]
    with pytest.raises(ValidationError, match="confirm"):
        actions.paper_tally_confirm(actor=a, election=election)
    actions.paper_tally_confirm(actor=b, election=election)
    with pytest.raises(ValidationError, match="not yet confirmed"):
        actions.election_count(actor=a, election=election, counting_keys=hall.counting_keys)
    with pytest.raises(ValidationError):
        actions.paper_ballot_confirm(actor=a, entry=entries[0])
    for entry in entries:
        actions.paper_ballot_confirm(actor=b, entry=entry)
    counted = actions.election_count(actor=a, election=election, counting_keys=hall.counting_keys)
    assert counted.result["valid"] == 4 and counted.result["invalid"] == 1
    assert counted.result["elected"] == [slate[0], slate[1]]
    assert dict(counted.result["votes"])[slate[0]] == 4


def test_paper_totals_are_counted_without_ballots(hall: Any) -> None:
    election = _paper(hall)
    a, b = hall.counters
    slate = queries.slate_ids(election)
    actions.paper_tally_enter(
        actor=a,
        election=election,
        **testing.paper_figures(totals={slate[0]: 5, slate[1]: 3, slate[2]: 2}),
    )
    actions.paper_tally_confirm(actor=b, election=election)
    counted = actions.election_count(actor=a, election=election, counting_keys=hall.counting_keys)
    assert counted.result["elected"] == [slate[0], slate[1]]


def test_paper_totals_above_the_valid_ballots_are_refused(hall: Any) -> None:
    election = _paper(hall)
    slate = queries.slate_ids(election)
    with pytest.raises(ValidationError, match="votes, more than the"):
        actions.paper_tally_enter(
            actor=hall.counters[0],
            election=election,
            **testing.paper_figures(totals={slate[0]: 6, slate[1]: 3, slate[2]: 2}),
        )


def test_only_counting_board_members_enter_paper_figures(hall: Any) -> None:
    election = _paper(hall)
    with pytest.raises(PermissionDenied):
        actions.paper_tally_enter(
            actor=hall.organizer,
            election=election,
            **testing.paper_figures(issued=1, returned=1, valid=1, totals={}),
        )


def test_a_ballot_found_that_the_board_did_not_issue_is_recorded_and_counted_invalid(
    hall: Any,
) -> None:
    # Decision 190-QĐ/TW: a ballot not issued by the counting board is invalid. The board
    # states the true number issued; returned may exceed it by the ballots found.
    election = _paper(hall)
    a, b = hall.counters
    slate = queries.slate_ids(election)
    actions.paper_tally_enter(
        actor=a,
        election=election,
        **testing.paper_figures(
            method="per_ballot",
            issued=4,
            returned=5,
            valid=4,
            invalid=1,
            found_not_issued=1,
            invalid_by_reason={"not_issued_by_board": 1},
        ),
    )
    for n, struck in enumerate([[slate[2]], [slate[2]], [slate[1]], [slate[2]]], start=1):
        entry = actions.paper_ballot_enter(actor=a, election=election, number=n, struck=struck)
        actions.paper_ballot_confirm(actor=b, entry=entry)
    extra = actions.paper_ballot_enter(actor=a, election=election, number=5, not_issued=True)
    actions.paper_ballot_confirm(actor=b, entry=extra)
    actions.paper_tally_confirm(actor=b, election=election)

    counted = actions.election_count(actor=a, election=election, counting_keys=hall.counting_keys)

    assert counted.result["issued"] == 4 and counted.result["returned"] == 5
    assert counted.result["found_not_issued"] == 1
    assert counted.result["invalid"] == 1 and counted.result["valid"] == 4
    assert counted.result["invalid_by_reason"]["not_issued_by_board"] == 1


def test_ballots_found_not_issued_must_be_among_the_invalid(hall: Any) -> None:
    election = _paper(hall)
    with pytest.raises(ValidationError) as err:
        actions.paper_tally_enter(
            actor=hall.counters[0],
            election=election,
            **testing.paper_figures(
                method="per_ballot", issued=4, returned=5, valid=5, found_not_issued=1
            ),
        )
    assert "found_not_issued" in err.value.message_dict


def test_an_organizer_seated_on_the_counting_board_cannot_confirm_a_release(hall: Any) -> None:
    from daihoi.conduct.models import BoardSeat

    election = actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3)
    )
    _vote(hall, election, [[0, 1], [0, 1], [0, 2]])
    _close_and_count(hall, election)
    # Even if a seat were given to the organizer, the four eyes must stay two non-organizers.
    BoardSeat.objects.create(
        congress=hall.congress, user=hall.organizer, board=BoardSeat.Board.COUNTING
    )
    actions.result_confirm(actor=hall.counters[0], election=election)
    with pytest.raises(PermissionDenied):
        actions.result_confirm(actor=hall.organizer, election=election)
    election.refresh_from_db()
    assert election.state == Election.State.COUNTED


def test_an_organizer_seated_on_the_counting_board_cannot_confirm_a_paper_tally(
    hall: Any,
) -> None:
    from daihoi.conduct.models import BoardSeat

    election = _paper(hall)
    BoardSeat.objects.create(
        congress=hall.congress, user=hall.organizer, board=BoardSeat.Board.COUNTING
    )
    actions.paper_tally_enter(
        actor=hall.counters[0],
        election=election,
        method="totals",
        issued=5,
        returned=5,
        not_returned=0,
        valid=5,
        invalid=0,
        totals=dict(zip(queries.slate_ids(election), [5, 3, 2], strict=True)),
    )
    with pytest.raises(PermissionDenied):
        actions.paper_tally_confirm(actor=hall.organizer, election=election)


def test_a_poll_cannot_open_while_the_quorum_is_not_met(province: dict[str, Any]) -> None:
    hall = make_hall(province, voters=3, absent=3)  # 3 of 6 present: not more than 2/3
    election = hall.election(seats=2, candidates=3)
    with pytest.raises(ValidationError) as error:
        actions.election_open(actor=hall.organizer, election=election)
    assert error.value.error_dict["election"][0].code == "quorum_not_met"
    election.refresh_from_db()
    assert election.state == Election.State.DRAFT


def test_a_release_anchors_the_audit_chain_and_the_minutes_print_the_checkpoint(
    hall: Any,
) -> None:
    from daihoi.core.models import AuditCheckpoint
    from daihoi.elections import minutes

    election = actions.election_open(
        actor=hall.organizer, election=hall.election(seats=2, candidates=3)
    )
    _vote(hall, election, [[0, 1], [0, 1], [0, 2], [0, 2], [1]])
    _close_and_count(hall, election)
    actions.result_confirm(actor=hall.counters[0], election=election)
    actions.result_confirm(actor=hall.counters[1], election=election)
    election.refresh_from_db()
    digest = election.result["audit_checkpoint"]
    assert AuditCheckpoint.objects.filter(digest=digest).exists()
    assert digest in minutes.minutes_html(election, language="vi")
