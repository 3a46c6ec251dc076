"""Plans: the index, a congress's plans, one plan with its candidates, checks, steps and gauges,
and its export."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from daihoi.core.access import scoped
from daihoi.core.errors import attempt
from daihoi.core.exports import xlsx_response
from daihoi.personnel import actions, exports, queries
from daihoi.personnel.actions.plans import approval_problems
from daihoi.personnel.models import Body, Plan, PlanCandidate
from daihoi.personnel.views._base import (
    _candidate_of,
    _check_rows,
    _dispatch,
    _int,
    _person_of,
)


@scoped
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "plans": queries.plans_visible(request.user)[:200],
        "congresses": queries.congresses_for_planning(request.user)[:200],
        "units": queries.pool_units(request.user),
        "my_views": queries.my_dossier_views(request.user),
    }
    return render(request, "personnel/index.html", context)


@scoped
@require_http_methods(["GET", "POST"])
def congress_plans(request: HttpRequest, congress_id: int) -> HttpResponse:
    congress = queries.access_congress_for_planning(request.user, congress_id)
    if request.method == "POST":
        created: list[Plan] = []

        def create() -> str:
            created.append(
                actions.plan_create(
                    actor=request.user,
                    congress=congress,
                    body=request.POST.get("body", ""),
                    seats=_int(request, "seats"),
                )
            )
            return _("The plan is opened.")

        if attempt(request, create) == 200:
            return redirect("personnel:plan", created[0].pk)
        return redirect("personnel:congress", congress.pk)
    context = {
        "congress": congress,
        "plans": queries.plans_of_congress(congress),
        "bodies": Body.choices,
        "reference": queries.reference_date(congress),
    }
    return render(request, "personnel/congress.html", context)


def _candidate_rows(plan: Plan, candidates: list[PlanCandidate]) -> list[dict[str, Any]]:
    rows = []
    for c in candidates:
        rows.append(
            {
                "candidate": c,
                "checks": _check_rows(c),
                "steps": {s.step: s for s in c.steps.all()},
            }
        )
    return rows


@scoped
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = queries.access_plan_by_id(request.user, plan_id)
    if request.method == "POST":
        _plan_post(request, plan)
        return redirect("personnel:plan", plan.pk)
    candidates = list(queries.plan_candidates(plan))
    removed = [c for c in queries.plan_candidates(plan, include_removed=True) if not c.active]
    rules = queries.personnel_rules(plan.congress)
    language = get_language() or "vi"
    steps = [(s.value.number, s.value.names.get(language)) for s in rules.introduction.steps]
    appointment_steps = [s.value.names.get(language) for s in rules.introduction.appointment_steps]
    problems = approval_problems(plan) if plan.state != Plan.State.APPROVED else []
    context = {
        "plan": plan,
        "rows": _candidate_rows(plan, candidates),
        "removed": removed,
        "gauges": queries.gauges(plan, candidates),
        "steps": steps,
        "appointment_steps": appointment_steps,
        "problems": [m for p in problems for m in p.messages],
        "reference": queries.reference_date(plan.congress),
        "may_prepare": queries.may_prepare(request.user, plan),
        "may_approve": queries.may_approve(request.user, plan),
        "causes": PlanCandidate.Cause.choices,
    }
    return render(request, "personnel/plan.html", context)


def _plan_post(request: HttpRequest, plan: Plan) -> None:
    user, post = request.user, request.POST

    def add() -> str:
        actions.plan_candidate_add(
            actor=user,
            plan=plan,
            person=_person_of(request),
            science_technology=bool(post.get("science_technology")),
        )
        return _("The candidate is on the plan.")

    def remove() -> str:
        actions.plan_candidate_remove(
            actor=user,
            candidate=_candidate_of(request, plan),
            cause=post.get("cause", ""),
            note=post.get("note", ""),
        )
        return _("The candidate has left the plan.")

    def step() -> str:
        result = actions.step_result_record(
            actor=user,
            candidate=_candidate_of(request, plan),
            step=_int(request, "step"),
            summoned=_int(request, "summoned"),
            present=_int(request, "present"),
            votes=_int(request, "votes"),
        )
        if result.passed:
            return _("Step %(n)s recorded: passed.") % {"n": result.step}
        return _("Step %(n)s recorded: not passed; the candidate leaves the plan.") % {
            "n": result.step
        }

    def submit() -> str:
        actions.plan_submit(actor=user, plan=plan)
        return _("The plan is under vetting.")

    def approve() -> str:
        actions.plan_approve(actor=user, plan=plan)
        return _("The plan is approved.")

    def reopen() -> str:
        actions.plan_reopen(actor=user, plan=plan, reason=post.get("reason", ""))
        return _("The plan is re-opened.")

    _dispatch(
        request,
        {
            "add": add,
            "remove": remove,
            "step": step,
            "submit": submit,
            "approve": approve,
            "reopen": reopen,
        },
    )


@scoped
@require_GET
def plan_export(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = queries.access_plan_by_id(request.user, plan_id)
    headers, rows = exports.plan_table(plan)
    return xlsx_response(filename=f"plan-{plan.pk}", headers=headers, rows=rows, sheet="plan")
