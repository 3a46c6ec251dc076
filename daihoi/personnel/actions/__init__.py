"""Writes for personnel: the planning pool, plans and candidates, introduction steps, dossiers.

Every function is one use case (keyword-only, `@action`, permission-checked, audited once):

- `pool`: `pool_entry_add`, `pool_entry_remove`, `pool_import`, `discipline_record`,
  `standards_finding_record`, `pool_remove_person` (run by the two before it);
- `plans`: `plan_create`, `plan_candidate_add`, `plan_candidate_remove` (for a cause; the
  complaints app uses it), `plan_submit`, `plan_approve` (four eyes, higher level),
  `plan_reopen`;
- `steps`: `step_result_record`;
- `dossiers`: `dossier_item_record`, `dossier_item_verify`, `vetting_conclusion_record`,
  `dossier_view_record`.
"""

from daihoi.personnel.actions.dossiers import (
    dossier_item_record,
    dossier_item_verify,
    dossier_view_record,
    vetting_conclusion_record,
)
from daihoi.personnel.actions.plans import (
    plan_approve,
    plan_candidate_add,
    plan_candidate_remove,
    plan_create,
    plan_reopen,
    plan_submit,
)
from daihoi.personnel.actions.pool import (
    discipline_record,
    pool_entry_add,
    pool_entry_remove,
    pool_import,
    pool_remove_person,
    standards_finding_record,
)
from daihoi.personnel.actions.steps import step_result_record

__all__ = [
    "discipline_record",
    "dossier_item_record",
    "dossier_item_verify",
    "dossier_view_record",
    "plan_approve",
    "plan_candidate_add",
    "plan_candidate_remove",
    "plan_create",
    "plan_reopen",
    "plan_submit",
    "pool_entry_add",
    "pool_entry_remove",
    "pool_import",
    "pool_remove_person",
    "standards_finding_record",
    "step_result_record",
    "vetting_conclusion_record",
]
