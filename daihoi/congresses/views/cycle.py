"""The cycle: the list of cycles, the dashboard and its exports, the congress list, the plan and
the rulebook migration."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from daihoi.accounts.authority import in_scope
from daihoi.accounts.models import Role
from daihoi.congresses import actions, queries, workflow
from daihoi.congresses.actions.lifecycle import state_label
from daihoi.congresses.models import Congress
from daihoi.congresses.queries._base import OPEN_STATES
from daihoi.congresses.views._base import _crumbs, _date, _subtree_unit, can_decide_for
from daihoi.core.access import scoped
from daihoi.core.documents import render_pdf
from daihoi.core.errors import error_messages
from daihoi.core.exports import pdf_response, xlsx_response
from daihoi.organizations.queries import access_unit_by_code
from daihoi.rulebooks.loader import available_rulebooks


@scoped
def cycle_list(request: HttpRequest) -> HttpResponse:
    cycles = list(queries.cycles_visible(request.user))
    if len(cycles) == 1:
        return redirect("congresses:dashboard", cycle_id=cycles[0].pk)
    return render(request, "congresses/cycles.html", {"cycles": cycles})


@scoped
def dashboard(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = queries.access_cycle_by_id(request.user, cycle_id)
    unit = _subtree_unit(request, cycle)
    on = _date(request.GET.get("on"), queries.today())
    board = queries.dashboard(cycle, unit, on=on)
    return render(
        request,
        "congresses/dashboard.html",
        {
            "cycle": cycle,
            "unit": unit,
            "board": board,
            "crumbs": _crumbs(request, cycle, unit),
            "state_labels": {s: state_label(s) for s in workflow.STATES},
            "own": queries.congress_for_unit(cycle, unit),
        },
    )


EXPORT_HEADERS = [
    "unit_code",
    "unit_name",
    "level",
    "type",
    "bodies",
    "pilot",
    "state",
    "earliest",
    "latest",
    "postponed_until",
    "starts_on",
    "concluded_on",
    "overdue",
]


@scoped
def dashboard_export(request: HttpRequest, cycle_id: int, fmt: str) -> HttpResponseBase:
    cycle = queries.access_cycle_by_id(request.user, cycle_id)
    unit = _subtree_unit(request, cycle)
    on = _date(request.GET.get("on"), queries.today())
    assert on is not None
    if fmt == "pdf":
        board = queries.dashboard(cycle, unit, on=on)
        html = render_to_string(
            "congresses/dashboard_pdf.html",
            {
                "cycle": cycle,
                "unit": unit,
                "board": board,
                "state_labels": {s: state_label(s) for s in workflow.STATES},
            },
            request=request,
        )
        pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
        return pdf_response(pdf, f"progress-{unit.code}.pdf", inline=False)
    rows = (
        [
            c.unit.code,
            c.unit.name,
            c.unit.level,
            c.congress_type,
            c.bodies,
            "yes" if c.pilot else "",
            c.state,
            c.earliest,
            c.latest,
            c.extended_latest,
            c.starts_on,
            c.concluded_on,
            "yes"
            if c.due and c.due < on and c.state in OPEN_STATES  # type: ignore[attr-defined]
            else "",
        ]
        for c in queries.congress_list(cycle=cycle, unit=unit).iterator(chunk_size=2000)
    )
    return xlsx_response(
        filename=f"congresses-{unit.code}", headers=EXPORT_HEADERS, rows=rows, sheet="congresses"
    )


@scoped
def congress_list(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = queries.access_cycle_by_id(request.user, cycle_id)
    unit = _subtree_unit(request, cycle)
    on = _date(request.GET.get("on"), queries.today())
    state = request.GET.get("state", "")
    level = request.GET.get("level", "")
    overdue = request.GET.get("overdue") == "1"
    pilot = {"1": True, "0": False}.get(request.GET.get("pilot", ""))
    congresses = queries.congress_list(
        cycle=cycle, unit=unit, level=level, state=state, overdue=overdue, pilot=pilot, on=on
    )
    page = Paginator(congresses, settings.DAIHOI_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "congresses/list.html",
        {
            "cycle": cycle,
            "unit": unit,
            "page": page,
            "state": state,
            "level": level,
            "overdue": overdue,
            "states": [(s, state_label(s)) for s in workflow.STATES],
            "state_labels": {s: state_label(s) for s in workflow.STATES},
            "query": request.GET.urlencode(),
        },
    )


@scoped
def plan(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = queries.access_cycle_by_id(request.user, cycle_id)
    unit = _subtree_unit(request, cycle)
    if request.method == "POST":
        step = request.POST.get("step")
        target = access_unit_by_code(request.user, request.POST.get("unit_code", ""))
        try:
            if step == "submit":
                actions.plan_submit(actor=request.user, cycle=cycle, unit=target)
            elif step == "approve":
                actions.plan_approve(
                    actor=request.user,
                    cycle=cycle,
                    unit=target,
                    fingerprint=request.POST.get("fingerprint", ""),
                    remarks=request.POST.get("remarks", ""),
                )
                messages.success(request, _("The plan is approved."))
            elif step == "generate":
                n = actions.cycle_generate_plan(actor=request.user, cycle=cycle)
                messages.success(request, _("%(n)s congresses planned.") % {"n": n})
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
        return redirect(reverse("congresses:plan", args=[cycle.pk]) + f"?unit={unit.code}")
    approvals = list(queries.plan_approvals(cycle, unit))
    review = None
    for a in approvals:
        a.current = queries.approval_is_current(a)  # type: ignore[attr-defined]
        a.may_approve = (  # type: ignore[attr-defined]
            not a.current  # type: ignore[attr-defined]
            and a.prepared_by_id != request.user.pk
            and can_decide_for(request.user, a.unit)
        )
        if a.unit.code == request.GET.get("review"):
            rows, fingerprint = queries.plan_review(cycle, a.unit)
            review = {"approval": a, "rows": rows, "fingerprint": fingerprint}
    return render(
        request,
        "congresses/plan.html",
        {
            "cycle": cycle,
            "unit": unit,
            "approvals": approvals,
            "review": review,
            "covered": queries.plan_approved_for(cycle, unit),
            "may_submit": in_scope(request.user, unit, roles=[Role.ORGANIZER])
            and not any(a.unit_id == unit.pk for a in approvals),
        },
    )


@scoped
def migration(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = queries.access_cycle_by_id(request.user, cycle_id)
    if not in_scope(request.user, cycle.root, roles=[Role.ORGANIZER]):
        raise Http404("No such cycle")
    books = [b for b in available_rulebooks() if b.id != cycle.rulebook_id]
    target = request.POST.get("to") or request.GET.get("to") or (books[-1].id if books else "")
    if request.method == "POST":
        try:
            done = actions.cycle_migrate_rulebook(
                actor=request.user,
                cycle=cycle,
                rulebook_id=target,
                fingerprint=request.POST.get("fingerprint", ""),
            )
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
            return redirect(reverse("congresses:migration", args=[cycle.pk]) + f"?to={target}")
        messages.success(
            request,
            _("The cycle now follows %(id)s; %(n)s congresses were re-planned.")
            % {"id": target, "n": len(done.changes)},
        )
        return redirect("congresses:dashboard", cycle_id=cycle.pk)
    preview = None
    if target:
        try:
            preview = queries.cycle_migration_preview(cycle, target)
        except Exception as error:  # an unknown or broken rulebook file
            messages.error(request, str(error))
    units = {}
    if preview:
        ids = [c.congress_id for c in preview.changes]
        units = {c.pk: c.unit for c in Congress.objects.filter(pk__in=ids).select_related("unit")}
    return render(
        request,
        "congresses/migration.html",
        {"cycle": cycle, "books": books, "target": target, "preview": preview, "units": units},
    )
