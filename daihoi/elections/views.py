"""Pages for elections: setup, ballot, receipt, bulletin board, counting board, projector.

Every page is scoped: it needs a login and shows an election only through
`queries.access_election_by_id` (404 outside the user's congresses and subtrees).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from daihoi.congresses.models import Congress
from daihoi.core import streams
from daihoi.core.access import scoped
from daihoi.core.documents import DOCX_TYPE
from daihoi.core.errors import flash_errors
from daihoi.core.exports import XLSX_TYPE
from daihoi.elections import (
    actions,
    ballots_print,
    congress_documents,
    counting,
    hall,
    live,
    minutes,
    queries,
    results,
)
from daihoi.elections.models import COMMITTEE_BODIES, Election, PaperBallotEntry
from daihoi.organizations.models import Person
from daihoi.personnel import queries as personnel


def _congress(user: Any, congress_id: int) -> Congress:
    """A congress whose elections the user may see; 404 otherwise."""
    election = queries.elections_visible(user).filter(congress_id=congress_id).first()
    if election is not None:
        return election.congress
    congress = Congress.objects.select_related("unit", "cycle").filter(pk=congress_id).first()
    if congress is None or not queries.is_organizer(user, congress):
        raise Http404("No such congress")
    return congress


def _int(request: HttpRequest, name: str, *, default: int | None = None) -> int:
    raw = request.POST.get(name, "").strip()
    if not raw and default is not None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(
            {
                name: _("%(field)s must be a whole number, got “%(raw)s”.")
                % {"field": name, "raw": raw}
            }
        ) from None


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


@scoped
def vote(request: HttpRequest, election_id: int) -> HttpResponse:
    """The delegate's ballot: strike out names (or agree/disagree when there is no surplus)."""
    election = queries.access_election_by_id(request.user, election_id)
    if request.method == "POST":
        form = queries.ballot_form(election)
        ids = [str(c.pk) for c in election.candidates.all()]
        try:
            if form is counting.BallotForm.STRIKE_OUT:
                struck = set(request.POST.getlist("struck"))
                cast = actions.ballot_cast(
                    actor=request.user,
                    election=election,
                    form_token=request.POST.get("form_token", ""),
                    kept=[c for c in ids if c not in struck],
                )
            else:
                marks = {c: request.POST.get(f"mark_{c}", "") for c in ids}
                cast = actions.ballot_cast(
                    actor=request.user,
                    election=election,
                    form_token=request.POST.get("form_token", ""),
                    agreed=[c for c, m in marks.items() if m == "agree"],
                    disagreed=[c for c, m in marks.items() if m == "disagree"],
                )
        except ValidationError as exc:
            flash_errors(request, exc)
            return redirect("elections:detail", election_id=election.pk)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("elections:detail", election_id=election.pk)
        return redirect("elections:receipt", election_id=election.pk, code=cast.receipt)
    line = queries.voter_line(request.user, election.congress)
    context = {
        "election": election,
        "candidates": queries.candidates(election),
        "form_token": secrets.token_urlsafe(24),
        "strike_out": queries.ballot_form(election) is counting.BallotForm.STRIKE_OUT,
        "line": line,
        "has_voted": line is not None and queries.has_voted(election, line),
    }
    return render(request, "elections/vote.html", context)


@scoped
def receipt(request: HttpRequest, election_id: int, code: str) -> HttpResponse:
    election = queries.access_election_by_id(request.user, election_id)
    context = {
        "election": election,
        "code": code,
        "recorded": queries.receipt_exists(election, code),
    }
    return render(request, "elections/receipt.html", context)


@scoped
def board(request: HttpRequest, election_id: int) -> HttpResponse:
    """The bulletin board: receipt codes, and separately the ballot contents in random order."""
    election = queries.access_election_by_id(request.user, election_id)
    code = request.GET.get("code", "").strip()
    bulletin = queries.bulletin(election)
    names = results.candidate_names(election)
    contents = [
        {k: [names.get(c, c) for c in v] for k, v in content.items()}
        for content in bulletin.contents
    ]
    context = {
        "election": election,
        "bulletin": bulletin,
        "contents": contents,
        "code": code,
        "found": queries.receipt_exists(election, code) if code else None,
    }
    return render(request, "elections/board.html", context)


