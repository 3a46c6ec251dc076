"""Transition pages: the case list, a case with its options and handling, exports, notices.

Every view is scoped; a case is fetched through `access_case_by_id` (404 outside the
organizer's subtree).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from daihoi.congresses.queries import today as looked_at
from daihoi.core.access import scoped
from daihoi.core.errors import messages_by_field
from daihoi.core.exports import pdf_response, xlsx_response
from daihoi.transitions import actions, documents, labels, queries
from daihoi.transitions.actions.cases import BASIS_COLUMNS
from daihoi.transitions.models import TransitionCase

FINANCE_HEADERS = [
    "member_code",
    "full_name",
    "unit",
    "reason",
    "option",
    "monthly_salary_basis",
    "amount",
    "decision_number",
    "decision_date",
    "issuing_body",
    "paid_amount",
    "paid_on",
    "payment_ref",
]


def _int(request: HttpRequest, name: str, default: int = 0) -> int:
    raw = request.POST.get(name, "").replace(",", "").replace(".", "").strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(
            {name: ValidationError(_("Enter a whole number."), code="not_a_number")}
        ) from None


def _date(request: HttpRequest, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.POST.get(name, "").strip())
    except ValueError:
        raise ValidationError(
            {name: ValidationError(_("Enter a date like 2025-07-15."), code="not_a_date")}
        ) from None


@scoped
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError(
                    {"file": ValidationError(_("Choose an XLSX file."), code="required")}
                )
            n = actions.cases_import_basis(actor=request.user, content=upload.read())
            messages.success(request, _("%(n)s salary bases imported.") % {"n": n})
            return redirect("transitions:index")
        except ValidationError as error:
            errors = messages_by_field(error)
    cases = queries.cases_visible(request.user)
    state = request.GET.get("state", "")
    if state in TransitionCase.State.values:
        cases = cases.filter(state=state)
    page = Paginator(cases, settings.DAIHOI_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "states": TransitionCase.State.choices,
        "state": state,
        "errors": errors,
        "columns": BASIS_COLUMNS,
    }
    return render(request, "transitions/index.html", context, status=400 if errors else 200)


@scoped
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    rows = queries.finance_rows(queries.cases_visible(request.user))
    return xlsx_response(
        filename="transitions-finance", headers=FINANCE_HEADERS, rows=rows, sheet="finance"
    )


def _handle_post(request: HttpRequest, case: TransitionCase) -> None:
    op = request.POST.get("op", "")
    if op == "basis":
        actions.case_set_basis(
            actor=request.user,
            case=case,
            monthly_salary=_int(request, "monthly_salary"),
            monthly_allowances=_int(request, "monthly_allowances"),
            leadership_allowance=_int(request, "leadership_allowance"),
            insured_months=_int(request, "insured_months"),
            months_left_in_term=_int(request, "months_left_in_term"),
            month_after_decision=_int(request, "month_after_decision", 1),
            wishes_to_retire=request.POST.get("wishes_to_retire") == "on",
        )
        messages.success(request, _("Salary basis saved; the options are computed anew."))
    elif op == "choose":
        actions.case_choose_option(
            actor=request.user, case=case, option=request.POST.get("option", "")
        )
        messages.success(request, _("The chosen option is recorded."))
    elif op == "prepare":
        actions.decision_prepare(
            actor=request.user,
            case=case,
            number=request.POST.get("number", ""),
            decided_on=_date(request, "decided_on"),
            issuing_body=request.POST.get("issuing_body", ""),
        )
        messages.success(request, _("Decision prepared; a second organizer must approve it."))
    elif op == "approve":
        actions.decision_approve(actor=request.user, case=case)
        messages.success(request, _("Decision approved."))
    elif op == "pay":
        actions.payment_record(
            actor=request.user,
            case=case,
            amount=_int(request, "amount"),
            paid_on=_date(request, "paid_on"),
            reference=request.POST.get("reference", ""),
        )
        messages.success(request, _("Payment recorded."))
    else:
        raise ValidationError(_("Unknown operation."), code="unknown_operation")


@scoped
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = queries.access_case_by_id(request.user, case_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            _handle_post(request, case)
            return redirect("transitions:case", case.pk)
        except ValidationError as error:
            errors = messages_by_field(error)
            case.refresh_from_db()
    else:
        actions.case_view_log(actor=request.user, case=case)
    options = labels.option_rows(queries.case_options(case))
    context: dict[str, Any] = {
        "case": case,
        "options": options,
        "eligible": [o for o in options if o["eligible"]],
        "errors": errors,
        "form": request.POST if errors else {},
        "window": queries.decision_window(case),
        "overdue": queries.overdue(case, looked_at()),
        "retirement_date": queries.retirement_date(case),
        "months_left": queries.months_to_retirement(case),
        "chosen_label": labels.OPTIONS.get(case.chosen_option, case.chosen_option),
        "may_approve": case.state == TransitionCase.State.PREPARED
        and case.decision_prepared_by_id != request.user.pk,
    }
    return render(request, "transitions/case.html", context, status=400 if errors else 200)


@scoped
@require_GET
def notice_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    case = queries.access_case_by_id(request.user, case_id)
    return pdf_response(documents.notice_pdf(case), f"thong-bao-{case.person.member_code}.pdf")
