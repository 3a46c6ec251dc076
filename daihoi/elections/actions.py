"""Writes for elections: slate, poll, ballots, paper tallies, count, release, upward flow.

Every function here is one use case: keyword-only, atomic, permission-checked, audited once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.accounts.models import Role
from daihoi.accounts.queries import require_role
from daihoi.conduct import actions as conduct_actions
from daihoi.congresses.models import Congress
from daihoi.core import audit
from daihoi.elections import counting, queries, results
from daihoi.elections.models import (
    AppointedCommittee,
    Ballot,
    Candidate,
    Election,
    LiveEvent,
    NominationVote,
    PaperBallotEntry,
    PaperTally,
    Participation,
    Receipt,
    ResultRelease,
)
from daihoi.organizations.models import CommitteeSeat, Person
from daihoi.rulebooks.loader import load_rulebook

COMMITTEE_BODIES = {
    Election.Body.EXECUTIVE: CommitteeSeat.Body.EXECUTIVE,
    Election.Body.STANDING: CommitteeSeat.Body.STANDING,
    Election.Body.INSPECTION: CommitteeSeat.Body.INSPECTION,
    Election.Body.SECRETARY: CommitteeSeat.Body.SECRETARY,
    Election.Body.DEPUTY_SECRETARY: CommitteeSeat.Body.DEPUTY_SECRETARY,
}


# Permissions -----------------------------------------------------------------------------


def _require_organizer(actor: Any, congress: Congress) -> None:
    require_role(actor, congress.unit, [Role.ORGANIZER])


def _require_counting_board(actor: Any, congress: Congress) -> None:
    """Only seated counting-board members; organizers do not count (four eyes stay real)."""
    if actor is None:
        return
    if not queries.is_counting_board(actor, congress):
        raise PermissionDenied(_("Only members of the counting board may do this."))


def _require_board_or_organizer(actor: Any, congress: Congress) -> None:
    if actor is None or queries.is_counting_board(actor, congress):
        return
    _require_organizer(actor, congress)


def _require_state(election: Election, *states: str) -> None:
    if election.state not in states:
        labels = ", ".join(str(Election.State(s).label) for s in states)
        raise ValidationError(
            {
                "state": _("The election is %(state)s; this needs it to be: %(needed)s.")
                % {"state": election.get_state_display(), "needed": labels}
            }
        )


def _locked(election: Election) -> Election:
    return Election.objects.select_for_update().select_related("congress__unit").get(pk=election.pk)


def _live(election: Election, kind: str) -> None:
    LiveEvent.objects.create(congress_id=election.congress_id, election=election, kind=kind)


# Setup -----------------------------------------------------------------------------------


@transaction.atomic
def election_create(
    *,
    actor: Any,
    congress: Congress,
    body: str,
    seats: int,
    mode: str,
    alternate_seats: int = 0,
) -> Election:
    _require_organizer(actor, congress)
    errors: dict[str, str] = {}
    if body not in Election.Body.values:
        errors["body"] = _("Unknown body %(body)s.") % {"body": body}
    if mode not in Election.Mode.values:
        errors["mode"] = _("Choose paper or electronic ballots.")
    if seats < 1:
        errors["seats"] = _("An election needs at least one seat.")
    if alternate_seats < 0:
        errors["alternate_seats"] = _("Alternate seats cannot be negative.")
    elif alternate_seats and body != Election.Body.DELEGATES:
        errors["alternate_seats"] = _("Only delegates to the higher congress have alternates.")
    if congress.bodies == Congress.Bodies.APPOINTED and body in COMMITTEE_BODIES:
        errors["body"] = _(
            "This congress's committee is appointed by the higher level, not elected."
        )
    if errors:
        raise ValidationError(errors)
    election = Election.objects.create(
        congress=congress, body=body, seats=seats, alternate_seats=alternate_seats, mode=mode
    )
    audit.record(
        actor=actor,
        action="election_create",
        obj=election,
        unit_path=congress.unit.path,
        changes={"body": body, "seats": seats, "alternate_seats": alternate_seats, "mode": mode},
    )
    return election


def _next_position(election: Election) -> int:
    last = election.candidates.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def _check_candidate(election: Election, person: Person) -> None:
    if election.candidates.filter(person=person).exists():
        raise ValidationError(
            {"person": _("%(name)s is already on the slate.") % {"name": person.full_name}}
        )
    if person.status != Person.Status.ACTIVE:
        raise ValidationError(
            {
                "person": _("%(name)s is not an active member (%(status)s).")
                % {"name": person.full_name, "status": person.get_status_display()}
            }
        )


@transaction.atomic
def candidate_add(*, actor: Any, election: Election, person: Person) -> Candidate:
    """Put a person on the prepared slate (entered by the organizer)."""
    election = _locked(election)
    _require_organizer(actor, election.congress)
    _require_state(election, Election.State.DRAFT)
    _check_candidate(election, person)
    candidate = Candidate.objects.create(
        election=election,
        person=person,
        position=_next_position(election),
        source=Candidate.Source.SLATE,
    )
    audit.record(
        actor=actor,
        action="candidate_add",
        obj=candidate,
        unit_path=election.congress.unit.path,
        changes={"election": election.pk, "person": person.member_code},
    )
    return candidate


@transaction.atomic
def candidate_remove(*, actor: Any, candidate: Candidate) -> None:
    election = _locked(candidate.election)
    _require_organizer(actor, election.congress)
    _require_state(election, Election.State.DRAFT)
    person = candidate.person.member_code
    candidate.delete()
    audit.record(
        actor=actor,
        action="candidate_remove",
        obj=election,
        unit_path=election.congress.unit.path,
        changes={"person": person},
    )


@transaction.atomic
def nomination_vote_record(
    *, actor: Any, election: Election, person: Person, source: str, agreeing: int
) -> NominationVote:
    """Record the congress's vote on a floor or self nomination; admit it above the threshold.

    The base is the number convened (the rulebook's `floor_nomination_support`).
    """
    election = _locked(election)
    congress = election.congress
    _require_organizer(actor, congress)
    _require_state(election, Election.State.DRAFT)
    if source not in NominationVote.Source.values:
        raise ValidationError({"source": _("A nomination is from the floor or by oneself.")})
    _check_candidate(election, person)
    base = queries.entitled_now(congress).derivation[0][1]
    if agreeing < 0 or agreeing > base:
        raise ValidationError(
            {"agreeing": _("Agreeing delegates must be between 0 and %(base)s.") % {"base": base}}
        )
    rule = load_rulebook(congress.cycle.rulebook_id).election.floor_nomination_support.value
    admitted = counting.floor_nomination_admitted(
        agreeing=agreeing, delegates=base, threshold=Fraction(rule.numerator, rule.denominator)
    )
    vote = NominationVote.objects.create(
        election=election,
        person=person,
        source=source,
        agreeing=agreeing,
        delegates=base,
        admitted=admitted,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if admitted:
        Candidate.objects.create(
            election=election,
            person=person,
            position=_next_position(election),
            source=source,
            admitted_by_vote=vote,
        )
    audit.record(
        actor=actor,
        action="nomination_vote_record",
        obj=vote,
        unit_path=congress.unit.path,
        changes={
            "election": election.pk,
            "person": person.member_code,
            "agreeing": agreeing,
            "delegates": base,
            "admitted": admitted,
        },
    )
    return vote


@transaction.atomic
def election_open(*, actor: Any, election: Election) -> Election:
    """Open the poll. The final slate must fit the rulebook's maximum surplus."""
    election = _locked(election)
    _require_board_or_organizer(actor, election.congress)
    _require_state(election, Election.State.DRAFT)
    n = election.candidates.count()
    if n == 0:
        raise ValidationError({"candidates": _("The slate has no candidates.")})
    problems = results.slate_problems(election, stage=counting.SlateStage.FINAL)
    too_large = [p for p in problems if p.code is counting.ProblemCode.SLATE_TOO_LARGE]
    if too_large:
        raise ValidationError({"candidates": results.problem_message(too_large[0])})
    election.state = Election.State.OPEN
    election.save(update_fields=["state"])
    _live(election, LiveEvent.Kind.OPENED)
    audit.record(
        actor=actor,
        action="election_open",
        obj=election,
        unit_path=election.congress.unit.path,
        changes={"candidates": n},
    )
    return election


# Electronic ballots -----------------------------------------------------------------------

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
    slate = set(queries.slate_ids(election))
    form = queries.ballot_form(election)
    marks = {"kept": kept} if form is counting.BallotForm.STRIKE_OUT else {}
    if form is counting.BallotForm.AGREE_DISAGREE:
        marks = {"agreed": agreed or [], "disagreed": disagreed or []}
    elif kept is None:
        raise ValidationError({"kept": _("The ballot lists no names left standing.")})
    content: dict[str, list[str]] = {}
    for key, ids in marks.items():
        cleaned = sorted({str(i) for i in ids or []})
        unknown = [i for i in cleaned if i not in slate]
        if unknown:
            raise ValidationError(
                {key: _("Not on this election's slate: %(ids)s.") % {"ids": ", ".join(unknown)}}
            )
        content[key] = cleaned
    if form is counting.BallotForm.AGREE_DISAGREE and set(content["agreed"]) & set(
        content["disagreed"]
    ):
        raise ValidationError({"agreed": _("A candidate cannot be marked both ways.")})
    return content


@transaction.atomic
def ballot_cast(
    *,
    actor: Any,
    election: Election,
    form_token: str,
    kept: Sequence[str] | None = None,
    agreed: Sequence[str] | None = None,
    disagreed: Sequence[str] | None = None,
) -> CastResult:
    """Cast one electronic ballot. Participation, ballot and receipt commit together or not at all.

    A second submission of the same form (double click, retry after a timeout) returns the same
    receipt and writes nothing; a second ballot from the same voter is refused. Concurrent
    submissions are serialized by the unique (election, delegate) constraint.
    """
    if not FORM_TOKEN.match(form_token or ""):
        raise ValidationError({"form_token": _("The ballot form is damaged; reload the page.")})
    if election.mode != Election.Mode.ELECTRONIC:
        raise ValidationError({"election": _("This election uses paper ballots.")})
    if election.state != Election.State.OPEN:
        raise ValidationError({"election": _("The poll is not open.")})
    delegate = queries.voter_line(actor, election.congress)
    if delegate is None:
        raise PermissionDenied(_("Only delegates summoned to this congress vote in it."))
    if delegate.checked_in_at is None:
        raise ValidationError({"delegate": _("Check in at the congress before you vote.")})
    content = _ballot_content(election, kept=kept, agreed=agreed, disagreed=disagreed)
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
        raise ValidationError({"election": _("You have already voted in this election.")}) from None
    # Re-read the state under the participation's protection: a poll closed meanwhile wins.
    if not Election.objects.filter(pk=election.pk, state=Election.State.OPEN).exists():
        raise ValidationError({"election": _("The poll is not open.")})
    Ballot.objects.create(election=election, content=content)
    Receipt.objects.create(election=election, code=code)
    audit.record(
        actor=actor,
        action="ballot_cast",
        obj=election,
        unit_path=election.congress.unit.path,
        changes={"delegate": delegate.pk},  # who voted, never how
    )
    return CastResult(receipt=code, already_recorded=False)


@transaction.atomic
def election_close(*, actor: Any, election: Election) -> Election:
    """Close the poll and fix the number entitled, with its derivation, for the count."""
    election = _locked(election)
    _require_board_or_organizer(actor, election.congress)
    _require_state(election, Election.State.OPEN)
    entitled = queries.entitled_now(election.congress)
    election.state = Election.State.CLOSED
    election.entitled = entitled.count
    election.entitled_derivation = [list(step) for step in entitled.derivation]
    election.save(update_fields=["state", "entitled", "entitled_derivation"])
    _live(election, LiveEvent.Kind.CLOSED)
    audit.record(
        actor=actor,
        action="election_close",
        obj=election,
        unit_path=election.congress.unit.path,
        changes={"entitled": entitled.count, "derivation": election.entitled_derivation},
    )
    return election


# Paper ballots -----------------------------------------------------------------------------


@transaction.atomic
def paper_tally_enter(
    *,
    actor: Any,
    election: Election,
    method: str,
    issued: int,
    returned: int,
    not_returned: int,
    valid: int,
    invalid: int,
    invalid_by_reason: dict[str, int] | None = None,
    totals: dict[str, int] | None = None,
) -> PaperTally:
    """Enter (or correct) the paper figures; any earlier confirmation is withdrawn."""
    election = _locked(election)
    _require_counting_board(actor, election.congress)
    _require_state(election, Election.State.CLOSED)
    if election.mode != Election.Mode.PAPER:
        raise ValidationError({"election": _("This election uses electronic ballots.")})
    if method not in PaperTally.Method.values:
        raise ValidationError({"method": _("Choose ballot by ballot or totals per candidate.")})
    reasons = {r.value for r in counting.INVALID_REASONS}
    by_reason = {k: int(v) for k, v in (invalid_by_reason or {}).items() if v}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(by_reason) - reasons)
    if unknown:
        errors.setdefault("invalid_by_reason", []).append(
            _("Unknown reasons: %(r)s.") % {"r": ", ".join(unknown)}
        )
    if by_reason and sum(by_reason.values()) != invalid:
        errors.setdefault("invalid_by_reason", []).append(
            _("Invalid ballots by reason add up to %(sum)s, not %(invalid)s.")
            % {"sum": sum(by_reason.values()), "invalid": invalid}
        )
    slate = queries.slate_ids(election)
    clean_totals: dict[str, int] | None = None
    if method == PaperTally.Method.TOTALS:
        if totals is None:
            errors.setdefault("totals", []).append(_("Enter the votes of every candidate."))
        else:
            clean_totals = {str(k): int(v) for k, v in totals.items()}
            missing = [c for c in slate if c not in clean_totals]
            extra = [c for c in clean_totals if c not in slate]
            if missing or extra:
                errors.setdefault("totals", []).append(
                    _("Votes must be given for exactly the candidates on the slate.")
                )
    problems = counting.reconcile_paper(
        issued=issued,
        returned=returned,
        not_returned=not_returned,
        valid=valid,
        invalid=invalid,
        per_candidate_totals=clean_totals,
        seats=election.total_seats,
        ballot_form=queries.ballot_form(election),
    )
    for problem in problems:
        errors.setdefault(results.problem_field(problem), []).append(
            results.problem_message(problem, names=results.candidate_names(election))
        )
    if errors:
        raise ValidationError(errors)
    tally, _created = PaperTally.objects.update_or_create(
        election=election,
        defaults={
            "method": method,
            "issued": issued,
            "returned": returned,
            "not_returned": not_returned,
            "valid": valid,
            "invalid": invalid,
            "invalid_by_reason": by_reason,
            "totals": clean_totals,
            "entered_by": actor,
            "confirmed_by": None,
            "confirmed_at": None,
        },
    )
    audit.record(
        actor=actor,
        action="paper_tally_enter",
        obj=tally,
        unit_path=election.congress.unit.path,
        changes={
            "election": election.pk,
            "method": method,
            "figures": [issued, returned, not_returned, valid, invalid],
            "invalid_by_reason": by_reason,
            "totals": clean_totals,
        },
    )
    return tally


