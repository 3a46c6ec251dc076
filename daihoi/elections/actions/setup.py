"""Setting an election up: the election, its slate, floor nominations, opening the poll."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, user_of
from daihoi.conduct import queries as conduct_queries
from daihoi.congresses.gates import require_congress_open
from daihoi.congresses.models import Congress
from daihoi.core import audit
from daihoi.core.errors import field_errors, refusal
from daihoi.elections import counting, queries, results
from daihoi.elections.actions import keys
from daihoi.elections.actions._base import (
    live,
    locked,
    require_board_or_organizer,
    require_organizer,
    require_state,
)
from daihoi.elections.models import (
    COMMITTEE_BODIES,
    Candidate,
    Election,
    LiveEvent,
    NominationVote,
)
from daihoi.organizations.models import Person
from daihoi.personnel import queries as personnel
from daihoi.rulebooks.loader import load_rulebook


@action(system=True)
def election_create(
    *,
    actor: Any,
    congress: Congress,
    body: str,
    seats: int,
    mode: str,
    alternate_seats: int = 0,
) -> Election:
    require_organizer(actor, congress)
    require_congress_open(congress)
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
        raise field_errors(errors)
    election = Election.objects.create(
        congress=congress, body=body, seats=seats, alternate_seats=alternate_seats, mode=mode
    )
    slate = _take_slate(election)
    audit.record(
        actor=actor,
        action="election_create",
        obj=election,
        unit_path=congress.unit.path,
        changes={
            "body": body,
            "seats": seats,
            "alternate_seats": alternate_seats,
            "mode": mode,
            "slate_from_plan": [p.member_code for p in slate],
        },
    )
    return election


def _take_slate(election: Election) -> list[Person]:
    """Put the approved personnel plan's candidates for the body on the slate (none when the
    body has no approved plan). Each is checked again against the hard standards."""
    people = personnel.approved_slate(election.congress, election.body) or []
    for person in people:
        if election.candidates.filter(person=person).exists():
            continue
        _check_candidate(election, person)
        Candidate.objects.create(
            election=election,
            person=person,
            position=_next_position(election),
            source=Candidate.Source.SLATE,
        )
    return people


@action(system=True)
def election_slate_from_plan(*, actor: Any, election: Election) -> list[Person]:
    """Take the slate from the body's approved personnel plan (e.g. approved after the
    election was created)."""
    election = locked(election)
    require_organizer(actor, election.congress)
    require_state(election, Election.State.DRAFT)
    people = personnel.approved_slate(election.congress, election.body)
    if not people:
        raise ValidationError(
            {
                "candidates": ValidationError(
                    _("This body has no approved personnel plan."), code="plan_not_approved"
                )
            }
        )
    taken = _take_slate(election)
    audit.record(
        actor=actor,
        action="election_slate_from_plan",
        obj=election,
        unit_path=election.congress.unit.path,
        changes={"people": [p.member_code for p in taken]},
    )
    return taken


def _next_position(election: Election) -> int:
    last = election.candidates.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def _check_candidate(election: Election, person: Person) -> None:
    """Refuse a person already on the slate, not active, or failing a hard standard for the
    body (personnel's standards; there is no override)."""
    if election.candidates.filter(person=person).exists():
        raise refusal(
            _("%(name)s is already on the slate.") % {"name": person.full_name},
            code="already_slate",
            field="person",
        )
    if person.status != Person.Status.ACTIVE:
        raise refusal(
            _("%(name)s is not an active member (%(status)s).")
            % {"name": person.full_name, "status": person.get_status_display()},
            code="not_active_member",
            field="person",
        )
    reason = personnel.hard_standard_refusal(person, election.congress, election.body)
    if reason:
        raise refusal(reason, code="hard_standard_failed", field="person")


def _check_on_plan(election: Election, person: Person) -> None:
    """Where the body has a personnel plan, the prepared slate is the approved plan."""
    if not personnel.has_plan(election.congress, election.body):
        return
    slate = personnel.approved_slate(election.congress, election.body) or []
    if not slate:
        raise refusal(
            _("The personnel plan for this body is not approved yet."),
            code="plan_not_approved",
            field="person",
        )
    if person.pk not in {p.pk for p in slate}:
        raise refusal(
            _("%(name)s is not on the approved personnel plan for this body.")
            % {"name": person.full_name},
            code="not_on_approved_plan",
            field="person",
        )


@action(system=True)
def candidate_add(*, actor: Any, election: Election, person: Person) -> Candidate:
    """Put a person on the prepared slate (entered by the organizer)."""
    election = locked(election)
    require_organizer(actor, election.congress)
    require_congress_open(election.congress)
    require_state(election, Election.State.DRAFT)
    _check_on_plan(election, person)
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


@action()
def candidate_remove(*, actor: Any, candidate: Candidate) -> None:
    election = locked(candidate.election)
    require_organizer(actor, election.congress)
    require_congress_open(candidate.election.congress)
    require_state(election, Election.State.DRAFT)
    person = candidate.person.member_code
    candidate.delete()
    audit.record(
        actor=actor,
        action="candidate_remove",
        obj=election,
        unit_path=election.congress.unit.path,
        changes={"person": person},
    )


@action()
def nomination_vote_record(
    *, actor: Any, election: Election, person: Person, source: str, agreeing: int
) -> NominationVote:
    """Record the congress's vote on a floor or self nomination; admit it above the threshold.

    The base is the number convened (the rulebook's `floor_nomination_support`).
    """
    election = locked(election)
    congress = election.congress
    require_organizer(actor, congress)
    require_congress_open(election.congress)
    require_state(election, Election.State.DRAFT)
    if source not in NominationVote.Source.values:
        raise refusal(
            _("A nomination is from the floor or by oneself."),
            code="nomination_floor_oneself",
            field="source",
        )
    _check_candidate(election, person)
    base = queries.entitled_now(congress).derivation[0][1]
    if agreeing < 0 or agreeing > base:
        raise refusal(
            _("Agreeing delegates must be between 0 and %(base)s.") % {"base": base},
            code="agreeing_delegates_between",
            field="agreeing",
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
        recorded_by=user_of(actor),
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


@action(system=True)
def election_open(*, actor: Any, election: Election) -> Election:
    """Open the poll. The final slate must fit the rulebook's maximum surplus."""
    election = locked(election)
    require_board_or_organizer(actor, election.congress)
    require_congress_open(election.congress)
    require_state(election, Election.State.DRAFT)
    n = election.candidates.count()
    if n == 0:
        raise refusal(
            _("The slate has no candidates."), code="slate_no_candidates", field="candidates"
        )
    problems = results.slate_problems(election, stage=counting.SlateStage.FINAL)
    too_large = [p for p in problems if p.code is counting.ProblemCode.SLATE_TOO_LARGE]
    if too_large:
        raise refusal(
            results.problem_message(too_large[0]), code="slate_too_large", field="candidates"
        )
    quorum = conduct_queries.quorum(election.congress)
    if not quorum.met:
        raise refusal(
            _(
                "The quorum is not met: %(present)s present, %(needed)s needed (%(rule)s). "
                "The poll cannot open."
            )
            % {"present": quorum.present, "needed": quorum.needed, "rule": quorum.rule},
            code="quorum_not_met",
            field="election",
        )
    changes: dict[str, Any] = {"candidates": n}
    if election.mode == Election.Mode.ELECTRONIC:
        changes["key_holders"] = keys.seal_election_key(election)
    election.state = Election.State.OPEN
    election.save(update_fields=["state"])
    live(election, LiveEvent.Kind.OPENED)
    audit.record(
        actor=actor,
        action="election_open",
        obj=election,
        unit_path=election.congress.unit.path,
        changes=changes,
    )
    return election
