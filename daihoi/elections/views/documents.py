"""Documents: an election's minutes and printed ballots, the congress's documents, the
transitions after the vote, and the higher level's appointment of a committee."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from daihoi.congresses.models import Congress
from daihoi.core.access import scoped
from daihoi.core.documents import DOCX_TYPE
from daihoi.core.errors import flash_errors
from daihoi.core.exports import XLSX_TYPE
from daihoi.elections import (
    actions,
    ballots_print,
    congress_documents,
    minutes,
    queries,
)
from daihoi.elections.models import COMMITTEE_BODIES, Election
from daihoi.elections.views._base import _congress, _date, _document_language


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
