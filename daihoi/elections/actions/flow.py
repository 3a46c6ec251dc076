"""Upward flow of a released result or an appointment: seats and the higher roster."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from daihoi.accounts.authority import SYSTEM, action, require_role, user_of
from daihoi.accounts.models import Role
from daihoi.conduct import actions as conduct_actions
from daihoi.congresses.models import Congress
from daihoi.core import audit, clock, hooks
from daihoi.core.errors import field_errors
from daihoi.elections import queries, results
from daihoi.elections.models import (
    COMMITTEE_BODIES,
    AppointedCommittee,
    Election,
)
from daihoi.organizations.models import CommitteeSeat, Person
from daihoi.personnel import queries as personnel


def flow_upward(election: Election) -> dict[str, Any]:
    """The released result takes effect: committee seats for the term, or the higher roster."""
    result = election.outcome
    congress = election.congress
    if election.body in COMMITTEE_BODIES:
        persons = queries.persons_by_candidate(election, list(result.elected) if result else [])
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
    today = clock.today()
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
    # The release or appointment is the authorization for what follows from the new body.
    hooks.committee_seated(actor=SYSTEM, congress=congress, body=body)
    return {"body": body, "seated": [p.member_code for p in persons], "ended": ended}


def _send_delegates(
    *, congress: Congress, officials: Sequence[Person], alternates: Sequence[Person]
) -> dict[str, Any]:
    higher = queries.higher_congress(congress)
    if higher is None:
        return {"higher_congress": None}
    # The release itself is the authorization: board members hold no role on the higher unit.
    conduct_actions.roster_add_elected(
        actor=SYSTEM,
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


@action()
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
    refusals = [personnel.hard_standard_refusal(p, congress, body) for p in persons]
    if any(refusals):
        errors["persons"] = " ".join(r for r in refusals if r)
    if errors:
        raise field_errors(errors)
    appointment = AppointedCommittee.objects.create(
        congress=congress,
        body=body,
        decision_ref=decision_ref.strip(),
        decided_on=decided_on,
        recorded_by=user_of(actor),
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