def _require_second_member(actor: Any, entered_by_id: int | None) -> None:
    if actor is not None and actor.pk == entered_by_id:
        raise ValidationError(
            {"confirmed_by": _("A second member of the counting board must confirm this entry.")}
        )


@transaction.atomic
def paper_tally_confirm(*, actor: Any, election: Election) -> PaperTally:
    election = _locked(election)
    _require_counting_board(actor, election.congress)
    tally = PaperTally.objects.select_for_update().filter(election=election).first()
    if tally is None:
        raise ValidationError({"tally": _("No paper figures have been entered yet.")})
    _require_second_member(actor, tally.entered_by_id)
    tally.confirmed_by = actor
    tally.confirmed_at = timezone.now()
    tally.save(update_fields=["confirmed_by", "confirmed_at"])
    audit.record(
        actor=actor,
        action="paper_tally_confirm",
        obj=tally,
        unit_path=election.congress.unit.path,
        changes={"election": election.pk},
    )
    return tally


@transaction.atomic
def paper_ballot_enter(
    *,
    actor: Any,
    election: Election,
    number: int,
    struck: Sequence[str] = (),
    disagreed: Sequence[str] = (),
    not_issued: bool = False,
    names_added: bool = False,
) -> PaperBallotEntry:
    """Enter one paper ballot as read: which names were struck (or disagreed with)."""
    election = _locked(election)
    _require_counting_board(actor, election.congress)
    _require_state(election, Election.State.CLOSED)
    if election.mode != Election.Mode.PAPER:
        raise ValidationError({"election": _("This election uses electronic ballots.")})
    if number < 1:
        raise ValidationError({"number": _("Ballot numbers start at 1.")})
    if election.paper_entries.filter(number=number).exists():
        raise ValidationError({"number": _("Ballot %(n)s is already entered.") % {"n": number}})
    slate = set(queries.slate_ids(election))
    marks = {"struck": sorted({str(s) for s in struck}), "disagreed": sorted(map(str, disagreed))}
    for key, ids in marks.items():
        unknown = [i for i in ids if i not in slate]
        if unknown:
            raise ValidationError(
                {key: _("Not on this election's slate: %(ids)s.") % {"ids": ", ".join(unknown)}}
            )
    entry = PaperBallotEntry.objects.create(
        election=election,
        number=number,
        struck=marks["struck"],
        disagreed=marks["disagreed"],
        not_issued=not_issued,
        names_added=names_added,
        entered_by=actor,
    )
    audit.record(
        actor=actor,
        action="paper_ballot_enter",
        obj=entry,
        unit_path=election.congress.unit.path,
        changes={"election": election.pk, "number": number, **marks},
    )
    return entry


