"""Reads of cycles, congresses and directives, scoped to the user's subtree.

The dashboard's figures come from a fixed number of aggregate queries over a materialized
path prefix (`unit__path__startswith`), whatever the size of the subtree: never one query
per unit.

One module per area: `_base` (the day looked at, tree paths), `access` (what a user may
see), `rollups` (the congress list, counts by level and state, the facts the gates read),
`overview` (the dashboard and its timeline, directive progress), `migration` (the rulebook
migration preview), `deadlines` (the daily digest).
"""

from daihoi.congresses.queries._base import today
from daihoi.congresses.queries.access import (
    access_congress_by_id,
    access_congress_in_scope,
    access_cycle_by_id,
    access_directive_by_id,
    congress_for_unit,
    congresses_attended,
    congresses_in_scope,
    congresses_visible,
    cycles_visible,
    default_unit,
    directives_for,
    my_units_for_directive,
    people_by_member_code,
    pick_congresses,
    pick_members,
    units_granted,
)
from daihoi.congresses.queries.approval import (
    PlanRow,
    approval_is_current,
    plan_fingerprint,
    plan_review,
)
from daihoi.congresses.queries.deadlines import organizer_deadlines, organizers_with_email
from daihoi.congresses.queries.migration import (
    MigrationPreview,
    cycle_migration_preview,
    planned_congresses,
)
from daihoi.congresses.queries.overview import (
    Blocked,
    Dashboard,
    LevelTimeline,
    dashboard,
    directive_pending_units,
    directive_progress,
    unacknowledged_for,
)
from daihoi.congresses.queries.rollups import (
    ChildCount,
    child_counts,
    child_rollup,
    children_of_congress,
    congress_list,
    open_sibling_pilots,
    plan_approvals,
    plan_approved_for,
    progress,
)

__all__ = [
    "Blocked",
    "ChildCount",
    "Dashboard",
    "LevelTimeline",
    "MigrationPreview",
    "PlanRow",
    "access_congress_by_id",
    "access_congress_in_scope",
    "access_cycle_by_id",
    "access_directive_by_id",
    "ancestor_paths",
    "approval_is_current",
    "child_counts",
    "child_rollup",
    "children_of_congress",
    "congress_for_unit",
    "congress_list",
    "congresses_attended",
    "congresses_in_scope",
    "congresses_visible",
    "cycle_migration_preview",
    "cycles_visible",
    "dashboard",
    "default_unit",
    "directive_pending_units",
    "directive_progress",
    "directives_for",
    "my_units_for_directive",
    "open_sibling_pilots",
    "organizer_deadlines",
    "organizers_with_email",
    "people_by_member_code",
    "pick_congresses",
    "pick_members",
    "plan_approvals",
    "plan_approved_for",
    "plan_fingerprint",
    "plan_review",
    "planned_congresses",
    "progress",
    "today",
    "unacknowledged_for",
    "units_granted",
]
