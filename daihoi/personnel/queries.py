"""Reads for personnel: scoped plans, dossiers, the pool, the hard standards and the slate.

Other apps use these (never the models) to read personnel data:

- `approved_slate(congress, body)` — the approved plan's people, for elections, and
  `slate_gauges(congress, body, people)` — the slate's soft structure;
- `hard_standard_failures(person, congress, body)` — what a person fails, for any path that
  puts someone on a slate (the prepared slate, a floor nomination);
- `plan_candidates(plan)` / `candidates_of_person(person)` — candidates with person and
  congress, for the complaints app.

Plans and dossiers hold personal data: they are for the organizers and inspectors of the
congress's unit or of a level above it, and answer 404 to everyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from daihoi.accounts.authority import in_scope, people_scope_q, scope_paths
from daihoi.accounts.models import Role
from daihoi.congresses.models import Congress, Cycle
from daihoi.core import hooks
from daihoi.organizations.models import CommitteeSeat, Person, Unit
from daihoi.personnel import procedure, standards, structure
from daihoi.personnel.messages import failure_text
from daihoi.personnel.models import (
    Body,
    Discipline,
    DossierItem,
    DossierView,
    Plan,
    PlanCandidate,
    PoolEntry,
    StepResult,
)
from daihoi.rulebooks.loader import load_rulebook
from daihoi.rulebooks.schema import PersonnelRules, Rulebook

DOSSIER_ROLES = (Role.ORGANIZER, Role.INSPECTOR)
BODIES = tuple(Body.values)


# Rules ---------------------------------------------------------------------------------


def rulebook_of(congress: Congress) -> Rulebook:
    return load_rulebook(congress.cycle.rulebook_id)


def personnel_rules(congress: Congress) -> PersonnelRules:
    rules = rulebook_of(congress).personnel
    if rules is None:
        raise LookupError(f"rulebook {congress.cycle.rulebook_id} has no personnel rules")
    return rules


def reference_date(congress: Congress) -> date | None:
    """The age reference date of the congress: by its unit's level and kind."""
    book = rulebook_of(congress)
    try:
        return book.age_reference_date(congress.unit.level, congress.unit.kind or None)
    except KeyError:
        return None


def is_reelection(person: Person, congress: Congress, body: str) -> bool:
    """The person sits on this body of the unit in the term ending as this cycle starts."""
    return CommitteeSeat.objects.filter(
        person=person,
        unit_id=congress.unit_id,
        body=body,
        term_end__gte=congress.cycle.term_start,
        term_start__lt=congress.cycle.term_start,
    ).exists()


def requirements(congress: Congress, body: str, *, reelection: bool) -> standards.Requirements:
    book = rulebook_of(congress)
    rules = book.personnel
    level = congress.unit.level
    overrides = []
    education = theory = None
    discipline_months = 12
    if rules is not None:
        overrides = [
            standards.WorkingTimeOverride(**c.value.model_dump())
            for c in rules.standards.working_time
        ]
        for cited in rules.standards.requirements:
            req = cited.value
            if req.level == level and req.body in (None, body):
                education = req.min_education or education
                theory = req.min_political_theory or theory
        discipline_months = rules.standards.discipline_free_months.value
    months = standards.min_months_left(
        first_time=book.age.first_time_min_months_left.value,
        reelection=book.age.reelection_min_months_left.value,
        is_reelection=reelection,
        level=level,
        body=body,
        overrides=overrides,
    )
    return standards.Requirements(
        reference_date=reference_date(congress),
        min_months_left=months,
        discipline_free_months=discipline_months,
        min_education=education,
        min_political_theory=theory,
        roadmaps={
            "male": book.retirement.roadmap_for("male"),
            "female": book.retirement.roadmap_for("female"),
        },
    )


def facts_of(person: Person, *, reelection: bool) -> standards.Facts:
    return standards.Facts(
        gender=person.gender if person.gender in ("male", "female") else None,  # type: ignore[arg-type]
        birth_date=person.birth_date,
        status=person.status or None,
        education=person.education or None,
        political_theory=person.political_theory or None,
        reelection=reelection,
        discipline_dates=tuple(
            Discipline.objects.filter(person=person).values_list("decided_on", flat=True)
        ),
    )


def evaluate_person(
    person: Person, congress: Congress, body: str, *, reelection: bool | None = None
) -> tuple[standards.Check, ...]:
    """Every hard standard for `person` standing for `body` at `congress`."""
    if reelection is None:
        reelection = is_reelection(person, congress, body)
    return standards.evaluate(
        facts_of(person, reelection=reelection), requirements(congress, body, reelection=reelection)
    )


def hard_standard_failures(person: Person, congress: Congress, body: str) -> list[standards.Check]:
    """The hard standards `person` fails for `body` at `congress` (none for non-committee
    bodies such as delegates, which these standards do not govern)."""
    if body not in BODIES:
        return []
    return standards.failing(evaluate_person(person, congress, body))


def candidate_checks(candidate: PlanCandidate) -> tuple[standards.Check, ...]:
    return evaluate_person(
        candidate.person,
        candidate.plan.congress,
        candidate.plan.body,
        reelection=candidate.reelection,
    )


# Plans and candidates ------------------------------------------------------------------


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
    return qs.prefetch_related(Prefetch("steps", queryset=StepResult.objects.order_by("step")))


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


# Dossiers ------------------------------------------------------------------------------


def may_see_dossier(user: Any, congress: Congress) -> bool:
    """Organizers and inspectors of the congress's unit or of a level above it."""
    return in_scope(user, congress.unit, roles=DOSSIER_ROLES)


