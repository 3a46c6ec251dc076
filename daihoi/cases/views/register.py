"""The register (filters, pagination, XLSX) and one case with its timeline and handling forms."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from daihoi.accounts.models import User
from daihoi.cases import actions, exports, queries
from daihoi.cases.models import GROUNDS, Case, CaseStep
from daihoi.cases.views._base import _date, _filters, _int
from daihoi.core.access import scoped
from daihoi.core.errors import attempt
from daihoi.core.exports import xlsx_response
from daihoi.organizations.queries import units_visible

# Register ------------------------------------------------------------------------------


@scoped
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Inspectors: the register of the cases they handle. Organizers: that cases exist."""
    filters = _filters(request)
    inspector = bool(queries.inspector_paths(request.user))
    cases = queries.register(request.user) if inspector else queries.stubs_visible(request.user)
    cases = queries.filter_register(cases.exclude(kind=Case.Kind.FEEDBACK), **filters)
    page = Paginator(cases.order_by("-received_on", "-pk"), settings.DAIHOI_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("q", None)  # the unit picker's search text
    context = {
        "page": page,
        "inspector": inspector,
        "filters": filters,
        "filter_unit": (
            units_visible(request.user).filter(code=filters["unit"]).only("name", "code").first()
            if filters["unit"]
            else None
        ),
        "query": query.urlencode(),
        "kinds": [c for c in Case.Kind.choices if c[0] != Case.Kind.FEEDBACK],
        "states": Case.State.choices,
        "today": queries.today(),
    }
    return render(request, "cases/index.html", context)


@scoped
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    cases = queries.filter_register(queries.register(request.user), **_filters(request))
    return xlsx_response(
        filename="cases", headers=exports.HEADERS, rows=exports.register_rows(cases), sheet="cases"
    )


# ------------------------------------------------------------------------------------
# One case ------------------------------------------------------------------------------


def timeline(case: Case) -> list[tuple[Any, str, str]]:
    events: list[tuple[Any, str, str]] = [
        (case.received_on, _("Received"), case.get_channel_display())
    ]
    if case.decided_on:
        label = _("Accepted") if case.state != Case.State.NOT_HANDLED else _("Not handled")
        events.append((case.decided_on, label, case.decision_note))
    for step in case.steps.all():
        events.append((step.on, step.get_kind_display(), step.note))
    if case.prepared_at:
        events.append(
            (case.prepared_at.date(), _("Conclusion prepared"), case.get_outcome_display())
        )
    if case.concluded_on:
        events.append((case.concluded_on, _("Conclusion approved"), case.get_outcome_display()))
    if case.state == Case.State.HANDED_OVER:
        events.append((None, _("Passed to the new committee"), case.decision_note))
    return events


def _handle(request: HttpRequest, case: Case) -> None:
    op = request.POST.get("op", "")
    user = request.user
    if op == "accept":
        actions.case_decide(
            actor=user,
            case=case,
            admissible=True,
            centrally_managed=request.POST.get("centrally_managed") == "on",
            note=request.POST.get("note", ""),
        )
    elif op == "reject":
        actions.case_decide(
            actor=user,
            case=case,
            admissible=False,
            ground=request.POST.get("ground", ""),
            note=request.POST.get("note", ""),
        )
    elif op == "assign":
        inspector = User.objects.filter(pk=_int(request.POST.get("inspector")) or 0).first()
        actions.case_assign(actor=user, case=case, inspector=inspector)
    elif op == "step":
        actions.case_step_record(
            actor=user,
            case=case,
            kind=request.POST.get("kind", ""),
            on=_date(request.POST.get("on", ""), "on"),
            note=request.POST.get("note", ""),
            attachment=request.FILES.get("attachment"),
        )
    elif op == "extend":
        actions.case_extend(actor=user, case=case, reason=request.POST.get("reason", ""))
    elif op == "prepare":
        actions.case_conclusion_prepare(
            actor=user,
            case=case,
            outcome=request.POST.get("outcome", ""),
            conclusion=request.POST.get("conclusion", ""),
        )
    elif op == "approve":
        actions.case_conclusion_approve(actor=user, case=case)
    elif op == "return":
        actions.case_conclusion_return(actor=user, case=case, reason=request.POST.get("reason", ""))
    elif op == "hand_over":
        actions.case_hand_over(actor=user, case=case, note=request.POST.get("note", ""))
    else:
        raise ValidationError(_("Unknown operation."), code="unknown_operation")


@scoped
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = queries.access_case_by_id(request.user, case_id)
    handles = queries.handles(request.user, case)
    status = 200
    if request.method == "POST":
        if not handles:
            raise Http404
        status = attempt(request, lambda: _handle(request, case), success=_("Saved."))
        if status == 200:
            return redirect("cases:case", case_id=case.pk)
        case = queries.access_case_by_id(request.user, case_id)
    actions.case_read_record(actor=request.user, case=case)
    book = queries.complaint_rules(unit=case.unit, congress=case.congress)
    context = {
        "case": case,
        "handles": handles,
        "may_see_sender": queries.may_see_sender(request.user, case),
        "timeline": timeline(case),
        "steps": case.steps.all(),
        "grounds": [(g, GROUNDS.get(g, g)) for g in book.not_handled_grounds.value],
        "outcomes": [(o, Case.Outcome(o).label) for o in actions.OUTCOMES.get(case.kind, ())],
        "step_kinds": CaseStep.Kind.choices,
        "inspectors": [
            u
            for u in User.objects.filter(
                is_active=True, grants__role="inspector", grants__revoked_at__isnull=True
            ).distinct()[:200]
            if queries.handles(u, case)
        ]
        if handles
        else [],
        "today": queries.today(),
    }
    return render(request, "cases/case.html", context, status=status)
