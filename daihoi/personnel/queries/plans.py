"""Plans and their candidates: who sees and prepares them, the slate they become, the five
steps, the structure gauges, what blocks approval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from daihoi.accounts.authority import in_scope, people_scope_q
from daihoi.accounts.models import Role
from daihoi.congresses.models import Congress
from daihoi.core import hooks
from daihoi.organizations.models import Person
from daihoi.personnel import procedure, structure
from daihoi.personnel.models import (
    Body,
    Plan,
    PlanCandidate,
    StepResult,
)
from daihoi.personnel.queries.checks import (
    is_reelection,
    personnel_rules,
    reference_date,
    rulebook_of,
)
from daihoi.rulebooks.schema import PersonnelRules


def plans_visible(user: Any) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(people_scope_q(user, field="congress__unit__path"))
        .select_related("congress__unit", "congress__cycle")
        .order_by("congress__unit__path", "body")
    )


def access_plan_by_id(user: Any, plan_id: int) -> Plan:
    plan = plans_visible(user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404("No such plan")
    return plan


def plan_for(congress: Congress, body: str) -> Plan | None:
    return Plan.objects.filter(congress=congress, body=body).first()


def plan_candidates(plan: Plan, *, include_removed: bool = False) -> QuerySet[PlanCandidate]:
    """The candidates of a plan with their person and congress (re-election first)."""
    qs = PlanCandidate.objects.filter(plan=plan).select_related(
        "person__unit", "plan__congress__unit", "plan__congress__cycle"
    )
    if not include_removed:
        qs = qs.filter(removed_at__isnull=True)
    return qs.prefetch_related(
        Prefetch("steps", queryset=StepResult.objects.order_by("step")), "person__disciplines"
    )


def candidates_of_person(person: Person) -> QuerySet[PlanCandidate]:
    return PlanCandidate.objects.filter(person=person, removed_at__isnull=True).select_related(
        "plan__congress__unit"
    )


def approved_slate(congress: Congress, body: str) -> list[Person] | None:
    """The people of the approved plan for `body` (re-election first); None when there is no
    plan for that body, [] when a plan exists but is not approved."""
    plan = plan_for(congress, body)
    if plan is None:
        return None
    if plan.state != Plan.State.APPROVED:
        return []
    return [c.person for c in plan_candidates(plan)]


def has_plan(congress: Congress, body: str) -> bool:
    return Plan.objects.filter(congress=congress, body=body).exists()


def plans_of_congress(congress: Congress) -> QuerySet[Plan]:
    return Plan.objects.filter(congress=congress).order_by("body")


def congresses_for_planning(user: Any) -> QuerySet[Congress]:
    return (
        Congress.objects.filter(people_scope_q(user, field="unit__path"))
        .select_related("unit", "cycle")
        .order_by("-cycle_id", "unit__path")
    )


def access_congress_for_planning(user: Any, congress_id: int) -> Congress:
    congress = congresses_for_planning(user).filter(pk=congress_id).first()
    if congress is None:
        raise Http404("No such congress")
    return congress


def blocking_flags(plan: Plan) -> list[tuple[str, str]]:
    """Flags other apps raise against approving the plan (`core.hooks.on_plan_approval`)."""
    return hooks.plan_blocking_flags(plan=plan)


@dataclass(frozen=True)
class StepRow:
    number: int
    name: str
    result: StepResult | None
    outcome: procedure.StepOutcome | None


def step_rule(rules: PersonnelRules, number: int) -> procedure.StepRule:
    step = rules.step(number)
    return procedure.StepRule(
        number=step.number,
        threshold=procedure.Fraction(**step.threshold.model_dump()),
        presence=procedure.Fraction(**step.presence.model_dump()) if step.presence else None,
    )


def step_numbers(congress: Congress) -> list[int]:
    return [c.value.number for c in personnel_rules(congress).introduction.steps]


def steps_passed(candidate: PlanCandidate) -> set[int]:
    return {s.step for s in candidate.steps.all() if s.passed}


def structure_members(candidates: list[PlanCandidate]) -> list[structure.Member]:
    return [
        structure.Member(
            gender=c.person.gender,
            birth_date=c.person.birth_date,
            ethnicity=c.person.ethnicity,
            first_time=not c.reelection,
            science_technology=c.science_technology,
        )
        for c in candidates
    ]


def structure_targets(congress: Congress) -> list[structure.Target]:
    """The rulebook's structure targets, named in the reader's language."""
    language = get_language() or "vi"
    return [
        structure.Target(
            code=t.value.code,
            comparison=t.value.comparison,
            percent=t.value.percent,
            name=t.value.names.get(language),
        )
        for t in rulebook_of(congress).structure
    ]


def _gauges_of(
    congress: Congress, body: str, members: list[structure.Member]
) -> list[structure.Gauge]:
    rules = rulebook_of(congress).personnel
    return structure.gauges(
        members,
        structure_targets(congress),
        reference_date=reference_date(congress) or date.today(),
        young_under_years=rules.standards.young_under_years.value if rules else 40,
        body=body,
    )


def gauges(plan: Plan, candidates: list[PlanCandidate]) -> list[structure.Gauge]:
    """The soft structure of a plan's candidates against the rulebook's targets (warnings)."""
    return _gauges_of(plan.congress, plan.body, structure_members(candidates))


def slate_gauges(congress: Congress, body: str, people: list[Person]) -> list[structure.Gauge]:
    """The soft structure of an election's slate for `body` (empty for bodies personnel does
    not plan, such as delegates): a person on the body's plan brings what the plan knows of
    them; anyone else (a floor nominee) is first-time unless they sit on the body now."""
    if body not in Body.values:
        return []
    plan = plan_for(congress, body)
    on_plan = {c.person_id: c for c in plan_candidates(plan)} if plan is not None else {}
    members = [
        structure.Member(
            gender=p.gender,
            birth_date=p.birth_date,
            ethnicity=p.ethnicity,
            first_time=not (
                on_plan[p.pk].reelection if p.pk in on_plan else is_reelection(p, congress, body)
            ),
            science_technology=on_plan[p.pk].science_technology if p.pk in on_plan else False,
        )
        for p in people
    ]
    return _gauges_of(congress, body, members)


def may_approve(user: Any, plan: Plan) -> bool:
    from daihoi.accounts.authority import is_higher

    return is_higher(user, plan.congress.unit)


def may_prepare(user: Any, plan: Plan) -> bool:
    return in_scope(user, plan.congress.unit, roles=[Role.ORGANIZER])
