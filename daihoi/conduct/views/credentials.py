"""Credentials, badges, check-in and attendance."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from daihoi.conduct import actions, documents, queries
from daihoi.conduct.actions.checkin import check_in_message
from daihoi.conduct.views._base import Board, require_duty
from daihoi.core.access import scoped
from daihoi.core.errors import error_text
from daihoi.core.exports import pdf_response


@scoped
@require_http_methods(["GET", "POST"])
def credentials(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    require_duty(request, congress, Board.CREDENTIALS)
    if request.method == "POST":
        actions.credentials_verify(actor=request.user, congress=congress)
        messages.success(request, _("Every delegate was checked against the rulebook."))
        return redirect("conduct:credentials", congress.pk)
    report = queries.credentials_report(congress)
    return render(request, "conduct/credentials.html", {"congress": congress, "report": report})


@scoped
@require_GET
def credentials_pdf(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    require_duty(request, congress, Board.CREDENTIALS)
    pdf = documents.credentials_report_pdf(congress, request)
    return pdf_response(pdf, f"credentials-{congress.pk}.pdf")


@scoped
@require_GET
def badges_pdf(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    require_duty(request, congress, Board.CREDENTIALS)
    return pdf_response(documents.badges_pdf(congress, request), f"badges-{congress.pk}.pdf")


@scoped
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    require_duty(request, congress, Board.CREDENTIALS)
    context: dict[str, Any] = {"congress": congress}
    status = 200
    if request.method == "POST":
        code = request.POST.get("code", "")
        try:
            result = actions.delegate_check_in(actor=request.user, congress=congress, code=code)
        except ValidationError as error:
            context |= {"ok": False, "message": error_text(error)}
            status = 422
        else:
            context |= {
                "ok": True,
                "already": result.already,
                "line": result.delegate,
                "message": check_in_message(result),
            }
        if getattr(request, "htmx", False):
            # htmx swaps only 2xx by default; the result is shown either way.
            return render(request, "conduct/_check_in_result.html", context)
    context["quorum"] = queries.quorum(congress)
    return render(request, "conduct/check_in.html", context, status=status)


@scoped
@require_GET
def attendance(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_by_id(request.user, congress_id)
    basis = queries.entitled_basis(congress)
    context = {
        "congress": congress,
        "basis": basis,
        "quorum": queries.quorum(congress, basis=basis),
    }
    htmx = bool(getattr(request, "htmx", False))
    template = "conduct/_attendance.html" if htmx else "conduct/attendance.html"
    return render(request, template, context)
