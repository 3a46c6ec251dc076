"""Later rounds: a run-off among the tied, a further round for unfilled seats."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from daihoi.accounts.authority import action
from daihoi.congresses.gates import require_congress_open
from daihoi.core import audit
from daihoi.core.errors import refusal
from daihoi.elections import results
from daihoi.elections.actions._base import (
    locked,
    require_board_or_organizer,
    require_organizer,
    require_state,
)
from daihoi.elections.models import (
    Candidate,
    Election,
    NominationVote,
)


def _new_round(
    *,
    election: Election,
    kind: str,
    seats: int,
    alternate_seats: int,
    candidate_ids: Sequence[str],
    decision: str,
) -> Election:
    later = Election.objects.create(
        congress=election.congress,
        body=election.body,
        seats=seats,
        alternate_seats=alternate_seats,
        mode=election.mode,
        round_number=election.round_number + 1,
        round_kind=kind,
        parent=election,
        congress_decision=decision,
    )
    by_id = {str(c.pk): c for c in election.candidates.all()}
    for position, cid in enumerate(candidate_ids, start=1):
        source = by_id[cid]
        Candidate.objects.create(
            election=later,
            person_id=source.person_id,
            position=position,
            source=source.source,
            admitted_by_vote=None
            if source.source == Candidate.Source.SLATE
            else _copy_vote(source),
        )
    return later


def _copy_vote(candidate: Candidate) -> NominationVote:
    vote = candidate.admitted_by_vote
    assert vote is not None
    vote.pk = None
    vote.save()
    return vote


@action()
def election_runoff_create(*, actor: Any, election: Election) -> Election:
    """A run-off among the candidates tied at the last seat, for the seats they tie for."""
    election = locked(election)
    require_board_or_organizer(actor, election.congress)
    require_congress_open(election.congress)
    require_state(election, Election.State.COUNTED, Election.State.RELEASED)
    runoff = results.runoff_of(election)
    if runoff is None:
        raise refusal(
            _("This round has no tie at the last seat."), code="round_no_tie_last", field="election"
        )
    if election.later_rounds.filter(round_kind=Election.RoundKind.RUNOFF).exists():
        raise refusal(
            _("The run-off for this round already exists."),
            code="run_off_round_already",
            field="election",
        )
    later = _new_round(
        election=election,
        kind=Election.RoundKind.RUNOFF,
        seats=runoff.seats,
        alternate_seats=0,
        candidate_ids=list(runoff.candidates),
        decision="",
    )
    audit.record(
        actor=actor,
        action="election_runoff_create",
        obj=later,
        unit_path=election.congress.unit.path,
        changes={"parent": election.pk, "candidates": list(runoff.candidates)},
    )
    return later


@action()
def election_further_round_create(
    *, actor: Any, election: Election, decision: str, candidate_ids: Sequence[str] | None = None
) -> Election:
    """A further round for unfilled seats, as the congress decided (the decision is recorded)."""
    election = locked(election)
    require_organizer(actor, election.congress)
    require_congress_open(election.congress)
    require_state(election, Election.State.RELEASED)
    result = election.outcome
    unfilled = result.unfilled_seats if result else 0
    if result is None or unfilled < 1:
        raise refusal(
            _("All seats of this round are filled or tied."),
            code="all_seats_round_filled",
            field="election",
        )
    if not decision.strip():
        raise refusal(
            _("Record the congress's decision on a further round."),
            code="record_congress_s_decision",
            field="decision",
        )
    not_elected = [c for c, _v in result.votes if c not in result.elected + result.tied]
    chosen = list(candidate_ids) if candidate_ids is not None else not_elected
    outside = [c for c in chosen if c not in not_elected]
    if outside or not chosen:
        raise refusal(
            _("A further round lists candidates not elected in this round."),
            code="further_round_lists_candidates",
            field="candidates",
        )
    seats, alternate_seats = unfilled, 0
    if election.body == Election.Body.DELEGATES:
        tied_seats = result.delegate_runoff.seats if result.delegate_runoff else 0
        delegates_left = election.seats - len(result.delegates) - tied_seats
        seats = max(delegates_left, 0)
        alternate_seats = unfilled - seats
    later = _new_round(
        election=election,
        kind=Election.RoundKind.FURTHER,
        seats=seats,
        alternate_seats=alternate_seats,
        candidate_ids=chosen,
        decision=decision.strip(),
    )
    audit.record(
        actor=actor,
        action="election_further_round_create",
        obj=later,
        unit_path=election.congress.unit.path,
        changes={"parent": election.pk, "decision": decision.strip(), "candidates": chosen},
    )
    return later
