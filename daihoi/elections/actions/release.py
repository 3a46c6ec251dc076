"""Counting and the four-eyes release of the result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_counting_eye
from daihoi.congresses.gates import require_congress_open
from daihoi.core import audit, clock
from daihoi.core.errors import refusal
from daihoi.elections import results
from daihoi.elections.actions import keys
from daihoi.elections.actions._base import (
    COUNTING,
    live,
    locked,
    require_counting_board,
    require_state,
)
from daihoi.elections.actions.flow import flow_upward
from daihoi.elections.models import (
    Election,
    LiveEvent,
    ResultRelease,
)


@action(system=True)  # the demo counts with its counting logins' keys
def election_count(
    *, actor: Any, election: Election, counting_keys: Sequence[str] = ()
) -> Election:
    """Count the closed poll; refuses figures that do not reconcile. Recount until released.

    An electronic poll's first count needs two counting-board members' counting keys: their
    shares rebuild the election key, the sealed ballots are opened in memory and written in
    random order to `Ballot`, and the sealed rows deleted. A recount reads `Ballot`."""
    election = locked(election)
    require_counting_board(actor, election.congress)
    require_congress_open(election.congress)
    require_state(election, Election.State.CLOSED, Election.State.COUNTED)
    unsealed_by: list[int] = []
    if election.state == Election.State.CLOSED and election.public_key:
        unsealed_by = keys.unseal_ballots(election, counting_keys=counting_keys)
    result = results.count_election(election)
    election.result = result.to_json()
    election.state = Election.State.COUNTED
    election.save(update_fields=["result", "state"])
    ResultRelease.objects.filter(election=election).delete()  # a recount needs new confirmations
    audit.record(
        actor=actor,
        action="election_count",
        obj=election,
        unit_path=election.congress.unit.path,
        changes={
            "valid": result.valid,
            "invalid": result.invalid,
            "votes": [[c, v] for c, v in result.votes],
            "elected": list(result.elected),
            **({"unsealed_by": unsealed_by} if unsealed_by else {}),
        },
    )
    return election


@dataclass(frozen=True)
class ReleaseResult:
    released: bool
    confirmations: int


@action()
def result_confirm(*, actor: Any, election: Election) -> ReleaseResult:
    """One counting-board member confirms the count; the second confirmation releases it."""
    election = locked(election)
    congress = election.congress
    require_counting_eye(actor, congress, board=COUNTING)
    require_congress_open(congress)
    require_state(election, Election.State.COUNTED)
    now = clock.now()
    release = ResultRelease.objects.select_for_update().filter(election=election).first()
    if release is None:
        ResultRelease.objects.create(election=election, first_by=actor, first_at=now)
        audit.record(
            actor=actor,
            action="result_confirm",
            obj=election,
            unit_path=congress.unit.path,
            changes={"confirmation": 1},
        )
        return ReleaseResult(released=False, confirmations=1)
    if release.first_by_id == actor.pk:
        raise refusal(
            _("A second member of the counting board must confirm the result."),
            code="second_member_counting_board",
            field="confirmed_by",
        )
    release.second_by = actor
    release.second_at = now
    release.save(update_fields=["second_by", "second_at"])
    election.state = Election.State.RELEASED
    election.save(update_fields=["state"])
    flowed = flow_upward(election)
    live(election, LiveEvent.Kind.RELEASED)
    audit.record(
        actor=actor,
        action="result_confirm",
        obj=election,
        unit_path=congress.unit.path,
        changes={"confirmation": 2, "released": True, "upward": flowed},
    )
    # The audit chain is anchored at every release; the minutes print the checkpoint.
    digest = audit.checkpoint(reason=f"election {election.pk} released")
    counted = election.outcome
    assert counted is not None  # a released election has been counted
    election.result = counted.with_checkpoint(digest).to_json()
    election.save(update_fields=["result"])
    return ReleaseResult(released=True, confirmations=2)
