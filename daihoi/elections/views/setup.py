"""Setting up and running elections: a congress's elections, one election's page, the counting
key, and the organizers' and counting board's actions (slate, nominations, poll, count,
release, rounds)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from daihoi.core.access import scoped
from daihoi.core.errors import flash_errors
from daihoi.elections import (
    actions,
    counting,
    minutes,
    queries,
    results,
)
from daihoi.elections.models import Election, PaperBallotEntry
from daihoi.elections.views._base import _congress, _int
from daihoi.organizations.models import Person
from daihoi.personnel import queries as personnel


@scoped
def congress_elections(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = _congress(request.user, congress_id)
    if request.method == "POST":
        try:
            election = actions.election_create(
                actor=request.user,
                congress=congress,
                body=request.POST.get("body", ""),
                seats=_int(request, "seats"),
                alternate_seats=_int(request, "alternate_seats")
                if request.POST.get("alternate_seats")
                else 0,
                mode=request.POST.get("mode", ""),
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        except PermissionDenied:
            raise Http404("No such congress") from None
        else:
            return redirect("elections:detail", election_id=election.pk)
    context = {
        "congress": congress,
        "elections": queries.congress_elections(congress),
        "may_organize": queries.is_organizer(request.user, congress),
        "may_documents": queries.is_organizer(request.user, congress)
        or queries.has_board_seat(request.user, congress),
        "bodies": Election.Body.choices,
        "modes": Election.Mode.choices,
    }
    return render(request, "elections/congress.html", context)


@scoped
def detail(request: HttpRequest, election_id: int) -> HttpResponse:
    election = queries.access_election_by_id(request.user, election_id)
    congress = election.congress
    user = request.user
    line = queries.voter_line(user, congress)
    counter = queries.is_counting_board(user, congress)
    show_result = election.state == Election.State.RELEASED or (
        counter and election.state == Election.State.COUNTED
    )
    release = getattr(election, "release", None) if election.state == "counted" else None
    context = {
        "election": election,
        "congress": congress,
        "candidates": queries.candidates(election),
        "gauges": personnel.slate_gauges(
            congress, election.body, [c.person for c in queries.candidates(election)]
        ),
        "may_organize": queries.is_organizer(user, congress),
        "is_counter": counter,
        "line": line,
        "has_voted": bool(line) and queries.has_voted(election, line),  # type: ignore[arg-type]
        "prepared": results.slate_range(election, stage=counting.SlateStage.PREPARED),
        "final": results.slate_range(election, stage=counting.SlateStage.FINAL),
        "problems": [
            results.problem_message(p)
            for p in results.slate_problems(election, stage=counting.SlateStage.PREPARED)
        ],
        "nominations": election.nominations.select_related("person"),
        "result": election.outcome if show_result else None,
        "rows": minutes.outcome_rows(election, election.outcome) if show_result else [],
        "derivation": minutes.derivation_rows(election.outcome),
        "release": release,
        "later_rounds": election.later_rounds.all(),
        "participations": election.participations.count(),
        # The first count of a sealed poll needs two members' counting keys.
        "needs_keys": election.state == Election.State.CLOSED and bool(election.public_key),
    }
    return render(request, "elections/detail.html", context)


@scoped
def counting_key(request: HttpRequest, congress_id: int) -> HttpResponse:
    """A counting-board member's counting key: issued here, shown once, never stored whole."""
    congress = _congress(request.user, congress_id)
    if not queries.is_counting_eye(request.user, congress):
        raise Http404("Not on this congress's counting board")
    issued = None
    if request.method == "POST":
        try:
            issued = actions.counting_key_issue(actor=request.user, congress=congress)
        except ValidationError as exc:
            flash_errors(request, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
    key = queries.counting_key_of(request.user, congress)
    context = {
        "congress": congress,
        "secret": issued.secret if issued else "",
        "fingerprint": actions.counting_key_fingerprint(bytes(key.public_key)) if key else "",
        "issued_at": key.issued_at if key else None,
    }
    response = render(request, "elections/counting_key.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _person(election: Election, code: str) -> Person:
    person = (
        Person.objects.filter(member_code=code.strip(), unit__path__startswith=election.unit.path)
        .select_related("unit")
        .first()
    )
    if person is None:
        raise ValidationError(
            {"person": _("No member with code “%(code)s” in this unit.") % {"code": code}}
        )
    return person


def _act(request: HttpRequest, election: Election, what: str) -> str:
    """Run one action from a POSTed form; returns a success message."""
    user = request.user
    simple: dict[str, tuple[Callable[..., Any], str]] = {
        "open": (actions.election_open, _("The poll is open.")),
        "close": (actions.election_close, _("The poll is closed.")),
        "paper_tally_confirm": (actions.paper_tally_confirm, _("The paper figures are confirmed.")),
        "runoff": (actions.election_runoff_create, _("The run-off round is prepared.")),
        "slate_from_plan": (
            actions.election_slate_from_plan,
            _("The slate is taken from the approved personnel plan."),
        ),
    }
    if what in simple:
        fn, done = simple[what]
        fn(actor=user, election=election)
        return done
    if what == "count":
        keys = [request.POST.get("counting_key_1", ""), request.POST.get("counting_key_2", "")]
        actions.election_count(actor=user, election=election, counting_keys=keys)
        return _("The ballots are counted.")
    if what == "confirm":
        outcome = actions.result_confirm(actor=user, election=election)
        return (
            _("The result is released.")
            if outcome.released
            else _("Your confirmation is recorded; a second member must confirm.")
        )
    if what == "candidate_add":
        actions.candidate_add(
            actor=user, election=election, person=_person(election, request.POST.get("code", ""))
        )
        return _("The candidate is on the slate.")
    if what == "candidate_remove":
        candidate = election.candidates.filter(pk=_int(request, "candidate")).first()
        if candidate is None:
            raise Http404("No such candidate")
        actions.candidate_remove(actor=user, candidate=candidate)
        return _("The candidate is off the slate.")
    if what == "nomination":
        vote = actions.nomination_vote_record(
            actor=user,
            election=election,
            person=_person(election, request.POST.get("code", "")),
            source=request.POST.get("source", ""),
            agreeing=_int(request, "agreeing"),
        )
        return _("Admitted to the slate.") if vote.admitted else _("Not admitted: too few agreed.")
    if what == "further":
        actions.election_further_round_create(
            actor=user, election=election, decision=request.POST.get("decision", "")
        )
        return _("The further round is prepared.")
    if what == "paper_tally":
        totals = None
        if request.POST.get("method") == "totals":
            totals = {str(c.pk): _int(request, f"votes_{c.pk}") for c in election.candidates.all()}
        actions.paper_tally_enter(
            actor=user,
            election=election,
            method=request.POST.get("method", ""),
            issued=_int(request, "issued"),
            returned=_int(request, "returned"),
            not_returned=_int(request, "not_returned"),
            valid=_int(request, "valid"),
            invalid=_int(request, "invalid"),
            found_not_issued=_int(request, "found_not_issued", default=0),
            totals=totals,
        )
        return _("The paper figures are entered; a second member must confirm them.")
    if what == "paper_ballot":
        actions.paper_ballot_enter(
            actor=user,
            election=election,
            number=_int(request, "number"),
            struck=request.POST.getlist("struck"),
            disagreed=request.POST.getlist("disagreed"),
            not_issued=bool(request.POST.get("not_issued")),
            names_added=bool(request.POST.get("names_added")),
        )
        return _("The ballot is entered; a second member must confirm it.")
    if what == "paper_ballot_confirm":
        entry = PaperBallotEntry.objects.filter(
            election=election, pk=_int(request, "entry")
        ).first()
        if entry is None:
            raise Http404("No such ballot entry")
        actions.paper_ballot_confirm(actor=user, entry=entry)
        return _("The ballot entry is confirmed.")
    raise Http404("No such action")


@scoped
def act(request: HttpRequest, election_id: int, what: str) -> HttpResponse:
    election = queries.access_election_by_id(request.user, election_id)
    if request.method != "POST":
        return redirect("elections:detail", election_id=election.pk)
    try:
        messages.success(request, _act(request, election, what))
    except ValidationError as exc:
        flash_errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do this."))
    back = "elections:paper" if what.startswith("paper") else "elections:detail"
    return redirect(back, election_id=election.pk)
