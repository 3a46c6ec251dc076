"""Personnel pages: the pool, the plans of a congress, a plan with its checks, gauges and
steps, a candidate's dossier (every view logged), exports and the candidate sheet (PDF).

Every view is scoped; plans and dossiers are fetched through `access_…` queries (404 outside
the organizers and inspectors of the congress's unit or the level above)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from daihoi.core import clock
from daihoi.core.access import scoped
from daihoi.core.errors import flash_errors
from daihoi.core.exports import pdf_response, xlsx_response
from daihoi.personnel import actions, documents, exports, queries
from daihoi.personnel.actions.plans import approval_problems
from daihoi.personnel.messages import check_label, describe
from daihoi.personnel.models import Body, Discipline, DossierItem, Plan, PlanCandidate, PoolEntry


def _int(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise ValidationError({name: _("Enter a whole number.")}, code="not_a_number") from None


def _date(request: HttpRequest, name: str) -> datetime.date | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: _("Enter a date as YYYY-MM-DD.")}, code="bad_date") from None


def _run(request: HttpRequest, fn: Any) -> bool:
    """Call one action; show its refusal as messages. True when it went through."""
    try:
        done = fn()
    except ValidationError as exc:
        flash_errors(request, exc)
        return False
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do this."))
        return False
    if done:
        messages.success(request, done)
    return True


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

        if _run(request, create):
            return redirect("personnel:plan", created[0].pk)
        return redirect("personnel:congress", congress.pk)
    context = {
        "congress": congress,
        "plans": queries.plans_of_congress(congress),
        "bodies": Body.choices,
        "reference": queries.reference_date(congress),
    }
    return render(request, "personnel/congress.html", context)


def _check_rows(candidate: PlanCandidate) -> list[dict[str, str]]:
    """The candidate's hard-standard checks as the pages show them."""
    return [
        {"label": check_label(k.code), "result": k.result.value, "text": describe(k)}
        for k in queries.candidate_checks(candidate)
    ]


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


def _person_of(request: HttpRequest) -> Any:
    """The member whose code was posted, in the user's area (a refusal otherwise)."""
    person = queries.person_by_code(request.user, request.POST.get("code", ""))
    if person is None:
        raise ValidationError({"code": _("No such member in your area.")}, code="no_person")
    return person


def _candidate_of(request: HttpRequest, plan: Plan) -> PlanCandidate:
    candidate = plan.candidates.filter(pk=request.POST.get("candidate") or 0).first()
    if candidate is None:
        raise Http404("No such candidate")
    return candidate


