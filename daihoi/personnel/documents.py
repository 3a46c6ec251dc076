"""The candidate's personal sheet (A4 PDF): person, checks with their figures, dossier state."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language

from daihoi.core.pdf import html_to_pdf
from daihoi.personnel import queries
from daihoi.personnel.messages import check_label, describe
from daihoi.personnel.models import PlanCandidate


def candidate_sheet_html(candidate: PlanCandidate) -> str:
    checks = queries.candidate_checks(candidate)
    context = {
        "candidate": candidate,
        "person": candidate.person,
        "plan": candidate.plan,
        "reference": queries.reference_date(candidate.plan.congress),
        "checks": [
            {"label": check_label(k.code), "result": k.result.value, "text": describe(k)}
            for k in checks
        ],
        "checklist": queries.dossier_checklist(candidate, get_language() or "vi"),
        "steps": list(candidate.steps.all()),
    }
    return render_to_string("personnel/pdf/candidate_sheet.html", context)


def candidate_sheet_pdf(candidate: PlanCandidate, request: HttpRequest | None = None) -> bytes:
    return html_to_pdf(candidate_sheet_html(candidate), request)