@transaction.atomic
def paper_ballot_confirm(*, actor: Any, entry: PaperBallotEntry) -> PaperBallotEntry:
    election = _locked(entry.election)
    _require_counting_board(actor, election.congress)
    entry = PaperBallotEntry.objects.select_for_update().get(pk=entry.pk)
    _require_second_member(actor, entry.entered_by_id)
    entry.confirmed_by = actor
    entry.save(update_fields=["confirmed_by"])
    audit.record(
        actor=actor,
        action="paper_ballot_confirm",
        obj=entry,
        unit_path=election.congress.unit.path,
        changes={"election": election.pk, "number": entry.number},
    )
    return entry


# Count and release ----------------------------------------------------------------------


@transaction.atomic
def election_count(*, actor: Any, election: Election) -> Election:
    """Count the closed poll; refuses figures that do not reconcile. Recount until released."""
    election = _locked(election)
    _require_counting_board(actor, election.congress)
    _require_state(election, Election.State.CLOSED, Election.State.COUNTED)
    result = results.count_election(election)
    election.result = result
    election.state = Election.State.COUNTED
    election.save(update_fields=["result", "state"])
    ResultRelease.objects.filter(election=election).delete()  # a recount needs new confirmations
    audit.record(
        actor=actor,
        action="election_count",
        obj=election,
        unit_path=election.congress.unit.path,
        changes={
            "valid": result["valid"],
            "invalid": result["invalid"],
            "votes": result["votes"],
            "elected": result["elected"],
        },
    )
    return election