@scoped
def paper(request: HttpRequest, election_id: int) -> HttpResponse:
    election = queries.access_election_by_id(request.user, election_id)
    if not queries.is_counting_board(request.user, election.congress):
        raise Http404("No such page")
    context = {
        "election": election,
        "candidates": queries.candidates(election),
        "tally": getattr(election, "paper_tally", None),
        "entries": queries.paper_entries(election),
        "strike_out": queries.ballot_form(election) is counting.BallotForm.STRIKE_OUT,
        "names": results.candidate_names(election),
    }
    return render(request, "elections/paper.html", context)


@scoped
def minutes_pdf(request: HttpRequest, election_id: int) -> HttpResponse:
    election = queries.access_election_by_id(request.user, election_id)
    if election.state != Election.State.RELEASED:
        raise Http404("No released result")
    language = _document_language(request)
    pdf = minutes.minutes_pdf(election, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="election-{election.pk}-minutes-{language}.pdf"'
    )
    return response


@scoped
def ballot_pdf(request: HttpRequest, election_id: int) -> HttpResponse:
    """The printed ballot of this round, for its organizers and the counting board."""
    election = queries.access_election_by_id(request.user, election_id)
    congress = election.congress
    if not (
        queries.is_organizer(request.user, congress)
        or queries.is_counting_board(request.user, congress)
    ):
        raise Http404("No such ballot")
    language = _document_language(request)
    pdf = ballots_print.ballot_pdf(election, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="ballot-{election.pk}-round-{election.round_number}-{language}.pdf"'
    )
    return response


def _document_language(request: HttpRequest) -> str:
    language = request.GET.get("lang", "vi")
    if language not in ("vi", "en", "de"):
        raise Http404("No such language")
    return language


# Projector ----------------------------------------------------------------------------------


def _panel_html(congress: Congress, request: HttpRequest | None = None) -> str:
    elections = list(queries.congress_elections(congress))
    blocks = []
    for election in elections:
        released = election.state == Election.State.RELEASED
        blocks.append(
            {
                "election": election,
                "rows": minutes.outcome_rows(election, election.outcome) if released else [],
                "result": election.outcome if released else None,
            }
        )
    return render_to_string(
        "elections/_panel.html", {"congress": congress, "blocks": blocks}, request=None
    )


def _hall_html(congress: Congress) -> str:
    return render_to_string("elections/_hall.html", {"hall": hall.hall_state(congress)})


@scoped
def projector(request: HttpRequest, congress_id: int) -> HttpResponse:
    """The hall's full-screen page: no navigation, large type, live."""
    congress = _congress(request.user, congress_id)
    context = {"congress": congress, "panel": _panel_html(congress), "hall": _hall_html(congress)}
    return render(request, "elections/projector.html", context)


@scoped
def projector_hall(request: HttpRequest, congress_id: int) -> HttpResponse:
    """Attendance, quorum, the current item and speaker, and each open poll's turnout."""
    congress = _congress(request.user, congress_id)
    return HttpResponse(_hall_html(congress))


