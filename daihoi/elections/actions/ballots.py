"""Electronic ballots: casting with a receipt and no link to the voter; closing the poll."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_signed_in
from daihoi.congresses.gates import require_congress_open
from daihoi.core import audit
from daihoi.core.errors import field_errors, refusal
from daihoi.elections import counting, queries
from daihoi.elections.actions import keys
from daihoi.elections.actions._base import live, locked, require_board_or_organizer, require_state
from daihoi.elections.models import (
    Election,
    LiveEvent,
    Participation,
    Receipt,
    SealedBallot,
)

FORM_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


def receipt_code(*, election_id: int, form_token: str) -> str:
    """HMAC of the ballot form's token: the voter can recompute nothing, the server can on retry.

    Participation stores sha256(token), the receipt table HMAC(secret, token): neither can be
    derived from the other, so no stored row links a receipt to a voter.
    """
    mac = hmac.new(
        settings.SECRET_KEY.encode(), f"receipt:{election_id}:{form_token}".encode(), "sha256"
    ).digest()
    raw = base64.b32encode(mac[:10]).decode()  # 80 bits, 16 characters
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _token_hash(form_token: str) -> str:
    return hashlib.sha256(form_token.encode()).hexdigest()


@dataclass(frozen=True)
class CastResult:
    receipt: str
    already_recorded: bool  # a retry of the same ballot form: nothing new was written


def _ballot_content(
    election: Election,
    *,
    kept: Sequence[str] | None,
    agreed: Sequence[str] | None,
    disagreed: Sequence[str] | None,
) -> dict[str, list[str]]:
    """The submitted marks as a ballot of this election (`counting.ballot_content` decides)."""
    slate = queries.slate_ids(election)
    form = queries.ballot_form(election, slate_size=len(slate))
    try:
        return counting.ballot_content(
            strike_out=form is counting.BallotForm.STRIKE_OUT,
            slate=slate,
            kept=kept,
            agreed=agreed,
            disagreed=disagreed,
        )
    except counting.ContentError as exc:
        raise _content_refusal(exc) from None


def _content_refusal(exc: counting.ContentError) -> Exception:
    problem = counting.ContentProblem
    if exc.problem is problem.NOT_ON_SLATE:
        return field_errors(
            {exc.field: _("Not on this election's slate: %(ids)s.") % {"ids": ", ".join(exc.ids)}}
        )
    message = {
        problem.NO_NAMES_LISTED: _("The ballot lists no names left standing."),
        problem.MARKED_BOTH_WAYS: _("A candidate cannot be marked both ways."),
        problem.DAMAGED: _("The ballot form is damaged; reload the page."),
    }[exc.problem]
    return refusal(message, code=exc.problem.value, field=exc.field)


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
    submissions are serialized by the unique (election, delegate) constraint.
    """
    require_signed_in(actor)
    require_congress_open(election.congress)
    if not FORM_TOKEN.match(form_token or ""):
        raise refusal(
            _("The ballot form is damaged; reload the page."),
            code="ballot_form_damaged_reload",
            field="form_token",
        )
    if election.mode != Election.Mode.ELECTRONIC:
        raise refusal(
            _("This election uses paper ballots."),
            code="election_uses_paper_ballots",
            field="election",
        )
    if election.state != Election.State.OPEN:
        raise refusal(_("The poll is not open."), code="poll_not_open", field="election")
    delegate = queries.voter_line(actor, election.congress)
    if delegate is None:
        raise PermissionDenied(_("Only delegates summoned to this congress vote in it."))
    if delegate.checked_in_at is None:
        raise refusal(
            _("Check in at the congress before you vote."),
            code="check_congress_before_you",
            field="delegate",
        )
    content = _ballot_content(election, kept=kept, agreed=agreed, disagreed=disagreed)
    if not election.public_key:  # opened before ballots were sealed: close and reopen it
        raise refusal(
            _("This poll has no key to seal ballots with."),
            code="poll_has_no_key",
            field="election",
        )
    token_hash = _token_hash(form_token)
    code = receipt_code(election_id=election.pk, form_token=form_token)
    try:
        with transaction.atomic():
            Participation.objects.create(
                election=election, delegate=delegate, token_hash=token_hash
            )
    except IntegrityError:
        earlier = Participation.objects.get(election=election, delegate=delegate)
        if hmac.compare_digest(earlier.token_hash, token_hash):
            return CastResult(receipt=code, already_recorded=True)
        raise refusal(
            _("You have already voted in this election."),
            code="you_already_voted_election",
            field="election",
        ) from None
    # Re-read the state under the participation's protection: a poll closed meanwhile wins.
    if not Election.objects.filter(pk=election.pk, state=Election.State.OPEN).exists():
        raise refusal(_("The poll is not open."), code="poll_not_open", field="election")
    # Only the sealed box is written here; its content is readable only at the count.
    SealedBallot.objects.create(election=election, sealed=keys.seal_ballot(election, content))
    Receipt.objects.create(election=election, code=code)
    audit.record(
        actor=actor,
        action="ballot_cast",
        obj=election,
        unit_path=election.congress.unit.path,
        changes={"delegate": delegate.pk},  # who voted, never how
    )
    return CastResult(receipt=code, already_recorded=False)


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
