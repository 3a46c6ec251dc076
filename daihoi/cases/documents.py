"""The report to the higher level on the cases still open when a congress convened (PDF)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from daihoi.cases.models import OpeningReport
from daihoi.core.documents import render_pdf


def opening_report_html(report: OpeningReport) -> str:
    with translation.override("vi"):
        cases = report.cases.select_related("unit", "candidate__person").order_by("pk")
        return render_to_string("cases/pdf/opening_report.html", {"report": report, "cases": cases})


def opening_report_pdf(report: OpeningReport) -> bytes:
    return render_pdf(opening_report_html(report))