@dataclass(frozen=True)
class ReleaseResult:
    released: bool
    confirmations: int


@transaction.atomic
def result_confirm(*, actor: Any, election: Election) -> ReleaseResult:
    """One counting-board member confirms the count; the second confirmation releases it."""
    election = _locked(election)
    congress = election.congress
    if actor is None or not queries.is_counting_board(actor, congress):
        raise PermissionDenied(_("Only members of the counting board may confirm a result."))
    _require_state(election, Election.State.COUNTED)
    now = timezone.now()
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
        raise ValidationError(
            {"confirmed_by": _("A second member of the counting board must confirm the result.")}
        )
    release.second_by = actor
    release.second_at = now
    release.save(update_fields=["second_by", "second_at"])
    election.state = Election.State.RELEASED
    election.save(update_fields=["state"])
    flowed = _flow_upward(election)
    _live(election, LiveEvent.Kind.RELEASED)
    audit.record(
        actor=actor,
        action="result_confirm",
        obj=election,
        unit_path=congress.unit.path,
        changes={"confirmation": 2, "released": True, "upward": flowed},
    )
    return ReleaseResult(released=True, confirmations=2)


# Later rounds ------------------------------------------------------------------------------


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


@transaction.atomic
def election_runoff_create(*, actor: Any, election: Election) -> Election:
    """A run-off among the candidates tied at the last seat, for the seats they tie for."""
    election = _locked(election)
    _require_board_or_organizer(actor, election.congress)
    _require_state(election, Election.State.COUNTED, Election.State.RELEASED)
    runoff = results.runoff_of(election)
    if runoff is None:
        raise ValidationError({"election": _("This round has no tie at the last seat.")})
    if election.later_rounds.filter(round_kind=Election.RoundKind.RUNOFF).exists():
        raise ValidationError({"election": _("The run-off for this round already exists.")})
    later = _new_round(
        election=election,
        kind=Election.RoundKind.RUNOFF,
        seats=runoff["seats"],
        alternate_seats=0,
        candidate_ids=runoff["candidates"],
        decision="",
    )
    audit.record(
        actor=actor,
        action="election_runoff_create",
        obj=later,
        unit_path=election.congress.unit.path,
        changes={"parent": election.pk, "candidates": runoff["candidates"]},
    )
    return later


