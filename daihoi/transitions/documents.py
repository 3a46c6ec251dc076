"""The notice to a person of their case, as PDF in Vietnamese (WeasyPrint)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from daihoi.core.documents import render_pdf
from daihoi.transitions import labels, queries
from daihoi.transitions.models import TransitionCase


def notice_html(case: TransitionCase) -> str:
    with translation.override("vi"):
        context = {
            "case": case,
            "options": labels.option_rows(queries.case_options(case)),
            "chosen": labels.OPTIONS.get(case.chosen_option, case.chosen_option),
            "retirement_date": queries.retirement_date(case),
            "months_left": queries.months_to_retirement(case),
            "window": queries.decision_window(case),
        }
        return render_to_string("transitions/pdf/notice.html", context)


def notice_pdf(case: TransitionCase) -> bytes:
    return render_pdf(notice_html(case))
