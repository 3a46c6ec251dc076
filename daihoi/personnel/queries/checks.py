"""The rules of a congress and the hard standards evaluated for a person or a candidate."""

from __future__ import annotations

from datetime import date

from daihoi.congresses.models import Congress
from daihoi.organizations.models import CommitteeSeat, Person
from daihoi.personnel import standards
from daihoi.personnel.messages import failure_text
from daihoi.personnel.models import (
    PlanCandidate,
)
from daihoi.personnel.queries._base import BODIES
from daihoi.rulebooks.loader import load_rulebook
from daihoi.rulebooks.schema import PersonnelRules, Rulebook


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
        # `person.disciplines` as prefetched by a list of candidates, else one query
        discipline_dates=tuple(d.decided_on for d in person.disciplines.all()),
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


def hard_standard_refusal(person: Person, congress: Congress, body: str) -> str | None:
    """The translated reason `person` may not stand for `body` at `congress`, or None."""
    failing = hard_standard_failures(person, congress, body)
    return failure_text(person.full_name, failing) if failing else None
