"""Pages of the congress cycle, one module per area: `cycle` (cycles, dashboard and its
exports, congress list, plan, rulebook migration), `congress` (one congress, its steps,
exemption, venue), `directives` (directives, acknowledgements, study sessions, attachments)
and `pickers` (the congress picker).

Every view is scoped; writes go through `actions`, reads through `queries`.
"""

from daihoi.congresses.views.congress import (
    congress_detail,
    congress_exempt,
    congress_step,
    congress_venue,
)
from daihoi.congresses.views.cycle import (
    congress_list,
    cycle_list,
    dashboard,
    dashboard_export,
    migration,
    plan,
)
from daihoi.congresses.views.directives import (
    directive_attachment,
    directive_detail,
    directive_list,
    pick_attendees,
)
from daihoi.congresses.views.pickers import pick_congress

__all__ = [
    "congress_detail",
    "congress_exempt",
    "congress_list",
    "congress_step",
    "congress_venue",
    "cycle_list",
    "dashboard",
    "dashboard_export",
    "directive_attachment",
    "directive_detail",
    "directive_list",
    "migration",
    "pick_attendees",
    "pick_congress",
    "plan",
]
