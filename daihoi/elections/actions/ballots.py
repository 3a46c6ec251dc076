"""Electronic ballots: casting with a receipt and no link to the voter; closing the poll."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from daihoi.accounts.authority import action, require_signed_in
from daihoi.congresses.gates import require_congress_open
from daihoi.core import audit
from daihoi.elections import casting, queries
from daihoi.elections.actions._base import live, locked, require_board_or_organizer, require_state
from daihoi.elections.models import Election, LiveEvent


@dataclass(frozen=True)
class CastResult:
    receipt: str
    already_recorded: bool  # a retry of the same ballot form: nothing new was written


@action()
def ballot_cast(
    *,
    actor: Any,
    election: Election,
    form_token: str,
    kept: Sequence[str] | None = None,
    agreed: Sequence[str] | None = None,
    disagreed: Sequence[str] | None = None,
) -> CastResult:
    """Cast one electronic ballot. Participation, sealed ballot and receipt commit together.

    A second submission of the same form (double click, retry after a timeout) returns the same
    receipt and writes nothing; a second ballot from the same voter is refused. Concurrent
    submissions are serialized by the unique (election, delegate) constraint. The checks and
    the transaction are `elections.casting`'s, the same the lean ASGI path runs in batches.
    """
    require_signed_in(actor)
    require_congress_open(election.congress)
    if not casting.FORM_TOKEN.match(form_token or ""):
        raise casting.form_damaged()
    poll = casting.poll_of(election)
    delegate = queries.voter_line(actor, election.congress)
    if delegate is None:
        raise casting.not_a_voter()
    if delegate.checked_in_at is None:
        raise casting.not_checked_in()
    voter = casting.Voter(user_id=actor.pk, username=actor.get_username(), delegate_id=delegate.pk)
    pending = casting.prepare(
        poll, voter, form_token=form_token, kept=kept, agreed=agreed, disagreed=disagreed
    )
    outcome = casting.cast_one(pending)
    if outcome.kind is casting.Kind.RECORDED:
        return CastResult(receipt=outcome.receipt, already_recorded=False)
    if outcome.kind is casting.Kind.RETRY:
        return CastResult(receipt=outcome.receipt, already_recorded=True)
    if outcome.kind is casting.Kind.ALREADY_VOTED:
        raise casting.already_voted()
    if outcome.kind is casting.Kind.FORM_TAKEN:
        raise casting.form_damaged()
    # STALE: what was checked above changed before the transaction read it again
    election.refresh_from_db()
    election.congress.refresh_from_db()
    require_congress_open(election.congress)
    if outcome.why == "voter":
        raise casting.not_a_voter()
    raise casting.poll_not_open()


@action(system=True)
def election_close(*, actor: Any, election: Election) -> Election:
    """Close the poll and fix the number entitled, with its derivation, for the count."""
    election = locked(election)
    require_board_or_organizer(actor, election.congress)
    require_congress_open(election.congress)
    require_state(election, Election.State.OPEN)
    entitled = queries.entitled_now(election.congress)
    election.state = Election.State.CLOSED
    election.entitled = entitled.count
    election.entitled_derivation = [list(step) for step in entitled.derivation]
    election.save(update_fields=["state", "entitled", "entitled_derivation"])
    live(election, LiveEvent.Kind.CLOSED)
    audit.record(
        actor=actor,
        action="election_close",
        obj=election,
        unit_path=election.congress.unit.path,
        changes={"entitled": entitled.count, "derivation": election.entitled_derivation},
    )
    return election
