"""A congress's cases, for its organizers and the higher level, and the opening report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from daihoi.accounts.authority import is_higher
from daihoi.cases import actions, documents, queries
from daihoi.cases.views._base import _int
from daihoi.congresses.models import Congress
from daihoi.core.access import scoped
from daihoi.core.errors import error_text

# A congress's cases: organizers and the higher level ----------------------------------


def _congress(request: HttpRequest, congress_id: int) -> Congress:
    congress = Congress.objects.select_related("unit", "cycle").filter(pk=congress_id).first()
    if congress is None or not (queries.may_see_congress_cases(request.user, congress)):
        raise Http404
    return congress


@scoped
def congress_cases(request: HttpRequest, congress_id: int) -> HttpResponse:
    """That cases exist about the congress's candidates, their state and due dates; the
    higher level records here that it proceeds with the plan although one is open."""
    congress = _congress(request, congress_id)
    higher = is_higher(request.user, congress.unit)
    status = 200
    if request.method == "POST":
        if not higher:
            raise Http404
        case = (
            queries.open_about_congress_candidates(congress)
            .filter(pk=_int(request.POST.get("case")) or 0)
            .first()
        )
        if case is None:
            raise Http404
        try:
            actions.case_proceed(
                actor=request.user, case=case, reason=request.POST.get("reason", "")
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
            status = 400
        else:
            messages.success(request, _("Recorded: the plan may proceed."))
            return redirect("cases:congress", congress_id=congress.pk)
    context = {
        "congress": congress,
        "cases": queries.open_about_congress_candidates(congress),
        "line": queries.congress_line(congress),
        "higher": higher,
        "report": queries.opening_report(congress),
        "today": queries.today(),
    }
    return render(request, "cases/congress.html", context, status=status)


@scoped
@require_GET
def opening_report_pdf(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = _congress(request, congress_id)
    report = queries.opening_report(congress)
    if report is None:
        raise Http404
    response = HttpResponse(documents.opening_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cases-{congress.unit.code}.pdf"'
    return response
