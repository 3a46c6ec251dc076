"""API for personnel under /api/v1/personnel/: plans, candidates with their checks, steps,
approval, dossiers (every read logged) and the pool. Scoped: 404 outside the readers."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from daihoi.personnel import actions, queries
from daihoi.personnel.actions.plans import approval_problems
from daihoi.personnel.messages import describe
from daihoi.personnel.models import Plan, PlanCandidate

router = Router(tags=["personnel"])


class CheckOut(Schema):
    code: str
    result: str = Field(..., description="meets, fails or unknown (data missing)")
    text: str


class StepOut(Schema):
    step: int
    summoned: int
    present: int
    votes: int
    passed: bool


class CandidateOut(Schema):
    id: int
    member_code: str
    full_name: str
    reelection: bool
    active: bool
    removal_cause: str
    checks: list[CheckOut]
    steps: list[StepOut]


class GaugeOut(Schema):
    code: str
    count: int
    total: int
    percent: float
    target: float | None
    below: bool


class PlanOut(Schema):
    id: int
    congress_id: int
    unit_code: str
    body: str
    seats: int
    state: str
    procedure: str
    reference_date: datetime.date | None = None


class PlanDetailOut(PlanOut):
    candidates: list[CandidateOut]
    gauges: list[GaugeOut]
    approval_problems: list[str]


class CandidateIn(Schema):
    member_code: str = Field(..., min_length=1, max_length=32)
    science_technology: bool = False


class RemoveIn(Schema):
    cause: str
    note: str = Field("", max_length=300)


class StepIn(Schema):
    step: int = Field(..., ge=1)
    summoned: int = Field(..., ge=0)
    present: int = Field(..., ge=0)
    votes: int = Field(..., ge=0)


class ItemOut(Schema):
    id: int
    kind: str
    provenance: str
    summary: str
    authority: str
    number: str
    issued_on: datetime.date | None
    verified: bool
    citable: bool


class ChecklistOut(Schema):
    code: str
    name: str
    state: str
    due_on: datetime.date | None


class DossierOut(Schema):
    candidate: CandidateOut
    checklist: list[ChecklistOut]
    items: list[ItemOut]
    views: int


class ConclusionIn(Schema):
    text: str = Field(..., min_length=1)
    cited: list[int]


class PoolEntryOut(Schema):
    id: int
    member_code: str
    full_name: str
    body: str
    cycle_id: int
    entered_on: datetime.date
    removed_on: datetime.date | None
    removal_cause: str


def _plan_out(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "congress_id": plan.congress_id,
        "unit_code": plan.congress.unit.code,
        "body": plan.body,
        "seats": plan.seats,
        "state": plan.state,
        "procedure": plan.procedure,
        "reference_date": queries.reference_date(plan.congress),
    }


def _candidate_out(c: PlanCandidate) -> dict[str, Any]:
    return {
        "id": c.pk,
        "member_code": c.person.member_code,
        "full_name": c.person.full_name,
        "reelection": c.reelection,
        "active": c.active,
        "removal_cause": c.removal_cause,
        "checks": [
            {"code": k.code.value, "result": k.result.value, "text": describe(k)}
            for k in queries.candidate_checks(c)
        ],
        "steps": [
            {
                "step": s.step,
                "summoned": s.summoned,
                "present": s.present,
                "votes": s.votes,
                "passed": s.passed,
            }
            for s in c.steps.all()
        ],
    }


def _plan_detail(plan: Plan) -> dict[str, Any]:
    candidates = list(queries.plan_candidates(plan, include_removed=True))
    active = [c for c in candidates if c.active]
    problems = approval_problems(plan) if plan.state != Plan.State.APPROVED else []
    return {
        **_plan_out(plan),
        "candidates": [_candidate_out(c) for c in candidates],
        "gauges": [
            {
                "code": g.code,
                "count": g.count,
                "total": g.total,
                "percent": float(g.percent),
                "target": float(g.target) if g.target is not None else None,
                "below": g.below,
            }
            for g in queries.gauges(plan, active)
        ],
        "approval_problems": [m for p in problems for m in p.messages],
    }


def _candidate(plan: Plan, candidate_id: int) -> PlanCandidate:
    candidate = plan.candidates.filter(pk=candidate_id).first()
    if candidate is None:
        raise Http404("No such candidate")
    return candidate


@router.get("/plans", response=list[PlanOut], summary="Personnel plans in scope")
def plans(request: HttpRequest) -> list[dict[str, Any]]:
    return [_plan_out(p) for p in queries.plans_visible(request.user)[:500]]


@router.get("/plans/{plan_id}", response=PlanDetailOut, summary="A plan with checks and gauges")
def plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return _plan_detail(queries.access_plan_by_id(request.user, plan_id))


@router.post("/plans/{plan_id}/candidates", response={201: CandidateOut}, summary="Add a candidate")
def candidate_add(request: HttpRequest, plan_id: int, payload: CandidateIn) -> tuple[int, Any]:
    plan = queries.access_plan_by_id(request.user, plan_id)
    person = queries.person_by_code(request.user, payload.member_code)
    if person is None:
        raise ValidationError(
            {"member_code": ValidationError(_("No such member in your area."), code="no_person")}
        )
    candidate = actions.plan_candidate_add(
        actor=request.user,
        plan=plan,
        person=person,
        science_technology=payload.science_technology,
    )
    return 201, _candidate_out(candidate)


@router.post(
    "/plans/{plan_id}/candidates/{candidate_id}/remove",
    response=CandidateOut,
    summary="Take a candidate off the plan for a cause",
)
def candidate_remove(
    request: HttpRequest, plan_id: int, candidate_id: int, payload: RemoveIn
) -> dict[str, Any]:
    plan = queries.access_plan_by_id(request.user, plan_id)
    candidate = actions.plan_candidate_remove(
        actor=request.user,
        candidate=_candidate(plan, candidate_id),
        cause=payload.cause,
        note=payload.note,
    )
    return _candidate_out(candidate)


@router.post(
    "/plans/{plan_id}/candidates/{candidate_id}/steps",
    response={201: StepOut},
    summary="Record an introduction step's vote",
)
def step_record(
    request: HttpRequest, plan_id: int, candidate_id: int, payload: StepIn
) -> tuple[int, Any]:
    plan = queries.access_plan_by_id(request.user, plan_id)
    result = actions.step_result_record(
        actor=request.user, candidate=_candidate(plan, candidate_id), **payload.dict()
    )
    return 201, result


@router.post("/plans/{plan_id}/submit", response=PlanOut, summary="Send the plan for vetting")
def plan_submit(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    plan = queries.access_plan_by_id(request.user, plan_id)
    return _plan_out(actions.plan_submit(actor=request.user, plan=plan))


@router.post(
    "/plans/{plan_id}/approve",
    response=PlanOut,
    summary="Approve the plan (higher level, four eyes)",
)
def plan_approve(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    plan = queries.access_plan_by_id(request.user, plan_id)
    return _plan_out(actions.plan_approve(actor=request.user, plan=plan))


@router.get(
    "/candidates/{candidate_id}/dossier",
    response=DossierOut,
    summary="A candidate's dossier (the view is logged)",
)
def dossier(request: HttpRequest, candidate_id: int) -> dict[str, Any]:
    candidate = queries.access_candidate_by_id(request.user, candidate_id)
    actions.dossier_view_record(actor=request.user, candidate=candidate)
    return {
        "candidate": _candidate_out(candidate),
        "checklist": [
            {"code": r.code, "name": r.name, "state": r.state, "due_on": r.due_on}
            for r in queries.dossier_checklist(candidate, get_language() or "vi")
        ],
        "items": [
            {
                "id": i.pk,
                "kind": i.kind,
                "provenance": i.provenance,
                "summary": i.summary,
                "authority": i.authority,
                "number": i.number,
                "issued_on": i.issued_on,
                "verified": i.verified_at is not None,
                "citable": i.citable,
            }
            for i in queries.dossier_items(candidate)
        ],
        "views": queries.dossier_view_count(candidate),
    }


@router.post(
    "/candidates/{candidate_id}/conclusions",
    response={201: dict},
    summary="Record a vetting conclusion citing verified authority items",
)
def conclusion(request: HttpRequest, candidate_id: int, payload: ConclusionIn) -> tuple[int, Any]:
    from daihoi.personnel.models import DossierItem

    candidate = queries.access_candidate_by_id(request.user, candidate_id)
    cited = list(DossierItem.objects.filter(pk__in=payload.cited))
    if len(cited) != len(set(payload.cited)):
        raise ValidationError({"cited": ValidationError(_("Unknown item."), code="unknown_item")})
    made = actions.vetting_conclusion_record(
        actor=request.user, candidate=candidate, text=payload.text, cited=cited
    )
    return 201, {"id": made.pk}


@router.get("/pool/{code}", response=list[PoolEntryOut], summary="A unit's planning pool")
def pool(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    unit = queries.access_pool_unit(request.user, code)
    return [
        {
            "id": e.pk,
            "member_code": e.person.member_code,
            "full_name": e.person.full_name,
            "body": e.body,
            "cycle_id": e.cycle_id,
            "entered_on": e.entered_on,
            "removed_on": e.removed_on,
            "removal_cause": e.removal_cause,
        }
        for e in queries.pool(unit)
    ]