@scoped
def projector_panel(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = _congress(request.user, congress_id)
    return HttpResponse(_panel_html(congress))


def projector_congress(user: Any, congress_id: int) -> Congress:
    """The congress a projector stream follows, if the user may see it (404 otherwise)."""
    return _congress(user, congress_id)


def panel_html(congress: Congress) -> str:
    return _panel_html(congress)


@scoped
def projector_stream(request: HttpRequest, congress_id: int) -> HttpResponseBase:
    """Server-sent events: the panel now, and again whenever a poll closes or a result is out.

    This view serves the development server (WSGI, one thread per stream); under an ASGI
    server `live_asgi` answers this URL without a thread. Both limit open streams."""
    congress = _congress(request.user, congress_id)
    slot = streams.stream_open(request, user_id=int(request.user.pk or 0), kind="projector")
    if isinstance(slot, streams.StreamRefused):
        return slot.response()
    raw = request.headers.get("Last-Event-ID", "")
    last_seen = int(raw) if raw.isdigit() else None
    language = get_language() or "vi"

    def render_panel(event_id: int) -> str:
        return live.cached_panel(congress.pk, event_id, language, lambda: _panel_html(congress))

    response = StreamingHttpResponse(
        live.stream(
            congress_id=congress.pk,
            last_seen=last_seen,
            render=render_panel,
            on_close=slot.release,
        ),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


@scoped
def transitions(request: HttpRequest, congress_id: int) -> HttpResponse:
    """Incumbents of the ending term who were not re-elected: the transitions work list."""
    congress = _congress(request.user, congress_id)
    if not queries.is_organizer(request.user, congress):
        raise Http404("No such page")
    context = {
        "congress": congress,
        "incumbents": queries.incumbents_not_reelected(congress),
        "appointments": queries.appointments(congress),
    }
    return render(request, "elections/transitions.html", context)


def _documents_congress(request: HttpRequest, congress_id: int) -> Congress:
    """The congress's documents hold personal data: organizers and board members only."""
    congress = _congress(request.user, congress_id)
    if not (
        queries.is_organizer(request.user, congress)
        or queries.has_board_seat(request.user, congress)
    ):
        raise Http404("No such page")
    return congress


@scoped
def documents(request: HttpRequest, congress_id: int) -> HttpResponse:
    """The congress's documents to download: minutes, attendance, elected bodies, exports."""
    congress = _documents_congress(request, congress_id)
    return render(
        request,
        "elections/documents.html",
        {"congress": congress, "rows": congress_documents.document_rows()},
    )


@scoped
def document_file(request: HttpRequest, congress_id: int, document: str, fmt: str) -> HttpResponse:
    congress = _documents_congress(request, congress_id)
    if fmt not in congress_documents.DOCUMENTS.get(document, ()):
        raise Http404("No such document")
    language = _document_language(request)
    if fmt == "pdf":
        body, content_type = (
            congress_documents.document_pdf(document, congress, language=language),
            "application/pdf",
        )
    elif fmt == "docx":
        body, content_type = (
            congress_documents.document_docx(document, congress, language=language),
            DOCX_TYPE,
        )
    else:
        body, content_type = (
            congress_documents.document_xlsx(document, congress, language=language),
            XLSX_TYPE,
        )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="congress-{congress.pk}-{document}-{language}.{fmt}"'
    )
    return response


def _member_codes(raw: str) -> list[str]:
    """Member codes typed one per line or separated by commas or spaces, without repeats."""
    codes = [c.strip() for c in raw.replace(",", " ").split()]
    return list(dict.fromkeys(c for c in codes if c))


@scoped
def appoint(request: HttpRequest, congress_id: int) -> HttpResponse:
    """Bodies the higher level appoints instead of an election (merged or new units)."""
    congress = _congress(request.user, congress_id)
    if not queries.is_organizer(request.user, congress):
        raise Http404("No such page")
    may_appoint = congress.bodies == Congress.Bodies.APPOINTED and queries.may_appoint(
        request.user, congress
    )
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST" and may_appoint:
        try:
            codes = _member_codes(request.POST.get("members", ""))
            persons, unknown = queries.members_by_codes(congress.unit, codes)
            if unknown:
                raise ValidationError(
                    {
                        "members": _("No member of %(unit)s has the code: %(codes)s.")
                        % {"unit": congress.unit.name, "codes": ", ".join(unknown)}
                    }
                )
            actions.committee_appoint(
                actor=request.user,
                congress=congress,
                body=request.POST.get("body", ""),
                persons=persons,
                decision_ref=request.POST.get("decision_ref", ""),
                decided_on=_date(request, "decided_on"),
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("The appointment is recorded and the body seated."))
            return redirect("elections:appoint", congress_id=congress.pk)
    context = {
        "congress": congress,
        "may_appoint": may_appoint,
        "appointments": queries.appointments(congress),
        "bodies": [(b.value, b.label) for b in COMMITTEE_BODIES],
        "form": form,
    }
    return render(request, "elections/appoint.html", context)


def _date(request: HttpRequest, name: str) -> datetime.date:
    raw = request.POST.get(name, "").strip()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            {name: _("Give the date as YYYY-MM-DD, got “%(raw)s”.") % {"raw": raw}}
        ) from None