@transaction.atomic
def election_further_round_create(
    *, actor: Any, election: Election, decision: str, candidate_ids: Sequence[str] | None = None
) -> Election:
    """A further round for unfilled seats, as the congress decided (the decision is recorded)."""
    election = _locked(election)
    _require_organizer(actor, election.congress)
    _require_state(election, Election.State.RELEASED)
    result = election.result or {}
    unfilled = int(result.get("unfilled_seats", 0))
    if unfilled < 1:
        raise ValidationError({"election": _("All seats of this round are filled or tied.")})
    if not decision.strip():
        raise ValidationError({"decision": _("Record the congress's decision on a further round.")})
    not_elected = [
        c
        for c, _v in result["votes"]
        if c not in result["elected"] and c not in results.tied(result)
    ]
    chosen = list(candidate_ids) if candidate_ids is not None else not_elected
    outside = [c for c in chosen if c not in not_elected]
    if outside or not chosen:
        raise ValidationError(
            {"candidates": _("A further round lists candidates not elected in this round.")}
        )
    seats, alternate_seats = unfilled, 0
    if election.body == Election.Body.DELEGATES:
        runoff = result.get("delegate_runoff") or {}
        delegates_left = election.seats - len(result["delegates"]) - int(runoff.get("seats", 0))
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


