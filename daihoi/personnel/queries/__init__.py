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

One module per area: `checks` (rules and hard standards), `plans` (plans, candidates, steps,
gauges), `dossiers`, `pool`.
"""

from daihoi.personnel.queries._base import (
    BODIES,
    DOSSIER_ROLES,
)
from daihoi.personnel.queries.checks import (
    candidate_checks,
    evaluate_person,
    facts_of,
    hard_standard_failures,
    hard_standard_refusal,
    is_reelection,
    personnel_rules,
    reference_date,
    requirements,
    rulebook_of,
)
from daihoi.personnel.queries.dossiers import (
    ChecklistRow,
    access_candidate_by_id,
    dossier_checklist,
    dossier_due_date,
    dossier_items,
    dossier_leads,
    dossier_view_count,
    may_see_dossier,
    my_dossier_views,
)
from daihoi.personnel.queries.plans import (
    StepRow,
    access_congress_for_planning,
    access_plan_by_id,
    approved_slate,
    blocking_flags,
    candidates_of_person,
    congresses_for_planning,
    gauges,
    has_plan,
    may_approve,
    may_prepare,
    plan_candidates,
    plan_for,
    plans_of_congress,
    plans_visible,
    slate_gauges,
    step_numbers,
    step_rule,
    steps_passed,
    structure_members,
    structure_targets,
)
from daihoi.personnel.queries.pool import (
    access_pool_entry,
    access_pool_unit,
    cycles_of,
    in_active_pool,
    person_by_code,
    pool,
    pool_gauges,
    pool_units,
)

__all__ = [
    "BODIES",
    "DOSSIER_ROLES",
    "ChecklistRow",
    "StepRow",
    "access_candidate_by_id",
    "access_congress_for_planning",
    "access_plan_by_id",
    "access_pool_entry",
    "access_pool_unit",
    "approved_slate",
    "blocking_flags",
    "candidate_checks",
    "candidates_of_person",
    "congresses_for_planning",
    "cycles_of",
    "dossier_checklist",
    "dossier_due_date",
    "dossier_items",
    "dossier_leads",
    "dossier_view_count",
    "evaluate_person",
    "facts_of",
    "gauges",
    "hard_standard_failures",
    "hard_standard_refusal",
    "has_plan",
    "in_active_pool",
    "is_reelection",
    "may_approve",
    "may_prepare",
    "may_see_dossier",
    "my_dossier_views",
    "person_by_code",
    "personnel_rules",
    "plan_candidates",
    "plan_for",
    "plans_of_congress",
    "plans_visible",
    "pool",
    "pool_gauges",
    "pool_units",
    "reference_date",
    "requirements",
    "rulebook_of",
    "slate_gauges",
    "step_numbers",
    "step_rule",
    "steps_passed",
    "structure_members",
    "structure_targets",
]
