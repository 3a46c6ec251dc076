"""Writes for cycles, congresses and directives: permission-checked, atomic, audited.

`actor=SYSTEM` means the system (management commands, the demo loader). The public API other
apps use is `congress_transition(...)`; its gates live in `workflow.py`. One module per area:

- `plan`: a cycle, its plan (one congress per unit) and the plan's four-eyes approval;
- `lifecycle`: transitions with their gate checks and refusal reasons, cascade exemptions;
- `migration`: moving a running cycle to a new rulebook version;
- `reorganization`: re-planning when units merge, split or a level is abolished;
- `venue`: where a congress sits;
- `directives`: directives and plans published to a subtree, acknowledgements, study sessions.
"""

from daihoi.congresses.actions.directives import (
    directive_acknowledge,
    directive_publish,
    study_session_record,
)
from daihoi.congresses.actions.lifecycle import (
    congress_exempt_from_cascade,
    congress_transition,
)
from daihoi.congresses.actions.migration import cycle_migrate_rulebook
from daihoi.congresses.actions.plan import (
    congress_set_pilot,
    cycle_create,
    cycle_generate_plan,
    plan_approve,
    plan_submit,
)
from daihoi.congresses.actions.reorganization import (
    ReplanStep,
    replan_after_reorganization,
)
from daihoi.congresses.actions.venue import congress_set_venue

__all__ = [
    "ReplanStep",
    "congress_exempt_from_cascade",
    "congress_set_pilot",
    "congress_set_venue",
    "congress_transition",
    "cycle_create",
    "cycle_generate_plan",
    "cycle_migrate_rulebook",
    "directive_acknowledge",
    "directive_publish",
    "plan_approve",
    "plan_submit",
    "replan_after_reorganization",
    "study_session_record",
]
