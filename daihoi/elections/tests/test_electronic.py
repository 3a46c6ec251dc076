"""Electronic ballots: sealed until the count, one ballot per voter, idempotent retries."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from daihoi.elections import actions, queries
from daihoi.elections.models import Ballot, Election, Participation, Receipt, SealedBallot
from daihoi.elections.tests.conftest import token

pytestmark = pytest.mark.django_db


def _open(hall: Any, seats: int = 2, candidates: int = 3) -> Election:
    election = hall.election(seats=seats, candidates=candidates)
    return actions.election_open(actor=hall.organizer, election=election)


def _close_and_count(hall: Any, election: Election) -> Election:
    actions.election_close(actor=hall.counters[0], election=election)
    return actions.election_count(
        actor=hall.counters[0], election=election, counting_keys=hall.counting_keys
    )


def test_casting_writes_participation_sealed_ballot_and_receipt_and_the_count_opens_it(
    hall: Any,
) -> None:
    election = _open(hall)
    slate = queries.slate_ids(election)
    cast = actions.ballot_cast(
        actor=hall.voters[0], election=election, form_token=token(), kept=slate[:2]
    )
    assert not cast.already_recorded
    sealed = bytes(SealedBallot.objects.get(election=election).sealed)
    assert not Ballot.objects.filter(election=election).exists()
    assert b'"kept"' not in sealed
    assert Receipt.objects.get(election=election).code == cast.receipt
    assert Participation.objects.get(election=election).delegate == hall.lines[0]
    _close_and_count(hall, election)
    assert Ballot.objects.get(election=election).content == {"kept": sorted(slate[:2])}
    assert not SealedBallot.objects.filter(election=election).exists()


def test_sealed_ballots_are_all_as_long_whatever_they_hold(hall: Any) -> None:
    election = _open(hall, seats=2, candidates=3)
    slate = queries.slate_ids(election)
    for voter, kept in zip(hall.voters, ([slate[0]], slate[:2], []), strict=False):
        actions.ballot_cast(actor=voter, election=election, form_token=token(), kept=kept)
    lengths = {len(bytes(b)) for b in SealedBallot.objects.values_list("sealed", flat=True)}
    assert len(lengths) == 1


def test_no_ballot_or_receipt_column_names_a_voter_a_time_or_a_sequence() -> None:
    for model in (Ballot, SealedBallot, Receipt):
        for f in model._meta.get_fields():
            assert not isinstance(f, models.DateTimeField | models.DateField | models.AutoField)
            if isinstance(f, models.ForeignKey):
                assert f.related_model is Election
        assert isinstance(model._meta.pk, models.UUIDField)
    assert isinstance(Participation._meta.pk, models.UUIDField)  # no order of voting


def test_a_retry_with_the_same_form_returns_the_same_receipt_and_writes_nothing(hall: Any) -> None:
    election = _open(hall)
    slate = queries.slate_ids(election)
    form = token()
    first = actions.ballot_cast(
        actor=hall.voters[0], election=election, form_token=form, kept=slate[:1]
    )
    again = actions.ballot_cast(
        actor=hall.voters[0], election=election, form_token=form, kept=slate[:1]
    )
    assert again.already_recorded and again.receipt == first.receipt
    assert SealedBallot.objects.filter(election=election).count() == 1
    assert Receipt.objects.filter(election=election).count() == 1


def test_a_second_ballot_from_the_same_voter_is_refused(hall: Any) -> None:
    election = _open(hall)
    slate = queries.slate_ids(election)
    actions.ballot_cast(actor=hall.voters[0], election=election, form_token=token(), kept=slate[:1])
    with pytest.raises(ValidationError, match="already voted"):
        actions.ballot_cast(
            actor=hall.voters[0], election=election, form_token=token(), kept=slate[1:2]
        )
    assert SealedBallot.objects.filter(election=election).count() == 1


def test_a_delegate_not_checked_in_cannot_vote(province: dict[str, Any]) -> None:
    from daihoi.elections.tests.conftest import make_hall

    hall = make_hall(province, voters=3, absent=1)  # quorum met; one not checked in
    election = _open(hall)
    with pytest.raises(ValidationError, match="Check in"):
        actions.ballot_cast(
            actor=hall.voters[3],
            election=election,
            form_token=token(),
            kept=queries.slate_ids(election)[:1],
        )


def test_someone_not_on_the_roster_cannot_vote(hall: Any) -> None:
    election = _open(hall)
    with pytest.raises(PermissionDenied):
        actions.ballot_cast(
            actor=hall.organizer,
            election=election,
            form_token=token(),
            kept=queries.slate_ids(election)[:1],
        )


def test_names_not_on_the_slate_are_refused(hall: Any) -> None:
    election = _open(hall)
    with pytest.raises(ValidationError, match="Not on this election"):
        actions.ballot_cast(
            actor=hall.voters[0], election=election, form_token=token(), kept=["999999"]
        )
    assert not Participation.objects.exists()


def test_voting_is_refused_before_the_poll_opens_and_after_it_closes(hall: Any) -> None:
    election = hall.election(seats=2, candidates=3)
    slate = queries.slate_ids(election)
    with pytest.raises(ValidationError, match="not open"):
        actions.ballot_cast(actor=hall.voters[0], election=election, form_token=token(), kept=slate)
    actions.election_open(actor=hall.organizer, election=election)
    actions.election_close(actor=hall.counters[0], election=election)
    election.refresh_from_db()
    with pytest.raises(ValidationError, match="not open"):
        actions.ballot_cast(actor=hall.voters[0], election=election, form_token=token(), kept=slate)


def test_agree_disagree_ballot_when_the_slate_has_no_surplus(hall: Any) -> None:
    election = _open(hall, seats=1, candidates=1)
    only = queries.slate_ids(election)
    assert queries.ballot_form(election).value == "agree_disagree"
    actions.ballot_cast(actor=hall.voters[0], election=election, form_token=token(), agreed=only)
    actions.ballot_cast(actor=hall.voters[1], election=election, form_token=token(), disagreed=only)
    _close_and_count(hall, election)
    contents = sorted(map(str, Ballot.objects.values_list("content", flat=True)))
    assert len(contents) == 2


def test_bulletin_lists_receipts_and_contents_with_matching_counts(hall: Any) -> None:
    election = _open(hall)
    slate = queries.slate_ids(election)
    receipts = [
        actions.ballot_cast(actor=v, election=election, form_token=token(), kept=slate[:1]).receipt
        for v in hall.voters[:4]
    ]
    board = queries.bulletin(election)
    assert sorted(receipts) == board.receipts
    assert board.contents == [] and board.sealed == board.ballots == 4  # sealed until the count
    _close_and_count(hall, election)
    board = queries.bulletin(election)
    assert len(board.contents) == board.participations == 4
    assert queries.receipt_exists(election, receipts[0].lower())
