"""A candidate's dossier (a logged view): items, verification, conclusions, the personal sheet."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from daihoi.core import clock
from daihoi.core.access import scoped
from daihoi.core.exports import pdf_response
from daihoi.personnel import actions, documents, queries
from daihoi.personnel.models import DossierItem, PlanCandidate
from daihoi.personnel.views._base import _check_rows, _date, _dispatch


@scoped
@require_http_methods(["GET", "POST"])
def candidate_detail(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = queries.access_candidate_by_id(request.user, candidate_id)
    if request.method == "POST":
        _dossier_post(request, candidate)
        return redirect("personnel:candidate", candidate.pk)
    actions.dossier_view_record(actor=request.user, candidate=candidate)
    language = get_language() or "vi"
    context = {
        "candidate": candidate,
        "plan": candidate.plan,
        "checks": _check_rows(candidate),
        "checklist": queries.dossier_checklist(candidate, language),
        "leads": queries.dossier_leads(candidate),
        "citable": [i for i in queries.dossier_items(candidate) if i.citable],
        "conclusions": candidate.conclusions.prefetch_related("cited"),
        "views": queries.dossier_view_count(candidate),
        "provenances": DossierItem.Provenance.choices,
        "today": clock.today(),
    }
    return render(request, "personnel/candidate.html", context)


def _dossier_post(request: HttpRequest, candidate: PlanCandidate) -> None:
    user, post = request.user, request.POST

    def record() -> str:
        actions.dossier_item_record(
            actor=user,
            candidate=candidate,
            provenance=post.get("provenance", ""),
            summary=post.get("summary", ""),
            kind=post.get("kind", ""),
            authority=post.get("authority", ""),
            number=post.get("number", ""),
            issued_on=_date(request, "issued_on"),
            file=request.FILES.get("file"),
        )
        return _("The item is recorded.")

    def verify() -> str:
        item = queries.dossier_items(candidate).filter(pk=post.get("item") or 0).first()
        if item is None:
            raise Http404("No such item")
        actions.dossier_item_verify(actor=user, item=item, against=post.get("against", ""))
        return _("The item is verified.")

    def conclude() -> str:
        ids = [int(i) for i in post.getlist("cited") if i.isdigit()]
        cited = list(queries.dossier_items(candidate).filter(pk__in=ids))
        if len(cited) != len(ids):
            # An id of another candidate's item: refuse it like any other citation.
            cited += list(DossierItem.objects.filter(pk__in=set(ids) - {c.pk for c in cited}))
        actions.vetting_conclusion_record(
            actor=user, candidate=candidate, text=post.get("text", ""), cited=cited
        )
        return _("The conclusion is recorded.")

    _dispatch(request, {"record": record, "verify": verify, "conclude": conclude})


@scoped
@require_GET
def candidate_sheet(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = queries.access_candidate_by_id(request.user, candidate_id)
    actions.dossier_view_record(actor=request.user, candidate=candidate)
    content = documents.candidate_sheet_pdf(candidate, request)
    return pdf_response(content, f"candidate-{candidate.pk}.pdf")