def access_candidate_by_id(user: Any, candidate_id: int) -> PlanCandidate:
    """A candidate and their dossier; 404 to everyone outside the dossier's readers."""
    candidate = (
        PlanCandidate.objects.filter(people_scope_q(user, field="plan__congress__unit__path"))
        .select_related("person__unit", "plan__congress__unit", "plan__congress__cycle")
        .filter(pk=candidate_id)
        .first()
    )
    if candidate is None or not may_see_dossier(user, candidate.plan.congress):
        raise Http404("No such candidate")
    return candidate


def dossier_items(candidate: PlanCandidate) -> QuerySet[DossierItem]:
    return DossierItem.objects.filter(candidate=candidate).select_related("verified_by")


@dataclass(frozen=True)
class ChecklistRow:
    code: str
    name: str
    items: list[DossierItem]
    due_on: date | None

    @property
    def state(self) -> str:
        if any(i.citable for i in self.items):
            return "verified"
        if self.items:
            return "unverified"
        return "missing"


def dossier_due_date(congress: Congress) -> date | None:
    """15 working days (the rulebook's figure) before the congress opens, or before the
    earliest day of its window while no opening day is set."""
    opening = congress.starts_on or congress.earliest
    if opening is None:
        return None
    days = personnel_rules(congress).dossier.due_working_days_before_opening.value
    return procedure.working_days_before(opening, days)


def dossier_checklist(candidate: PlanCandidate, language: str = "en") -> list[ChecklistRow]:
    congress = candidate.plan.congress
    rules = personnel_rules(congress)
    items = list(dossier_items(candidate))
    due = dossier_due_date(congress)
    return [
        ChecklistRow(
            code=spec.value.code,
            name=spec.value.names.get(language),
            items=[i for i in items if i.kind == spec.value.code],
            due_on=due,
        )
        for spec in rules.dossier.items
    ]


def dossier_leads(candidate: PlanCandidate) -> list[DossierItem]:
    return [i for i in dossier_items(candidate) if i.is_lead]


def dossier_view_count(candidate: PlanCandidate) -> int:
    return DossierView.objects.filter(candidate=candidate).count()


def my_dossier_views(user: Any) -> list[tuple[PlanCandidate, int]]:
    """The subject of a dossier sees how often it was viewed, never by whom or the notes."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    candidates = PlanCandidate.objects.filter(person_id=person_id).select_related(
        "plan__congress__unit"
    )
    return [(c, dossier_view_count(c)) for c in candidates]


# The planning pool ---------------------------------------------------------------------


def access_pool_unit(user: Any, code: str) -> Unit:
    unit = Unit.objects.filter(people_scope_q(user, field="path"), code=code).first()
    if unit is None:
        raise Http404("No such unit")
    return unit


def pool_units(user: Any) -> QuerySet[Unit]:
    paths = scope_paths(user, roles=DOSSIER_ROLES)
    qs = Unit.objects.filter(people_scope_q(user, field="path"), active_until__isnull=True)
    if paths is None:
        qs = qs.filter(depth__lte=2)
    return qs.order_by("path")[:200]  # type: ignore[return-value]


def pool(
    unit: Unit, cycle: Cycle | None = None, *, include_removed: bool = True
) -> QuerySet[PoolEntry]:
    qs = PoolEntry.objects.filter(unit=unit).select_related("person", "cycle")
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    if not include_removed:
        qs = qs.filter(removed_on__isnull=True)
    return qs.order_by("removed_on", "body", "person__full_name")


def pool_gauges(unit: Unit, cycle: Cycle, entries: list[PoolEntry]) -> list[structure.Gauge]:
    book = load_rulebook(cycle.rulebook_id)
    rules = book.personnel
    if rules is None:
        return []
    targets = [
        structure.Target(
            code=s.value.code,
            comparison="at_least",
            percent=s.value.percent,
            name=s.value.names.get(get_language() or "vi"),
        )
        for s in rules.pool.shares
    ]
    members = [
        structure.Member(
            gender=e.person.gender, birth_date=e.person.birth_date, ethnicity=e.person.ethnicity
        )
        for e in entries
        if e.removed_on is None
    ]
    ref = date(cycle.term_start, 1, 1)
    return structure.gauges(
        members,
        targets,
        reference_date=ref,
        young_under_years=rules.standards.young_under_years.value,
    )


def cycles_of(unit: Unit) -> QuerySet[Cycle]:
    return Cycle.objects.filter(congresses__unit=unit).distinct().order_by("-term_start")


def in_active_pool(person: Person, unit: Unit, body: str) -> PoolEntry | None:
    return PoolEntry.objects.filter(
        person=person, unit=unit, body=body, removed_on__isnull=True
    ).first()


def hard_standard_refusal(person: Person, congress: Congress, body: str) -> str | None:
    """The translated reason `person` may not stand for `body` at `congress`, or None."""
    failing = hard_standard_failures(person, congress, body)
    return failure_text(person.full_name, failing) if failing else None


def person_by_code(user: Any, code: str) -> Person | None:
    """A member within the user's personal-data scope, by member code."""
    return (
        Person.objects.filter(people_scope_q(user), member_code=code.strip())
        .select_related("unit")
        .first()
    )


def access_pool_entry(user: Any, unit: Unit, entry_id: int) -> PoolEntry:
    entry = PoolEntry.objects.filter(unit=unit, pk=entry_id).select_related("unit").first()
    if entry is None:
        raise Http404("No such entry")
    return entry


def may_approve(user: Any, plan: Plan) -> bool:
    from daihoi.accounts.authority import is_higher

    return is_higher(user, plan.congress.unit)


def may_prepare(user: Any, plan: Plan) -> bool:
    return in_scope(user, plan.congress.unit, roles=[Role.ORGANIZER])