# Upward flow ----------------------------------------------------------------------------


def _flow_upward(election: Election) -> dict[str, Any]:
    """The released result takes effect: committee seats for the term, or the higher roster."""
    result = election.result or {}
    congress = election.congress
    if election.body in COMMITTEE_BODIES:
        persons = queries.persons_by_candidate(election, list(result.get("elected", [])))
        return _seat_committee(
            congress=congress,
            body=COMMITTEE_BODIES[Election.Body(election.body)],
            persons=persons,
            source=CommitteeSeat.Source.ELECTED,
        )
    delegate_ids, alternate_ids = results.delegate_lists(election)
    officials = queries.persons_by_candidate(election, delegate_ids)
    alternates = queries.persons_by_candidate(election, alternate_ids)
    return _send_delegates(congress=congress, officials=officials, alternates=alternates)


def _seat_committee(
    *, congress: Congress, body: str, persons: Sequence[Person], source: str
) -> dict[str, Any]:
    cycle = congress.cycle
    today = timezone.localdate()
    ended = CommitteeSeat.objects.filter(
        unit=congress.unit, body=body, term_start__lt=cycle.term_start, ended_on__isnull=True
    ).update(ended_on=today)
    seated = set(
        CommitteeSeat.objects.filter(
            unit=congress.unit, body=body, term_start=cycle.term_start, ended_on__isnull=True
        ).values_list("person_id", flat=True)
    )
    new = [
        CommitteeSeat(
            unit=congress.unit,
            person=person,
            body=body,
            term_start=cycle.term_start,
            term_end=cycle.term_end,
            source=source,
        )
        for person in persons
        if person.pk not in seated
    ]
    CommitteeSeat.objects.bulk_create(new)
    return {"body": body, "seated": [p.member_code for p in persons], "ended": ended}


