"""Personnel pages, one module per area: `plans` (index, a congress's plans, one plan, its
export), `dossiers` (a candidate's dossier and personal sheet) and `pool` (the planning pool).

Every view is scoped: plans and dossiers answer 404 outside their readers (`queries.access_…`).
"""

from daihoi.personnel.views.dossiers import candidate_detail, candidate_sheet
from daihoi.personnel.views.plans import congress_plans, index, plan_detail, plan_export
from daihoi.personnel.views.pool import pool, pool_export

__all__ = [
    "candidate_detail",
    "candidate_sheet",
    "congress_plans",
    "index",
    "plan_detail",
    "plan_export",
    "pool",
    "pool_export",
]