def _plan_post(request: HttpRequest, plan: Plan) -> None:
    user, what = request.user, request.POST.get("action", "")
    if what == "add":

        def add() -> str:
            person = _person_of(request)
            actions.plan_candidate_add(
                actor=user,
                plan=plan,
                person=person,
                science_technology=bool(request.POST.get("science_technology")),
            )
            return _("The candidate is on the plan.")

        _run(request, add)
    elif what == "remove":
        candidate = _candidate_of(request, plan)
        _run(
            request,
            lambda: (
                actions.plan_candidate_remove(
                    actor=user,
                    candidate=candidate,
                    cause=request.POST.get("cause", ""),
                    note=request.POST.get("note", ""),
                )
                and _("The candidate has left the plan.")
            ),
        )
    elif what == "step":
        candidate = _candidate_of(request, plan)

        def step() -> str:
            result = actions.step_result_record(
                actor=user,
                candidate=candidate,
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

        _run(request, step)
    elif what == "submit":
        _run(
            request,
            lambda: actions.plan_submit(actor=user, plan=plan) and _("The plan is under vetting."),
        )
    elif what == "approve":
        _run(
            request,
            lambda: actions.plan_approve(actor=user, plan=plan) and _("The plan is approved."),
        )
    elif what == "reopen":
        _run(
            request,
            lambda: (
                actions.plan_reopen(actor=user, plan=plan, reason=request.POST.get("reason", ""))
                and _("The plan is re-opened.")
            ),
        )
    else:
        messages.error(request, _("Unknown request."))


@scoped
@require_GET
def plan_export(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = queries.access_plan_by_id(request.user, plan_id)
    headers, rows = exports.plan_table(plan)
    return xlsx_response(filename=f"plan-{plan.pk}", headers=headers, rows=rows, sheet="plan")


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
    user, what = request.user, request.POST.get("action", "")
    if what == "record":
        _run(
            request,
            lambda: (
                actions.dossier_item_record(
                    actor=user,
                    candidate=candidate,
                    provenance=request.POST.get("provenance", ""),
                    summary=request.POST.get("summary", ""),
                    kind=request.POST.get("kind", ""),
                    authority=request.POST.get("authority", ""),
                    number=request.POST.get("number", ""),
                    issued_on=_date(request, "issued_on"),
                    file=request.FILES.get("file"),
                )
                and _("The item is recorded.")
            ),
        )
    elif what == "verify":
        item = queries.dossier_items(candidate).filter(pk=request.POST.get("item") or 0).first()
        if item is None:
            raise Http404("No such item")
        _run(
            request,
            lambda: (
                actions.dossier_item_verify(
                    actor=user, item=item, against=request.POST.get("against", "")
                )
                and _("The item is verified.")
            ),
        )
    elif what == "conclude":
        ids = [int(i) for i in request.POST.getlist("cited") if i.isdigit()]
        cited = list(queries.dossier_items(candidate).filter(pk__in=ids))
        if len(cited) != len(ids):
            # An id of another candidate's item: refuse it like any other citation.
            cited += list(DossierItem.objects.filter(pk__in=set(ids) - {c.pk for c in cited}))
        _run(
            request,
            lambda: (
                actions.vetting_conclusion_record(
                    actor=user, candidate=candidate, text=request.POST.get("text", ""), cited=cited
                )
                and _("The conclusion is recorded.")
            ),
        )
    else:
        messages.error(request, _("Unknown request."))


@scoped
@require_GET
def candidate_sheet(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = queries.access_candidate_by_id(request.user, candidate_id)
    actions.dossier_view_record(actor=request.user, candidate=candidate)
    content = documents.candidate_sheet_pdf(candidate, request)
    return pdf_response(content, f"candidate-{candidate.pk}.pdf")


@scoped
@require_http_methods(["GET", "POST"])
def pool(request: HttpRequest, code: str) -> HttpResponse:
    unit = queries.access_pool_unit(request.user, code)
    cycles = list(queries.cycles_of(unit))
    cycle = next((c for c in cycles if str(c.pk) == request.GET.get("cycle", "")), None)
    cycle = cycle or (cycles[0] if cycles else None)
    if request.method == "POST" and cycle is not None:
        _pool_post(request, unit, cycle)
        return redirect(f"{request.path}?cycle={cycle.pk}")
    entries = list(queries.pool(unit, cycle)) if cycle else []
    context = {
        "unit": unit,
        "cycle": cycle,
        "cycles": cycles,
        "entries": entries,
        "gauges": queries.pool_gauges(unit, cycle, entries) if cycle else [],
        "bodies": Body.choices,
        "causes": PoolEntry.Cause.choices,
        "levels": Discipline.Level.choices,
    }
    return render(request, "personnel/pool.html", context)


def _pool_post(request: HttpRequest, unit: Any, cycle: Any) -> None:
    user, what = request.user, request.POST.get("action", "")
    if what == "add":

        def add() -> str:
            person = _person_of(request)
            actions.pool_entry_add(
                actor=user,
                unit=unit,
                cycle=cycle,
                person=person,
                body=request.POST.get("body", ""),
                entered_on=_date(request, "entered_on") or clock.today(),
            )
            return _("The person is in the pool.")

        _run(request, add)
    elif what == "remove":
        entry = queries.access_pool_entry(user, unit, _int(request, "entry"))
        _run(
            request,
            lambda: (
                actions.pool_entry_remove(
                    actor=user,
                    entry=entry,
                    cause=request.POST.get("cause", ""),
                    on=clock.today(),
                    note=request.POST.get("note", ""),
                )
                and _("The entry is removed.")
            ),
        )
    elif what in ("discipline", "finding"):

        def decided() -> str:
            person = _person_of(request)
            on = _date(request, "decided_on")
            if on is None:
                raise ValidationError(
                    {"decided_on": _("Give the date of the decision.")}, code="date_required"
                )
            common = {
                "actor": user,
                "person": person,
                "decided_on": on,
                "authority": request.POST.get("authority", ""),
                "number": request.POST.get("number", ""),
            }
            if what == "discipline":
                record = actions.discipline_record(level=request.POST.get("level", ""), **common)
                done = _("The discipline of %(name)s is recorded (%(level)s).") % {
                    "name": person.full_name,
                    "level": record.get_level_display(),
                }
            else:
                actions.standards_finding_record(note=request.POST.get("note", ""), **common)
                done = _("The finding on %(name)s's political standards is recorded.") % {
                    "name": person.full_name
                }
            left = queries.pool(unit, cycle).filter(person=person, removed_on=on).exists()
            return done + (" " + _("They left the planning pool.") if left else "")

        _run(request, decided)
    elif what == "import":

        def imported() -> str:
            upload = request.FILES.get("file")
            if upload is None:
                raise ValidationError({"file": _("Choose a file.")}, code="file_required")
            rows = exports.read_pool_rows(upload)
            entries = actions.pool_import(actor=user, unit=unit, cycle=cycle, rows=rows)
            return _("%(n)s people entered in the pool.") % {"n": len(entries)}

        _run(request, imported)
    else:
        messages.error(request, _("Unknown request."))


@scoped
@require_GET
def pool_export(request: HttpRequest, code: str) -> HttpResponse:
    unit = queries.access_pool_unit(request.user, code)
    headers, rows = exports.pool_table(queries.pool(unit))
    return xlsx_response(filename=f"pool-{unit.code}", headers=headers, rows=rows, sheet="pool")