def _send_delegates(
    *, congress: Congress, officials: Sequence[Person], alternates: Sequence[Person]
) -> dict[str, Any]:
    higher = queries.higher_congress(congress)
    if higher is None:
        return {"higher_congress": None}
    # The release itself is the authorization: board members hold no role on the higher unit.
    conduct_actions.roster_add_elected(
        actor=None,
        congress=higher,
        elected_by=congress,
        officials=list(officials),
        alternates=list(alternates),
    )
    return {
        "higher_congress": higher.pk,
        "officials": [p.member_code for p in officials],
        "alternates": [p.member_code for p in alternates],
    }


# Appointed bodies -------------------------------------------------------------------------


@transaction.atomic
def committee_appoint(
    *,
    actor: Any,
    congress: Congress,
    body: str,
    persons: Sequence[Person],
    decision_ref: str,
    decided_on: Any,
) -> AppointedCommittee:
    """The higher level appoints a body instead of an election; the same upward flow follows."""
    parent = queries.higher_congress(congress)
    unit = parent.unit if parent is not None else congress.unit
    require_role(actor, unit, [Role.ORGANIZER])
    errors: dict[str, str] = {}
    if congress.bodies != Congress.Bodies.APPOINTED:
        errors["body"] = _("This congress elects its bodies; record an election instead.")
    if body not in COMMITTEE_BODIES:
        errors["body"] = _("Only committees are appointed here.")
    if not persons:
        errors["persons"] = _("Name at least one appointed member.")
    if not decision_ref.strip():
        errors["decision_ref"] = _("Cite the higher level's decision.")
    if AppointedCommittee.objects.filter(congress=congress, body=body).exists():
        errors["body"] = _("This body has already been appointed.")
    if errors:
        raise ValidationError(errors)
    appointment = AppointedCommittee.objects.create(
        congress=congress,
        body=body,
        decision_ref=decision_ref.strip(),
        decided_on=decided_on,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    appointment.members.set(persons)
    flowed = _seat_committee(
        congress=congress,
        body=COMMITTEE_BODIES[Election.Body(body)],
        persons=persons,
        source=CommitteeSeat.Source.APPOINTED,
    )
    audit.record(
        actor=actor,
        action="committee_appoint",
        obj=appointment,
        unit_path=congress.unit.path,
        changes={"body": body, "decision": decision_ref.strip(), "upward": flowed},
    )
    return appointment
